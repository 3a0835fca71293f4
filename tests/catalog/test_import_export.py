from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.exporting import catalogue_document, dumps
from motcua.catalog.importing import import_catalogue_file
from motcua.catalog.models import Field, Procedure, ProcedureVersion


def procedure(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "HT",
        "level": "commune",
        "time": {"value": 0, "unit": "same_day"},
        "channel_times": {},
        "fee_text": "Miễn lệ phí",
        "fee_amount": 0,
        "online_level": "full",
        "components": [
            {"name": "Tờ khai", "kind": "original", "count": 1, "required": True}
        ],
        "result_documents": ["Giấy khai sinh"],
        "legal_basis": "Luật Hộ tịch 2014",
        "aliases": ["làm giấy khai sinh"],
        "decision": "",
        "agencies": [],
        "effective_from": "2025-01-01",
        "effective_to": None,
        "steps": [
            {
                "position": 1,
                "name": "Tiếp nhận",
                "role": "reception",
                "unit": None,
                "budget_hours": 0.5,
            },
            {
                "position": 2,
                "name": "Xử lý",
                "role": "specialist",
                "unit": None,
                "budget_hours": 7.5,
            },
        ],
    }
    record.update(overrides)
    return record


def document(*procedures: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": "motcua-catalogue",
        "format_version": 1,
        "fields": [{"code": "HT", "name": "Hộ tịch"}],
        "procedures": list(procedures),
    }


def messages(report) -> list[str]:
    return [str(issue) for issue in report.issues]


def test_valid_json_imports_fields_procedures_components_and_steps(db, write_json):
    report = import_catalogue_file(write_json(document(procedure())))
    assert report.ok and report.applied
    version = ProcedureVersion.objects.get()
    assert version.procedure.field.name == "Hộ tịch"
    assert version.effective_from == date(2025, 1, 1)
    assert version.components.get().name == "Tờ khai"
    assert [s.budget_hours for s in version.steps.all()] == [0.5, 7.5]
    assert "lam giay khai sinh" in version.search_text


BAD_ROWS = [
    ({"code": "1001193"}, "code: «1001193» không đúng dạng mã thủ tục"),
    ({"name": ""}, "name: không được để trống."),
    ({"field": "XX"}, "field: không có lĩnh vực nào mang mã «XX»."),
    ({"level": "village"}, "level: «village» không hợp lệ"),
    ({"time": {"value": 3, "unit": "weeks"}}, "time: «weeks» không hợp lệ"),
    ({"time": {"value": -1, "unit": "working_days"}}, "time: không được âm."),
    ({"time": {"value": 1.5, "unit": "calendar_days"}}, "phải là số nguyên"),
    ({"time": {"value": 2, "unit": "same_day"}}, "không kèm số lượng"),
    ({"channel_times": {"fax": {"value": 1, "unit": "working_days"}}}, "kênh «fax»"),
    ({"fee_amount": "nhiều"}, "fee_amount: «nhiều» không phải là một số."),
    ({"online_level": "half"}, "online_level: «half» không hợp lệ"),
    ({"aliases": "sổ đỏ"}, "aliases: phải là một danh sách"),
    ({"agencies": ["999.99.99.H99"]}, "agencies: không có cơ quan nào mang mã"),
    ({"effective_from": "01/13/2025"}, "effective_from: «01/13/2025» không phải"),
    ({"colour": "red"}, "khóa không hợp lệ «colour»."),
    (
        {"components": [{"name": "Tờ khai", "kind": "photo"}]},
        "thành phần 1: kind: «photo» không hợp lệ",
    ),
    (
        {"components": [{"name": "Tờ khai", "kind": "copy", "count": 0}]},
        "thành phần 1: count: phải từ 1 trở lên.",
    ),
    (
        {
            "steps": [
                {"position": 1, "name": "A", "role": "boss", "budget_hours": 1},
            ]
        },
        "bước 1: role: «boss» không hợp lệ",
    ),
    (
        {
            "steps": [
                {"position": 1, "name": "A", "role": "leader", "unit": "999.99.99.H99"}
            ]
        },
        "bước 1: budget_hours: phải là một số.",
    ),
    (
        {
            "steps": [
                {"position": 1, "name": "A", "role": "leader", "budget_hours": 9},
            ]
        },
        "vượt thời hạn giải quyết (8 giờ làm việc)",
    ),
]


