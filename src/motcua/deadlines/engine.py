"""The deadline engine: a working calendar and the due-date rules, in pure Python.

No Django here: the engine is imported by services, the historical import, reports
and benchmarks alike, and it must recompute millions of due dates quickly.

How it works. Every working day contributes the same working intervals (by default
08:00–12:00 and 13:00–17:00). Laid end to end they form one *working-time line*,
measured in microseconds. ``position(t)`` maps an instant onto that line; a due date is
``position(start) + duration`` mapped back. Mapping back is *left-continuous*: an
instant that lands exactly on the end of an interval is that end (12:00, 17:00), not
the next opening — the rule of the issue and of peer systems' slips. Starting points
are mapped *right-continuously*: outside working time the clock starts at the next
opening. Both mappings are O(1) list look-ups plus a scan over the day's intervals,
so a due date costs a few microseconds.

Legal basis: Decree 61/2018/NĐ-CP Art. 18 (transfer the same day, after 15:00 the
next working day) and Art. 19(4) (after a supplement the time runs again); Labour
Code 2019 Art. 112 for public holidays; annual Prime Minister notices for make-up
working Saturdays (carried by the ``holidays`` package, see ``national.py``).
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_YEAR = 2000
LAST_YEAR = 2100

_US = 1_000_000
_HOUR = 3600 * _US
WORKING_DAY_HOURS = 8  # "1 ngày làm việc = 8 giờ làm việc" (common practice)
WORKING_DAY = timedelta(hours=WORKING_DAY_HOURS)  # the one working-day length
# Decree 61/2018 Art. 18: "sau 15 giờ". Only the default of a bare Calendar: the
# value applied to a dossier is the law rule of its day (``sameday.cutoff``,
# law/procedure.py), given by the caller through ``Calendar.with_cutoff``.
SAME_DAY_CUTOFF = time(15, 0)
_NO_CUTOFF_US = 24 * _HOUR  # later than any time of day: never "after the cut-off"


class DeadlineError(ValueError):
    """A rule of the working calendar was broken by the input.

    ``code`` is stable (for APIs and tests); ``message`` is Vietnamese, for people.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Unit(enum.StrEnum):
    """How a procedure's legal time is expressed."""

    SAME_DAY = "same_day"
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    IMMEDIATE = "immediate"
    NONE = "none"

    @classmethod
    def parse(cls, value: str | Unit) -> Unit:
        try:
            return cls(value)
        except ValueError:
            known = ", ".join(u.value for u in cls)
            raise DeadlineError(
                "deadline.unknown_unit",
                f"Đơn vị thời hạn không hợp lệ: «{value}». "
                f"Các giá trị hợp lệ: {known}.",
            ) from None


UNITS_WITH_DURATION = frozenset(
    {Unit.WORKING_HOURS, Unit.WORKING_DAYS, Unit.CALENDAR_DAYS}
)

UNIT_LABELS_VI = {
    Unit.SAME_DAY: "Trong ngày",
    Unit.WORKING_HOURS: "Giờ làm việc",
    Unit.WORKING_DAYS: "Ngày làm việc",
    Unit.CALENDAR_DAYS: "Ngày (theo lịch)",
    Unit.IMMEDIATE: "Giải quyết ngay",
    Unit.NONE: "Không quy định thời hạn",
}


class SupplementPolicy(enum.StrEnum):
    """What a supplement request does to the clock (an agency setting)."""

    RESTART = "restart"  # Decree 61/2018 Art. 19(4): time runs again in full
    SHIFT = "shift"  # practice: the due date moves by the working time waited

    @classmethod
    def parse(cls, value: str | SupplementPolicy) -> SupplementPolicy:
        try:
            return cls(value)
        except ValueError:
            raise DeadlineError(
                "deadline.unknown_supplement_policy",
                f"Cách tính thời hạn khi bổ sung «{value}» không hợp lệ "
                "(restart hoặc shift).",
            ) from None


class Source(enum.StrEnum):
    """Where a calendar exception comes from."""

    LAW = "law"  # a public holiday (Labour Code 2019 Art. 112)
    SUBSTITUTE = "substitute"  # nghỉ bù, day off swapped, make-up working Saturday
    OVERRIDE = "override"  # set by an administrator, nationally or per agency


@dataclass(frozen=True)
class CalendarDay:
    """One exception to the weekly rhythm: a day off on a weekday or a working
    weekend day (or a holiday falling on a weekend, listed for completeness)."""

    date: date
    working: bool
    name: str
    source: Source
    name_en: str = ""
    reason: str = ""


