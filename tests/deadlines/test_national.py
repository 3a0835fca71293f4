"""The national working calendar built from the ``holidays`` package (country VN).

Expected days are those announced for civil servants (Labour Code 2019 Art. 112 and
the Prime Minister's notices), written here by hand.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from motcua.deadlines.engine import (
    FIRST_YEAR,
    LAST_YEAR,
    VN_TZ,
    Calendar,
    CalendarDay,
    Source,
    calendar_from_days,
    merge_days,
)
from motcua.deadlines.national import national_days

DAYS = national_days()
BY_DATE = {d.date: d for d in DAYS}
NATIONAL = calendar_from_days(DAYS)


def entry(day: date) -> CalendarDay:
    assert day in BY_DATE, f"{day:%d/%m/%Y} is not listed in the national calendar"
    return BY_DATE[day]


# --------------------------------------------------------------------------
# 2025: Reunification Day and Labour Day with a swapped Friday
# --------------------------------------------------------------------------


def test_2025_make_up_saturday_26_04_is_a_working_day():
    day = entry(date(2025, 4, 26))
    assert day.working is True
    assert day.source is Source.SUBSTITUTE
    assert "02/05/2025" in day.name  # the day off it pays for
    assert NATIONAL.is_working_day(date(2025, 4, 26))


def test_2025_friday_02_05_is_a_substitute_day_off():
    day = entry(date(2025, 5, 2))
    assert day.working is False
    assert day.source is Source.SUBSTITUTE
    assert "26/04/2025" in day.name
    assert not NATIONAL.is_working_day(date(2025, 5, 2))


@pytest.mark.parametrize("day", [date(2025, 4, 30), date(2025, 5, 1)])
def test_2025_reunification_and_labour_days_are_days_off_by_law(day):
    assert entry(day).working is False
    assert entry(day).source is Source.LAW
    assert not NATIONAL.is_working_day(day)


def test_2025_break_from_30_04_to_04_05_is_five_days():
    # Wed 30/04, Thu 01/05 (law), Fri 02/05 (swapped), Sat 03/05, Sun 04/05.
    off = [date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)]
    off += [date(2025, 5, 3), date(2025, 5, 4)]
    assert not any(NATIONAL.is_working_day(d) for d in off)
    assert NATIONAL.is_working_day(date(2025, 4, 29))
    assert NATIONAL.is_working_day(date(2025, 5, 5))


# --------------------------------------------------------------------------
# Tết Bính Ngọ 2026
# --------------------------------------------------------------------------


@pytest.mark.parametrize("day", range(16, 21))
def test_tet_binh_ngo_16_to_20_02_2026_are_days_off_by_law(day):
    d = date(2026, 2, day)
    assert entry(d).working is False
    assert entry(d).source is Source.LAW
    assert not NATIONAL.is_working_day(d)


def test_tet_binh_ngo_break_runs_from_14_to_22_02_2026():
    # 5 days by law (Mon 16–Fri 20) between two weekends: 9 days off in a row.
    assert NATIONAL.is_working_day(date(2026, 2, 13))
    assert NATIONAL.working_days_between(date(2026, 2, 14), date(2026, 2, 22)) == 0
    assert NATIONAL.is_working_day(date(2026, 2, 23))


def test_tet_names_are_vietnamese():
    assert "Tết Nguyên Đán" in entry(date(2026, 2, 17)).name
    assert "Giao thừa" in entry(date(2026, 2, 16)).name


# --------------------------------------------------------------------------
# National Day 2/9 and the adjacent day
# --------------------------------------------------------------------------


def test_2025_national_day_and_adjacent_day_are_off():
    # 02/09/2025 is a Tuesday; the adjacent day is Monday 01/09.
    for d in (date(2025, 9, 1), date(2025, 9, 2)):
        assert entry(d).working is False
        assert entry(d).source is Source.LAW
        assert "Quốc khánh" in entry(d).name
        assert not NATIONAL.is_working_day(d)
    assert NATIONAL.is_working_day(date(2025, 8, 29))  # Friday before
    assert NATIONAL.is_working_day(date(2025, 9, 3))  # Wednesday after


def test_2026_national_day_and_adjacent_day_are_off():
    # 02/09/2026 is a Wednesday; the adjacent day is Tuesday 01/09.
    for d in (date(2026, 9, 1), date(2026, 9, 2)):
        assert entry(d).working is False
        assert entry(d).source is Source.LAW
        assert not NATIONAL.is_working_day(d)
    assert NATIONAL.is_working_day(date(2026, 9, 3))


# --------------------------------------------------------------------------
# Ngày Văn hóa Việt Nam (24/11, from 2026): not a day off until a text says so
# (LAW-2025 Part 4); an administrator's override (tests/deadlines/test_culture_day.py)
# --------------------------------------------------------------------------


def test_24_11_2026_vietnam_culture_day_is_not_listed_by_default():
    assert date(2026, 11, 24) not in BY_DATE  # a Tuesday
    assert NATIONAL.is_working_day(date(2026, 11, 24))
    # nor its substitute days when it falls on a weekend (the package lists them)
    assert date(2029, 11, 26) not in BY_DATE
    assert date(2030, 11, 25) not in BY_DATE


def test_24_11_2025_was_still_a_working_day():
    assert date(2025, 11, 24) not in BY_DATE  # a Monday, before the new holiday
    assert NATIONAL.is_working_day(date(2025, 11, 24))


# --------------------------------------------------------------------------
# Other shapes
# --------------------------------------------------------------------------


def test_holiday_on_a_sunday_gives_a_substitute_monday_off():
    # Giỗ Tổ Hùng Vương 2026 falls on Sun 26/04; Mon 27/04 is off (nghỉ bù).
    assert entry(date(2026, 4, 26)).source is Source.LAW
    monday = entry(date(2026, 4, 27))
    assert monday.working is False
    assert monday.source is Source.SUBSTITUTE
    assert not NATIONAL.is_working_day(date(2026, 4, 27))


def test_new_years_day_is_off_every_year():
    for year in (2000, 2025, 2026, 2050, 2100):
        assert entry(date(year, 1, 1)).working is False
        assert "Tết Dương lịch" in entry(date(year, 1, 1)).name


def test_names_are_vietnamese_with_diacritics_in_nfc():
    for day in DAYS:
        assert day.name, day
        assert any(ord(ch) > 127 for ch in day.name), day.name
        assert unicodedata.is_normalized("NFC", day.name), day.name
        assert day.name_en, day  # an English name for exports


def test_specific_vietnamese_names():
    assert entry(date(2025, 4, 30)).name == "Ngày Chiến thắng"
    assert entry(date(2025, 5, 1)).name == "Ngày Quốc tế Lao động"
    assert entry(date(2025, 4, 7)).name == "Ngày Giỗ Tổ Hùng Vương"
    assert entry(date(2025, 4, 26)).name.startswith("Ngày làm việc bù")


def test_national_days_are_sorted_unique_and_within_range():
    dates = [d.date for d in DAYS]
    assert dates == sorted(dates)
    assert len(dates) == len(set(dates))
    assert all(FIRST_YEAR <= d.year <= LAST_YEAR for d in dates)
    assert isinstance(DAYS, tuple)
    assert national_days() is DAYS  # cached: built once per process


def test_only_make_up_days_are_working_entries():
    for day in DAYS:
        if day.working:
            assert day.date.weekday() >= 5, day  # a weekend day worked
            assert day.source is Source.SUBSTITUTE


def test_calendar_keeps_its_days_for_listing():
    listed = NATIONAL.exceptions_in_year(2025)
    assert [d.date for d in listed] == sorted(d.date for d in listed)
    assert date(2025, 4, 26) in {d.date for d in listed}
    assert date(2025, 5, 2) in {d.date for d in listed}
    assert all(d.date.year == 2025 for d in listed)


# --------------------------------------------------------------------------
# merge_days: later layers win
# --------------------------------------------------------------------------

NATIONAL_OVERRIDE = [
    # the administrator reopens Fri 02/05/2025 nationally
    CalendarDay(date(2025, 5, 2), True, "Làm việc bình thường", Source.OVERRIDE),
    # and closes Mon 05/05/2025
    CalendarDay(date(2025, 5, 5), False, "Nghỉ theo quyết định", Source.OVERRIDE),
]
AGENCY_OVERRIDE = [
    # an agency closes Fri 02/05/2025 again
    CalendarDay(date(2025, 5, 2), False, "Cơ quan nghỉ", Source.OVERRIDE),
]


def test_merge_days_later_layer_replaces_earlier_entry_for_a_date():
    merged = merge_days(DAYS, NATIONAL_OVERRIDE)
    by_date = {d.date: d for d in merged}
    assert by_date[date(2025, 5, 2)].working is True
    assert by_date[date(2025, 5, 2)].source is Source.OVERRIDE
    assert by_date[date(2025, 5, 5)].working is False
    # entries not overridden are kept as they were
    assert by_date[date(2025, 4, 30)] == entry(date(2025, 4, 30))
    assert len(merged) == len(DAYS) + 1  # 05/05 is new, 02/05 replaced


def test_merge_days_three_layers_agency_wins():
    merged = merge_days(DAYS, NATIONAL_OVERRIDE, AGENCY_OVERRIDE)
    by_date = {d.date: d for d in merged}
    assert by_date[date(2025, 5, 2)].name == "Cơ quan nghỉ"
    assert by_date[date(2025, 5, 2)].working is False
    assert by_date[date(2025, 5, 5)].working is False  # national layer kept


def test_merge_days_order_of_layers_matters():
    merged = merge_days(AGENCY_OVERRIDE, NATIONAL_OVERRIDE)
    assert {d.date: d for d in merged}[date(2025, 5, 2)].working is True


def test_merge_days_result_is_sorted_by_date():
    merged = merge_days(NATIONAL_OVERRIDE[::-1], AGENCY_OVERRIDE)
    assert [d.date for d in merged] == [date(2025, 5, 2), date(2025, 5, 5)]


def test_calendar_from_merged_days_follows_the_overrides():
    calendar = calendar_from_days(merge_days(DAYS, NATIONAL_OVERRIDE))
    assert calendar.is_working_day(date(2025, 5, 2))
    assert not calendar.is_working_day(date(2025, 5, 5))
    # Tue 29/04/2025 10:00 + 1 working day: 6 h Tuesday; 30/04, 01/05 off;
    # Fri 02/05 reopened → 08:00–10:00 → Fri 02/05 10:00.
    received = datetime(2025, 4, 29, 10, tzinfo=VN_TZ)
    assert calendar.due(received, "working_days", 1) == datetime(
        2025, 5, 2, 10, tzinfo=VN_TZ
    )
    assert isinstance(calendar, Calendar)
