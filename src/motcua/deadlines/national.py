"""Vietnam's national working calendar for civil servants, from ``holidays``.

The ``holidays`` package (country ``VN``) carries the Labour Code 2019 Art. 112
holidays (1/1, Tết âm lịch, Giỗ Tổ Hùng Vương 10/3 âm lịch, 30/4, 1/5, 2/9 and the
adjacent day, Ngày Văn hóa Việt Nam 24/11 from 2026), the substitute days off
(nghỉ bù) and the days off swapped with a make-up working Saturday announced each
year for public servants (e.g. Fri 02/05/2025 off, Sat 26/04/2025 worked).
Pure Python: no Django.
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


def _is_substitute(name_en: str) -> bool:
    lowered = name_en.lower()
    return any(marker in lowered for marker in _SUBSTITUTE_MARKERS)


@lru_cache(maxsize=8)
def national_days(
    first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR
) -> tuple[CalendarDay, ...]:
    """Public holidays, substitute days off and make-up working days, by date."""
    years = range(first_year, last_year + 1)
    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    days: list[CalendarDay] = []
    for day, name_vi in sorted(vi.items()):
        name_en = en.get(day, name_vi)
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
