"""Staff performance and bottlenecks ("khâu nào chậm"), from the steps of the
dossiers (who held each step, from when to when, against which budget).

Working time is measured with the working calendar of the agency that handled
the step (``calendar_for(step.agency).elapsed``), so nights, weekends and holidays
never count against an officer. Rows come in one query per table; only the
working-time arithmetic runs in Python, on plain tuples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from motcua.agencies.models import Agency
from motcua.core import clock
from motcua.core.names import display_name
from motcua.deadlines.engine import VN_TZ, Calendar
from motcua.deadlines.services import calendar_for
from motcua.dossiers import timing
from motcua.dossiers.models import Dossier, Event, Step
from motcua.dossiers.workflow import Action
from motcua.letters.selectors import out_of_hours_by_month

from .models import Rating
from .periods import Period

ENDED_STATES = (Step.State.DONE, Step.State.SENT_BACK)
HOUR = Decimal(3600)
Month = tuple[int, int]


class Calendars:
    """The working calendar of each agency, fetched once per report."""

    def __init__(self) -> None:
        self._by_id: dict[int, Calendar] = {}
        self._agencies: dict[int, Agency] = {}

    def elapsed(self, agency_id: int, start: datetime, end: datetime) -> timedelta:
        calendar = self._by_id.get(agency_id)
        if calendar is None:
            agency = Agency.objects.get(pk=agency_id)
            calendar = self._by_id[agency_id] = calendar_for(agency)
        if end <= start:
            return timedelta(0)
        return calendar.elapsed(start, end)


@dataclass(frozen=True)
class StepFacts:
    """The fields :mod:`motcua.dossiers.timing` reads of a step (rows come as
    plain tuples, not model instances)."""

    state: str
    ended_at: datetime | None
    due_at: datetime | None
    budget_hours: Decimal
    dossier: Any = None


@dataclass(frozen=True)
class DossierFacts:
    status: str


def hours(delta: timedelta) -> Decimal:
    return (Decimal(delta.total_seconds()) / HOUR).quantize(Decimal("0.01"))


def _month(instant: datetime) -> Month:
    local = instant.astimezone(VN_TZ)
    return local.year, local.month


# ------------------------------------------------------- staff performance
@dataclass
class OfficerMonth:
    user: Any
    month: Month
    steps: int = 0
    on_time: int = 0  # early or on time (slip 05's "Trước hạn" + "Đúng hạn")
    late: int = 0
    dossiers: set[int] = field(default_factory=set)
    working: timedelta = timedelta(0)
    ratings: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reminded: int = 0  # leaders' reminders addressed to the officer
    after_hours: int = 0  # receptions outside working hours (issue 13)

    def add_step(self, dossier_id: int, found: str, working: timedelta) -> None:
        """One ended step, with its ``timing.step_timing`` (``""``: none)."""
        self.steps += 1
        self.dossiers.add(dossier_id)
        self.on_time += found in (timing.EARLY, timing.ON_TIME)
        self.late += found == timing.LATE
        self.working += working

    @property
    def mean_hours(self) -> Decimal | None:
        return hours(self.working / self.steps) if self.steps else None

    @property
    def timed(self) -> int:
        """Steps with a budget of their own: the hand-over has no timing."""
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.timed:
            return None
        return (Decimal(self.on_time * 100) / self.timed).quantize(Decimal("0.1"))

    @property
    def ratings_total(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfied(self) -> int:
        return self.ratings_total - self.ratings.get(Rating.Level.UNSATISFIED, 0)


def staff_performance(agencies: QuerySet[Agency], period: Period) -> list[OfficerMonth]:
    """Per officer and month: steps ended, early or on time / late by the one
    rule (:func:`motcua.dossiers.timing.step_timing`: the end day against the
    step's due day; a step without a budget has no timing), distinct dossiers,
    mean working time per step, and the ratings of the dossiers they handled
    (by the rating's month)."""
    steps = Step.objects.filter(
        agency__in=agencies,
        state__in=ENDED_STATES,
        ended_at__gte=period.start,
        ended_at__lt=period.end,
    ).values_list(
        "assignee_id", "ended_by_id", "agency_id", "dossier_id",
        "started_at", "ended_at", "due_at", "budget_hours", "state",
    )  # fmt: skip
    calendars = Calendars()
    rows: dict[tuple[int, Month], OfficerMonth] = {}

    def row(officer: int, month: Month) -> OfficerMonth:
        key = (officer, month)
        if key not in rows:
            rows[key] = OfficerMonth(officer, month)
        return rows[key]

    for (
        assignee, ended_by, agency_id, dossier_id, started, ended, due, budget, state,
    ) in steps:  # fmt: skip
        officer = assignee or ended_by
        if officer is None or ended is None:
            continue
        row(officer, _month(ended)).add_step(
            dossier_id,
            timing.step_timing(StepFacts(state, ended, due, budget)),
            calendars.elapsed(agency_id, started, ended),
        )
    ratings = Rating.objects.counted().filter(
        agency__in=agencies, at__gte=period.start, at__lt=period.end
    )
    handled = (
        Step.objects.filter(dossier_id__in=ratings.values("dossier_id"))
        .exclude(assignee__isnull=True, ended_by__isnull=True)
        .values_list("dossier_id", "assignee_id", "ended_by_id")
        .distinct()
    )
    officers_of: dict[int, set[int]] = defaultdict(set)
    for dossier_id, assignee, ended_by in handled:
        officers_of[dossier_id].add(assignee or ended_by)
    rated = ratings.values_list("dossier_id", "officer_id", "level", "at")
    for dossier_id, on_duty, level, at in rated:
        # A dossier's rating goes to those who handled it; a kiosk rating of
        # the service (no dossier) to the officer on duty at the counter.
        officers = officers_of.get(dossier_id, ()) if dossier_id else {on_duty}
        for officer in officers:
            if officer is not None:
                row(officer, _month(at)).ratings[level] += 1
    _count_reminders(agencies, period, row)
    _count_after_hours(agencies, period, row)
    users = get_user_model().objects.in_bulk({k[0] for k in rows})
    for r in rows.values():
        r.user = users.get(r.user)
    return sorted(rows.values(), key=lambda r: (r.month, str(r.user)))


def _count_after_hours(
    agencies: QuerySet[Agency],
    period: Period,
    row: Callable[[int, Month], OfficerMonth],
) -> None:
    """Receptions outside working hours («làm hết việc chứ không làm hết
    giờ») by the officer who received, in the month received."""
    after = out_of_hours_by_month(agencies, period.start, period.end)
    for (officer, month), n in after.items():
        row(officer, month).after_hours += n


def _count_reminders(
    agencies: QuerySet[Agency],
    period: Period,
    row: Callable[[int, Month], OfficerMonth],
) -> None:
    """Leaders' reminders (``remind`` events) by the officer they named, in the
    month they were sent."""
    sent = Event.objects.filter(
        action=Action.REMIND,
        agency__in=agencies,
        at__gte=period.start,
        at__lt=period.end,
    ).values_list("at", "payload__to")
    named = [(at, to) for at, to in sent if to]
    ids = dict(
        get_user_model()
        .objects.filter(username__in={to for _, to in named})
        .values_list("username", "pk")
    )
    for at, to in named:
        if to in ids:
            row(ids[to], _month(at)).reminded += 1


# ------------------------------------------------------------ bottlenecks
@dataclass
class Held:
    """How long a step (or unit, or officer) held dossiers."""

    label: str
    count: int = 0
    active: int = 0  # still held at the end of the period
    late: int = 0
    total: timedelta = timedelta(0)
    longest: timedelta = timedelta(0)

    def add(self, held: timedelta, late: bool, active: bool) -> None:
        self.count += 1
        self.active += int(active)
        self.late += int(late)
        self.total += held
        self.longest = max(self.longest, held)

    @property
    def mean_hours(self) -> Decimal:
        return hours(self.total / self.count) if self.count else Decimal(0)

    @property
    def max_hours(self) -> Decimal:
        return hours(self.longest)


@dataclass
class LostTime:
    """Working time beyond the steps' budgets in late dossiers, by step name."""

    label: str
    steps: int = 0
    lost: timedelta = timedelta(0)
    share: Decimal = Decimal(0)  # % of all the time lost in late dossiers

    @property
    def lost_hours(self) -> Decimal:
        return hours(self.lost)


@dataclass
class Bottlenecks:
    by_step: list[Held]
    by_unit: list[Held]
    by_officer: list[Held]
    lost: list[LostTime]
    late_dossiers: int


def _sorted(groups: dict[Any, Held]) -> list[Held]:
    return sorted(groups.values(), key=lambda h: (-h.mean_hours, h.label))


def bottlenecks(agencies: QuerySet[Agency], period: Period) -> Bottlenecks:
    """Which step, unit and officer hold dossiers longest in ``period`` (steps
    ended in it, and steps still open at its end), and where the late dossiers
    settled in it lost their time."""
    cut = min(period.end, clock.now())
    rows = (
        Step.objects.filter(agency__in=agencies, started_at__lt=cut)
        .exclude(state=Step.State.CANCELLED)
        .exclude(ended_at__lt=period.start)
        .exclude(ended_at__gte=period.end)
        .values_list(
            "name", "agency_id", "agency__name", "assignee_id", "started_at",
            "ended_at", "due_at", "budget_hours", "state", "dossier__status",
        )
    )  # fmt: skip
    calendars = Calendars()
    by_step: dict[str, Held] = {}
    by_unit: dict[int, Held] = {}
    by_officer: dict[int, Held] = {}
    for (
        name, agency_id, agency_name, assignee, started, ended, due, budget, state,
        status,
    ) in rows:  # fmt: skip
        active = ended is None
        end = ended if ended is not None else cut
        held = calendars.elapsed(agency_id, started, end)
        late = step_late(
            StepFacts(state, ended, due, budget, DossierFacts(status)), cut
        )
        by_step.setdefault(name, Held(name)).add(held, late, active)
        by_unit.setdefault(agency_id, Held(agency_name)).add(held, late, active)
        if assignee is not None:
            by_officer.setdefault(assignee, Held(str(assignee))).add(held, late, active)
    users = get_user_model().objects.in_bulk(list(by_officer))
    for pk, h in by_officer.items():
        user = users.get(pk)
        h.label = display_name(user) if user else h.label
    lost, late_count = lost_time(agencies, period, calendars)
    return Bottlenecks(
        _sorted(by_step), _sorted(by_unit), _sorted(by_officer), lost, late_count
    )


def step_late(step: Any, cut: datetime) -> bool:
    """Late by the one rule (:mod:`motcua.dossiers.timing`): an ended step whose
    end day is after its due day, or a step still active at ``cut`` that is
    overdue then; a step without a budget (handing over the result) never is."""
    if step.ended_at is not None:
        return timing.step_timing(step) == timing.LATE
    return timing.step_state_at(step, cut) == timing.OVERDUE


def lost_time(
    agencies: QuerySet[Agency], period: Period, calendars: Calendars | None = None
) -> tuple[list[LostTime], int]:
    """For the late dossiers of ``agencies`` settled in ``period``: each step's
    working time beyond its budget, summed by step name, with its share."""
    calendars = calendars or Calendars()
    late = Dossier.objects.filter(
        agency__in=agencies,
        timing=Dossier.Timing.LATE,
        finished_at__gte=period.start,
        finished_at__lt=period.end,
    )
    rows = (
        Step.objects.filter(dossier__in=late, budget_hours__gt=0)
        .exclude(state=Step.State.CANCELLED)
        .exclude(ended_at__isnull=True)
        .values_list("name", "agency_id", "started_at", "ended_at", "budget_hours")
    )
    by_name: dict[str, LostTime] = {}
    for name, agency_id, started, ended, budget in rows:
        if ended is None:
            continue
        held = calendars.elapsed(agency_id, started, ended)
        over = held - timedelta(hours=float(budget))
        if over > timedelta(0):
            item = by_name.setdefault(name, LostTime(name))
            item.steps += 1
            item.lost += over
    total = sum((item.lost for item in by_name.values()), timedelta(0))
    for item in by_name.values():
        item.share = (
            Decimal(item.lost / total * 100).quantize(Decimal("0.1"))
            if total
            else Decimal(0)
        )
    ordered = sorted(by_name.values(), key=lambda i: (-i.lost, i.label))
    return ordered, late.count()
