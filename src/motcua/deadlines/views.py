"""Public pages of the working calendar: the year view and the due-date calculator.

Thin views: the rules are the engine's (``engine.Calendar``), the calendars come from
``services.calendar_for``; this module only lays a year out as month grids and puts
the engine's answer into words. Bad input is a 400 page with the Vietnamese message,
never a 500.
"""

from __future__ import annotations

import calendar as pycalendar
import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.core import clock
from motcua.core.errors import DomainError

from .engine import (
    FIRST_YEAR,
    LAST_YEAR,
    UNIT_LABELS_VI,
    Calendar,
    CalendarDay,
    DeadlineError,
    Source,
    Unit,
)
from .forms import UNITS_WITHOUT_DURATION, CalendarYearForm, DueDateForm
from .national import culture_day, tet_schedule_pending
from .services import calendar_for, calendar_on
from .templatetags.motcua_dates import (
    MONTH_NAMES,
    WEEKDAY_HEADERS,
    vn_date,
    vn_datetime,
    vn_day,
    weekday_name,
)

_MONTHS = pycalendar.Calendar(firstweekday=0)  # weeks start on Monday
_MAX_LISTED_DAYS_OFF = 12


class DayKind(enum.StrEnum):
    WORKING = "working"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    SUBSTITUTE = "substitute"  # nghỉ bù
    MAKEUP = "makeup"  # làm việc bù
    OVERRIDE = "override"  # set by an administrator


# Colour is never the only cue: every exception carries a symbol and a text.
DAY_KINDS: dict[DayKind, tuple[Any, str]] = {
    DayKind.WORKING: (pgettext_lazy("loại ngày", "Ngày làm việc"), ""),
    DayKind.WEEKEND: (gettext_lazy("Nghỉ cuối tuần"), ""),
    DayKind.HOLIDAY: (gettext_lazy("Nghỉ lễ, Tết"), "★"),
    DayKind.SUBSTITUTE: (gettext_lazy("Nghỉ bù"), "◆"),
    DayKind.MAKEUP: (gettext_lazy("Làm việc bù"), "▲"),
    DayKind.OVERRIDE: (gettext_lazy("Quản trị điều chỉnh"), "✎"),
}
SOURCE_LABELS = {
    Source.LAW: gettext_lazy("Luật định"),
    Source.SUBSTITUTE: gettext_lazy("Nghỉ bù / làm bù"),
    Source.OVERRIDE: gettext_lazy("Quản trị điều chỉnh"),
}


@dataclass(frozen=True)
class DayCell:
    date: date
    kind: DayKind
    working: bool
    label: str
    symbol: str
    title: str
    today: bool


@dataclass(frozen=True)
class Month:
    name: str
    weeks: list[list[DayCell | None]]


@dataclass(frozen=True)
class ExceptionRow:
    date: date
    weekday: str
    name: str
    working: bool
    kind: DayKind
    symbol: str
    source: str


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _day_name(day: CalendarDay) -> str:
    return (day.name_en or day.name) if _english() else day.name


def _kind_of(day: CalendarDay) -> DayKind:
    if day.source is Source.OVERRIDE:
        return DayKind.OVERRIDE
    if day.working:
        return DayKind.MAKEUP
    return DayKind.SUBSTITUTE if day.source is Source.SUBSTITUTE else DayKind.HOLIDAY


def _cell(
    calendar: Calendar, d: date, special: CalendarDay | None, today: date
) -> DayCell:
    if special is not None:
        kind, working = _kind_of(special), special.working
    else:
        working = calendar.is_working_day(d)
        kind = DayKind.WORKING if working else DayKind.WEEKEND
    label, symbol = DAY_KINDS[kind]
    title = f"{capfirst(vn_day(d))} — {label}"
    if special is not None:
        title += f": {_day_name(special)}"
        if kind is DayKind.OVERRIDE:
            title += " (" + (_("làm việc") if working else _("nghỉ")) + ")"
    return DayCell(d, kind, working, str(label), symbol, title, d == today)


def year_grid(calendar: Calendar, year: int, today: date) -> list[Month]:
    """Twelve Monday-first month grids; days of other months are ``None``."""
    specials = {d.date: d for d in calendar.exceptions_in_year(year)}
    months = []
    for month in range(1, 13):
        weeks = [
            [
                _cell(calendar, d, specials.get(d), today) if d.month == month else None
                for d in week
            ]
            for week in _MONTHS.monthdatescalendar(year, month)
        ]
        months.append(Month(str(MONTH_NAMES[month - 1]), weeks))
    return months


