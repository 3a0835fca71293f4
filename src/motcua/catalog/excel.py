"""The catalogue as an Excel workbook: written with XlsxWriter, read with openpyxl.

Sheets "Lĩnh vực", "Thủ tục", "Thành phần", "Bước xử lý", each with a header row;
columns are found by their header (the Vietnamese label or the JSON key), so their
order does not matter. Reading builds the same records as the JSON format, so both
go through one validation (``rows.py``).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from motcua.core.text import fold

from .rows import Issue, RawProcedure, Row

FIELDS_SHEET = "Lĩnh vực"
PROCEDURES_SHEET = "Thủ tục"
COMPONENTS_SHEET = "Thành phần"
STEPS_SHEET = "Bước xử lý"
VALUES_SHEET = "Giá trị hợp lệ"

FIELD_COLUMNS = [("code", "Mã lĩnh vực"), ("name", "Tên lĩnh vực")]
PROCEDURE_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Tên thủ tục"),
    ("field", "Mã lĩnh vực"),
    ("level", "Cấp thực hiện"),
    ("time_value", "Thời hạn"),
    ("time_unit", "Đơn vị thời hạn"),
    ("channel_times", "Thời hạn theo kênh (JSON)"),
    ("fee_text", "Phí, lệ phí"),
    ("fee_amount", "Số tiền phí (đồng)"),
    ("online_level", "Mức dịch vụ công trực tuyến"),
    ("result_documents", "Kết quả giải quyết (mỗi dòng một giấy tờ)"),
    ("legal_basis", "Căn cứ pháp lý"),
    ("aliases", "Tên gọi khác (cách nhau bởi ;)"),
    ("decision", "Quyết định công bố"),
    ("agencies", "Cơ quan thực hiện (mã, cách nhau bởi ;)"),
    ("effective_from", "Hiệu lực từ ngày"),
    ("effective_to", "Hết hiệu lực từ ngày"),
]
COMPONENT_COLUMNS = [
    ("procedure", "Mã thủ tục"),
    ("name", "Tên giấy tờ"),
    ("kind", "Loại"),
    ("count", "Số lượng"),
    ("required", "Bắt buộc"),
]
STEP_COLUMNS = [
    ("procedure", "Mã thủ tục"),
    ("position", "Thứ tự"),
    ("name", "Tên bước"),
    ("role", "Vai trò"),
    ("unit", "Đơn vị xử lý (mã cơ quan; trống = cơ quan tiếp nhận)"),
    ("budget_hours", "Thời gian (giờ làm việc)"),
]
REQUIRED = {
    FIELDS_SHEET: {"code", "name"},
    PROCEDURES_SHEET: {"code", "name", "field", "time_unit", "effective_from"},
    COMPONENTS_SHEET: {"procedure", "name", "kind"},
    STEPS_SHEET: {"procedure", "position", "name", "role", "budget_hours"},
}
COLUMNS = {
    FIELDS_SHEET: FIELD_COLUMNS,
    PROCEDURES_SHEET: PROCEDURE_COLUMNS,
    COMPONENTS_SHEET: COMPONENT_COLUMNS,
    STEPS_SHEET: STEP_COLUMNS,
}


# --- writing -----------------------------------------------------------------------


def _procedure_cells(p: dict[str, Any]) -> dict[str, Any]:
    return {
        **p,
        "time_value": p["time"]["value"],
        "time_unit": p["time"]["unit"],
        "channel_times": (
            json.dumps(p["channel_times"], ensure_ascii=False)
            if p["channel_times"]
            else ""
        ),
        "result_documents": "\n".join(p["result_documents"]),
        "aliases": "; ".join(p["aliases"]),
        "agencies": "; ".join(p["agencies"]),
        "effective_from": date.fromisoformat(p["effective_from"]),
        "effective_to": (
            date.fromisoformat(p["effective_to"]) if p["effective_to"] else None
        ),
    }


def _sheet_rows(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    procedures = document["procedures"]
    return {
        FIELDS_SHEET: document["fields"],
        PROCEDURES_SHEET: [_procedure_cells(p) for p in procedures],
        COMPONENTS_SHEET: [
            {
                **c,
                "procedure": p["code"],
                "required": "có" if c["required"] else "không",
            }
            for p in procedures
            for c in p["components"]
        ],
        STEPS_SHEET: [
            {**s, "procedure": p["code"]} for p in procedures for s in p["steps"]
        ],
    }


def write_workbook(document: dict[str, Any], path: Path) -> None:
    from motcua.core.spreadsheets import SafeBook

    workbook = SafeBook(str(path), remove_timezone=True)
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    for sheet_name, rows in _sheet_rows(document).items():
        sheet = workbook.add_worksheet(sheet_name)
        columns = COLUMNS[sheet_name]
        for col, (_, label) in enumerate(columns):
            sheet.write_string(0, col, label, header)
            sheet.set_column(col, col, max(12, min(48, len(label) + 2)))
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(rows, start=1):
            for col, (key, _) in enumerate(columns):
                value = row.get(key)
                if value is None or value == "":
                    continue
                if isinstance(value, date):
                    sheet.write_datetime(r, col, value, day)
                elif isinstance(value, bool):
                    sheet.write_string(r, col, "có" if value else "không", wrap)
                elif isinstance(value, int | float):
                    sheet.write_number(r, col, value, wrap)
                else:
                    sheet.write(r, col, str(value), wrap)
    _write_values_sheet(workbook, header)
    workbook.close()


def _write_values_sheet(workbook: Any, header: Any) -> None:
    """A reference sheet of allowed codes (ignored when reading)."""
    from motcua.deadlines.engine import UNIT_LABELS_VI

    from .models import Component, ProcedureVersion, StepTemplate

    groups: list[tuple[str, list[tuple[Any, Any]]]] = [
        ("Cấp thực hiện", ProcedureVersion.Level.choices),
        ("Đơn vị thời hạn", [(u.value, label) for u, label in UNIT_LABELS_VI.items()]),
        ("Mức dịch vụ công trực tuyến", ProcedureVersion.OnlineLevel.choices),
        ("Loại giấy tờ", Component.Kind.choices),
        ("Vai trò", StepTemplate.StepRole.choices),
        (
            "Kênh (thời hạn theo kênh)",
            [
                ("direct", "Trực tiếp"),
                ("online", "Trực tuyến"),
                ("postal", "Bưu chính công ích"),
            ],
        ),
    ]
    sheet = workbook.add_worksheet(VALUES_SHEET)
    for col, label in enumerate(["Cột", "Mã", "Ý nghĩa"]):
        sheet.write_string(0, col, label, header)
    sheet.set_column(0, 2, 30)
    r = 1
    for column, choices in groups:
        for code, label in choices:
            sheet.write_row(r, 0, [column, str(code), str(label)])
            r += 1


# --- reading -----------------------------------------------------------------------


def _header_key(cell: Any, columns: list[tuple[str, str]]) -> str | None:
    folded = fold(str(cell or "")).split("(")[0].strip()
    for key, label in columns:
        if folded in (key, fold(label).split("(")[0].strip()):
            return key
    return None


def _read_sheet(workbook: Any, sheet_name: str, issues: list[Issue]) -> Iterator[Row]:
    if sheet_name not in workbook.sheetnames:
        if sheet_name == PROCEDURES_SHEET:
            issues.append(Issue(sheet_name, "thiếu trang tính này trong tệp."))
        return
    sheet = workbook[sheet_name]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = COLUMNS[sheet_name]
    keys: list[str | None] = []
    for cell in header:
        key = _header_key(cell, columns)
        if key is None and cell not in (None, ""):
            issues.append(
                Issue(f"{sheet_name}/dòng 1", f"cột «{cell}» không được hỗ trợ.")
            )
        keys.append(key)
    missing = [
        label
        for key, label in columns
        if key in REQUIRED[sheet_name] and key not in keys
    ]
    for label in missing:
        issues.append(Issue(f"{sheet_name}/dòng 1", f"thiếu cột «{label}»."))
    if missing:
        return
    for number, values in enumerate(rows, start=2):
        data = {
            key: (value.strip() if isinstance(value, str) else value)
            for key, value in zip(keys, values, strict=False)
            if key is not None
        }
        if all(v in (None, "") for v in data.values()):
            continue
        yield Row(f"{sheet_name}/dòng {number}", data)


def _split(value: Any, pattern: str) -> list[str] | Any:
    if value is None or value == "":
        return []
    if not isinstance(value, str):
        return [str(value)]
    return [part.strip() for part in re.split(pattern, value) if part.strip()]


def _procedure_record(row: Row) -> RawProcedure:
    issues: list[Issue] = []
    cells = dict(row.data)
    data: dict[str, Any] = {
        k: v
        for k, v in cells.items()
        if k not in {"time_value", "time_unit", "channel_times"}
    }
    data["time"] = {"value": cells.get("time_value"), "unit": cells.get("time_unit")}
    raw_channels = cells.get("channel_times")
    if raw_channels not in (None, ""):
        try:
            data["channel_times"] = json.loads(str(raw_channels))
        except ValueError:
            issues.append(Issue(row.location, "channel_times: JSON không hợp lệ."))
    data["result_documents"] = _split(cells.get("result_documents"), r"\n")
    data["aliases"] = _split(cells.get("aliases"), r"[;\n]")
    data["agencies"] = _split(cells.get("agencies"), r"[;,\n\s]+")
    for key in ("code", "field"):
        if isinstance(data.get(key), float | int):
            data[key] = str(data[key])
    return RawProcedure(Row(row.location, data), issues=issues)


def read_workbook(path: Path) -> tuple[list[Row], list[RawProcedure], list[Issue]]:
    """Fields, procedures (with their component and step rows) and the issues
    found while reading the sheets themselves."""
    import openpyxl

    issues: list[Issue] = []
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return [], [], [Issue(path.name, f"không đọc được tệp Excel ({exc}).")]
    try:
        fields = list(_read_sheet(workbook, FIELDS_SHEET, issues))
        procedures: dict[str, RawProcedure] = {}
        ordered: list[RawProcedure] = []
        for row in _read_sheet(workbook, PROCEDURES_SHEET, issues):
            raw = _procedure_record(row)
            code = str(raw.row.data.get("code") or "")
            if code and code in procedures:  # components and steps name the code
                issues.append(
                    Issue(
                        row.location,
                        f"thủ tục «{code}» có hai dòng; tệp Excel giữ một phiên bản "
                        "mỗi thủ tục, lịch sử nhiều giai đoạn dùng tệp .json.",
                    )
                )
                continue
            ordered.append(raw)
            procedures[code] = raw
        for sheet_name, attr in (
            (COMPONENTS_SHEET, "components"),
            (STEPS_SHEET, "steps"),
        ):
            for row in _read_sheet(workbook, sheet_name, issues):
                code = str(row.data.pop("procedure", "") or "")
                owner = procedures.get(code)
                if owner is None:
                    issues.append(
                        Issue(
                            row.location,
                            f"không có thủ tục «{code}» trong trang "
                            f"«{PROCEDURES_SHEET}».",
                        )
                    )
                    continue
                getattr(owner, attr).append(row)
    finally:
        workbook.close()
    return fields, ordered, issues
