"""Early / on time / late, and overdue: the one definition of each
(ARCHITECTURE.md principle 8; DOMAIN.md §5–6; ADR 0006; docs/figures.md).

Every screen, slip, API field and figure asks this module:

* :func:`timing` — a finish against a due moment, compared by **local day**
  (Circular 01/2020/TT-VPCP, Biểu 06: finish date before / equal to / after the
  due date). The same rule for a dossier (against its *original* due date — an
  extension never helps) and for a step (against its own budget). No due date is
  on time. A step without its own budget (the hand-over) has no timing at all.
* :func:`state_at` — an open dossier (or active step) at an instant: ``paused``
  while waiting for a supplement or a payment (never overdue), ``overdue`` when
  finishing now would be late (its due day is before today), ``due_soon`` when
  due within one working day, else ``within``. Biểu 06 counts "overdue at the
  end of day D" with the same rule, so the leaders' board equals the report.
* :func:`overdue_q`, :func:`due_soon_q`, :func:`step_overdue_q` — the same rules
  as queryset filters, from the same constants.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q

from motcua.deadlines.engine import VN_TZ

from .workflow import ENDED, OPEN, PAUSED, WORKING

EARLY, ON_TIME, LATE = "early", "on_time", "late"
PAUSED_STATE, OVERDUE, DUE_SOON, WITHIN = "paused", "overdue", "due_soon", "within"

#: The due moment the rules measure a dossier against (extensions never help).
DOSSIER_DUE = "original_due_at"


def local_day(at: datetime) -> date:
    return at.astimezone(VN_TZ).date()


def day_start(at: datetime) -> datetime:
    """Local midnight starting the day of ``at``: a due moment before it is a
    due day before today."""
    return datetime.combine(local_day(at), time(0), tzinfo=VN_TZ)


def timing(finished_at: datetime | None, due_at: datetime | None) -> str:
    """``early`` / ``on_time`` / ``late`` (``""`` while not finished): the
    finish *day* against the due *day*; no due date counts as on time."""
    if finished_at is None:
        return ""
    due = None if due_at is None else local_day(due_at)
    return day_timing(local_day(finished_at), due)


def day_timing(done: date, due: date | None) -> str:
    """:func:`timing` on local days (the figures keep days, not instants)."""
    if due is None or done == due:
        return ON_TIME
    return EARLY if done < due else LATE


def first_overdue_day(due: date) -> date:
    """The first day at whose end a dossier due on ``due`` counts as overdue."""
    return due + timedelta(days=1)


def is_late_at(now: datetime, due_at: datetime | None) -> bool:
    """Finishing at ``now`` would be late."""
    return timing(now, due_at) == LATE


def has_budget(step: Any) -> bool:
    return bool(step.budget_hours) and step.due_at is not None


def step_timing(step: Any) -> str:
    """A finished step against its own budget; ``""`` while open, when
    cancelled, or without a budget of its own."""
    if step.ended_at is None or step.state == "cancelled" or not has_budget(step):
        return ""
    return timing(step.ended_at, step.due_at)


def budget_used(
    step: Any, now: datetime, elapsed: Callable[[datetime, datetime], timedelta]
) -> float | None:
    """The share (0…, 1 = all) of an active step's working-time budget used at
    ``now``, measured on the agency's calendar (``elapsed``, working time
    between two instants) from the step's start to its due date, which pauses
    have already moved; ``None`` for a step without a budget of its own."""
    if not has_budget(step) or step.ended_at is not None:
        return None
    budget = elapsed(step.started_at, step.due_at)
    if budget <= timedelta(0):
        return None
    return elapsed(step.started_at, now) / budget


def dossier_due(dossier: Any) -> datetime | None:
    return getattr(dossier, DOSSIER_DUE)


def state_at(dossier: Any, now: datetime, soon_until: datetime | None = None) -> str:
    """``""`` (not received or ended), ``paused``, ``overdue``, ``due_soon``
    (due at or before ``soon_until``, when given) or ``within``."""
    if dossier.status in ENDED or dossier.status not in OPEN:
        return ""
    if dossier.received_at is None:
        return ""
    if dossier.status in PAUSED:
        return PAUSED_STATE
    due = dossier_due(dossier)
    if is_late_at(now, due):
        return OVERDUE
    if due is not None and soon_until is not None and due <= soon_until:
        return DUE_SOON
    return WITHIN


def is_overdue(dossier: Any, now: datetime) -> bool:
    return state_at(dossier, now) == OVERDUE


def step_state_at(step: Any, now: datetime, soon_until: datetime | None = None) -> str:
    """An active step of a working dossier against its own budget (same rules;
    a step without budget, or of a paused dossier, is never overdue)."""
    if step.ended_at is not None or step.state != "active":
        return ""
    if step.dossier.status in PAUSED:
        return PAUSED_STATE
    if step.dossier.status not in WORKING or not has_budget(step):
        return WITHIN
    if is_late_at(now, step.due_at):
        return OVERDUE
    if soon_until is not None and step.due_at <= soon_until:
        return DUE_SOON
    return WITHIN


# ------------------------------------------------------------ as filters
def working_q(prefix: str = "") -> Q:
    """Received and not paused nor ended."""
    return Q(**{f"{prefix}status__in": WORKING, f"{prefix}received_at__isnull": False})


def overdue_q(now: datetime, prefix: str = "") -> Q:
    """Dossiers :func:`state_at` calls ``overdue`` at ``now``."""
    return working_q(prefix) & Q(**{f"{prefix}{DOSSIER_DUE}__lt": day_start(now)})


def due_soon_q(now: datetime, soon_until: datetime, prefix: str = "") -> Q:
    """Dossiers :func:`state_at` calls ``due_soon``."""
    return (
        working_q(prefix)
        & Q(**{f"{prefix}{DOSSIER_DUE}__gte": day_start(now)})
        & Q(**{f"{prefix}{DOSSIER_DUE}__lte": soon_until})
    )


def due_today_q(now: datetime, prefix: str = "") -> Q:
    """Working dossiers whose due day is today (not yet overdue)."""
    start = day_start(now)
    return (
        working_q(prefix)
        & Q(**{f"{prefix}{DOSSIER_DUE}__gte": start})
        & Q(**{f"{prefix}{DOSSIER_DUE}__lt": start + timedelta(days=1)})
    )


def step_overdue_q(now: datetime) -> Q:
    """Steps :func:`step_state_at` calls ``overdue`` at ``now``."""
    return (
        Q(state="active", ended_at__isnull=True, budget_hours__gt=0)
        & Q(due_at__lt=day_start(now))
        & working_q("dossier__")
    )