MAX_DURATION = 36_500
# Decimals finer than this are rounded to it (far below a microsecond of working
# time); coarser ones stay exact. It keeps inputs like 1e-999999999 from building
# astronomically large fractions.
_FINEST_EXPONENT = -12


def _invalid_duration(value: object) -> DeadlineError:
    return DeadlineError(
        "deadline.invalid_duration", f"Thời hạn «{value}» không phải là một số."
    )


def _to_fraction(value: object) -> Fraction:
    """An exact fraction from a number or a numeric string ("1,5" is accepted)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise _invalid_duration(value)
    try:
        if isinstance(value, str):
            number = Decimal(value.strip().replace(",", "."))
        else:
            number = Decimal(value)
    except (ValueError, InvalidOperation):
        raise _invalid_duration(value) from None
    if not number.is_finite():
        raise _invalid_duration(value)
    if abs(number) > MAX_DURATION:  # checked before any exact arithmetic
        return Fraction(MAX_DURATION + 1) * (1 if number > 0 else -1)
    exponent = number.as_tuple().exponent  # an int: number is finite
    if isinstance(exponent, int) and exponent < _FINEST_EXPONENT:
        number = number.quantize(Decimal(1).scaleb(_FINEST_EXPONENT))
    return Fraction(number)


def parse_duration(value: object, unit: Unit) -> Fraction:
    """Validate a duration for ``unit``: a non-negative number, whole for days,
    at most 36 500. Exact: "1.5", Decimal("1.5") and Fraction(3, 2) are equal."""
    if unit not in UNITS_WITH_DURATION:
        return Fraction(0)
    if value is None or value == "":
        raise DeadlineError(
            "deadline.duration_required",
            "Cần nhập thời hạn (một số không âm) cho đơn vị này.",
        )
    number = _to_fraction(value)
    if number < 0:
        raise DeadlineError("deadline.negative_duration", "Thời hạn không được âm.")
    if number > MAX_DURATION:
        raise DeadlineError(
            "deadline.duration_too_long", "Thời hạn quá dài (tối đa 36.500)."
        )
    if unit is Unit.CALENDAR_DAYS and number.denominator != 1:
        raise DeadlineError(
            "deadline.fractional_days",
            "Thời hạn tính theo ngày lịch phải là số nguyên.",
        )
    return number


@dataclass(frozen=True)
class WorkingHours:
    """The working intervals of every working day, e.g. 08:00–12:00, 13:00–17:00."""

    intervals: tuple[tuple[time, time], ...] = (
        (time(8, 0), time(12, 0)),
        (time(13, 0), time(17, 0)),
    )

    def __post_init__(self) -> None:
        if not self.intervals:
            raise DeadlineError(
                "calendar.no_working_hours", "Phải có ít nhất một khoảng giờ làm việc."
            )
        previous_end: time | None = None
        for start, end in self.intervals:
            if not start < end:
                raise DeadlineError(
                    "calendar.invalid_interval",
                    f"Giờ bắt đầu {start:%H:%M} phải trước giờ kết thúc {end:%H:%M}.",
                )
            if previous_end is not None and start < previous_end:
                raise DeadlineError(
                    "calendar.overlapping_intervals",
                    "Các khoảng giờ làm việc phải theo thứ tự và không chồng lên nhau.",
                )
            previous_end = end

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """Parse ``"08:00-12:00, 13:00-17:00"``."""
        try:
            pairs = []
            for chunk in text.replace("–", "-").split(","):
                start, end = (time.fromisoformat(p.strip()) for p in chunk.split("-"))
                pairs.append((start, end))
        except ValueError:
            raise DeadlineError(
                "calendar.invalid_hours",
                f"Giờ làm việc «{text}» không đúng dạng 08:00-12:00, 13:00-17:00.",
            ) from None
        return cls(tuple(pairs))

    def __str__(self) -> str:
        return ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in self.intervals)


DEFAULT_HOURS = WorkingHours()


def _time_us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond


def _cutoff_us(cutoff: time | None) -> int:
    return _NO_CUTOFF_US if cutoff is None else _time_us(cutoff)


def _out_of_range(first_year: int, last_year: int) -> DeadlineError:
    return DeadlineError(
        "calendar.out_of_range",
        f"Thời điểm nằm ngoài phạm vi lịch làm việc ({first_year}–{last_year}).",
    )


@dataclass(frozen=True)
class Deadline:
    """A dossier's due date with its history: one extension at most, original kept."""

    due_at: datetime | None
    original_due_at: datetime | None = None
    extended: bool = False

    @classmethod
    def initial(cls, due_at: datetime | None) -> Deadline:
        return cls(due_at=due_at, original_due_at=due_at, extended=False)


