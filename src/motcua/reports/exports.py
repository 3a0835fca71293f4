"""Biểu 06 as .xlsx (XlsxWriter, the official column layout) and as PDF
(WeasyPrint, A4 landscape, DejaVu fonts embedded)."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.core.spreadsheets import SafeBook

from .layout import COLUMNS, FORM, GROUP_LABEL, LEGAL, TITLE, groups
from .selectors import cell_value

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}


def period_label(report: dict[str, Any]) -> str:
    start, end = report["from"], report["to"]
    return f"Từ ngày {_vn(start)} đến ngày {_vn(end)}"


def _vn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


# Two-tier local government from this day (LAW-2025.md Part 3, ADR 0013): no
# district level any more; a district's figures are history.
TWO_TIER_FROM = "2025-07-01"


def merger_notes(report: dict[str, Any]) -> list[str]:
    """How a report touched by a merger shows the units (page, .xlsx, PDF), and
    that a district's figures after 30/06/2025 are only its former wards'."""
    notes = []
    district = report["agency"].get("level") == Agency.Level.DISTRICT
    if district and report["to"] >= TWO_TIER_FROM:
        notes.append(
            _(
                "Cấp huyện không còn từ ngày 01/07/2025 (chính quyền địa phương hai "
                "cấp): số liệu của đơn vị cấp huyện là lịch sử; từ ngày đó, số liệu "
                "là của các đơn vị cấp xã trước đây trực thuộc."
            )
        )
    merger = report.get("merger")
    if not merger:
        return notes
    name = report["agency"]["name"]
    by_day: dict[str, list[str]] = {}
    for p in merger["predecessors"]:
        by_day.setdefault(p["merged_on"], []).append(p["name"])
    if by_day:
        units = "; ".join(
            _("%(names)s (từ ngày %(date)s)")
            % {"names": ", ".join(names), "date": _vn(day)}
            for day, names in sorted(by_day.items())
        )
        notes.append(
            _("%(agency)s gồm số liệu của các đơn vị đã sáp nhập: %(units)s.")
            % {"agency": name, "units": units}
        )
        notes.append(
            _(
                "Từ ngày sáp nhập, hồ sơ của các đơn vị cũ, kể cả hồ sơ chưa giải "
                "quyết xong được chuyển sang, tính cho cơ quan kế thừa. Với phần kỳ "
                "trước ngày sáp nhập, mỗi đơn vị cũ có phần số liệu riêng, mang tên "
                "khi đó; hồ sơ được chuyển sang tính cho đơn vị đã tiếp nhận đến hết "
                "ngày trước ngày sáp nhập, rồi là «số kỳ trước chuyển qua» của cơ "
                "quan kế thừa."
            )
        )
    into = merger.get("merged_into")
    if into:
        values = {
            "agency": name,
            "into": into["name"],
            "date": _vn(into["merged_on"]),
        }
        if into["merged_on"] <= report["to"]:
            notes.append(
                _(
                    "%(agency)s đã sáp nhập vào %(into)s từ ngày %(date)s; từ ngày "
                    "đó, số liệu thuộc báo cáo của %(into)s."
                )
                % values
            )
        else:
            notes.append(
                _(
                    "%(agency)s sáp nhập vào %(into)s từ ngày %(date)s; hồ sơ đã "
                    "chuyển sang vẫn tính cho đơn vị này trước ngày đó."
                )
                % values
            )
        if merger.get("until"):
            notes.append(
                _("Số liệu của %(agency)s tính đến hết ngày %(until)s.")
                % {"agency": name, "until": _vn(merger["until"])}
            )
    return notes


def section_label(report: dict[str, Any], section: dict[str, Any]) -> str:
    """``Trước ngày sáp nhập — UBND phường … — Từ ngày … đến ngày …``."""
    after = not section["former"] and section["from"] > report["from"]
    tag = _("Từ ngày sáp nhập") if after else _("Trước ngày sáp nhập")
    return f"{tag} — {section['agency']['name']} — {period_label(section)}"


def _agency_label(report: dict[str, Any]) -> str:
    name = report["agency"]["name"]
    return f"{name} và các đơn vị trực thuộc" if report["subtree"] else name


def bieu06_xlsx(report: dict[str, Any]) -> bytes:
    out = io.BytesIO()
    book = SafeBook(out, in_memory=True)
    sheet = book.add_worksheet("Biểu 06")
    bold = book.add_format({"bold": True, "font_name": "Times New Roman"})
    title = book.add_format(
        {
            "bold": True,
            "align": "center",
            "font_size": 13,
            "font_name": "Times New Roman",
        }
    )
    center = book.add_format({"align": "center", "font_name": "Times New Roman"})
    head = book.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "font_name": "Times New Roman",
        }
    )
    text = book.add_format(
        {"border": 1, "text_wrap": True, "font_name": "Times New Roman"}
    )
    number = book.add_format(
        {"border": 1, "num_format": "#,##0", "font_name": "Times New Roman"}
    )
    total_text = book.add_format(
        {"border": 1, "bold": True, "font_name": "Times New Roman"}
    )
    total_number = book.add_format(
        {
            "border": 1,
            "bold": True,
            "num_format": "#,##0",
            "font_name": "Times New Roman",
        }
    )
    note_format = book.add_format(
        {"text_wrap": True, "valign": "top", "font_name": "Times New Roman"}
    )
    formats = (text, number, total_text, total_number)
    last = 1 + len(COLUMNS)
    sheet.write(0, 0, FORM, bold)
    sheet.write(1, 0, LEGAL)
    sheet.merge_range(3, 0, 3, last, TITLE, title)
    sheet.merge_range(4, 0, 4, last, _agency_label(report), center)
    sheet.merge_range(5, 0, 5, last, period_label(report), center)
    top = 7
    sheet.merge_range(top, 0, top + 1, 0, "STT", head)
    sheet.merge_range(top, 1, top + 1, 1, GROUP_LABEL[report["group_by"]], head)
    col = 2
    for group, width in groups():
        if width > 1:
            sheet.merge_range(top, col, top, col + width - 1, group, head)
        else:
            sheet.write(top, col, group, head)
        col += width
    for i, column in enumerate(COLUMNS):
        sheet.write(top + 1, 2 + i, column.header, head)
    sheet.write(top + 2, 0, "(1)", head)
    sheet.write(top + 2, 1, "(2)", head)
    for i, column in enumerate(COLUMNS):
        sheet.write(top + 2, 2 + i, f"({column.number})", head)
    row = _write_lines(sheet, top + 3, report, "Tổng cộng", formats)
    if report.get("sections"):
        section_head = book.add_format(
            {"bold": True, "border": 1, "font_name": "Times New Roman"}
        )
        for section in report["sections"]:
            row += 1
            sheet.merge_range(
                row, 0, row, last, section_label(report, section), section_head
            )
            row = _write_lines(sheet, row + 1, section, "Cộng", formats)
    row += 1
    for note in merger_notes(report):
        sheet.merge_range(row, 0, row, last, note, note_format)
        sheet.set_row(row, 30)
        row += 1
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 42)
    sheet.set_column(2, last, 12)
    sheet.set_row(top + 1, 60)
    sheet.freeze_panes(top + 3, 2)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    book.close()
    return out.getvalue()


def _write_lines(
    sheet: Any, row: int, table: dict[str, Any], total: str, formats: tuple
) -> int:
    """The rows of ``table`` and its total line from ``row``; the next row."""
    text, number, total_text, total_number = formats
    for n, line in enumerate(table["rows"], start=1):
        sheet.write(row, 0, n, text)
        sheet.write(row, 1, f"{line['name']} ({line['key']})", text)
        for i, column in enumerate(COLUMNS):
            sheet.write_number(row, 2 + i, cell_value(line, column.cell), number)
        row += 1
    sheet.write(row, 0, "", total_text)
    sheet.write(row, 1, total, total_text)
    for i, column in enumerate(COLUMNS):
        sheet.write_number(
            row, 2 + i, cell_value(table["totals"], column.cell), total_number
        )
    return row + 1


def font_face_css() -> str:
    rules = []
    for weight, name in FONTS.items():
        path = FONT_DIR / name
        if path.is_file():
            rules.append(
                f'@font-face {{ font-family: "Report Sans"; font-weight: {weight}; '
                f'src: url("{path.as_uri()}"); }}'
            )
    return "\n".join(rules)


@cache
def _fonts_only() -> type[Any]:
    """The fetcher class, built on first use: WeasyPrint is imported when a PDF
    is made, not when a worker starts (most requests never make one)."""
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        """The PDF reads the DejaVu files and nothing else (no network)."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = Path(unquote(urlsplit(url).path))
            if path.parent != FONT_DIR or path.name not in FONTS.values():
                raise ValueError(f"report PDF may not read {url}")
            return super().fetch(url, headers)

    return FontsOnly


def bieu06_pdf(report: dict[str, Any], context: dict[str, Any]) -> bytes:
    html = render_to_string(
        "reports/bieu06_pdf.html",
        {**context, "report": report, "font_faces": font_face_css()},
    )
    from weasyprint import HTML

    pdf = HTML(
        string=html, base_url="about:blank", url_fetcher=_fonts_only()()
    ).write_pdf()
    assert pdf is not None
    return bytes(pdf)
