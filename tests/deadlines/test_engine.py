"""Unit tests of the deadline engine, one rule of the issue per test.

Expected values are computed by hand (reasoning in the comments), never copied
from the engine. Reference weeks:

* June 2025 has no holiday: Mon 02/06 … Fri 06/06, Sat 07/06, Sun 08/06, Mon 09/06.
* April–May 2025: Wed 30/04 and Thu 01/05 are holidays, Fri 02/05 is a day off
  swapped with the make-up working Saturday 26/04; Mon 05/05 is the next working day.
* Tết Bính Ngọ 2026: Mon 16/02 … Fri 20/02 are holidays, so Fri 13/02 is followed
  by Mon 23/02.

Default working hours: 08:00–12:00 and 13:00–17:00 (8 working hours a day).
No Django here: these tests run with ``-p no:django``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from motcua.deadlines.engine import (
    VN_TZ,
    Calendar,
    Deadline,
    DeadlineError,
    SupplementPolicy,
    Unit,
    WorkingHours,
    calendar_from_days,
    parse_duration,
)
from motcua.deadlines.national import national_days

NATIONAL = calendar_from_days(national_days())
WEEKENDS_ONLY = Calendar()


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0):
    """An aware instant in Vietnam (UTC+7)."""
    return datetime(y, mo, d, h, mi, s, us, tzinfo=VN_TZ)


def error_code(call, *args, **kwargs) -> str:
    with pytest.raises(DeadlineError) as info:
        call(*args, **kwargs)
    assert info.value.message, "every DeadlineError carries a message for people"
    assert str(info.value) == info.value.message
    return info.value.code


# --------------------------------------------------------------------------
# The three examples of the issue
# --------------------------------------------------------------------------


def test_same_day_received_friday_after_15h_is_due_on_make_up_working_saturday():
    # Fri 25/04/2025 15:30 is after the 15:00 cut-off → close of the next working
    # day, which is Sat 26/04/2025, a make-up working Saturday (for Fri 02/05).
    assert NATIONAL.due(datetime(2025, 4, 25, 15, 30), "same_day") == vn(
        2025, 4, 26, 17
    )


def test_one_working_day_received_before_reunification_day_is_due_after_the_break():
    # Tue 29/04/2025 10:00: 10–12 (2 h) + 13–17 (4 h) = 6 h; Wed 30/04, Thu 01/05,
    # Fri 02/05 (swapped), Sat 03/05, Sun 04/05 are off; Mon 05/05 08–10 → 8 h.
    assert NATIONAL.due(datetime(2025, 4, 29, 10), "working_days", 1) == vn(
        2025, 5, 5, 10
    )


def test_four_working_hours_received_before_tet_binh_ngo_are_due_after_tet():
    # Fri 13/02/2026 15:00: 15–17 = 2 h; 14/02–22/02 off (weekends + Tết 16–20/02);
    # Mon 23/02 08–10 = 2 h more → 10:00.
    assert NATIONAL.due(datetime(2026, 2, 13, 15), "working_hours", 4) == vn(
        2026, 2, 23, 10
    )


# --------------------------------------------------------------------------
# Non-working days
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 6, 2), True),  # Monday
        (date(2025, 6, 6), True),  # Friday
        (date(2025, 6, 7), False),  # Saturday
        (date(2025, 6, 8), False),  # Sunday
        (date(2025, 4, 30), False),  # Ngày Chiến thắng (Wednesday)
        (date(2025, 5, 1), False),  # Quốc tế Lao động (Thursday)
        (date(2025, 5, 2), False),  # Friday swapped with Sat 26/04
        (date(2025, 4, 26), True),  # make-up working Saturday
        (date(2026, 2, 17), False),  # Mùng 1 Tết Bính Ngọ (Tuesday)
        (date(2026, 4, 27), False),  # Giỗ Tổ on Sunday 26/04 → Monday off (nghỉ bù)
    ],
)
def test_national_working_days_follow_weekends_holidays_and_make_up_saturdays(
    day, working
):
    assert NATIONAL.is_working_day(day) is working


def test_calendar_without_exceptions_has_only_saturdays_and_sundays_off():
    assert WEEKENDS_ONLY.is_working_day(date(2025, 4, 30))  # no holidays here
    assert not WEEKENDS_ONLY.is_working_day(date(2025, 4, 26))  # plain Saturday
    assert not WEEKENDS_ONLY.is_working_day(date(2025, 4, 27))  # Sunday


def test_override_turns_a_weekday_into_a_day_off():
    calendar = Calendar({date(2025, 6, 4): False})  # Wed 04/06 off
    assert not calendar.is_working_day(date(2025, 6, 4))
    # Tue 03/06 10:00 + 1 working day: Tue 10–17 = 6 h, Wed off, Thu 08–10 → 10:00.
    assert calendar.due(vn(2025, 6, 3, 10), "working_days", 1) == vn(2025, 6, 5, 10)


def test_override_turns_a_saturday_into_a_working_day():
    calendar = Calendar({date(2025, 6, 7): True})  # Sat 07/06 worked
    assert calendar.is_working_day(date(2025, 6, 7))
    # Fri 06/06 15:30 is after 15:00 → close of the next working day, Sat 07/06.
    assert calendar.due(vn(2025, 6, 6, 15, 30), "same_day") == vn(2025, 6, 7, 17)
    # Fri 16:00 + 2 working hours: Fri 16–17 = 1 h, Sat 08–09 → Sat 09:00.
    assert calendar.due(vn(2025, 6, 6, 16), "working_hours", 2) == vn(2025, 6, 7, 9)


def test_override_can_reopen_a_national_holiday():
    calendar = Calendar({date(2025, 4, 30): True, date(2025, 5, 1): False})
    assert calendar.is_working_day(date(2025, 4, 30))
    assert not calendar.is_working_day(date(2025, 5, 1))


def test_custom_weekend_only_sunday_off():
    calendar = Calendar(weekend=(6,))
    assert calendar.is_working_day(date(2025, 6, 7))  # Saturday now worked
    assert not calendar.is_working_day(date(2025, 6, 8))


# --------------------------------------------------------------------------
# Where the clock starts
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "start"),
    [
        # inside a working interval: as is (seconds and microseconds kept)
        (vn(2025, 6, 2, 9, 17, 23, 500), vn(2025, 6, 2, 9, 17, 23, 500)),
        (vn(2025, 6, 2, 8), vn(2025, 6, 2, 8)),  # opening is inside
        (vn(2025, 6, 2, 16, 59, 59), vn(2025, 6, 2, 16, 59, 59)),
        (vn(2025, 6, 2, 13), vn(2025, 6, 2, 13)),
        # before opening → 08:00 the same day
        (vn(2025, 6, 2, 6, 45), vn(2025, 6, 2, 8)),
        (vn(2025, 6, 2, 0, 0), vn(2025, 6, 2, 8)),
        # lunch break, including exactly 12:00 (the end is not inside) → 13:00
        (vn(2025, 6, 2, 12), vn(2025, 6, 2, 13)),
        (vn(2025, 6, 2, 12, 30), vn(2025, 6, 2, 13)),
        # at or after close → next working day's opening
        (vn(2025, 6, 2, 17), vn(2025, 6, 3, 8)),
        (vn(2025, 6, 6, 18, 30), vn(2025, 6, 9, 8)),  # Friday evening → Monday
        # weekend → Monday 08:00
        (vn(2025, 6, 7, 10), vn(2025, 6, 9, 8)),
        (vn(2025, 6, 8, 23, 59), vn(2025, 6, 9, 8)),
        # holiday 30/04/2025 → Mon 05/05/2025 (01/05, 02/05, weekend off)
        (vn(2025, 4, 30, 9), vn(2025, 5, 5, 8)),
    ],
)
def test_clock_starts_at_reception_in_working_time_else_at_next_opening(
    received, start
):
    assert NATIONAL.start_of(received) == start


def test_naive_instants_are_read_as_vietnam_local_time():
    assert NATIONAL.start_of(datetime(2025, 6, 2, 9, 30)) == vn(2025, 6, 2, 9, 30)
    assert NATIONAL.due(datetime(2025, 6, 2, 9), "working_hours", 1) == vn(
        2025, 6, 2, 10
    )


def test_aware_instants_in_another_zone_are_converted_and_results_are_in_vietnam():
    # 01:00 UTC = 08:00 in Vietnam → + 1 working hour = 09:00 (+07:00).
    due = NATIONAL.due(datetime(2025, 6, 2, 1, 0, tzinfo=UTC), "working_hours", 1)
    assert due == vn(2025, 6, 2, 9)
    assert due.utcoffset() == timedelta(hours=7)
    # 10:00 UTC = 17:00 in Vietnam: at close → next working day's opening.
    start = NATIONAL.start_of(datetime(2025, 6, 2, 10, 0, tzinfo=UTC))
    assert start == vn(2025, 6, 3, 8)
    assert start.utcoffset() == timedelta(hours=7)


# --------------------------------------------------------------------------
# working_hours / working_days
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "hours", "due"),
    [
        # interval-end rule: the last minute runs out at 12:00 / 17:00, due then
        (vn(2025, 6, 2, 8), 4, vn(2025, 6, 2, 12)),  # not 13:00
        (vn(2025, 6, 2, 13), 4, vn(2025, 6, 2, 17)),  # not Tue 08:00
        (vn(2025, 6, 2, 11), 1, vn(2025, 6, 2, 12)),
        (vn(2025, 6, 2, 14), 3, vn(2025, 6, 2, 17)),
        (vn(2025, 6, 2, 8), 8, vn(2025, 6, 2, 17)),
        (vn(2025, 6, 6, 8), 8, vn(2025, 6, 6, 17)),  # Friday, not Monday 08:00
        # lunch break is not working time: 11:30 + 1 h = 30 min + 30 min → 13:30
        (vn(2025, 6, 2, 11, 30), 1, vn(2025, 6, 2, 13, 30)),
        (vn(2025, 6, 2, 8), 5, vn(2025, 6, 2, 14)),  # 4 h morning + 1 h
        # received during lunch: starts 13:00
        (vn(2025, 6, 2, 12, 15), 1, vn(2025, 6, 2, 14)),
        # before opening: starts 08:00
        (vn(2025, 6, 2, 7), 1, vn(2025, 6, 2, 9)),
        # after close: starts the next day 08:00
        (vn(2025, 6, 2, 17, 30), 2, vn(2025, 6, 3, 10)),
        # overnight: 16:00 + 2 h = 1 h Monday + 1 h Tuesday → 09:00
        (vn(2025, 6, 2, 16), 2, vn(2025, 6, 3, 9)),
        # over the weekend: Fri 15:00 + 3 h = 2 h Friday + 1 h Monday → 09:00
        (vn(2025, 6, 6, 15), 3, vn(2025, 6, 9, 9)),
        # received on Saturday: Monday 08:00 + 2 h
        (vn(2025, 6, 7, 10), 2, vn(2025, 6, 9, 10)),
        # 40 h = 5 full days from Mon 08:00 → Fri 17:00
        (vn(2025, 6, 2, 8), 40, vn(2025, 6, 6, 17)),
        # seconds are kept: 09:00:30 + 1 h → 10:00:30
        (vn(2025, 6, 2, 9, 0, 30), 1, vn(2025, 6, 2, 10, 0, 30)),
    ],
)
def test_working_hours_run_only_in_working_time_and_stop_at_interval_end(
    received, hours, due
):
    assert NATIONAL.due(received, "working_hours", hours) == due
    assert NATIONAL.due(received, Unit.WORKING_HOURS, str(hours)) == due


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # 1 working day = 8 working hours
        (vn(2025, 6, 2, 8), 1, vn(2025, 6, 2, 17)),  # not Tue 08:00
        (vn(2025, 6, 2, 10), 1, vn(2025, 6, 3, 10)),
        (vn(2025, 6, 2, 13), 1, vn(2025, 6, 3, 12)),  # 4 h Mon + 4 h Tue → 12:00
        (vn(2025, 6, 2, 8), 5, vn(2025, 6, 6, 17)),
        (vn(2025, 6, 6, 10), 3, vn(2025, 6, 11, 10)),  # Fri → Mon, Tue, Wed 10:00
        (vn(2025, 6, 7, 9), 1, vn(2025, 6, 9, 17)),  # Saturday → Mon 08:00 + 8 h
        (vn(2025, 6, 2, 18), 2, vn(2025, 6, 4, 17)),  # after close → Tue 08:00
        # 2/9/2025: Fri 29/08 10:00 = 6 h; Sat, Sun, Mon 01/09, Tue 02/09 off;
        # Wed 03/09 08–10 → 10:00
        (vn(2025, 8, 29, 10), 1, vn(2025, 9, 3, 10)),
        # make-up Saturday counts: Fri 25/04/2025 10:00 + 1 day = 6 h Friday +
        # 2 h on Sat 26/04 → Sat 10:00
        (vn(2025, 4, 25, 10), 1, vn(2025, 4, 26, 10)),
    ],
)
def test_working_days_are_eight_working_hours_each(received, days, due):
    assert NATIONAL.due(received, "working_days", days) == due


@pytest.mark.parametrize("half", ["0.5", "0,5", 0.5, Fraction(1, 2), Decimal("0.5")])
def test_half_a_working_day_is_four_working_hours(half):
    # Mon 08:00 + 4 h → 12:00 (interval end); Mon 10:00 + 4 h → 10–12 + 13–15.
    assert NATIONAL.due(vn(2025, 6, 2, 8), "working_days", half) == vn(2025, 6, 2, 12)
    assert NATIONAL.due(vn(2025, 6, 2, 10), "working_days", half) == vn(2025, 6, 2, 15)


def test_fractional_working_days_and_hours():
    # 1.5 days = 12 h from Mon 14:00: Mon 3 h, Tue 8 h (11 h), Wed 08–09 → 09:00.
    assert NATIONAL.due(vn(2025, 6, 2, 14), "working_days", "1.5") == vn(2025, 6, 4, 9)
    # 0.25 h = 15 min from 11:50: 10 min to 12:00, 5 min after 13:00 → 13:05.
    assert NATIONAL.due(vn(2025, 6, 2, 11, 50), "working_hours", 0.25) == vn(
        2025, 6, 2, 13, 5
    )
    # 2.5 h from 10:30 → 10:30–12:00 (1.5 h) + 13:00–14:00 → 14:00.
    assert NATIONAL.due(vn(2025, 6, 2, 10, 30), "working_hours", "2.5") == vn(
        2025, 6, 2, 14
    )


def test_exact_fraction_durations_are_not_rounded():
    # N working hours are N × 60 working minutes, exactly: 1/3 h = 20 min, so
    # Mon 09:00 → 09:20:00 (not a few milliseconds before or after).
    assert NATIONAL.due(vn(2025, 6, 2, 9), "working_hours", Fraction(1, 3)) == vn(
        2025, 6, 2, 9, 20
    )
    # 1/60 h = 1 min: 09:00 → 09:01:00.
    assert NATIONAL.due(vn(2025, 6, 2, 9), "working_hours", Fraction(1, 60)) == vn(
        2025, 6, 2, 9, 1
    )
    # 1/3 working day = 8/3 h = 2 h 40 min: Mon 08:00 → 10:40.
    assert NATIONAL.due(vn(2025, 6, 2, 8), "working_days", Fraction(1, 3)) == vn(
        2025, 6, 2, 10, 40
    )


def test_zero_working_time_is_due_at_the_normalized_start():
    assert NATIONAL.due(vn(2025, 6, 2, 9, 15), "working_hours", 0) == vn(
        2025, 6, 2, 9, 15
    )
    assert NATIONAL.due(vn(2025, 6, 2, 12, 30), "working_days", 0) == vn(2025, 6, 2, 13)
    assert NATIONAL.due(vn(2025, 6, 6, 17), "working_hours", "0") == vn(2025, 6, 9, 8)


# --------------------------------------------------------------------------
# same_day (Decree 61/2018 Art. 18)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # at or before 15:00 on a working day → 17:00 that day
        (vn(2025, 6, 2, 15, 0, 0), vn(2025, 6, 2, 17)),  # exactly 15:00:00
        (vn(2025, 6, 2, 14, 59, 59), vn(2025, 6, 2, 17)),
        (vn(2025, 6, 2, 9), vn(2025, 6, 2, 17)),
        (vn(2025, 6, 2, 12, 30), vn(2025, 6, 2, 17)),  # lunch break
        # before opening still counts as that day
        (vn(2025, 6, 2, 7, 0), vn(2025, 6, 2, 17)),
        (vn(2025, 6, 2, 0, 0), vn(2025, 6, 2, 17)),
    ],
)
def test_received_by_15h_same_day_procedure_is_due_at_close_that_day(received, due):
    assert NATIONAL.due(received, "same_day") == due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (vn(2025, 6, 2, 15, 0, 1), vn(2025, 6, 3, 17)),  # one second late
        (vn(2025, 6, 2, 15, 0, 0, 1), vn(2025, 6, 3, 17)),  # one microsecond late
        (vn(2025, 6, 2, 16, 30), vn(2025, 6, 3, 17)),
        (vn(2025, 6, 2, 17, 30), vn(2025, 6, 3, 17)),  # after close
        (vn(2025, 6, 6, 15, 30), vn(2025, 6, 9, 17)),  # Friday → Monday
        # Tue 29/04/2025 15:30 → next working day is Mon 05/05
        (vn(2025, 4, 29, 15, 30), vn(2025, 5, 5, 17)),
    ],
)
def test_received_after_15h_same_day_procedure_is_due_next_working_day(received, due):
    assert NATIONAL.due(received, "same_day") == due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (vn(2025, 6, 7, 9), vn(2025, 6, 9, 17)),  # Saturday morning → Monday
        (vn(2025, 6, 8, 16), vn(2025, 6, 9, 17)),  # Sunday afternoon → Monday
        (vn(2025, 4, 30, 9), vn(2025, 5, 5, 17)),  # holiday → Mon 05/05/2025
        (vn(2025, 5, 2, 8), vn(2025, 5, 5, 17)),  # swapped day off → Monday
        (vn(2026, 2, 17, 10), vn(2026, 2, 23, 17)),  # Tết → Mon 23/02/2026
    ],
)
def test_received_on_non_working_day_same_day_procedure_is_due_next_working_day(
    received, due
):
    assert NATIONAL.due(received, "same_day") == due


def test_same_day_on_make_up_saturday_is_that_saturday():
    # Sat 26/04/2025 is a working day: 10:00 ≤ 15:00 → 17:00 that Saturday.
    assert NATIONAL.due(vn(2025, 4, 26, 10), "same_day") == vn(2025, 4, 26, 17)


def test_same_day_ignores_any_duration():
    assert NATIONAL.due(vn(2025, 6, 2, 9), Unit.SAME_DAY, 12) == vn(2025, 6, 2, 17)


# --------------------------------------------------------------------------
# calendar_days
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # Mon 02/06 + 10 days = Thu 12/06 (working) → 17:00
        (vn(2025, 6, 2, 9), 10, vn(2025, 6, 12, 17)),
        # Mon 02/06 + 5 = Sat 07/06 → next working day Mon 09/06
        (vn(2025, 6, 2, 9), 5, vn(2025, 6, 9, 17)),
        # Mon 02/06 + 6 = Sun 08/06 → Mon 09/06
        (vn(2025, 6, 2, 9), 6, vn(2025, 6, 9, 17)),
        # Mon 21/04/2025 + 9 = Wed 30/04 (holiday); 01/05, 02/05, weekend off
        # → Mon 05/05
        (vn(2025, 4, 21, 10), 9, vn(2025, 5, 5, 17)),
        # Mon 21/04/2025 + 5 = Sat 26/04, a make-up working Saturday → that day
        (vn(2025, 4, 21, 10), 5, vn(2025, 4, 26, 17)),
        # Tet 2026: Mon 09/02/2026 + 8 = Tue 17/02 (Tết) → Mon 23/02
        (vn(2026, 2, 9, 9), 8, vn(2026, 2, 23, 17)),
        # 0 days: close of the start day
        (vn(2025, 6, 2, 10), 0, vn(2025, 6, 2, 17)),
        # counted from the normalized start: Sat 07/06 → Mon 09/06, + 1 = Tue 10/06
        (vn(2025, 6, 7, 10), 1, vn(2025, 6, 10, 17)),
        # after close Mon 02/06 → Tue 03/06, + 1 = Wed 04/06
        (vn(2025, 6, 2, 18), 1, vn(2025, 6, 4, 17)),
        # calendar days run through weekends: Fri 06/06 + 3 = Mon 09/06
        (vn(2025, 6, 6, 9), 3, vn(2025, 6, 9, 17)),
    ],
)
def test_calendar_days_land_on_the_next_working_day_at_close(received, days, due):
    assert NATIONAL.due(received, "calendar_days", days) == due


# --------------------------------------------------------------------------
# immediate, none
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (vn(2025, 6, 2, 9, 41, 7), vn(2025, 6, 2, 9, 41, 7)),
        (vn(2025, 6, 2, 12, 0), vn(2025, 6, 2, 13)),
        (vn(2025, 6, 7, 10), vn(2025, 6, 9, 8)),
        (vn(2025, 4, 30, 10), vn(2025, 5, 5, 8)),
    ],
)
def test_immediate_procedure_is_due_at_the_normalized_start(received, due):
    assert NATIONAL.due(received, "immediate") == due


def test_procedure_without_legal_time_has_no_due_date():
    assert NATIONAL.due(vn(2025, 6, 2, 9), "none") is None
    assert NATIONAL.due(vn(2025, 6, 2, 9), Unit.NONE, 5) is None
    assert NATIONAL.due(vn(2025, 6, 7, 9), Unit.NONE) is None


# --------------------------------------------------------------------------
# Custom working hours
# --------------------------------------------------------------------------

CUSTOM = Calendar(hours=WorkingHours.parse("07:30-11:30, 13:30-17:00"))  # 7.5 h/day


def test_working_hours_parse_and_print():
    hours = WorkingHours.parse("07:30-11:30, 13:30-17:00")
    assert hours.intervals == ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
    assert str(hours) == "07:30-11:30, 13:30-17:00"
    assert WorkingHours.parse("07:30–11:30,13:30–17:00") == hours  # en dash
    assert str(WorkingHours()) == "08:00-12:00, 13:00-17:00"


def test_adjacent_working_intervals_are_allowed():
    calendar = Calendar(hours=WorkingHours.parse("08:00-12:00, 12:00-16:00"))
    # 8 h from 08:00 with no lunch break → 16:00 (the last interval's end).
    assert calendar.due(vn(2025, 6, 2, 8), "working_hours", 8) == vn(2025, 6, 2, 16)
    assert calendar.start_of(vn(2025, 6, 2, 12)) == vn(2025, 6, 2, 12)


@pytest.mark.parametrize(
    ("received", "unit", "duration", "due"),
    [
        (vn(2025, 6, 2, 7), "immediate", None, vn(2025, 6, 2, 7, 30)),
        (vn(2025, 6, 2, 11, 45), "immediate", None, vn(2025, 6, 2, 13, 30)),
        (vn(2025, 6, 2, 8), "immediate", None, vn(2025, 6, 2, 8)),
        # 4 h from 07:30 → 11:30, the end of the morning
        (vn(2025, 6, 2, 7, 30), "working_hours", 4, vn(2025, 6, 2, 11, 30)),
        # 3.5 h from 13:30 → 17:00
        (vn(2025, 6, 2, 13, 30), "working_hours", "3.5", vn(2025, 6, 2, 17)),
        # 1 h from 11:00: 30 min to 11:30, 30 min after 13:30 → 14:00
        (vn(2025, 6, 2, 11), "working_hours", 1, vn(2025, 6, 2, 14)),
        # 1 working day is 8 working hours whatever the day's length: Mon
        # 07:30 → 7.5 h on Monday, 0.5 h on Tuesday → Tue 08:00
        (vn(2025, 6, 2, 7, 30), "working_days", 1, vn(2025, 6, 3, 8)),
        # same_day: close is the last interval's end (17:00)
        (vn(2025, 6, 2, 14), "same_day", None, vn(2025, 6, 2, 17)),
        (vn(2025, 6, 2, 15, 30), "same_day", None, vn(2025, 6, 3, 17)),
    ],
)
def test_custom_working_hours(received, unit, duration, due):
    assert CUSTOM.due(received, unit, duration) == due


def test_custom_close_is_the_end_of_the_last_interval():
    calendar = Calendar(hours=WorkingHours.parse("08:00-12:00, 13:00-16:30"))
    assert calendar.day_close(date(2025, 6, 2)) == vn(2025, 6, 2, 16, 30)
    assert calendar.due(vn(2025, 6, 2, 9), "same_day") == vn(2025, 6, 2, 16, 30)
    assert calendar.due(vn(2025, 6, 2, 9), "calendar_days", 1) == vn(2025, 6, 3, 16, 30)


# --------------------------------------------------------------------------
# Elapsed working time, add_working_time, day_close
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (vn(2025, 6, 2, 8), vn(2025, 6, 2, 17), 8),
        (vn(2025, 6, 2, 10), vn(2025, 6, 3, 10), 8),
        (vn(2025, 6, 2, 11), vn(2025, 6, 2, 14), 2),  # lunch hour not counted
        (vn(2025, 6, 6, 16), vn(2025, 6, 9, 9), 2),  # weekend not counted
        (vn(2025, 6, 2, 18), vn(2025, 6, 3, 7), 0),  # the night
        (vn(2025, 6, 7, 0), vn(2025, 6, 8, 23), 0),  # a weekend
        (vn(2025, 6, 2, 12), vn(2025, 6, 2, 13), 0),  # lunch
        (vn(2026, 2, 13, 15), vn(2026, 2, 23, 10), 4),  # across Tết
        (vn(2025, 6, 2, 10), vn(2025, 6, 2, 10, 30), Fraction(1, 2)),
    ],
)
def test_elapsed_working_time_between_two_instants(start, end, hours):
    assert NATIONAL.elapsed(start, end) == timedelta(hours=float(hours))
    assert NATIONAL.elapsed(end, start) == -timedelta(hours=float(hours))


def test_elapsed_counts_a_full_week_with_a_holiday():
    # Mon 28/04/2025 08:00 → Mon 05/05/2025 08:00: only Mon 28 and Tue 29 worked.
    assert NATIONAL.elapsed(vn(2025, 4, 28, 8), vn(2025, 5, 5, 8)) == timedelta(
        hours=16
    )


def test_add_working_time():
    assert NATIONAL.add_working_time(vn(2025, 6, 2, 11), timedelta(hours=1)) == vn(
        2025, 6, 2, 12
    )  # interval end, not 13:00
    assert NATIONAL.add_working_time(vn(2025, 6, 2, 11), timedelta(minutes=90)) == vn(
        2025, 6, 2, 13, 30
    )
    # zero from inside working time: the instant itself
    assert NATIONAL.add_working_time(vn(2025, 6, 2, 9, 5), timedelta(0)) == vn(
        2025, 6, 2, 9, 5
    )


def test_add_working_time_over_a_weekend_split():
    # Fri 16:00 + 9 h: Fri 16–17 = 1 h, Mon 08–12 = 4 h (5 h), Mon 13–17 = 4 h (9 h)
    # → Mon 17:00 (interval end).
    assert NATIONAL.add_working_time(vn(2025, 6, 6, 16), timedelta(hours=9)) == vn(
        2025, 6, 9, 17
    )


def test_add_working_time_rejects_negative_amounts():
    assert (
        error_code(NATIONAL.add_working_time, vn(2025, 6, 2, 9), timedelta(seconds=-1))
        == "deadline.negative_duration"
    )


def test_day_close_is_17h_of_a_working_day():
    assert NATIONAL.day_close(date(2025, 4, 26)) == vn(2025, 4, 26, 17)
    assert (
        error_code(NATIONAL.day_close, date(2025, 4, 30)) == "calendar.not_working_day"
    )


# --------------------------------------------------------------------------
# next_working_day, working_days_between
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "include", "expected"),
    [
        (date(2025, 6, 2), True, date(2025, 6, 2)),  # a working day itself
        (date(2025, 6, 2), False, date(2025, 6, 3)),
        (date(2025, 6, 6), False, date(2025, 6, 9)),  # Friday → Monday
        (date(2025, 6, 7), True, date(2025, 6, 9)),  # Saturday → Monday
        (date(2025, 6, 7), False, date(2025, 6, 9)),
        (date(2025, 4, 25), False, date(2025, 4, 26)),  # → make-up Saturday
        (date(2025, 4, 29), False, date(2025, 5, 5)),  # over 30/04–04/05
        (date(2025, 4, 30), True, date(2025, 5, 5)),
        (date(2026, 2, 13), False, date(2026, 2, 23)),  # over Tết Bính Ngọ
    ],
)
def test_next_working_day(day, include, expected):
    assert NATIONAL.next_working_day(day, include=include) == expected


@pytest.mark.parametrize(
    ("first", "last", "count"),
    [
        (date(2025, 6, 2), date(2025, 6, 6), 5),  # Mon–Fri
        (date(2025, 6, 2), date(2025, 6, 8), 5),  # + weekend
        (date(2025, 6, 2), date(2025, 6, 2), 1),  # one working day, inclusive
        (date(2025, 6, 7), date(2025, 6, 8), 0),  # weekend only
        (date(2025, 6, 6), date(2025, 6, 2), 0),  # reversed
        # Mon 28/04–Mon 05/05/2025: 28, 29 and 05 (30/04–04/05 off) → 3
        (date(2025, 4, 28), date(2025, 5, 5), 3),
        # Mon 21–Sun 27/04/2025: Mon–Fri + make-up Sat 26 → 6
        (date(2025, 4, 21), date(2025, 4, 27), 6),
        # Mon 16/02–Sun 22/02/2026: all Tết → 0
        (date(2026, 2, 16), date(2026, 2, 22), 0),
    ],
)
def test_working_days_between_counts_both_ends(first, last, count):
    assert NATIONAL.working_days_between(first, last) == count


def test_working_days_in_2025():
    # 2025 starts and ends on a Wednesday: 52 weeks + 1 day → 261 weekdays. Weekday
    # days off: 01/01, 27–31/01 (5), 07/04, 30/04, 01/05, 02/05, 01/09, 02/09 = 12
    # (Sat 01/02 is a weekend day anyway); + make-up Sat 26/04 → 261 − 12 + 1 = 250.
    assert NATIONAL.working_days_in_year(2025) == 250
    assert WEEKENDS_ONLY.working_days_in_year(2025) == 261


# --------------------------------------------------------------------------
# Supplement pause (restart / shift)
# --------------------------------------------------------------------------

# Received Mon 02/06/2025 08:00, 3 working days → due Wed 04/06 17:00. Supplement
# requested Tue 03/06 10:00, complete dossier back Thu 05/06 14:00.
RECEIVED = vn(2025, 6, 2, 8)
PAUSED = vn(2025, 6, 3, 10)
RESUMED = vn(2025, 6, 5, 14)


def test_supplement_restart_runs_the_full_time_again_from_resubmission():
    due = NATIONAL.due(RECEIVED, "working_days", 3)
    assert due == vn(2025, 6, 4, 17)
    # 3 working days from Thu 14:00 → Fri 14:00, Mon 14:00, Tue 10/06 14:00.
    new_due = NATIONAL.due_after_supplement(
        policy="restart",
        unit="working_days",
        duration=3,
        due_at=due,
        paused_at=PAUSED,
        resumed_at=RESUMED,
    )
    assert new_due == vn(2025, 6, 10, 14)


def test_supplement_shift_moves_the_due_date_by_the_working_time_waited():
    # Waited Tue 10–17 (6 h) + Wed (8 h) + Thu 08–12, 13–14 (5 h) = 19 h.
    # Wed 04/06 17:00 + 19 h: Thu 8 h, Fri 8 h (16 h), Mon 08–11 → Mon 09/06 11:00.
    new_due = NATIONAL.due_after_supplement(
        policy=SupplementPolicy.SHIFT,
        unit="working_days",
        duration=3,
        due_at=vn(2025, 6, 4, 17),
        paused_at=PAUSED,
        resumed_at=RESUMED,
    )
    assert new_due == vn(2025, 6, 9, 11)


def test_supplement_shift_by_working_time_only_across_a_holiday():
    # Due Tue 29/04/2025 17:00; paused Tue 29/04 16:00, back Mon 05/05/2025 09:00:
    # waited 1 h (Tue 16–17) + 1 h (Mon 08–09) = 2 h → due Mon 05/05 10:00.
    new_due = NATIONAL.due_after_supplement(
        policy="shift",
        unit="working_hours",
        duration=8,
        due_at=vn(2025, 4, 29, 17),
        paused_at=vn(2025, 4, 29, 16),
        resumed_at=vn(2025, 5, 5, 9),
    )
    assert new_due == vn(2025, 5, 5, 10)


def test_supplement_shift_without_working_time_waited_keeps_the_due_date():
    # Due Fri 06/06/2025 17:00; paused Sat 07/06 09:00, back Sun 08/06 09:00: no
    # working time waited, so the due date moves by nothing and stays Fri 17:00.
    new_due = NATIONAL.due_after_supplement(
        policy="shift",
        unit="working_days",
        duration=1,
        due_at=vn(2025, 6, 6, 17),
        paused_at=vn(2025, 6, 7, 9),
        resumed_at=vn(2025, 6, 8, 9),
    )
    assert new_due == vn(2025, 6, 6, 17)


def test_supplement_shift_of_a_noon_due_date_by_one_hour():
    # Due Mon 02/06 12:00; waited Mon 14:00–15:00 (1 h) → 12:00 + 1 h = 14:00.
    new_due = NATIONAL.due_after_supplement(
        policy="shift",
        unit="working_hours",
        duration=4,
        due_at=vn(2025, 6, 2, 12),
        paused_at=vn(2025, 6, 2, 14),
        resumed_at=vn(2025, 6, 2, 15),
    )
    assert new_due == vn(2025, 6, 2, 14)


def test_supplement_of_a_procedure_without_due_date_has_none():
    for policy in ("restart", "shift"):
        assert (
            NATIONAL.due_after_supplement(
                policy=policy,
                unit="none",
                duration=None,
                due_at=None,
                paused_at=PAUSED,
                resumed_at=RESUMED,
            )
            is None
        )


def test_supplement_restart_same_day_counts_from_resubmission():
    # Back Thu 05/06 14:00 ≤ 15:00 → Thu 17:00.
    assert NATIONAL.due_after_supplement(
        policy="restart",
        unit="same_day",
        duration=None,
        due_at=vn(2025, 6, 2, 17),
        paused_at=vn(2025, 6, 2, 10),
        resumed_at=RESUMED,
    ) == vn(2025, 6, 5, 17)


def test_supplement_resumed_before_pause_is_rejected():
    code = error_code(
        NATIONAL.due_after_supplement,
        policy="shift",
        unit="working_days",
        duration=3,
        due_at=vn(2025, 6, 4, 17),
        paused_at=RESUMED,
        resumed_at=PAUSED,
    )
    assert code == "deadline.resumed_before_pause"


def test_supplement_unknown_policy_is_rejected():
    with pytest.raises(ValueError):
        NATIONAL.due_after_supplement(
            policy="pause_forever",
            unit="working_days",
            duration=3,
            due_at=vn(2025, 6, 4, 17),
            paused_at=PAUSED,
            resumed_at=RESUMED,
        )


# --------------------------------------------------------------------------
# Extension (Decree 61/2018 Art. 19(8)(c))
# --------------------------------------------------------------------------

DUE_FRIDAY = Deadline.initial(vn(2025, 6, 6, 17))  # due Fri 06/06/2025 17:00
NEW_DUE = vn(2025, 6, 11, 17)


def test_initial_deadline_keeps_itself_as_original():
    assert DUE_FRIDAY.due_at == DUE_FRIDAY.original_due_at == vn(2025, 6, 6, 17)
    assert not DUE_FRIDAY.extended


def test_extension_one_working_day_ahead_keeps_the_original_due_date():
    # Asked Thu 05/06 10:00: Thu 10–17 (6 h) + Fri (8 h) = 14 h ≥ 8 h.
    extended = NATIONAL.extend(DUE_FRIDAY, NEW_DUE, now=vn(2025, 6, 5, 10))
    assert extended.due_at == NEW_DUE
    assert extended.original_due_at == vn(2025, 6, 6, 17)
    assert extended.extended


@pytest.mark.parametrize(
    "now",
    [
        vn(2025, 6, 5, 17),  # Thu close: all of Friday (8 h) left
        vn(2025, 6, 5, 19),  # Thu evening: still 8 working hours
        vn(2025, 6, 6, 7),  # Fri before opening: 8 h
        vn(2025, 6, 6, 8),  # Fri 08:00: exactly 8 h
    ],
)
def test_extension_exactly_one_working_day_before_due_is_allowed(now):
    assert NATIONAL.extend(DUE_FRIDAY, NEW_DUE, now=now).due_at == NEW_DUE


@pytest.mark.parametrize(
    "now",
    [
        vn(2025, 6, 6, 8, 0, 1),  # 8 h − 1 s
        vn(2025, 6, 6, 10),  # 6 h
        vn(2025, 6, 6, 16, 59),
        vn(2025, 6, 6, 18),  # after the due date
        vn(2025, 6, 9, 9),  # days later
    ],
)
def test_extension_less_than_one_working_day_before_due_is_too_late(now):
    code = error_code(NATIONAL.extend, DUE_FRIDAY, NEW_DUE, now=now)
    assert code == "deadline.extension_too_late"


def test_extension_override_waives_the_one_day_notice():
    extended = NATIONAL.extend(
        DUE_FRIDAY, NEW_DUE, now=vn(2025, 6, 6, 16), override=True
    )
    assert extended.due_at == NEW_DUE
    assert extended.original_due_at == vn(2025, 6, 6, 17)
    assert extended.extended


def test_extension_notice_counts_working_time_only():
    # Due Mon 05/05/2025 10:00; asked Tue 29/04 15:00: Tue 15–17 (2 h) + Mon
    # 08–10 (2 h) = 4 h < 8 h despite six calendar days → too late.
    deadline = Deadline.initial(vn(2025, 5, 5, 10))
    code = error_code(
        NATIONAL.extend, deadline, vn(2025, 5, 8, 17), now=vn(2025, 4, 29, 15)
    )
    assert code == "deadline.extension_too_late"


@pytest.mark.parametrize("override", [False, True])
def test_extension_must_be_later_than_the_current_due_date(override):
    for new in (vn(2025, 6, 6, 17), vn(2025, 6, 6, 16), vn(2025, 6, 4, 17)):
        code = error_code(
            NATIONAL.extend, DUE_FRIDAY, new, now=vn(2025, 6, 2, 9), override=override
        )
        assert code == "deadline.extension_not_later"


@pytest.mark.parametrize("override", [False, True])
def test_extension_is_allowed_only_once(override):
    once = NATIONAL.extend(DUE_FRIDAY, NEW_DUE, now=vn(2025, 6, 2, 9))
    code = error_code(
        NATIONAL.extend,
        once,
        vn(2025, 6, 20, 17),
        now=vn(2025, 6, 3, 9),
        override=override,
    )
    assert code == "deadline.already_extended"


def test_extension_of_a_deadline_without_due_date_is_rejected():
    code = error_code(
        NATIONAL.extend, Deadline.initial(None), NEW_DUE, now=vn(2025, 6, 2, 9)
    )
    assert code == "deadline.no_due_date"


def test_extension_without_recorded_original_keeps_the_current_due_date():
    extended = NATIONAL.extend(
        Deadline(due_at=vn(2025, 6, 6, 17)), NEW_DUE, now=vn(2025, 6, 2, 9)
    )
    assert extended.original_due_at == vn(2025, 6, 6, 17)


# --------------------------------------------------------------------------
# Bad input → DeadlineError codes
# --------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["weeks", "", "WORKING_DAYS", "ngay"])
def test_unknown_unit_is_rejected(unit):
    assert (
        error_code(NATIONAL.due, vn(2025, 6, 2, 9), unit, 1) == "deadline.unknown_unit"
    )
    assert error_code(Unit.parse, unit) == "deadline.unknown_unit"


@pytest.mark.parametrize("unit", ["working_days", "working_hours", "calendar_days"])
@pytest.mark.parametrize("value", [-1, "-1", "-0.5", -0.5, Decimal("-2")])
def test_negative_duration_is_rejected(unit, value):
    code = error_code(NATIONAL.due, vn(2025, 6, 2, 9), unit, value)
    assert code == "deadline.negative_duration"


@pytest.mark.parametrize("unit", ["working_days", "working_hours", "calendar_days"])
@pytest.mark.parametrize(
    "value", ["abc", "3 ngày", True, False, [1], object(), float("nan"), "NaN"]
)
def test_non_numeric_duration_is_rejected(unit, value):
    code = error_code(NATIONAL.due, vn(2025, 6, 2, 9), unit, value)
    assert code == "deadline.invalid_duration"


@pytest.mark.parametrize("unit", ["working_days", "working_hours", "calendar_days"])
@pytest.mark.parametrize("value", [None, ""])
def test_missing_duration_is_rejected(unit, value):
    code = error_code(NATIONAL.due, vn(2025, 6, 2, 9), unit, value)
    assert code == "deadline.duration_required"


@pytest.mark.parametrize("value", ["1.5", 0.5, Fraction(7, 2), "2,5"])
def test_fractional_calendar_days_are_rejected(value):
    code = error_code(NATIONAL.due, vn(2025, 6, 2, 9), "calendar_days", value)
    assert code == "deadline.fractional_days"


def test_whole_calendar_days_written_with_decimals_are_accepted():
    # "3.0" is 3 whole days: Mon 02/06 + 3 = Thu 05/06.
    assert NATIONAL.due(vn(2025, 6, 2, 9), "calendar_days", "3.0") == vn(2025, 6, 5, 17)


@pytest.mark.parametrize("unit", ["working_days", "working_hours", "calendar_days"])
@pytest.mark.parametrize("value", ["36501", "1e9", Decimal("40000")])
def test_too_long_duration_is_rejected(unit, value):
    code = error_code(NATIONAL.due, vn(2025, 6, 2, 9), unit, value)
    assert code == "deadline.duration_too_long"


@pytest.mark.parametrize("unit", ["working_hours", "working_days", "calendar_days"])
def test_too_long_duration_is_rejected_whatever_its_python_type(unit):
    # The 36,500 ceiling of parse_duration applies to an int as to the same
    # number written as a string or a Decimal.
    assert (
        error_code(parse_duration, 40_000, Unit(unit)) == "deadline.duration_too_long"
    )
    code = error_code(NATIONAL.due, vn(2025, 6, 2, 9), unit, 40_000)
    assert code == "deadline.duration_too_long"


def test_parse_duration_returns_exact_fractions():
    assert parse_duration("0,5", Unit.WORKING_DAYS) == Fraction(1, 2)
    assert parse_duration(0.1, Unit.WORKING_HOURS) == Fraction(1, 10)  # not binary
    assert parse_duration(" 2 ", Unit.CALENDAR_DAYS) == 2
    assert parse_duration(None, Unit.SAME_DAY) == 0  # no duration needed


@pytest.mark.parametrize(
    "received",
    [
        datetime(1999, 12, 31, 9),
        datetime(2101, 1, 1, 9),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=VN_TZ),
    ],
)
@pytest.mark.parametrize(
    ("unit", "duration"),
    [
        ("working_days", 1),
        ("working_hours", 1),
        ("calendar_days", 1),
        ("same_day", None),
        ("immediate", None),
    ],
)
def test_instant_outside_calendar_range_is_rejected(received, unit, duration):
    code = error_code(NATIONAL.due, received, unit, duration)
    assert code == "calendar.out_of_range"


def test_due_date_running_past_the_calendar_end_is_rejected():
    # Fri 31/12/2100 16:00 + 2 h: 1 h on Friday, the rest would be in 2101.
    late = vn(2100, 12, 31, 16)
    assert error_code(NATIONAL.due, late, "working_hours", 2) == "calendar.out_of_range"
    assert error_code(NATIONAL.due, late, "same_day") == "calendar.out_of_range"
    assert error_code(NATIONAL.due, late, "calendar_days", 1) == "calendar.out_of_range"
    # …but 1 h still fits: due at 17:00 on 31/12/2100.
    assert NATIONAL.due(late, "working_hours", 1) == vn(2100, 12, 31, 17)


def test_calendar_range_edges_are_inside():
    # Sat 01/01/2000 and Fri 31/12/2100 belong to the calendar; Mon 03/01/2000
    # was the substitute day off for New Year's Day on a Saturday.
    assert not NATIONAL.is_working_day(date(2000, 1, 1))
    assert not NATIONAL.is_working_day(date(2000, 1, 3))
    assert NATIONAL.is_working_day(date(2100, 12, 31))
    # Sat 01/01/2000 09:00 → Tue 04/01/2000 08:00 + 1 h.
    assert NATIONAL.due(vn(2000, 1, 1, 9), "working_hours", 1) == vn(2000, 1, 4, 9)


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("is_working_day", (date(2101, 1, 1),)),
        ("is_working_day", (date(1999, 12, 31),)),
        ("next_working_day", (date(2101, 1, 1),)),
        ("working_days_between", (date(2025, 1, 1), date(2101, 1, 1))),
        ("day_close", (date(1999, 1, 4),)),
        ("start_of", (datetime(2101, 1, 1, 9),)),
        ("position", (datetime(1999, 6, 1, 9),)),
        ("elapsed", (datetime(2025, 6, 2, 9), datetime(2101, 1, 1, 9))),
    ],
)
def test_every_calendar_lookup_outside_range_is_rejected(call, args):
    assert error_code(getattr(NATIONAL, call), *args) == "calendar.out_of_range"


def test_calendar_with_narrow_range():
    calendar = Calendar(first_year=2025, last_year=2025)
    assert calendar.is_working_day(date(2025, 12, 31))
    assert error_code(calendar.is_working_day, date(2026, 1, 1)) == (
        "calendar.out_of_range"
    )
    # Wed 31/12/2025 16:00 + 2 h would end on Fri 02/01/2026.
    code = error_code(calendar.due, vn(2025, 12, 31, 16), "working_hours", 2)
    assert code == "calendar.out_of_range"


@pytest.mark.parametrize(
    "text",
    [
        "8h-12h",
        "",
        "08:00",
        "08:00-12:00-13:00",
        "08:00 to 12:00",
        "25:00-26:00",
        "08:00-12:00; 13:00-17:00",
    ],
)
def test_invalid_working_hours_text_is_rejected(text):
    assert error_code(WorkingHours.parse, text) == "calendar.invalid_hours"


@pytest.mark.parametrize(
    "text", ["12:00-08:00", "08:00-08:00", "08:00-12:00, 17:00-13:00"]
)
def test_working_interval_ending_before_it_starts_is_rejected(text):
    assert error_code(WorkingHours.parse, text) == "calendar.invalid_interval"


@pytest.mark.parametrize(
    "text",
    [
        "08:00-12:00, 11:00-17:00",  # overlapping
        "08:00-17:00, 13:00-15:00",  # nested
        "13:00-17:00, 08:00-12:00",  # out of order
    ],
)
def test_overlapping_working_intervals_are_rejected(text):
    assert error_code(WorkingHours.parse, text) == "calendar.overlapping_intervals"


def test_empty_working_hours_are_rejected():
    assert error_code(WorkingHours, ()) == "calendar.no_working_hours"


def test_deadline_error_is_a_value_error_with_vietnamese_message():
    with pytest.raises(ValueError) as info:
        NATIONAL.due(vn(2025, 6, 2, 9), "calendar_days", "1.5")
    assert isinstance(info.value, DeadlineError)
    assert "ngày" in info.value.message


# --------------------------------------------------------------------------
# calendar_from_days
# --------------------------------------------------------------------------


def test_calendar_from_days_with_custom_hours_keeps_national_days():
    calendar = calendar_from_days(
        national_days(), hours=WorkingHours.parse("07:30-11:30, 13:30-17:00")
    )
    assert not calendar.is_working_day(date(2025, 4, 30))
    assert calendar.is_working_day(date(2025, 4, 26))
    # Fri 25/04/2025 16:30 + 1 h: 30 min Friday, Sat 26/04 07:30–08:00 → 08:00.
    assert calendar.due(vn(2025, 4, 25, 16, 30), "working_hours", 1) == vn(
        2025, 4, 26, 8
    )
