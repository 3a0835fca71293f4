"""The monthly evaluation sheet of an agency as .xlsx (XlsxWriter): staff
performance, bottlenecks and the month's figures, for the monthly staff review."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.agencies.models import Agency
from motcua.core.names import display_name
from motcua.core.spreadsheets import SafeBook

from .dashboard import figures
from .models import Rating
from .performance import bottlenecks, staff_performance
from .periods import Period

# Vietnamese source strings, translated when written (``_table``).
STAFF_HEADERS = [
    gettext_noop("Cán bộ"),
    gettext_noop("Tài khoản"),
    gettext_noop("Số bước đã xử lý"),
    gettext_noop("Đúng hạn"),
    gettext_noop("Quá hạn"),
    gettext_noop("Tỷ lệ đúng hạn (%)"),
    gettext_noop("Thời gian TB/bước (giờ làm việc)"),
    gettext_noop("Số hồ sơ"),
    gettext_noop("Rất hài lòng"),
    gettext_noop("Hài lòng"),
    gettext_noop("Không hài lòng"),
    gettext_noop("Bị nhắc nhở"),
]
HELD_HEADERS = [
    gettext_noop("Khâu / đơn vị / cán bộ"),
    gettext_noop("Số lượt"),
    gettext_noop("Đang giữ"),
    gettext_noop("Quá hạn bước"),
    gettext_noop("TB (giờ)"),
    gettext_noop("Lâu nhất (giờ)"),
]


def _name(user: Any) -> str:
    return display_name(user)


def monthly_sheet(agency: Agency, agencies: QuerySet[Agency], period: Period) -> bytes:
    """The workbook for ``agency`` (and its subtree ``agencies``) and a month."""
    out = io.BytesIO()
    book = SafeBook(out, in_memory=True)
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1,
                            "text_wrap": True, "valign": "top"})  # fmt: skip
    cell = book.add_format({"border": 1})
    _summary(book, title, head, cell, agency, agencies, period)
    _staff(book, title, head, cell, agency, agencies, period)
    _bottlenecks(book, title, head, cell, agency, agencies, period)
    book.close()
    return out.getvalue()


def _table(
    sheet: Any, row: int, headers: Sequence[str], rows: list[list[Any]], head: Any,
    cell: Any,
) -> int:  # fmt: skip
    sheet.write_row(row, 0, [_(h) for h in headers], head)
    for i, values in enumerate(rows, start=row + 1):
        sheet.write_row(i, 0, [("" if v is None else v) for v in values], cell)
    return row + len(rows) + 2


def _summary(book: Any, title: Any, head: Any, cell: Any, agency: Agency,
             agencies: QuerySet[Agency], period: Period) -> None:  # fmt: skip
    sheet = book.add_worksheet(_("Tổng hợp"))
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, 1, 16)
    sheet.write(
        0, 0, _("Phiếu đánh giá tháng — %(agency)s") % {"agency": agency.name}, title
    )
    sheet.write(1, 0, period.label)
    f = figures(agencies, period)
    rows: list[list[Any]] = [
        [_("Hồ sơ tiếp nhận"), f.received],
        [_("Trong đó trực tuyến"), f.received_online],
        [_("Hồ sơ đã giải quyết"), f.settled],
        [_("Trước hạn"), f.early],
        [_("Đúng hạn"), f.on_time],
        [_("Quá hạn"), f.late],
        [_("Tỷ lệ trước và đúng hạn (%)"), _num(f.on_time_rate)],
        [_("Tỷ lệ hồ sơ trực tuyến (%)"), _num(f.online_share)],
        [_("Số phiếu đánh giá"), f.ratings],
        [_("Tỷ lệ hài lòng (%)"), _num(f.satisfaction_rate)],
    ]
    _table(
        sheet, 3, [gettext_noop("Chỉ tiêu"), gettext_noop("Giá trị")], rows, head, cell
    )


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _staff(book: Any, title: Any, head: Any, cell: Any, agency: Agency,
           agencies: QuerySet[Agency], period: Period) -> None:  # fmt: skip
    sheet = book.add_worksheet(_("Cán bộ"))
    sheet.set_column(0, 1, 26)
    sheet.set_column(2, 10, 14)
    sheet.write(
        0,
        0,
        _("Kết quả xử lý hồ sơ của cán bộ — %(period)s") % {"period": period.label},
        title,
    )
    rows = [
        [
            _name(r.user), r.user.get_username() if r.user else "", r.steps,
            r.on_time, r.late, _num(r.on_time_rate), _num(r.mean_hours),
            len(r.dossiers), r.ratings.get(Rating.Level.VERY_SATISFIED, 0),
            r.ratings.get(Rating.Level.SATISFIED, 0),
            r.ratings.get(Rating.Level.UNSATISFIED, 0), r.reminded,
        ]
        for r in staff_performance(agencies, period)
    ]  # fmt: skip
    _table(sheet, 2, STAFF_HEADERS, rows, head, cell)


def _bottlenecks(book: Any, title: Any, head: Any, cell: Any, agency: Agency,
                 agencies: QuerySet[Agency], period: Period) -> None:  # fmt: skip
    sheet = book.add_worksheet(_("Khâu chậm"))
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 5, 14)
    heading = _("Khâu, đơn vị, cán bộ giữ hồ sơ lâu — %(period)s")
    sheet.write(0, 0, heading % {"period": period.label}, title)
    b = bottlenecks(agencies, period)
    row = 2
    for caption, items in ((_("Theo khâu"), b.by_step), (_("Theo đơn vị"), b.by_unit),
                           (_("Theo cán bộ"), b.by_officer)):  # fmt: skip
        sheet.write(row, 0, caption, title)
        rows = [
            [h.label, h.count, h.active, h.late, float(h.mean_hours),
             float(h.max_hours)]
            for h in items
        ]  # fmt: skip
        row = _table(sheet, row + 1, HELD_HEADERS, rows, head, cell)
    lost = _("Hồ sơ quá hạn mất thời gian ở đâu (%(count)s hồ sơ)")
    sheet.write(row, 0, lost % {"count": b.late_dossiers}, title)
    rows = [[i.label, i.steps, float(i.lost_hours), float(i.share)] for i in b.lost]
    headers = [
        gettext_noop("Khâu"),
        gettext_noop("Số bước vượt"),
        gettext_noop("Giờ vượt định mức"),
        gettext_noop("Tỷ trọng (%)"),
    ]
    _table(sheet, row + 1, headers, rows, head, cell)