def exception_rows(calendar: Calendar, year: int) -> list[ExceptionRow]:
    rows = []
    for day in calendar.exceptions_in_year(year):
        kind = _kind_of(day)
        rows.append(
            ExceptionRow(
                date=day.date,
                weekday=capfirst(weekday_name(day.date)),
                name=_day_name(day),
                working=day.working,
                kind=kind,
                symbol=DAY_KINDS[kind][1],
                source=str(SOURCE_LABELS[day.source]),
            )
        )
    return rows


@dataclass(frozen=True)
class CultureDayNote:
    """24/11 of the year shown: a working day unless an administrator made it a
    day off (``national.culture_day``)."""

    date: date
    weekday: str
    day_off: bool  # an override makes it a day off
    weekend: bool
    add_url: str | None  # the override form, for those who may add one


def culture_day_note(
    calendar: Calendar, year: int, request: HttpRequest
) -> CultureDayNote | None:
    day = culture_day(year)
    if day is None:
        return None
    override = next(
        (
            d
            for d in calendar.exceptions_in_year(year)
            if d.date == day and d.source is Source.OVERRIDE
        ),
        None,
    )
    add_url = None
    if override is None and request.user.has_perm("deadlines.add_calendaroverride"):
        prefill = {
            "date": day.isoformat(),
            "working": "False",
            "reason": _("Ngày Văn hóa Việt Nam"),
        }
        add_url = (
            f"{reverse('admin:deadlines_calendaroverride_add')}?{urlencode(prefill)}"
        )
    return CultureDayNote(
        date=day,
        weekday=weekday_name(day),
        day_off=override is not None and not override.working,
        weekend=day.weekday() >= 5,
        add_url=add_url,
    )


def _year_url(year: int, agency: Agency | None) -> str:
    query = {"year": year} | ({"agency": agency.code} if agency else {})
    return f"{reverse('calendar:year')}?{urlencode(query)}"


def calendar_page(request: HttpRequest) -> HttpResponse:
    """The working calendar of a year, nationally or for one agency."""
    today = clock.today()
    form = CalendarYearForm(
        {
            "year": request.GET.get("year") or str(today.year),
            "agency": request.GET.get("agency", ""),
        },
        default_year=today.year,
    )
    context: dict[str, Any] = {
        "form": form,
        "legend": [
            (kind.value, label, symbol) for kind, (label, symbol) in DAY_KINDS.items()
        ],
        "weekday_headers": WEEKDAY_HEADERS,
    }
    if not form.is_valid():
        return render(request, "deadlines/calendar.html", context, status=400)
    year: int = form.cleaned_data["year"]
    agency: Agency | None = form.cleaned_data["agency"]
    calendar = calendar_for(agency)
    context |= {
        "year": year,
        "agency": agency,
        "hours": str(calendar.hours),
        "months": year_grid(calendar, year, today),
        "exceptions": exception_rows(calendar, year),
        "culture_day": culture_day_note(calendar, year, request),
        "tet_pending": tet_schedule_pending(year),
        "working_days": calendar.working_days_in_year(year),
        "previous_url": _year_url(year - 1, agency) if year > FIRST_YEAR else None,
        "next_url": _year_url(year + 1, agency) if year < LAST_YEAR else None,
        "today_url": _year_url(today.year, agency) if year != today.year else None,
    }
    return render(request, "deadlines/calendar.html", context)


# ------------------------------------------------------------ due-date calculator
@dataclass
class DueResult:
    received: datetime
    clock_start: datetime
    due_at: datetime | None
    unit: Unit
    unit_label: str
    duration: str
    agency: Agency | None
    hours: str
    notes: list[str] = field(default_factory=list)


def _number(value: Fraction) -> str:
    return number_format(value.numerator if value.denominator == 1 else float(value))


def _same_day_note(calendar: Calendar, received: datetime, due_at: datetime) -> str:
    if not calendar.is_working_day(received.date()):
        return _("Nhận vào ngày nghỉ nên hạn là cuối ngày làm việc tiếp theo.")
    at = calendar.same_day_cutoff
    if at is None:
        return _("Nhận trong ngày làm việc nên hạn là cuối ngày hôm đó.")
    cutoff = {"cutoff": at.hour if not at.minute else at.strftime("%H:%M")}
    if due_at.date() == received.date():
        return (
            _(
                "Nhận trước hoặc đúng %(cutoff)s giờ của ngày làm việc "
                "nên hạn là cuối ngày hôm đó."
            )
            % cutoff
        )
    return (
        _("Nhận sau %(cutoff)s giờ nên hạn là cuối ngày làm việc tiếp theo.") % cutoff
    )


