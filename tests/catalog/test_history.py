"""A procedure's history in one catalogue file: one record a period of its legal
basis, so dossiers of any year since 2015 follow the rules of their own dates."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from motcua.catalog.exporting import catalogue_document, export_catalogue_file
from motcua.catalog.importing import import_catalogue_file
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import version_in_force
from motcua.core.errors import DomainError

from .test_import_export import document, messages, procedure

pytestmark = pytest.mark.django_db

OLD = {
    "effective_from": "2016-01-01",
    "effective_to": "2020-07-16",
    "legal_basis": "Luật Hộ tịch 2014; Thông tư 15/2015",
    "time": {"value": 1, "unit": "working_days"},
}
NEW = {"effective_from": "2020-07-16", "legal_basis": "Luật Hộ tịch 2014; TT 04/2020"}


def periods() -> list[tuple[int, date, date | None, str]]:
    return [
        (v.number, v.effective_from, v.effective_to, v.time_unit)
        for v in ProcedureVersion.objects.order_by("effective_from")
    ]


def test_each_period_is_a_version_and_a_dossier_date_finds_its_own(write_json):
    report = import_catalogue_file(
        write_json(document(procedure(**NEW), procedure(**OLD)))
    )
    assert report.ok and (report.procedures_created, report.versions_created) == (1, 2)
    assert periods() == [
        (1, date(2016, 1, 1), date(2020, 7, 16), "working_days"),
        (2, date(2020, 7, 16), None, "same_day"),
    ]
    khai_sinh = Procedure.objects.get()
    assert version_in_force(khai_sinh, date(2017, 3, 1)).time_value == 1
    assert version_in_force(khai_sinh, date(2020, 7, 16)).time_unit == "same_day"
    again = import_catalogue_file(
        write_json(document(procedure(**OLD), procedure(**NEW)))
    )
    assert (again.unchanged, again.versions_created, again.starts_moved) == (2, 0, 0)
    history = catalogue_document(history=True)["procedures"]
    assert [(p["effective_from"], p["effective_to"]) for p in history] == [
        ("2016-01-01", "2020-07-16"),
        ("2020-07-16", None),
    ]
    assert len(catalogue_document()["procedures"]) == 1  # latest only by default


def test_an_installed_catalogue_gains_its_history(write_json):
    """A catalogue loaded before history existed (one version from 2025) gets the
    earlier period added and its current version's start moved back."""
    import_catalogue_file(
        write_json(document(procedure(**{**NEW, "effective_from": "2025-01-01"})))
    )
    report = import_catalogue_file(
        write_json(document(procedure(**OLD), procedure(**NEW)))
    )
    assert report.ok
    assert (report.versions_created, report.starts_moved, report.unchanged) == (1, 1, 0)
    assert periods() == [
        (2, date(2016, 1, 1), date(2020, 7, 16), "working_days"),
        (1, date(2020, 7, 16), None, "same_day"),
    ]
    again = import_catalogue_file(
        write_json(document(procedure(**OLD), procedure(**NEW)))
    )
    assert (again.unchanged, again.versions_created, again.starts_moved) == (2, 0, 0)


def test_overlapping_periods_are_refused_and_nothing_is_written(write_json):
    overlapping = {**OLD, "effective_to": "2021-01-01"}
    report = import_catalogue_file(
        write_json(document(procedure(**overlapping), procedure(**NEW)))
    )
    assert messages(report) == [
        "mục 2 (1.001193): thủ tục «1.001193» bị lặp lại với thời gian hiệu lực "
        "trùng nhau (mỗi giai đoạn một mục; «effective_to» của giai đoạn trước là "
        "ngày bắt đầu của giai đoạn sau).",
    ]
    assert not ProcedureVersion.objects.exists()


def test_a_start_is_not_moved_over_another_period(write_json):
    import_catalogue_file(write_json(document(procedure(**OLD), procedure(**NEW))))
    earlier = {**NEW, "effective_from": "2018-01-01"}
    report = import_catalogue_file(write_json(document(procedure(**earlier))))
    assert not report.ok  # it would overlap 2016–2020: reported, nothing moved
    assert periods()[1][1] == date(2020, 7, 16)


def test_history_is_json_only(write_json, tmp_path):
    import_catalogue_file(write_json(document(procedure(**OLD), procedure(**NEW))))
    with pytest.raises(DomainError) as caught:
        export_catalogue_file(tmp_path / "c.xlsx", history=True)
    assert caught.value.code == "catalog.history_needs_json"
    assert export_catalogue_file(tmp_path / "c.json", history=True) == 2
    assert export_catalogue_file(tmp_path / "latest.xlsx") == 1
    workbook = openpyxl.load_workbook(tmp_path / "latest.xlsx")
    sheet = workbook.worksheets[1]  # the procedures sheet: add the same row twice
    sheet.append([cell.value for cell in sheet[2]])
    workbook.save(tmp_path / "twice.xlsx")
    report = import_catalogue_file(tmp_path / "twice.xlsx")
    assert any("có hai dòng" in str(issue) for issue in report.issues)
