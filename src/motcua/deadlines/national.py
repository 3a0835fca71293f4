"""Vietnam's national working calendar for civil servants, from ``holidays``.

The ``holidays`` package (country ``VN``) carries the Labour Code 2019 Art. 112
holidays (1/1, Tết âm lịch, Giỗ Tổ Hùng Vương 10/3 âm lịch, 30/4, 1/5, 2/9 and the
adjacent day), the substitute days off (nghỉ bù) and the days off swapped with a
make-up working Saturday announced each year for public servants (e.g. Fri
02/05/2025 off, Sat 26/04/2025 worked). Pure Python: no Django.

Two choices of ours (LAW-2025.md Part 4, "What the product must change" item 17):

- **Ngày Văn hóa Việt Nam (24/11).** The package lists it (and its substitute days)
  from 2026. Nghị quyết 80-NQ/TW chose the date and Nghị quyết 30/NQ-CP (02/2026)
  assigns amending Labour Code Art. 112 to add it, but no text makes it a day off
  yet (chưa có văn bản). It is left out: a working day unless an administrator
  makes it a day off for a year with a national calendar override.
- **Tết Nguyên đán** after :data:`TET_SCHEDULE_KNOWN_UNTIL`: the package's days are
  kept, and the calendar page warns that the official schedule for civil servants
  is not yet published (an override is added when it is).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import holidays

from motcua.core.dates import vn_date

from .engine import FIRST_YEAR, LAST_YEAR, CalendarDay, Source

_DATE_IN_NAME = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_SUBSTITUTE_MARKERS = ("observed", "substituted")

# The package's English name of 24/11 (and of its substitute days, "… (observed)").
CULTURE_DAY_NAME_EN = "Vietnam Cultural Day"
CULTURE_DAY_FIRST_YEAR = 2026
# The last year whose Tết schedule for civil servants we know was published
# (Tết 2026: 14–22/02/2026); later years follow the package, with a warning.
TET_SCHEDULE_KNOWN_UNTIL = 2026


def culture_day(year: int) -> date | None:
    """24/11 of ``year`` from 2026 (Nghị quyết 80-NQ/TW), else ``None``. Not a day
    off by default: see the module docstring."""
    return date(year, 11, 24) if year >= CULTURE_DAY_FIRST_YEAR else None


def _is_culture_day(name_en: str) -> bool:
    return name_en.startswith(CULTURE_DAY_NAME_EN)


def tet_schedule_pending(year: int) -> bool:
    """Whether the official Tết schedule of ``year`` for civil servants is not
    yet known to us (the calendar page warns)."""
    return year > TET_SCHEDULE_KNOWN_UNTIL


def _is_substitute(name_en: str) -> bool:
    lowered = name_en.lower()
    return any(marker in lowered for marker in _SUBSTITUTE_MARKERS)


@lru_cache(maxsize=8)
def national_days(
    first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR
) -> tuple[CalendarDay, ...]:
    """Public holidays, substitute days off and make-up working days, by date
    (without 24/11, an administrator's choice: :func:`culture_day`)."""
    years = range(first_year, last_year + 1)
    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    days: list[CalendarDay] = []
    for day, name_vi in sorted(vi.items()):
        name_en = en.get(day, name_vi)
        if _is_culture_day(name_en):
            continue
        source = Source.SUBSTITUTE if _is_substitute(name_en) else Source.LAW
        days.append(CalendarDay(day, False, name_vi, source, name_en=name_en))
    swapped = _swapped_days_off(vi)
    for workday in sorted(vi.weekend_workdays):
        if not first_year <= workday.year <= last_year:
            continue
        day_off = swapped.get(workday)
        off = vn_date(day_off)
        suffix_vi = f" (cho ngày nghỉ {off})" if day_off else ""
        suffix_en = f" (for the day off on {off})" if day_off else ""
        days.append(
            CalendarDay(
                workday,
                True,
                "Ngày làm việc bù" + suffix_vi,
                Source.SUBSTITUTE,
                name_en="Make-up working day" + suffix_en,
            )
        )
    days.sort(key=lambda d: d.date)
    return tuple(days)


def _swapped_days_off(vi: holidays.HolidayBase) -> dict[date, date]:
    """Make-up working day → the day off it pays for, read from the day off's
    name ("Ngày nghỉ (thay cho ngày 26/04/2025)")."""
    pairs: dict[date, date] = {}
    for day_off, name in vi.items():
        match = _DATE_IN_NAME.search(name)
        if match:
            dd, mm, yyyy = (int(g) for g in match.groups())
            pairs[date(yyyy, mm, dd)] = day_off
    return pairs