def _duration_note(unit: Unit, duration: str) -> str:
    values = {"n": duration}
    if unit is Unit.WORKING_HOURS:
        return (
            _(
                "Cộng %(n)s giờ làm việc; ngoài giờ làm việc, cuối tuần và ngày nghỉ "
                "không được tính."
            )
            % values
        )
    if unit is Unit.WORKING_DAYS:
        return (
            _(
                "Cộng %(n)s ngày làm việc (mỗi ngày 8 giờ làm việc); cuối tuần và ngày "
                "nghỉ không được tính."
            )
            % values
        )
    if unit is Unit.CALENDAR_DAYS:
        return (
            _(
                "Cộng %(n)s ngày theo lịch; nếu ngày cuối là ngày nghỉ thì hạn là cuối "
                "ngày làm việc kế tiếp."
            )
            % values
        )
    return _("Giải quyết ngay: hạn là thời điểm bắt đầu tính.")


def _days_off_note(calendar: Calendar, first: date, last: date) -> str | None:
    """The holidays and days off (weekdays) skipped between clock start and due."""
    skipped = [
        d
        for year in range(first.year, last.year + 1)
        for d in calendar.exceptions_in_year(year)
        if first <= d.date <= last and not d.working and d.date.weekday() < 5
    ]
    if not skipped:
        return None
    if len(skipped) > _MAX_LISTED_DAYS_OFF:
        return _("Không tính %(n)s ngày nghỉ lễ, Tết, nghỉ bù trong khoảng này.") % {
            "n": len(skipped)
        }
    listed = "; ".join(f"{vn_date(d.date)} ({_day_name(d)})" for d in skipped)
    return _("Không tính các ngày nghỉ: %(days)s.") % {"days": listed}


def explain(result: DueResult, calendar: Calendar) -> list[str]:
    """The engine's answer in words (same-day: the cut-off of the received
    day's law rule, Decree 61/2018 Art. 18 until 30/06/2025)."""
    received = result.received.astimezone(calendar.tz)
    due_at = result.due_at
    if due_at is None:
        return [_("Thủ tục không quy định thời hạn nên không có hạn trả kết quả.")]
    if result.unit is Unit.SAME_DAY:
        notes = [_same_day_note(calendar, received, due_at)]
    else:
        if result.clock_start == received:
            notes = [_("Nhận trong giờ làm việc: bắt đầu tính ngay từ lúc nhận.")]
        else:
            notes = [
                _("Nhận ngoài giờ làm việc: bắt đầu tính từ %(start)s.")
                % {"start": vn_datetime(result.clock_start)}
            ]
        notes.append(_duration_note(result.unit, result.duration))
    skipped = _days_off_note(calendar, result.clock_start.date(), due_at.date())
    if skipped:
        notes.append(skipped)
    special = next(
        (
            d
            for d in calendar.exceptions_in_year(due_at.year)
            if d.date == due_at.date()
        ),
        None,
    )
    if special is not None and special.working:
        notes.append(
            _("%(date)s là ngày làm việc: %(name)s.")
            % {"date": vn_date(due_at), "name": _day_name(special)}
        )
    return notes


def compute_due(cleaned: dict[str, Any]) -> DueResult:
    """Ask the agency's calendar for the due date of the form's dossier."""
    agency: Agency | None = cleaned["agency"]
    unit: Unit = cleaned["unit"]
    duration: Fraction | None = cleaned["duration"]
    received: datetime = cleaned["received"]
    calendar = calendar_on(agency, received)  # the cut-off of that day's law
    result = DueResult(
        received=received,
        clock_start=calendar.start_of(received),
        due_at=calendar.due(received, unit, duration),
        unit=unit,
        unit_label=_(UNIT_LABELS_VI[unit]),
        duration=_number(duration) if duration is not None else "",
        agency=agency,
        hours=str(calendar.hours),
    )
    result.notes = explain(result, calendar)
    return result


def due_page(request: HttpRequest) -> HttpResponse:
    """The due-date calculator (GET form; without parameters, an empty form)."""
    context: dict[str, Any] = {
        "units_without_duration": [u.value for u in UNITS_WITHOUT_DURATION],
    }
    if not request.GET:
        context["form"] = DueDateForm(initial={"unit": Unit.WORKING_DAYS.value})
        return render(request, "deadlines/due.html", context)
    form = DueDateForm(request.GET)
    context["form"] = form
    if form.is_valid():
        try:
            context["result"] = compute_due(form.cleaned_data)
        except (DeadlineError, DomainError) as exc:
            # e.g. a due date beyond the calendar's last year
            target = "duration" if exc.code.startswith("deadline.") else "received"
            form.add_error(target, exc.message)
    status = 200 if "result" in context else 400
    return render(request, "deadlines/due.html", context, status=status)
