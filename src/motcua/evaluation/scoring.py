"""Circular 01/2018/TT-VPCP scores of an agency and of its staff for a quarter
or a year (Art. 12–15), computed from the dossier history and the ratings.

The dossiers counted are those of the agency settled (``finished_at``) in the
period. Facts come in a fixed number of queries (dossiers, steps, supplement
events, consultations, ratings) whatever the number of dossiers; the points are
then computed per dossier by the pure rules of ``circular01``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from motcua.agencies.models import Agency
from motcua.dossiers.models import Consultation, Dossier, Event, Step
from motcua.dossiers.workflow import Action
from motcua.feedback.selectors import feedback_on_time

from . import circular01 as c01
from .models import EvaluatorScore, Rating
from .periods import Period

MEASURED_STEP_STATES = (Step.State.DONE, Step.State.SENT_BACK)


@dataclass
class DossierFacts:
    timing: str
    has_decision: bool
    listed: bool
    supplements: int = 0
    agencies: set[int] = field(default_factory=set)
    steps: list[tuple[datetime, datetime, int | None]] = field(default_factory=list)
    rating: tuple[str, int | None, int | None] | None = None  # level, contacts, att.

    def points(self, number: int, officer: int | None = None) -> int | None:
        if number == 1:
            return c01.timing_points(self.timing)
        if number == 2:
            mine = [(e, d) for e, d, who in self.steps if officer in (None, who)]
            return c01.steps_points(mine)
        if number == 3:
            if self.rating and self.rating[1] is not None:
                return self.rating[1]
            return c01.count_points(self.supplements, c01.CONTACT_POINTS)
        if number == 4:
            return c01.count_points(len(self.agencies), c01.AGENCY_POINTS)
        if number == 6:
            return c01.publicity_points(self.has_decision, self.listed)
        if number == 7:
            if self.rating is None:
                return None
            level, _, attitude = self.rating
            return attitude if attitude is not None else c01.LEVEL_POINTS.get(level)
        return None


def settled_dossiers(agency: Agency, period: Period) -> QuerySet[Dossier]:
    return Dossier.objects.filter(
        agency=agency,
        finished_at__gte=period.start,
        finished_at__lt=period.end,
        received_at__isnull=False,
    ).exclude(timing="")


def dossier_facts(dossiers: QuerySet[Dossier]) -> dict[int, DossierFacts]:
    """Everything the per-dossier indicators need, in five queries."""
    facts: dict[int, DossierFacts] = {}
    rows = dossiers.values_list(
        "id",
        "agency_id",
        "timing",
        "procedure_version__decision",
        "procedure__is_active",
    )
    for pk, agency_id, timing, decision, active in rows:
        facts[pk] = DossierFacts(timing, bool(decision.strip()), bool(active))
        facts[pk].agencies.add(agency_id)
    ids = dossiers.values("id")
    supplements = (
        Event.objects.filter(dossier_id__in=ids, action=Action.REQUEST_SUPPLEMENT)
        .values("dossier_id")
        .annotate(n=Count("id"))
    )
    for row in supplements:
        facts[row["dossier_id"]].supplements = row["n"]
    consulted = Consultation.objects.filter(dossier_id__in=ids).values_list(
        "dossier_id", "agency_id"
    )
    for dossier_id, agency_id in consulted.distinct():
        facts[dossier_id].agencies.add(agency_id)
    steps = Step.objects.filter(
        dossier_id__in=ids,
        state__in=MEASURED_STEP_STATES,
        budget_hours__gt=0,
        due_at__isnull=False,
        ended_at__isnull=False,
    ).values_list("dossier_id", "ended_at", "due_at", "assignee_id", "ended_by_id")
    for dossier_id, ended, due, assignee, ended_by in steps:
        if ended is not None and due is not None:
            facts[dossier_id].steps.append((ended, due, assignee or ended_by))
    ratings = (
        Rating.objects.counted()
        .filter(dossier_id__in=ids)
        .order_by("dossier_id", "at", "id")
        .values_list("dossier_id", "level", "contacts_points", "attitude_points")
    )
    for dossier_id, level, contacts, attitude in ratings:  # the latest one wins
        facts[dossier_id].rating = (level, contacts, attitude)
    return facts


# ----------------------------------------------------------- results
@dataclass(frozen=True)
class IndicatorScore:
    indicator: c01.Indicator
    points: Decimal | None  # None: không có dữ liệu
    counted: int  # dossiers (or dossiers in the share) it was computed on
    source: str  # "computed", "entered" or "none"
    note: str = ""


class _Scored:
    """Shared by agency and staff evaluations: the total of the indicators that
    have points, and whether every indicator has them."""

    scores: list[IndicatorScore]

    @property
    def total(self) -> Decimal:
        return sum((s.points for s in self.scores if s.points is not None), Decimal(0))

    @property
    def complete(self) -> bool:
        return all(s.points is not None for s in self.scores)


@dataclass(frozen=True)
class AgencyEvaluation(_Scored):
    agency: Agency
    period: Period
    scores: list[IndicatorScore]
    dossiers: int

    @property
    def rating(self) -> str | None:
        """The Art. 15 rating, only when all nine indicators have points."""
        return c01.agency_rating(self.total) if self.complete else None


def _per_dossier(
    facts: dict[int, DossierFacts], number: int, officer: int | None = None
) -> tuple[Decimal | None, int]:
    values = [p for f in facts.values() if (p := f.points(number, officer)) is not None]
    return c01.average(values), len(values)


def _unit_shares(agency: Agency, period: Period) -> dict[int, tuple[int, int]]:
    """Indicators 5 and 9 as (numerator, denominator) over dossiers received;
    8 over the feedback items due in the period (``feedback.selectors``)."""
    received = Dossier.objects.filter(
        agency=agency, received_at__gte=period.start, received_at__lt=period.end
    ).aggregate(
        n=Count("id"),
        desk=Count("id", filter=Q(received_by__isnull=False)),
        offered=Count("id", filter=~Q(procedure_version__online_level="none")),
        online=Count(
            "id",
            filter=~Q(procedure_version__online_level="none") & Q(channel="online"),
        ),
    )
    return {
        5: (received["desk"], received["n"]),
        8: feedback_on_time([agency.pk], period.start, period.end),
        9: (received["online"], received["offered"]),
    }


def evaluate_agency(agency: Agency, period: Period) -> AgencyEvaluation:
    """The nine indicators, total and rating of ``agency`` for a quarter or year."""
    facts = dossier_facts(settled_dossiers(agency, period))
    entered = {
        e.indicator: e
        for e in EvaluatorScore.objects.filter(
            agency=agency, year=period.year, quarter=period.quarter
        )
    }
    shares = _unit_shares(agency, period)
    bands = {
        5: c01.DESK_SHARE_BANDS,
        8: c01.FEEDBACK_ON_TIME_BANDS,
        9: c01.ONLINE_SHARE_BANDS,
    }
    scores: list[IndicatorScore] = []
    for number, spec in c01.INDICATORS.items():
        if number in entered:
            e = entered[number]
            scores.append(IndicatorScore(spec, e.points, 0, "entered", e.note))
            continue
        if number in shares:
            num, den = shares[number]
            pts = c01.rate_points(num, den, bands[number])
            value = Decimal(pts) if pts is not None else None
            note = f"{num}/{den}" if den else ""
            scores.append(IndicatorScore(spec, value, den, _src(value), note))
            continue
        if not spec.computed:
            scores.append(IndicatorScore(spec, None, 0, "none"))
            continue
        value, counted = _per_dossier(facts, number)
        scores.append(IndicatorScore(spec, value, counted, _src(value)))
    return AgencyEvaluation(agency, period, scores, len(facts))


def _src(value: Decimal | None) -> str:
    return "computed" if value is not None else "none"


@dataclass(frozen=True)
class StaffEvaluation(_Scored):
    user: Any
    scores: list[IndicatorScore]
    dossiers: int

    @property
    def rating(self) -> str | None:
        return c01.staff_rating(self.total) if self.complete else None


def evaluate_staff(agency: Agency, period: Period) -> list[StaffEvaluation]:
    """Indicators 1, 2, 3, 4, 7 for each officer who handled a step of the
    agency's dossiers settled in the period; indicator 2 on their own steps."""
    facts = dossier_facts(settled_dossiers(agency, period))
    by_officer: dict[int, dict[int, DossierFacts]] = defaultdict(dict)
    for pk, f in facts.items():
        for _, _, who in f.steps:
            if who is not None:
                by_officer[who][pk] = f
    users = get_user_model().objects.in_bulk(list(by_officer))
    result = []
    for officer, mine in by_officer.items():
        scores = []
        for number in c01.STAFF_INDICATORS:
            value, counted = _per_dossier(
                mine, number, officer if number == 2 else None
            )
            scores.append(
                IndicatorScore(c01.INDICATORS[number], value, counted, _src(value))
            )
        result.append(StaffEvaluation(users[officer], scores, len(mine)))
    result.sort(key=lambda s: (-s.total, str(s.user.get_username())))
    return result
