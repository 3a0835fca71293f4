"""Property tests of the deadline engine on the national calendar (hypothesis).

The oracle at the end is an independent, slow, minute-by-minute walk over working
time: it asks the engine only whether a *date* is a working day.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.deadlines.engine import (
    VN_TZ,
    Calendar,
    SupplementPolicy,
    WorkingHours,
    calendar_from_days,
)
from motcua.deadlines.national import national_days

NATIONAL = calendar_from_days(national_days())
CUSTOM_TEXT = "07:30-11:30, 13:30-17:00"
CUSTOM = calendar_from_days(national_days(), hours=WorkingHours.parse(CUSTOM_TEXT))

# Working intervals in minutes since midnight, written out independently.
DEFAULT_MINUTES = ((8 * 60, 12 * 60), (13 * 60, 17 * 60))
CUSTOM_MINUTES = ((7 * 60 + 30, 11 * 60 + 30), (13 * 60 + 30, 17 * 60))

PROPERTY = settings(max_examples=300, deadline=None)
ONE_DAY = timedelta(days=1)

# --------------------------------------------------------------------- strategies


@st.composite
def tet_season_instants(draw, *, whole_minutes: bool = False) -> datetime:
    """An instant in December–March of 2019–2030 (every Tết of those years)."""
    year = draw(st.integers(2019, 2030))
    month = draw(st.sampled_from((12, 1, 2, 3)))
    day = draw(st.integers(1, monthrange(year, month)[1]))
    minute = draw(st.integers(0, 24 * 60 - 1))
    second = 0 if whole_minutes else draw(st.sampled_from((0, 0, 1, 30, 59)))
    naive = draw(st.booleans())
    return datetime(
        year,
        month,
        day,
        minute // 60,
        minute % 60,
        second,
        tzinfo=None if naive else VN_TZ,
    )


any_instants = st.datetimes(
    min_value=datetime(2019, 1, 1), max_value=datetime(2030, 12, 31, 23, 59)
)
instants = st.one_of(tet_season_instants(), any_instants)
minute_instants = tet_season_instants(whole_minutes=True)
# Durations given to ``due`` in working hours are multiples of 3 minutes, i.e.
# exact decimals of an hour (0.05 h), as a catalogue would write them ("1.35").
# Arbitrary whole minutes go through ``add_working_time`` (exact timedelta) and
# through one oracle test with exact ``Fraction`` hours.
working_minutes = st.integers(0, 40 * 20).map(lambda n: 3 * n)  # up to 40 h
positive_minutes = st.integers(1, 40 * 20).map(lambda n: 3 * n)
any_whole_minutes = st.integers(0, 40 * 60)


def local(instant: datetime) -> datetime:
    """The instant as an aware Vietnamese time."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=VN_TZ)
    return instant.astimezone(VN_TZ)


def minute_of_day(instant: datetime) -> Fraction:
    instant = local(instant)
    seconds = instant.hour * 3600 + instant.minute * 60 + instant.second
    return Fraction(seconds * 1_000_000 + instant.microsecond, 60_000_000)


def in_working_time_or_at_end(
    calendar: Calendar, instant: datetime, intervals=DEFAULT_MINUTES
) -> bool:
    m = minute_of_day(instant)
    return calendar.is_working_day(local(instant).date()) and any(
        s <= m <= e for s, e in intervals
    )


def hours(minutes: int) -> str:
    """Whole minutes (a multiple of 3) as an exact decimal number of hours."""
    assert minutes % 3 == 0
    return str(Decimal(minutes) / 60)


# --------------------------------------------------------------------- invariants


@PROPERTY
@given(start=instants, minutes=working_minutes)
def test_due_is_never_before_start_and_lies_in_working_time(start, minutes):
    due = NATIONAL.due(start, "working_hours", hours(minutes))
    assert due >= local(start)
    assert due.utcoffset() == timedelta(hours=7)
    assert in_working_time_or_at_end(NATIONAL, due)
    if minutes:
        # strictly after an opening: the interval-end rule, never "08:00 next day"
        m = minute_of_day(due)
        assert any(s < m <= e for s, e in DEFAULT_MINUTES)


@PROPERTY
@given(start=instants, days=st.integers(0, 30).map(lambda n: Fraction(n, 2)))
def test_working_days_due_lies_in_working_time(start, days):
    due = NATIONAL.due(start, "working_days", days)
    assert due >= local(start)
    assert in_working_time_or_at_end(NATIONAL, due)
    assert NATIONAL.elapsed(start, due) == timedelta(hours=int(8 * days))


@PROPERTY
@given(start=instants)
def test_start_of_is_inside_a_working_interval(start):
    begin = NATIONAL.start_of(start)
    assert begin >= local(start)
    m = minute_of_day(begin)
    assert NATIONAL.is_working_day(begin.date())
    assert any(s <= m < e for s, e in DEFAULT_MINUTES)
    # no working time between the reception and the start
    assert NATIONAL.elapsed(start, begin) == timedelta(0)