@pytest.mark.parametrize(("change", "expected"), BAD_ROWS)
def test_every_kind_of_bad_json_row_is_reported_with_its_item_number(
    db, write_json, change, expected
):
    report = import_catalogue_file(
        write_json(document(procedure(), procedure(**{"code": "1.000894", **change})))
    )
    assert not report.applied
    found = messages(report)
    assert any(m.startswith("mục 2") and expected in m for m in found), found
    assert not Procedure.objects.exists()  # all or nothing


def test_unknown_step_unit_is_reported(db, write_json):
    step = {
        "position": 1,
        "name": "Liên thông",
        "role": "specialist",
        "unit": "999.99.99.H99",
        "budget_hours": 1,
    }
    report = import_catalogue_file(write_json(document(procedure(steps=[step]))))
    assert messages(report) == [
        "mục 1 (1.001193), bước 1: unit: không có cơ quan nào mang mã «999.99.99.H99»."
    ]


def test_step_unit_of_another_agency_for_lien_thong(db, write_json, agency):
    district = agency(code="000.00.01.H17")
    step = {
        "position": 1,
        "name": "Liên thông",
        "role": "specialist",
        "unit": "000.00.01.H17",
        "budget_hours": 1,
    }
    assert import_catalogue_file(write_json(document(procedure(steps=[step])))).ok
    assert ProcedureVersion.objects.get().steps.get().unit == district


def test_duplicate_codes_and_bad_fields_are_reported(db, write_json):
    doc = document(procedure(), procedure())
    doc["fields"].append({"code": "", "name": "Không mã"})
    report = import_catalogue_file(write_json(doc))
    assert messages(report) == [
        "lĩnh vực/mục 2: code: không được để trống.",
        "mục 2 (1.001193): thủ tục «1.001193» bị lặp lại với thời gian hiệu lực "
        "trùng nhau (mỗi giai đoạn một mục; «effective_to» của giai đoạn trước là "
        "ngày bắt đầu của giai đoạn sau).",
    ]


