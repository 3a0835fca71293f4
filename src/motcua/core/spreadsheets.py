"""Spreadsheet exports that cannot be turned into formulas (CSV/formula injection).

A citizen's name, an address or a note typed at the desk ends up in registers and
reports opened in Excel. A cell whose text begins with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return is read by spreadsheet programs as a formula (OWASP
"CSV injection"), and XlsxWriter's ``write()`` itself turns ``"=..."`` into a live
formula. Every export therefore writes through :class:`SafeBook`:

* the workbook is opened with ``strings_to_formulas``/``strings_to_urls`` off;
* text is always written with ``write_string`` (never a formula);
* text that *looks* like a formula also gets the ``quote_prefix`` cell style,
  Excel's own "this is text" flag, so editing the cell does not revive it —
  the text itself is kept unchanged.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


class SafeSheet:
    """A worksheet that writes every value by its type and never a formula."""

    def __init__(self, book: SafeBook, sheet: Worksheet) -> None:
        self.book = book
        self.sheet = sheet

    def __getattr__(self, name: str) -> Any:  # set_column, freeze_panes, ...
        return getattr(self.sheet, name)

    def write(
        self, row: int, col: int, value: Any, cell_format: Format | None = None
    ) -> None:
        sheet = self.sheet
        if value is None or value == "":
            sheet.write_blank(row, col, None, cell_format)
        elif isinstance(value, bool):
            sheet.write_string(row, col, "có" if value else "không", cell_format)
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, col, float(value), cell_format)
        elif isinstance(value, datetime | date):
            sheet.write_datetime(row, col, value, cell_format)
        else:
            text = str(value)
            if looks_like_formula(text):
                cell_format = self.book.quoted(cell_format)
            sheet.write_string(row, col, text, cell_format)

    def write_row(
        self, row: int, col: int, values: Any, cell_format: Format | None = None
    ) -> None:
        for offset, value in enumerate(values):
            self.write(row, col + offset, value, cell_format)

    def merge_range(
        self,
        first_row: int,
        first_col: int,
        last_row: int,
        last_col: int,
        value: Any,
        cell_format: Format | None = None,
    ) -> None:
        self.sheet.merge_range(
            first_row, first_col, last_row, last_col, "", cell_format
        )
        self.write(first_row, first_col, value, cell_format)


class SafeBook:
    """An XlsxWriter workbook whose sheets are :class:`SafeSheet`."""

    def __init__(self, target: str | IO[bytes], **options: Any) -> None:
        self.book = xlsxwriter.Workbook(target, {**options, **SAFE_OPTIONS})
        self._props: dict[int, dict[str, Any]] = {}
        self._quoted: dict[int | None, Format] = {}

    def add_format(self, props: dict[str, Any] | None = None) -> Format:
        fmt = self.book.add_format(props or {})
        self._props[id(fmt)] = dict(props or {})
        return fmt

    def quoted(self, cell_format: Format | None) -> Format:
        """The same style with Excel's quote prefix (text, never a formula)."""
        key = id(cell_format) if cell_format is not None else None
        if key not in self._quoted:
            props = self._props.get(key, {}) if key is not None else {}
            self._quoted[key] = self.book.add_format({**props, "quote_prefix": True})
        return self._quoted[key]

    def add_worksheet(self, name: str | None = None) -> SafeSheet:
        return SafeSheet(self, self.book.add_worksheet(name))

    def close(self) -> None:
        self.book.close()
