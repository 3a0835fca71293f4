"""The register as an .xlsx workbook (XlsxWriter), same columns as the PDF."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import date, datetime

from motcua.agencies.models import Agency
from motcua.agencies.selectors import name_on
from motcua.core.spreadsheets import SafeBook

from . import formatting as fmt
from .forms import FormSet, FormSpec
from .register import RegisterRow

Column = tuple[str, int, Callable[[RegisterRow], object]]


def _naive(value: datetime | None) -> datetime | None:
    return fmt.local(value).replace(tzinfo=None) if value is not None else None


_FIRST: tuple[Column, ...] = (
    ("STT", 6, lambda r: r.number),
    ("Mã hồ sơ", 28, lambda r: r.code),
    ("Tên thủ tục hành chính", 40, lambda r: r.procedure),
)
_WHO: tuple[Column, ...] = (
    ("Tên cá nhân, tổ chức", 24, lambda r: r.applicant),
    ("Địa chỉ, số điện thoại", 28, lambda r: r.contact),
    ("Cơ quan chủ trì giải quyết", 26, lambda r: r.lead_agency),
    ("Nhận hồ sơ", 17, lambda r: _naive(r.received_at)),
    ("Hẹn trả kết quả", 17, lambda r: _naive(r.due_at)),
)
# Circular 01/2018/TT-VPCP form 06.
COLUMNS_2018: tuple[Column, ...] = (
    *_FIRST,
    ("Số lượng hồ sơ (bộ)", 10, lambda r: r.sets),
    *_WHO,
    ("Chuyển hồ sơ đến cơ quan giải quyết", 17, lambda r: _naive(r.transferred_at)),
    ("Nhận kết quả từ cơ quan giải quyết", 17, lambda r: _naive(r.result_back_at)),
    ("Trả kết quả cho cá nhân, tổ chức", 17, lambda r: _naive(r.returned_at)),
    ("Người nhận kết quả", 22, lambda r: r.returned_to),
    ("Ghi chú", 30, lambda r: r.note),
)
# Circular 03/2025/TT-VPCP form 07 (LAW-2025.md §2.3): the delivery method; no
# transfer columns. "Ghi chú" is ours.
COLUMNS_2025: tuple[Column, ...] = (
    *_FIRST,
    *_WHO,
    ("Trả kết quả", 17, lambda r: _naive(r.returned_at)),
    ("Phương thức nhận kết quả", 22, lambda r: r.delivery),
    ("Ký nhận", 22, lambda r: r.returned_to),
    ("Ghi chú", 30, lambda r: r.note),
)
COLUMNS = {"2018": COLUMNS_2018, "2025": COLUMNS_2025}
HEADER_ROW = 4  # 0-based; data starts on the next row


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
    columns = COLUMNS.get(form_set.code, COLUMNS_2018)
    last = len(columns) - 1
    sheet.merge_range(0, 0, 0, last, name_on(agency, date_to).upper(), title)
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
    for col, (label, width, _value) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write(HEADER_ROW, col, label, head)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    for offset, row in enumerate(rows, start=HEADER_ROW + 1):
        for col, (_label, _width, read) in enumerate(columns):
            value = read(row)
            sheet.write(
                offset, col, value, when if isinstance(value, datetime) else cell
            )
    book.close()
    return buffer.getvalue()