@PROPERTY
@given(start=instants, a=working_minutes, b=positive_minutes)
def test_due_of_due_is_due_of_the_sum_in_working_hours(start, a, b):
    first = NATIONAL.due(start, "working_hours", hours(a))
    assert NATIONAL.due(first, "working_hours", hours(b)) == NATIONAL.due(
        start, "working_hours", hours(a + b)
    )


@PROPERTY
@given(start=instants, a=st.integers(0, 15), b=st.integers(1, 15))
def test_due_of_due_is_due_of_the_sum_in_working_days(start, a, b):
    first = NATIONAL.due(start, "working_days", a)
    assert NATIONAL.due(first, "working_days", b) == NATIONAL.due(
        start, "working_days", a + b
    )


@PROPERTY
@given(start=instants, minutes=working_minutes)
def test_elapsed_from_start_to_due_is_the_duration(start, minutes):
    due = NATIONAL.due(start, "working_hours", hours(minutes))
    assert NATIONAL.elapsed(start, due) == timedelta(minutes=minutes)


@PROPERTY
@given(
    start=instants,
    seconds=st.integers(1, 40 * 400).map(lambda n: 9 * n),
)
def test_add_working_time_agrees_with_due_and_elapsed(start, seconds):
    # multiples of 9 s are exact decimals of an hour (9 s = 0.0025 h)
    amount = timedelta(seconds=seconds)
    end = NATIONAL.add_working_time(start, amount)
    assert end == NATIONAL.due(start, "working_hours", str(Decimal(seconds) / 3600))
    assert NATIONAL.elapsed(start, end) == amount
    assert in_working_time_or_at_end(NATIONAL, end)


@PROPERTY
@given(a=instants, b=instants, c=instants)
def test_elapsed_is_additive_and_antisymmetric(a, b, c):
    assert NATIONAL.elapsed(a, b) + NATIONAL.elapsed(b, c) == NATIONAL.elapsed(a, c)
    assert NATIONAL.elapsed(a, b) == -NATIONAL.elapsed(b, a)
    if local(a) <= local(b):
        assert NATIONAL.elapsed(a, b) >= timedelta(0)


@PROPERTY
@given(a=instants, b=instants, minutes=working_minutes)
def test_later_reception_is_never_due_earlier(a, b, minutes):
    a, b = sorted((local(a), local(b)))
    for unit, duration in (
        ("working_hours", hours(minutes)),
        ("same_day", None),
        ("calendar_days", minutes % 31),
        ("immediate", None),
    ):
        assert NATIONAL.due(a, unit, duration) <= NATIONAL.due(b, unit, duration)


@PROPERTY
@given(start=instants, minutes=working_minutes)
def test_naive_local_and_aware_utc_give_the_same_due(start, minutes):
    aware = local(start)
    naive = aware.replace(tzinfo=None)
    utc = aware.astimezone(UTC)
    expected = NATIONAL.due(aware, "working_hours", hours(minutes))
    assert NATIONAL.due(naive, "working_hours", hours(minutes)) == expected
    assert NATIONAL.due(utc, "working_hours", hours(minutes)) == expected


# ----------------------------------------------------------------------- same_day


@PROPERTY
@given(start=instants)
def test_same_day_due_is_the_close_of_a_working_day(start):
    due = NATIONAL.due(start, "same_day")
    assert due.timetz() == time(17, 0, tzinfo=VN_TZ)
    assert NATIONAL.is_working_day(due.date())
    received_on = local(start).date()
    assert due.date() >= received_on
    # it is the reception day or the first working day after it, nothing later
    between = NATIONAL.working_days_between(received_on, due.date() - ONE_DAY)
    if due.date() == received_on:
        assert local(start).time() <= time(15, 0)
    else:
        assert between == int(NATIONAL.is_working_day(received_on))
        if NATIONAL.is_working_day(received_on):
            assert local(start).time() > time(15, 0)


# ------------------------------------------------------------------ calendar_days


def oracle_calendar_days(calendar: Calendar, start: datetime, days: int) -> datetime:
    """Normalize the start by hand, add the days, walk to a working day."""
    start = local(start)
    d = start.date()
    if not calendar.is_working_day(d) or start.time() >= time(17, 0):
        d += ONE_DAY
        while not calendar.is_working_day(d):
            d += ONE_DAY
    target = d + timedelta(days=days)
    while not calendar.is_working_day(target):
        target += ONE_DAY
    return datetime.combine(target, time(17, 0), tzinfo=VN_TZ)


@PROPERTY
@given(start=instants, days=st.integers(0, 30))
def test_calendar_days_match_a_day_walking_oracle(start, days):
    assert NATIONAL.due(start, "calendar_days", days) == oracle_calendar_days(
        NATIONAL, start, days
    )


# ------------------------------------------------------------------- supplements


