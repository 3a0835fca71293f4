"""Two years of a ward's history from an older system (issue 9): imported through
the services, resumable, and Biểu 06 for each year equals a count written here
from what each line was meant to be — not from MotCua's own rules."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.agencies.services import agency_create
from motcua.catalog.services import load_reference_catalogue
from motcua.demo.history import SETTLED, STOPPED, WITHDRAWN, Truth, ward_history
from motcua.dossiers.history import verify_all
from motcua.dossiers.importing import import_file
from motcua.dossiers.models import Dossier
from motcua.reports.selectors import CELLS, ReportQuery, bieu06, cell_value

pytestmark = pytest.mark.django_db(transaction=True)

YEARS = (2017, 2018)
PER_YEAR = 1250
UNCOVERED = "1.001776"  # reference version from 01/07/2021 (NĐ 20/2021)
BAD = [
    "{not json",
    json.dumps({"agency": "000.01.01.H17", "procedure": "9.999999"}),
    "",  # a blank line is not a line
]


def _cell(t: Truth, first: date, last: date) -> str:
    """Where one dossier stands in Biểu 06 for ``[first, last]`` ("" = absent)."""
    if t.received > last or (t.end is not None and t.end < first):
        return ""
    if t.end is not None and t.end <= last:
        kinds = {SETTLED: f"settled.{t.timing}", WITHDRAWN: "withdrawn"}
        return kinds.get(t.end_kind, STOPPED)
    if t.due is not None and t.due < last:
        return "in_progress.overdue"
    return "in_progress.within_time"


def expected_cells(truths: list[Truth], year: int) -> Counter[str]:
    """Biểu 06 for the calendar year, counted from the intended outcomes."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    out: Counter[str] = Counter()
    for t in truths:
        cell = _cell(t, first, last)
        if not cell:
            continue
        out[cell] += 1
        if t.received < first:
            out["received.carried_over"] += 1
        else:
            out[
                f"received.{'online' if t.channel == 'online' else 'direct_postal'}"
            ] += 1
    for part in ("received", "settled", "in_progress"):
        out[f"{part}.total"] = sum(
            v for k, v in out.items() if k.startswith(part + ".")
        )
    return out


@pytest.fixture
def ward():
    ward = agency_create(
        code="000.01.01.H17", name="UBND phường Hòa Cường Nam", level="commune"
    )
    load_reference_catalogue([ward])
    return ward


def test_two_years_of_a_ward_import_and_biểu_06_matches_an_independent_count(
    ward, tmp_path: Path
):
    pairs = list(ward_history(ward.code, YEARS, PER_YEAR, seed=9))
    lines = [json.dumps(line, ensure_ascii=False) for line, _ in pairs]
    truths = [truth for _, truth in pairs]
    for n, bad in enumerate(BAD):  # failed lines never block the others
        lines.insert(500 * (n + 1), bad)
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    need_option = sum(t.needs_earliest for t in truths)
    uncovered = sum(
        line["procedure"] == UNCOVERED and "due_at" in line for line, _ in pairs
    )
    assert need_option and uncovered  # the mix exercises both fallbacks

    first = import_file(str(path))
    assert first.imported == len(pairs) - need_option
    assert first.recorded_due == uncovered and first.earliest == 0
    codes = Counter(r.code for r in first.rejections)
    assert codes == {
        "import.invalid_json": 1,
        "import.missing_field": 1,
        "import.no_version_in_force": need_option,
    }

    again = import_file(str(path), earliest_version=True)  # resume: only the rest
    assert (again.already, again.imported) == (first.imported, need_option)
    assert again.earliest == need_option and again.rejected == 2
    assert Dossier.objects.count() == len(pairs)

    for year in YEARS:
        report = bieu06(ReportQuery(ward, date(year, 1, 1), date(year, 12, 31)))
        want = expected_cells(truths, year)
        got = {cell: cell_value(report["totals"], cell) for cell in CELLS}
        assert got == {cell: want.get(cell, 0) for cell in CELLS}, year
    checked, problems = verify_all()
    assert (checked, problems) == (len(pairs), [])
    call_command("recompute_figures", verify=True)  # CommandError if not clean
