"""Figures for the leaders' board and the public transparency page.

All counts are grouped in the database (one query per figure family). The
public figures carry no personal data: only counts and rates of an agency.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek

from motcua.agencies.models import Agency
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers import timing
from motcua.dossiers.models import Channel, Dossier, Step

from .models import Rating
from .periods import Period, month

WEEKS = 12
MONTHS = 12


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1"))


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VN_TZ)


# ------------------------------------------------------------- figures
@dataclass(frozen=True)
class Figures:
    """Counts and rates of a set of agencies over a period (Biểu 06 rules for
    early / on time / late)."""

    received: int
    received_online: int
    settled: int
    early: int
    on_time: int
    late: int
    ratings: int
    satisfied: int

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.early + self.on_time, self.settled)

    @property
    def online_share(self) -> Decimal | None:
        return percent(self.received_online, self.received)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return percent(self.satisfied, self.ratings)


def figures(agencies: QuerySet[Agency], period: Period) -> Figures:
    dossiers = Dossier.objects.filter(agency__in=agencies)
    received = dossiers.filter(
        received_at__gte=period.start, received_at__lt=period.end
    ).aggregate(n=Count("id"), online=Count("id", filter=Q(channel=Channel.ONLINE)))
    settled = (
        dossiers.filter(finished_at__gte=period.start, finished_at__lt=period.end)
        .exclude(timing="")
        .aggregate(
            n=Count("id"),
            early=Count("id", filter=Q(timing=Dossier.Timing.EARLY)),
            on_time=Count("id", filter=Q(timing=Dossier.Timing.ON_TIME)),
            late=Count("id", filter=Q(timing=Dossier.Timing.LATE)),
        )
    )
    ratings = (
        Rating.objects.counted()
        .filter(agency__in=agencies, at__gte=period.start, at__lt=period.end)
        .aggregate(
            n=Count("id"), ok=Count("id", filter=~Q(level=Rating.Level.UNSATISFIED))
        )
    )
    return Figures(
        received=received["n"],
        received_online=received["online"],
        settled=settled["n"],
        early=settled["early"],
        on_time=settled["on_time"],
        late=settled["late"],
        ratings=ratings["n"],
        satisfied=ratings["ok"],
    )


# --------------------------------------------------------------- today
@dataclass(frozen=True)
class Today:
    day: date
    received: int
    due_today: int
    overdue: int
    overdue_by_unit: list[tuple[str, int]]


def today_figures(agencies: QuerySet[Agency], now: datetime) -> Today:
    day = now.astimezone(VN_TZ).date()
    start, end = _local_midnight(day), _local_midnight(day + timedelta(days=1))
    dossiers = Dossier.objects.filter(agency__in=agencies)
    # One rule (motcua.dossiers.timing): waiting for a supplement or a payment
    # is never overdue; overdue = its original due day is before today.
    counts = dossiers.aggregate(
        due_today=Count("id", filter=timing.due_today_q(now)),
        overdue=Count("id", filter=timing.overdue_q(now)),
    )
    received = dossiers.filter(received_at__gte=start, received_at__lt=end).count()
    return Today(
        day=day,
        received=received,
        due_today=counts["due_today"],
        overdue=counts["overdue"],
        overdue_by_unit=overdue_by_unit(dossiers.filter(timing.overdue_q(now))),
    )


def overdue_by_unit(overdue: QuerySet[Dossier]) -> list[tuple[str, int]]:
    """Overdue dossiers by the unit holding them: the unit of each active step
    (parallel steps: the dossier counts once at each unit), or the agency
    itself when no step is active (approved, the result not yet issued) — so
    every dossier of the "overdue" tile is in the chart."""
    active = Step.objects.filter(state=Step.State.ACTIVE)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    held = (
        active.filter(dossier__in=overdue)
        .values("agency_id", "agency__name")
        .annotate(n=Count("dossier", distinct=True))
    )
    unheld = (
        overdue.exclude(pk__in=active.values("dossier_id"))
        .values("agency_id", "agency__name")
        .annotate(n=Count("id"))
    )
    for r in (*held, *unheld):
        counts[r["agency_id"], r["agency__name"]] += r["n"]
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0]))
    return [(name, n) for (_, name), n in ordered]


# -------------------------------------------------------------- trends
@dataclass(frozen=True)
class TrendPoint:
    label: str
    received: int
    settled: int
    on_time_rate: Decimal | None
    online_share: Decimal | None
    satisfaction_rate: Decimal | None


def _by(
    rows: QuerySet[Any], field: str, trunc: Any, **counts: Any
) -> dict[date, dict[str, int]]:
    data = rows.annotate(k=trunc(field, tzinfo=VN_TZ)).values("k").annotate(**counts)
    return {r["k"].astimezone(VN_TZ).date(): r for r in data}


def _trend(
    agencies: QuerySet[Agency], start: datetime, end: datetime, trunc: Any
) -> dict[str, dict[date, dict[str, int]]]:
    dossiers = Dossier.objects.filter(agency__in=agencies)
    received = _by(
        dossiers.filter(received_at__gte=start, received_at__lt=end),
        "received_at", trunc,
        n=Count("id"), online=Count("id", filter=Q(channel=Channel.ONLINE)),
    )  # fmt: skip
    settled = _by(
        dossiers.filter(finished_at__gte=start, finished_at__lt=end).exclude(timing=""),
        "finished_at", trunc,
        n=Count("id"), ok=Count("id", filter=~Q(timing=Dossier.Timing.LATE)),
    )  # fmt: skip
    ratings = _by(
        Rating.objects.counted().filter(agency__in=agencies, at__gte=start, at__lt=end),
        "at", trunc,
        n=Count("id"), ok=Count("id", filter=~Q(level=Rating.Level.UNSATISFIED)),
    )  # fmt: skip
    return {"received": received, "settled": settled, "ratings": ratings}


def _point(
    label: str, key: date, data: dict[str, dict[date, dict[str, int]]]
) -> TrendPoint:
    empty = {"n": 0, "online": 0, "ok": 0}
    r = data["received"].get(key, empty)
    s = data["settled"].get(key, empty)
    v = data["ratings"].get(key, empty)
    return TrendPoint(
        label,
        r["n"],
        s["n"],
        percent(s["ok"], s["n"]),
        percent(r["online"], r["n"]),
        percent(v["ok"], v["n"]),
    )


def weekly_trend(agencies: QuerySet[Agency], today: date) -> list[TrendPoint]:
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=WEEKS - 1)
    data = _trend(
        agencies, _local_midnight(first), _local_midnight(monday + timedelta(7)),
        TruncWeek,
    )  # fmt: skip
    weeks = [first + timedelta(weeks=i) for i in range(WEEKS)]
    return [_point(f"{w:%d/%m}", w, data) for w in weeks]


def monthly_trend(agencies: QuerySet[Agency], today: date) -> list[TrendPoint]:
    y, m = today.year, today.month
    periods: list[Period] = []
    for _ in range(MONTHS):
        periods.append(month(y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    periods.reverse()
    data = _trend(agencies, periods[0].start, periods[-1].end, TruncMonth)
    return [_point(f"{p.first:%m/%Y}", p.first, data) for p in periods]