@PROPERTY
@given(
    received=instants,
    days=st.integers(1, 15),
    pause_after=st.integers(0, 10 * 24 * 60),
    wait=st.integers(0, 20 * 24 * 60),
)
def test_supplement_restart_and_shift(received, days, pause_after, wait):
    due = NATIONAL.due(received, "working_days", days)
    paused = local(received) + timedelta(minutes=pause_after)
    resumed = paused + timedelta(minutes=wait)
    assume(resumed.year <= 2030)
    restart = NATIONAL.due_after_supplement(
        policy=SupplementPolicy.RESTART,
        unit="working_days",
        duration=days,
        due_at=due,
        paused_at=paused,
        resumed_at=resumed,
    )
    assert restart == NATIONAL.due(resumed, "working_days", days)
    shift = NATIONAL.due_after_supplement(
        policy=SupplementPolicy.SHIFT,
        unit="working_days",
        duration=days,
        due_at=due,
        paused_at=paused,
        resumed_at=resumed,
    )
    assert shift >= due
    assert NATIONAL.elapsed(due, shift) == NATIONAL.elapsed(paused, resumed)


# ------------------------------------------------------------ brute-force oracle


def oracle_due(
    calendar: Calendar, start: datetime, minutes: int, intervals=DEFAULT_MINUTES
) -> datetime:
    """Walk minute by minute; a minute [m, m+1) counts when its date is a working
    day (asked of ``calendar``) and it lies in one of ``intervals``. The due time is
    the end of the last counted minute; zero minutes: the first working minute."""
    start = local(start)
    assert start.second == 0 and start.microsecond == 0
    day, m = start.date(), start.hour * 60 + start.minute
    remaining = minutes
    while True:
        if not calendar.is_working_day(day):
            day, m = day + ONE_DAY, 0
            continue
        working = any(s <= m < e for s, e in intervals)
        if working and remaining == 0:
            break  # the clock starts here
        if working:
            remaining -= 1
        m += 1
        if working and remaining == 0:
            break  # the last working minute just ended
        if m == 24 * 60:
            day, m = day + ONE_DAY, 0
    return datetime.combine(day, time(0), tzinfo=VN_TZ) + timedelta(minutes=m)


def test_oracle_itself_on_hand_examples():
    # the oracle must agree with the examples before it judges anything
    assert oracle_due(NATIONAL, datetime(2026, 2, 13, 15), 4 * 60) == datetime(
        2026, 2, 23, 10, tzinfo=VN_TZ
    )
    assert oracle_due(NATIONAL, datetime(2025, 4, 29, 10), 8 * 60) == datetime(
        2025, 5, 5, 10, tzinfo=VN_TZ
    )
    assert oracle_due(NATIONAL, datetime(2025, 6, 2, 8), 4 * 60) == datetime(
        2025, 6, 2, 12, tzinfo=VN_TZ
    )
    assert oracle_due(NATIONAL, datetime(2025, 6, 2, 12), 0) == datetime(
        2025, 6, 2, 13, tzinfo=VN_TZ
    )


@PROPERTY
@given(start=minute_instants, minutes=working_minutes)
def test_working_hours_due_matches_minute_walking_oracle(start, minutes):
    assert NATIONAL.due(start, "working_hours", hours(minutes)) == oracle_due(
        NATIONAL, start, minutes
    )


@PROPERTY
@given(start=minute_instants, minutes=any_whole_minutes)
def test_exact_fraction_working_hours_match_minute_walking_oracle(start, minutes):
    # any whole number of minutes, given exactly as Fraction(minutes, 60) hours
    assert NATIONAL.due(start, "working_hours", Fraction(minutes, 60)) == oracle_due(
        NATIONAL, start, minutes
    )


@PROPERTY
@given(start=minute_instants, minutes=any_whole_minutes)
def test_add_working_time_matches_minute_walking_oracle(start, minutes):
    expected = oracle_due(NATIONAL, start, minutes)
    assert NATIONAL.add_working_time(start, timedelta(minutes=minutes)) == expected


@PROPERTY
@given(start=minute_instants, days=st.integers(0, 5))
def test_working_days_due_matches_minute_walking_oracle(start, days):
    assert NATIONAL.due(start, "working_days", days) == oracle_due(
        NATIONAL, start, days * 8 * 60
    )


@PROPERTY
@given(start=minute_instants, minutes=working_minutes)
def test_custom_hours_due_matches_minute_walking_oracle(start, minutes):
    assert CUSTOM.due(start, "working_hours", hours(minutes)) == oracle_due(
        CUSTOM, start, minutes, CUSTOM_MINUTES
    )


@PROPERTY
@given(start=minute_instants)
def test_immediate_matches_minute_walking_oracle(start):
    assert NATIONAL.due(start, "immediate") == oracle_due(NATIONAL, start, 0)


@PROPERTY
@given(day=st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)))
def test_next_working_day_and_counts_match_a_day_walk(day):
    walk = day
    while not NATIONAL.is_working_day(walk):
        walk += ONE_DAY
    assert NATIONAL.next_working_day(day) == walk
    after = day + ONE_DAY
    while not NATIONAL.is_working_day(after):
        after += ONE_DAY
    assert NATIONAL.next_working_day(day, include=False) == after
    last = day + timedelta(days=40)
    count = sum(
        NATIONAL.is_working_day(day + timedelta(days=i))
        for i in range((last - day).days + 1)
    )
    assert NATIONAL.working_days_between(day, last) == count
