"""The register as an .xlsx workbook (XlsxWriter), same columns as the PDF."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime

from motcua.agencies.models import Agency
from motcua.core.spreadsheets import SafeBook

from . import formatting as fmt
from .forms import FormSet, FormSpec
from .register import RegisterRow

COLUMNS = (
    ("STT", 6),
    ("Mã hồ sơ", 28),
    ("Tên thủ tục hành chính", 40),
    ("Số lượng hồ sơ (bộ)", 10),
    ("Tên cá nhân, tổ chức", 24),
    ("Địa chỉ, số điện thoại", 28),
    ("Cơ quan chủ trì giải quyết", 26),
    ("Nhận hồ sơ", 17),
    ("Hẹn trả kết quả", 17),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 17),
    ("Nhận kết quả từ cơ quan giải quyết", 17),
    ("Trả kết quả cho cá nhân, tổ chức", 17),
    ("Người nhận kết quả", 22),
    ("Ghi chú", 30),
)
HEADER_ROW = 4  # 0-based; data starts on the next row


def _naive(value: datetime | None) -> datetime | None:
    return fmt.local(value).replace(tzinfo=None) if value is not None else None


def _values(row: RegisterRow) -> list[object]:
    return [
        row.number,
        row.code,
        row.procedure,
        row.sets,
        row.applicant,
        row.contact,
        row.lead_agency,
        _naive(row.received_at),
        _naive(row.due_at),
        _naive(row.transferred_at),
        _naive(row.result_back_at),
        _naive(row.returned_at),
        row.returned_to,
        row.note,
    ]


def register_workbook(
    agency: Agency,
    form_set: FormSet,
    spec: FormSpec,
    date_from: date,
    date_to: date,
    rows: Iterable[RegisterRow],
) -> bytes:
    buffer = io.BytesIO()
    book = SafeBook(buffer, in_memory=True, remove_timezone=True)
    sheet = book.add_worksheet("So theo doi")
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    head = book.add_format(
        {
            "bold": True,
            "border": 1,
            "text_wrap": True,
            "align": "center",
            "valign": "vcenter",
            "bg_color": "#EEEEEE",
        }
    )
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    when = book.add_format(
        {"border": 1, "valign": "top", "num_format": "dd/mm/yyyy hh:mm"}
    )
    last = len(COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last, agency.name.upper(), title)
    sheet.merge_range(
        1, 0, 1, last, f"{spec.title.upper()} (Mẫu số {spec.number})", title
    )
    sheet.merge_range(
        2,
        0,
        2,
        last,
        f"Từ ngày {fmt.vn_date(date_from)} đến ngày {fmt.vn_date(date_to)}"
        f" — {form_set.name}",
    )
    for col, (label, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write(HEADER_ROW, col, label, head)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    for offset, row in enumerate(rows, start=HEADER_ROW + 1):
        for col, value in enumerate(_values(row)):
            sheet.write(
                offset, col, value, when if isinstance(value, datetime) else cell
            )
    book.close()
    return buffer.getvalue()
