"""The working calendar of an agency, built from the national calendar, national
overrides and the agency's own overrides and working hours, cached per process.

A calendar is rebuilt when its inputs change: the cache key is a fingerprint
(count and latest change of the relevant overrides, the agency's hours), read in
one small query, so an administrator's edit is seen by the next request in every
process without a restart. Within a request even that query is skipped while the
configuration stamp is unchanged (ADR 0032).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.db.models import Count, Max, Q

from motcua.agencies.models import Agency
from motcua.core import configstamp
from motcua.core.errors import DomainError
from motcua.law.procedure import Day, same_day_cutoff

from .engine import (
    DEFAULT_HOURS,
    Calendar,
    CalendarDay,
    Source,
    calendar_from_days,
    merge_days,
)
from .models import CalendarOverride
from .national import national_days

_cache: dict[object, Calendar] = {}
_lock = threading.Lock()
_MAX_CACHED = 1024
_pinned: ContextVar[dict[int | None, Calendar] | None] = ContextVar(
    "motcua_pinned_calendars", default=None
)


@contextmanager
def pinned_calendars() -> Iterator[None]:
    """Within the block, each agency's calendar is looked up once and reused
    without re-checking for admin changes: for bulk work (historical import, demo
    generation) where the calendar cannot change underneath. Nested blocks share
    the outer one's calendars."""
    outer = _pinned.get()
    token = _pinned.set({} if outer is None else outer)
    try:
        yield
    finally:
        _pinned.reset(token)


def get_agency(code: str) -> Agency:
    """The agency with this code; an unknown code is bad input (400)."""
    try:
        return Agency.objects.get(code=code.strip())
    except Agency.DoesNotExist:
        raise DomainError(
            "agency.unknown", f"Không có cơ quan nào mang mã «{code}»."
        ) from None


def _override_days(rows: list[CalendarOverride]) -> list[CalendarDay]:
    return [
        CalendarDay(
            row.date,
            row.working,
            row.reason,
            Source.OVERRIDE,
            name_en=row.reason,
            reason=row.reason,
        )
        for row in rows
    ]


def _overrides(agency: Agency | None) -> Q:
    scope = Q(agency__isnull=True)
    if agency is not None:
        scope |= Q(agency=agency)
    return scope


def calendar_for(agency: Agency | None = None) -> Calendar:
    """The working calendar of ``agency`` (the national one when None)."""
    pinned = _pinned.get()
    key_id = agency.pk if agency is not None else None
    if pinned is not None and key_id in pinned:
        return pinned[key_id]
    calendar = _current_calendar(agency)
    if pinned is not None:
        pinned[key_id] = calendar
    return calendar


def calendar_on(agency: Agency | None, when: Day) -> Calendar:
    """The calendar that applies to a dossier: the agency's, with the same-day
    cut-off of the dossier's law day (``when``: the dossier, or the instant or
    date of a reception; law rule ``sameday.cutoff``, ADR 0016)."""
    return calendar_for(agency).with_cutoff(same_day_cutoff(when))


_CALENDARS = configstamp.reader(
    "deadlines.calendar", "deadlines.CalendarOverride", "agencies.Agency"
)


def _current_calendar(agency: Agency | None) -> Calendar:
    """Within a request, the calendar kept under the configuration stamp (no
    query while no override changed, ADR 0032); else found by its fingerprint."""
    hours = agency.working_hours if agency is not None else str(DEFAULT_HOURS)
    return configstamp.kept(
        _CALENDARS,
        (agency.pk if agency else None, hours),
        lambda: _fingerprinted(agency, hours),
    )


def _fingerprinted(agency: Agency | None, hours: str) -> Calendar:
    stats = CalendarOverride.objects.filter(_overrides(agency)).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    key = (agency.pk if agency else None, stats["n"], stats["last"], hours)
    calendar = _cache.get(key)
    if calendar is not None:
        return calendar
    with _lock:
        calendar = _cache.get(key)
        if calendar is None:
            calendar = _build(agency)
            if len(_cache) >= _MAX_CACHED:
                _cache.clear()
            _cache[key] = calendar
    return calendar


def _build(agency: Agency | None) -> Calendar:
    rows = list(CalendarOverride.objects.filter(_overrides(agency)))
    national = [r for r in rows if r.agency_id is None]
    own = [r for r in rows if r.agency_id is not None]
    days = merge_days(national_days(), _override_days(national), _override_days(own))
    hours = agency.hours if agency is not None else DEFAULT_HOURS
    return calendar_from_days(days, hours=hours)


def due_for(
    start: datetime, unit: str, duration: object, agency: Agency | None = None
) -> datetime | None:
    """Convenience: the due instant under ``agency``'s calendar."""
    return calendar_for(agency).due(start, unit, duration)
