"""Dates as the system reads and prints them, one definition for every screen.

**Printing.** ``dd/mm/yyyy`` and ``HH:MM`` in Vietnam time (STYLE.md), whatever
the language of the page: ``vn_date``, ``vn_time``, ``vn_date_time``
(``29/10/2026 09:24``) and ``vn_time_date`` (``09:24 29/10/2026``, as on the
forms). Templates use the same functions through ``{% load motcua_dates %}``;
Django's ``vi`` format module (``config/formats``) says the same for forms.

**Reading.** What people type is read with the ``vi`` format module's input
formats whatever the page's language (an English page must not read 09/03 as
9 March's US twin): ``input_formats("DATE")`` for form fields and
``parse_date`` for values outside forms (files, query strings).

**The span of years.** Dates typed by people (report periods, the signing
rota's week, evaluation periods) must fall in these years: outside them date
arithmetic overflows (year 0001 minus one day, year 9999 plus a week) and no
dossier can exist there. They are the years of the working calendar
(``deadlines.engine``).
"""

from __future__ import annotations

from datetime import date, datetime

# The working calendar's span is the rule; inputs follow it.
from motcua.deadlines.engine import FIRST_YEAR as MIN_YEAR
from motcua.deadlines.engine import LAST_YEAR as MAX_YEAR
from motcua.deadlines.engine import VN_TZ

__all__ = [
    "DATE_FORMAT",
    "MAX_YEAR",
    "MIN_YEAR",
    "TIME_FORMAT",
    "in_supported_years",
    "input_formats",
    "local",
    "parse_date",
    "vn_date",
    "vn_date_time",
    "vn_time",
    "vn_time_date",
    "years_message",
]

DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M"


def input_formats(kind: str = "DATE") -> list[str]:
    """The Vietnamese input formats: ``kind`` is ``DATE`` or ``DATETIME``."""
    from django.utils.formats import get_format

    return list(get_format(f"{kind}_INPUT_FORMATS", lang="vi"))


def parse_date(text: str) -> date | None:
    """A typed date (``26/04/2025``, ``26-04-2025`` or ``2025-04-26``), or None."""
    raw = text.strip()
    for pattern in input_formats("DATE"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def local(value: datetime) -> datetime:
    """An aware instant in Vietnam time (a naive one is taken as it is)."""
    return value.astimezone(VN_TZ) if value.tzinfo is not None else value


def vn_date(value: date | None) -> str:
    """``26/04/2025``; a datetime gives its date in Vietnam; ``""`` for none."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return value.strftime(DATE_FORMAT)


def vn_time(value: datetime | None) -> str:
    """``09:24`` in Vietnam time; ``""`` for none."""
    return "" if value is None else local(value).strftime(TIME_FORMAT)


def vn_date_time(value: datetime | None) -> str:
    """``29/10/2026 09:24`` in Vietnam time (tables, lists); ``""`` for none."""
    if value is None:
        return ""
    return f"{vn_date(value)} {vn_time(value)}"


def vn_time_date(value: datetime | None) -> str:
    """``09:24 29/10/2026`` in Vietnam time, the order of the official forms."""
    if value is None:
        return ""
    return f"{vn_time(value)} {vn_date(value)}"


def in_supported_years(day: date) -> bool:
    return MIN_YEAR <= day.year <= MAX_YEAR


def years_message() -> str:
    return f"Năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}."
