"""The span of years the system works with, one definition for every input.

Dates typed by people (report periods, the signing rota's week, evaluation
periods) must fall in these years: outside them date arithmetic overflows
(year 0001 minus one day, year 9999 plus a week) and no dossier can exist there.
They are the years of the working calendar (``deadlines.engine``).
"""

from __future__ import annotations

from datetime import date

# The working calendar's span is the rule; inputs follow it.
from motcua.deadlines.engine import FIRST_YEAR as MIN_YEAR
from motcua.deadlines.engine import LAST_YEAR as MAX_YEAR

__all__ = ["MAX_YEAR", "MIN_YEAR", "in_supported_years", "years_message"]


def in_supported_years(day: date) -> bool:
    return MIN_YEAR <= day.year <= MAX_YEAR


def years_message() -> str:
    return f"Năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}."