def test_invalid_json_reports_its_line(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "procedures": [\n    {,\n  ]\n}', encoding="utf-8")
    report = import_catalogue_file(path)
    assert messages(report)[0].startswith("dòng 3: JSON không hợp lệ")


def test_dry_run_writes_nothing(db, write_json):
    report = import_catalogue_file(write_json(document(procedure())), dry_run=True)
    assert report.ok and not report.applied
    assert report.procedures_created == 1
    assert not Procedure.objects.exists() and not Field.objects.exists()


def test_skip_invalid_imports_the_valid_procedures(db, write_json):
    bad = procedure(code="1.000894", online_level="half")
    report = import_catalogue_file(
        write_json(document(procedure(), bad)), skip_invalid=True
    )
    assert report.applied and report.skipped == 1
    assert list(Procedure.objects.values_list("code", flat=True)) == ["1.001193"]


def test_reimporting_the_same_file_changes_nothing(db, write_json):
    path = write_json(document(procedure()))
    import_catalogue_file(path)
    report = import_catalogue_file(path)
    assert (report.unchanged, report.versions_created) == (1, 0)
    assert ProcedureVersion.objects.count() == 1


def test_changed_content_becomes_a_new_version(db, write_json):
    import_catalogue_file(write_json(document(procedure())))
    changed = procedure(fee_text="8.000 đồng", effective_from="2025-07-01")
    report = import_catalogue_file(write_json(document(changed)))
    assert report.versions_created == 1
    first, second = ProcedureVersion.objects.order_by("number")
    assert (second.number, second.fee_text) == (2, "8.000 đồng")
    assert first.effective_to == date(2025, 7, 1)


def test_changed_content_without_a_later_date_is_refused(db, write_json):
    import_catalogue_file(write_json(document(procedure())))
    report = import_catalogue_file(write_json(document(procedure(fee_text="khác"))))
    assert not report.applied
    assert "trùng với phiên bản 1" in messages(report)[0]
    assert ProcedureVersion.objects.count() == 1


def test_import_offers_procedures_at_listed_agencies(db, write_json, agency):
    ward = agency(code="000.01.01.H17")
    import_catalogue_file(write_json(document(procedure(agencies=[ward.code]))))
    assert list(Procedure.objects.get().agencies.all()) == [ward]


def test_json_round_trip(db, write_json, agency, tmp_path):
    agency(code="000.01.01.H17")
    original = document(
        procedure(agencies=["000.01.01.H17"]),
        procedure(
            code="1.000894",
            name="Đăng ký kết hôn",
            time={"value": 1.5, "unit": "working_days"},
            channel_times={"online": {"value": 1, "unit": "working_days"}},
            effective_to="2030-01-01",
        ),
    )
    import_catalogue_file(write_json(original))
    first = dumps(catalogue_document())
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    path = tmp_path / "export.json"
    path.write_text(first, encoding="utf-8")
    assert import_catalogue_file(path).ok
    assert dumps(catalogue_document()) == first
    assert json.loads(first)["procedures"][0]["time"] == {
        "value": 1.5,
        "unit": "working_days",
    }


# --- Excel ---------------------------------------------------------------------------


@pytest.fixture
def exported_xlsx(db, write_json, tmp_path) -> Path:
    import_catalogue_file(
        write_json(document(procedure(), procedure(code="1.000894", name="Kết hôn")))
    )
    path = tmp_path / "catalogue.xlsx"
    call_command("export_catalog", str(path))
    return path


def test_xlsx_has_the_four_sheets_with_headers(exported_xlsx):
    book = openpyxl.load_workbook(exported_xlsx)
    assert book.sheetnames[:4] == ["Lĩnh vực", "Thủ tục", "Thành phần", "Bước xử lý"]
    assert book["Thủ tục"]["A1"].value == "Mã thủ tục"
    assert book["Thủ tục"].max_row == 3
    assert book["Bước xử lý"].max_row == 5


def test_xlsx_round_trip(exported_xlsx, tmp_path):
    before = dumps(catalogue_document())
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    assert import_catalogue_file(exported_xlsx).ok
    assert dumps(catalogue_document()) == before
    again = tmp_path / "again.xlsx"
    call_command("export_catalog", str(again))
    for name in ["Lĩnh vực", "Thủ tục", "Thành phần", "Bước xử lý"]:
        old = openpyxl.load_workbook(exported_xlsx)[name]
        new = openpyxl.load_workbook(again)[name]
        assert list(old.values) == list(new.values)


def _edit(path: Path, sheet: str, cell: str, value: Any) -> None:
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


def _column(path: Path, sheet: str, header: str) -> str:
    ws = openpyxl.load_workbook(path)[sheet]
    for c in ws[1]:
        if c.value and str(c.value).startswith(header):
            return c.column_letter
    raise AssertionError(header)


@pytest.mark.parametrize(
    ("sheet", "header", "row", "value", "expected"),
    [
        ("Thủ tục", "Mã thủ tục", 3, "abc", "Thủ tục/dòng 3: code: «abc»"),
        ("Thủ tục", "Đơn vị thời hạn", 2, "tuần", "Thủ tục/dòng 2: time: «tuần»"),
        ("Thủ tục", "Hiệu lực từ ngày", 3, "hôm qua", "Thủ tục/dòng 3: effective_from"),
        ("Thủ tục", "Thời hạn theo kênh", 2, "{oops", "Thủ tục/dòng 2: channel_times"),
        ("Thành phần", "Loại", 3, "ảnh", "Thành phần/dòng 3: kind: «ảnh»"),
        ("Thành phần", "Số lượng", 2, "hai", "Thành phần/dòng 2: count"),
        (
            "Thành phần",
            "Mã thủ tục",
            2,
            "9.999999",
            "Thành phần/dòng 2: không có thủ tục",
        ),
        ("Bước xử lý", "Thời gian", 5, 100, "Thủ tục/dòng 3: Tổng thời gian"),
        ("Bước xử lý", "Vai trò", 4, "sếp", "Bước xử lý/dòng 4: role: «sếp»"),
        ("Lĩnh vực", "Tên lĩnh vực", 2, None, "Lĩnh vực/dòng 2: name"),
    ],
)
def test_every_kind_of_bad_excel_row_is_reported_with_its_line(
    exported_xlsx, sheet, header, row, value, expected
):
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    _edit(exported_xlsx, sheet, f"{_column(exported_xlsx, sheet, header)}{row}", value)
    report = import_catalogue_file(exported_xlsx)
    assert any(m.startswith(expected) for m in messages(report)), messages(report)
    assert not report.applied and not Procedure.objects.exists()


def test_excel_accepts_vietnamese_labels_for_codes(exported_xlsx):
    Procedure.objects.all().delete()
    _edit(exported_xlsx, "Thành phần", "C2", "Bản sao chứng thực")
    _edit(exported_xlsx, "Thủ tục", "F2", "Ngày làm việc")
    _edit(exported_xlsx, "Thủ tục", "E2", 2)
    assert import_catalogue_file(exported_xlsx).ok
    version = ProcedureVersion.objects.get(procedure__code="1.000894")
    assert version.components.get().kind == "certified_copy"
    assert (version.time_unit, version.time_value) == ("working_days", 2)


def test_excel_blank_cells_take_the_defaults(exported_xlsx):
    Procedure.objects.all().delete()
    fee = _column(exported_xlsx, "Thủ tục", "Số tiền phí")
    _edit(exported_xlsx, "Thủ tục", f"{fee}2", None)
    _edit(exported_xlsx, "Thành phần", "D2", None)
    _edit(exported_xlsx, "Thành phần", "E2", None)
    assert import_catalogue_file(exported_xlsx).ok
    component = ProcedureVersion.objects.get(procedure__code="1.000894").components
    assert (component.get().count, component.get().required) == (1, True)


def test_excel_missing_column_is_reported(exported_xlsx):
    _edit(exported_xlsx, "Thủ tục", "A1", "Mã TTHC cũ")
    report = import_catalogue_file(exported_xlsx)
    assert "Thủ tục/dòng 1: thiếu cột «Mã thủ tục»." in messages(report)


def test_unreadable_excel_file(db, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    assert messages(import_catalogue_file(path))[0].startswith("broken.xlsx: ")


# --- commands ------------------------------------------------------------------------


def test_import_command_fails_with_line_numbers_and_writes_nothing(
    db, write_json, capsys
):
    path = write_json(document(procedure(), procedure(code="x")))
    with pytest.raises(CommandError, match="1 lỗi, không nhập gì"):
        call_command("import_catalog", str(path))
    assert "mục 2 (x): code" in capsys.readouterr().err
    assert not Procedure.objects.exists()


def test_import_command_dry_run_and_skip_invalid(db, write_json, capsys):
    path = write_json(document(procedure(), procedure(code="x")))
    call_command("import_catalog", str(path), "--dry-run", "--skip-invalid")
    assert not Procedure.objects.exists()
    call_command("import_catalog", str(path), "--skip-invalid")
    assert Procedure.objects.count() == 1
    assert "1 thủ tục mới" in capsys.readouterr().out


def test_commands_refuse_other_formats(db, tmp_path):
    with pytest.raises(CommandError, match=r"\.json hoặc \.xlsx"):
        call_command("export_catalog", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError):
        call_command("import_catalog", str(tmp_path / "x.csv"))


def test_document_is_not_mutated_by_import(db, write_json):
    doc = document(procedure())
    snapshot = copy.deepcopy(doc)
    import_catalogue_file(write_json(doc))
    assert doc == snapshot
