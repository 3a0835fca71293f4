from __future__ import annotations

import json
from datetime import date

from motcua.catalog.exporting import catalogue_document, dumps
from motcua.catalog.importing import REFERENCE_CATALOGUE
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.selectors import search_procedures
from motcua.catalog.services import check_budget, load_reference_catalogue


def test_reference_catalogue_loads_cleanly(agency):
    ward = agency(code="000.01.01.H17")
    report = load_reference_catalogue([ward])
    assert report.ok
    assert Field.objects.count() == 5
    assert Procedure.objects.count() == 23
    assert ProcedureVersion.objects.count() == 38  # 23 procedures, 15 earlier periods
    assert Procedure.objects.filter(agencies=ward).count() == 23


def test_reference_catalogue_is_idempotent(agency):
    ward = agency()
    load_reference_catalogue([ward])
    report = load_reference_catalogue([ward])
    assert (report.unchanged, report.versions_created) == (38, 0)
    assert ProcedureVersion.objects.count() == 38


def test_reference_catalogue_budgets_fit_and_every_procedure_has_steps(db):
    load_reference_catalogue()
    for version in ProcedureVersion.objects.prefetch_related("steps", "components"):
        steps = list(version.steps.all())
        assert steps, version
        assert version.components.exists(), version
        assert version.result_documents, version
        check_budget(
            version.time_unit,
            version.time_value,
            [(s.position, s.budget_hours) for s in steps],
        )


def test_reference_catalogue_file_is_in_export_form(db):
    load_reference_catalogue()
    document = catalogue_document(history=True)
    assert dumps(document) == REFERENCE_CATALOGUE.read_text("utf-8")


def test_reference_catalogue_aliases_people_use(db):
    load_reference_catalogue()
    at = date(2025, 7, 1)

    def codes(q: str) -> list[str]:
        return [v.procedure.code for v in search_procedures(q, at=at)]

    assert codes("bao tu")[0] == "1.000656"
    assert "1.013992" in codes("so do")
    assert codes("xac nhan doc than") == ["1.004873"]
    assert codes("sao y")[0] == "2.000815"
    assert codes("khai sinh")[0] == "1.001193"


def test_reference_catalogue_copies_the_facts():
    data = json.loads(REFERENCE_CATALOGUE.read_text("utf-8"))
    by_code = {p["code"]: p for p in data["procedures"]}
    assert by_code["1.001193"]["time"] == {"value": 0, "unit": "same_day"}
    assert by_code["1.013967"]["time"] == {"value": 30, "unit": "calendar_days"}
    assert by_code["2.000815"]["fee_amount"] == 2000
    assert all(p["agencies"] == [] for p in data["procedures"])