class Calendar:
    """A working calendar: weekends, holidays, make-up days and working hours.

    ``exceptions`` maps a date to ``True`` (a working day, e.g. a make-up Saturday)
    or ``False`` (a day off); other days follow ``weekend`` (Saturday, Sunday).
    Instants may be aware (any zone) or naive (read as local time in ``tz``).
    Returned instants are aware, in ``tz``.
    """

    def __init__(
        self,
        exceptions: Mapping[date, bool] | None = None,
        *,
        hours: WorkingHours = DEFAULT_HOURS,
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
        weekend: Iterable[int] = (5, 6),
        same_day_cutoff: time | None = SAME_DAY_CUTOFF,
        tz: tzinfo = VN_TZ,
        days: Iterable[CalendarDay] = (),
    ) -> None:
        self.hours = hours
        self.first_year = first_year
        self.last_year = last_year
        self.tz = tz
        self.same_day_cutoff = same_day_cutoff
        self.days: tuple[CalendarDay, ...] = tuple(days)
        self._cutoff_us = _cutoff_us(same_day_cutoff)
        self._starts = tuple(_time_us(s) for s, _ in hours.intervals)
        self._ends = tuple(_time_us(e) for _, e in hours.intervals)
        cum, total = [], 0
        for s, e in zip(self._starts, self._ends, strict=True):
            cum.append(total)
            total += e - s
        self._cum = tuple(cum)
        self._spans = tuple(zip(self._starts, self._ends, self._cum, strict=True))
        self._day_us = total
        self._close_us = self._ends[-1]
        self._build_days(exceptions or {}, frozenset(weekend))

    def with_cutoff(self, cutoff: time | None) -> Calendar:
        """This calendar with another same-day cut-off (None: none, a dossier
        received on a working day is due at its close). Cheap: the day tables
        are shared, not rebuilt, so a caller may ask per dossier."""
        if cutoff == self.same_day_cutoff:
            return self
        other = copy.copy(self)
        other.same_day_cutoff = cutoff
        other._cutoff_us = _cutoff_us(cutoff)
        return other

    def _build_days(
        self, exceptions: Mapping[date, bool], weekend: frozenset[int]
    ) -> None:
        first = date(self.first_year, 1, 1)
        self._base = first.toordinal()
        n = date(self.last_year, 12, 31).toordinal() - self._base + 1
        is_working = bytearray(n)
        index = [0] * n  # working days strictly before each day
        midnights: list[datetime] = []
        count = 0
        one_day = timedelta(days=1)
        day = datetime(first.year, 1, 1, tzinfo=self.tz)
        weekday = first.weekday()
        for i in range(n):
            working = exceptions.get(day.date())
            if working is None:
                working = weekday not in weekend
            index[i] = count
            if working:
                is_working[i] = 1
                midnights.append(day)
                count += 1
            day += one_day
            weekday = (weekday + 1) % 7
        self._is_working = bytes(is_working)
        self._index = index
        self._midnights = midnights
        self._n_days = n

    # ----------------------------------------------------------------- days
    def _day(self, d: date) -> int:
        i = d.toordinal() - self._base
        if not 0 <= i < self._n_days:
            raise _out_of_range(self.first_year, self.last_year)
        return i

    def is_working_day(self, d: date) -> bool:
        return bool(self._is_working[self._day(d)])

    def next_working_day(self, d: date, *, include: bool = True) -> date:
        """The first working day on or after ``d`` (strictly after if not include)."""
        i = self._day(d)
        k = self._index[i] + (1 if (not include and self._is_working[i]) else 0)
        return self._working_midnight(k).date()

    def working_days_between(self, first: date, last: date) -> int:
        """Number of working days in ``[first, last]``."""
        i, j = self._day(first), self._day(last)
        if j < i:
            return 0
        return self._index[j] + self._is_working[j] - self._index[i]

    def _working_midnight(self, k: int) -> datetime:
        if not 0 <= k < len(self._midnights):
            raise _out_of_range(self.first_year, self.last_year)
        return self._midnights[k]

    def day_close(self, d: date) -> datetime:
        """The close of business of working day ``d`` (e.g. 17:00)."""
        i = self._day(d)
        if not self._is_working[i]:
            raise DeadlineError(
                "calendar.not_working_day",
                f"Ngày {d:%d/%m/%Y} không phải ngày làm việc.",
            )
        return self._midnights[self._index[i]] + timedelta(microseconds=self._close_us)

    # ------------------------------------------------------ working-time line
    def _local(self, instant: datetime) -> datetime:
        if instant.tzinfo is None:
            return instant
        return instant.astimezone(self.tz)

    def _split(self, instant: datetime) -> tuple[int, int]:
        """(day index, microseconds since local midnight)."""
        local = self._local(instant)
        i = local.toordinal() - self._base
        if not 0 <= i < self._n_days:
            raise _out_of_range(self.first_year, self.last_year)
        tod = (
            (local.hour * 60 + local.minute) * 60 + local.second
        ) * _US + local.microsecond
        return i, tod

    def position(self, instant: datetime) -> int:
        """Working microseconds from the calendar's origin to ``instant``."""
        i, tod = self._split(instant)
        k = self._index[i]
        if not self._is_working[i]:
            return k * self._day_us
        for s, e, c in self._spans:
            if tod < s:
                return k * self._day_us + c
            if tod < e:
                return k * self._day_us + c + tod - s
        return (k + 1) * self._day_us

    def _at(self, position: int, *, at_end: bool) -> datetime:
        """The instant at ``position``; ``at_end`` picks an interval's end over
        the next opening when both are the same point on the line."""
        day_us = self._day_us
        if at_end and position > 0:
            k, offset = divmod(position - 1, day_us)
            offset += 1
            for s, e, c in self._spans:
                if offset <= c + e - s:
                    return self._working_midnight(k) + timedelta(
                        microseconds=s + offset - c
                    )
        k, offset = divmod(position, day_us)
        for s, e, c in self._spans:
            if offset < c + e - s:
                return self._working_midnight(k) + timedelta(
                    microseconds=s + offset - c
                )
        raise AssertionError("unreachable: offset < day length")  # pragma: no cover

    def start_of(self, instant: datetime) -> datetime:
        """Where the clock starts: ``instant`` inside working time, else the next
        opening (Decree 61/2018 Art. 18: reception out of hours counts from the next
        working moment)."""
        i, tod = self._split(instant)
        if self._is_working[i]:
            for s, e in zip(self._starts, self._ends, strict=True):
                if s <= tod < e:
                    return self._local(instant).replace(tzinfo=self.tz)
        return self._at(self.position(instant), at_end=False)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two instants (negative when ``end`` < ``start``)."""
        return timedelta(microseconds=self.position(end) - self.position(start))

    def add_working_time(self, instant: datetime, amount: timedelta) -> datetime:
        """The instant when ``amount`` of working time has run from ``instant``.

        With a zero amount an instant inside working time or at an interval's end
        (a due date at 17:00) stays put; any other instant moves to the next opening.
        """
        us = (amount.days * 86_400 + amount.seconds) * _US + amount.microseconds
        if us < 0:
            raise DeadlineError("deadline.negative_duration", "Thời hạn không được âm.")
        position = self.position(instant)
        if us == 0:
            same = self._at(position, at_end=True)
            return same if same == instant else self.start_of(instant)
        return self._at(position + us, at_end=True)

    # ------------------------------------------------------------------ rules
    def due(
        self, start: datetime, unit: Unit | str, duration: object = None
    ) -> datetime | None:
        """The due instant of a dossier received at ``start`` (None: no due date)."""
        unit = unit if isinstance(unit, Unit) else Unit.parse(unit)
        if unit is Unit.WORKING_HOURS or unit is Unit.WORKING_DAYS:
            hours: int | Fraction
            if type(duration) is int and 0 <= duration <= MAX_DURATION:
                hours = duration
            else:
                hours = parse_duration(duration, unit)
            if unit is Unit.WORKING_DAYS:
                hours = hours * WORKING_DAY_HOURS
            us = round(hours * _HOUR)
            if us == 0:
                return self.start_of(start)
            return self._at(self.position(start) + us, at_end=True)
        if unit is Unit.SAME_DAY:
            return self._same_day(start)
        if unit is Unit.CALENDAR_DAYS:
            days = parse_duration(duration, unit)
            first_date = self.start_of(start).date()
            return self._calendar_days(first_date, int(days))
        if unit is Unit.IMMEDIATE:
            return self.start_of(start)
        return None

    def _same_day(self, received: datetime) -> datetime:
        """Decree 61/2018 Art. 18: received on a working day at or before the
        cut-off (15:00; the dossier's rule, see ``with_cutoff``) → close of that
        day; otherwise → close of the next working day."""
        i, tod = self._split(received)
        k = self._index[i]
        if self._is_working[i] and tod > self._cutoff_us:
            k += 1
        return self._working_midnight(k) + timedelta(microseconds=self._close_us)

    def _calendar_days(self, first_date: date, days: int) -> datetime:
        target = first_date + timedelta(days=days)
        i = self._day(target)
        k = self._index[i]  # the target itself if working, else the next one
        return self._working_midnight(k) + timedelta(microseconds=self._close_us)

    # ------------------------------------------------------- pause, extension
    def due_after_supplement(
        self,
        *,
        policy: SupplementPolicy | str,
        unit: Unit | str,
        duration: object,
        due_at: datetime | None,
        paused_at: datetime,
        resumed_at: datetime,
    ) -> datetime | None:
        """The due date once a complete dossier is back after a supplement request.

        ``restart`` (default; Decree 61/2018 Art. 19(4)): the whole legal time runs
        again from the resubmission. ``shift``: the due date moves by the working
        time the dossier spent waiting.
        """
        policy = SupplementPolicy.parse(policy)
        if resumed_at < paused_at:
            raise DeadlineError(
                "deadline.resumed_before_pause",
                "Thời điểm bổ sung hồ sơ không được trước thời điểm yêu cầu bổ sung.",
            )
        if policy is SupplementPolicy.RESTART:
            return self.due(resumed_at, unit, duration)
        if due_at is None:
            return None
        return self.add_working_time(due_at, self.elapsed(paused_at, resumed_at))

    def extend(
        self,
        deadline: Deadline,
        new_due_at: datetime,
        *,
        now: datetime,
        override: bool = False,
        notice_days: int = 1,
        once: bool = True,
    ) -> Deadline:
        """Reschedule (Decree 61/2018 Art. 19(8)(c)): the apology slip must be
        issued at least ``notice_days`` working days before the due date, the new
        date is later, and the original due date is kept; ``once``: a dossier
        already extended is not extended again. Both values are the dossier's
        law rules (``extension.notice``, ``extension.limit``), given by the
        caller. ``override`` (an administrator) waives the notice only."""
        if once and deadline.extended:
            raise DeadlineError(
                "deadline.already_extended",
                "Hồ sơ đã được gia hạn một lần; không được hẹn lại lần thứ hai.",
            )
        if deadline.due_at is None:
            raise DeadlineError(
                "deadline.no_due_date",
                "Hồ sơ không có hạn giải quyết nên không gia hạn.",
            )
        if new_due_at <= deadline.due_at:
            raise DeadlineError(
                "deadline.extension_not_later",
                "Ngày hẹn mới phải sau hạn giải quyết hiện tại.",
            )
        # The new date must be a day of the calendar (year 9999 is not).
        try:
            self._day(new_due_at.astimezone(self.tz).date())
        except OverflowError:
            raise _out_of_range(self.first_year, self.last_year) from None
        notice = self.elapsed(now, deadline.due_at)
        if not override and notice < timedelta(hours=WORKING_DAY_HOURS * notice_days):
            raise DeadlineError(
                "deadline.extension_too_late",
                f"Phải xin lỗi và hẹn lại chậm nhất {notice_days:02d} ngày làm việc "
                "trước hạn trả kết quả.",
            )
        return Deadline(
            due_at=new_due_at,
            original_due_at=deadline.original_due_at or deadline.due_at,
            extended=True,
        )

    # ---------------------------------------------------------------- listing
    def exceptions_in_year(self, year: int) -> list[CalendarDay]:
        """The year's holidays, days off and make-up working days, by date."""
        return sorted(
            (d for d in self.days if d.date.year == year), key=lambda d: d.date
        )

    def working_days_in_year(self, year: int) -> int:
        return self.working_days_between(date(year, 1, 1), date(year, 12, 31))


def merge_days(*layers: Iterable[CalendarDay]) -> list[CalendarDay]:
    """Merge exception layers; a later layer's entry for a date replaces earlier ones
    (law < national override < agency override)."""
    merged: dict[date, CalendarDay] = {}
    for layer in layers:
        for day in layer:
            merged[day.date] = day
    return [merged[d] for d in sorted(merged)]


def calendar_from_days(
    days: Iterable[CalendarDay],
    *,
    hours: WorkingHours = DEFAULT_HOURS,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
) -> Calendar:
    """A calendar whose exceptions are ``days`` (already merged)."""
    days = list(days)
    return Calendar(
        {d.date: d.working for d in days},
        hours=hours,
        first_year=first_year,
        last_year=last_year,
        days=days,
    )


__all__ = [
    "DEFAULT_HOURS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "SAME_DAY_CUTOFF",
    "UNITS_WITH_DURATION",
    "UNIT_LABELS_VI",
    "VN_TZ",
    "Calendar",
    "CalendarDay",
    "Deadline",
    "DeadlineError",
    "Source",
    "SupplementPolicy",
    "Unit",
    "WorkingHours",
    "calendar_from_days",
    "merge_days",
    "parse_duration",
]
