"""The service-quality index of Decision 766/QĐ-TTg: six groups of indicators
(data: ``IndexGroup``/``IndexIndicator``), scored month by month per agency and
rolled up over a subtree.

Each indicator is a rate ``numerator / denominator``. Its score is ``Pmax`` when
the rate reaches the target, else ``rate / target × Pmax``; with no target,
``rate × Pmax / 100`` (rate in %). An empty (or unmeasured) denominator is "không
có dữ liệu": the indicator is left out and its group's maximum shrinks by its
weight, so the index is never scored on data the system does not have. Numerators
and denominators add up, so a roll-up over agencies and months is a rate weighted
by the denominators.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import in_force_at
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.models import Dossier, DossierFile, Event
from motcua.dossiers.workflow import Action
from motcua.nationalportal.selectors import sync_enabled, synchronised

from .models import IndexGroup, IndexIndicator, Rating
from .periods import Period

CURRENT_VERSION = "766-2022-v1"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
Month = tuple[int, int]


@dataclass(frozen=True)
class Measure:
    """A rate's parts; ``denominator`` None means the system has no such data."""

    numerator: Decimal
    denominator: Decimal | None

    def __add__(self, other: Measure) -> Measure:
        if self.denominator is None and other.denominator is None:
            return Measure(self.numerator + other.numerator, None)
        return Measure(
            self.numerator + other.numerator,
            (self.denominator or Decimal(0)) + (other.denominator or Decimal(0)),
        )

    @property
    def rate(self) -> Decimal | None:
        """The rate in %, capped at 100; None on an empty denominator."""
        if not self.denominator:
            return None
        return min(HUNDRED, self.numerator * HUNDRED / self.denominator)


NO_DATA = Measure(Decimal(0), None)


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def indicator_score(rate: Decimal, weight: Decimal, target: Decimal | None) -> Decimal:
    """Pmax if rate ≥ target, else rate / target × Pmax; no target: rate × Pmax /
    100. Rates and targets in %."""
    if target is None or target <= 0:
        return q2(rate * weight / HUNDRED)
    if rate >= target:
        return q2(weight)
    return q2(rate / target * weight)


# ----------------------------------------------------------- pure scoring
@dataclass(frozen=True)
class IndicatorResult:
    indicator: IndexIndicator
    measure: Measure

    @property
    def rate(self) -> Decimal | None:
        return self.measure.rate

    @property
    def score(self) -> Decimal | None:
        rate = self.rate
        if rate is None:
            return None
        return indicator_score(rate, self.indicator.weight, self.indicator.target)


@dataclass(frozen=True)
class GroupResult:
    group: IndexGroup
    indicators: list[IndicatorResult]

    @property
    def score(self) -> Decimal | None:
        scored = [i.score for i in self.indicators if i.score is not None]
        return sum(scored, Decimal(0)) if scored else None

    @property
    def max(self) -> Decimal:
        """The group's weight less the weights of indicators without data."""
        missing = sum(
            (i.indicator.weight for i in self.indicators if i.score is None),
            Decimal(0),
        )
        return self.group.weight - missing


@dataclass(frozen=True)
class IndexResult:
    groups: list[GroupResult]

    @property
    def score(self) -> Decimal:
        return sum((g.score or Decimal(0) for g in self.groups), Decimal(0))

    @property
    def max(self) -> Decimal:
        return sum((g.max for g in self.groups), Decimal(0))

    @property
    def percent(self) -> Decimal | None:
        """The score as a share of the points that could be scored."""
        return q2(self.score * HUNDRED / self.max) if self.max > 0 else None


def index_groups(version: str = CURRENT_VERSION) -> list[IndexGroup]:
    return list(
        IndexGroup.objects.filter(version=version).prefetch_related("indicators")
    )


def score_index(
    groups: Iterable[IndexGroup], measures: dict[str, Measure]
) -> IndexResult:
    return IndexResult(
        [
            GroupResult(
                g,
                [
                    IndicatorResult(i, measures.get(i.formula, NO_DATA))
                    for i in g.indicators.all()
                ],
            )
            for g in groups
        ]
    )


# ------------------------------------------------------------ the rates
Rows = dict[tuple[int, Month], Measure]
RateFn = Callable[[QuerySet[Agency], Period], Rows]


def _month(value: object) -> Month:
    instant = value.astimezone(VN_TZ)  # type: ignore[attr-defined]
    return instant.year, instant.month


def _grouped(
    rows: QuerySet[Dossier], field: str, period: Period, num: Q | None, den: Q | None
) -> Rows:
    """Count per agency and month of ``field``: numerator and denominator."""
    rows = rows.filter(**{f"{field}__gte": period.start, f"{field}__lt": period.end})
    data = (
        rows.annotate(m=TruncMonth(field, tzinfo=VN_TZ))
        .values("agency_id", "m")
        .annotate(
            num=Count("id", filter=num) if num is not None else Count("id"),
            den=Count("id", filter=den) if den is not None else Count("id"),
        )
    )
    return {
        (r["agency_id"], _month(r["m"])): Measure(Decimal(r["num"]), Decimal(r["den"]))
        for r in data
    }


def _dossiers(agencies: QuerySet[Agency]) -> QuerySet[Dossier]:
    return Dossier.objects.filter(agency__in=agencies)


def _settled(agencies: QuerySet[Agency]) -> QuerySet[Dossier]:
    return _dossiers(agencies).exclude(timing="").filter(received_at__isnull=False)


def rate_on_time(agencies: QuerySet[Agency], period: Period) -> Rows:
    return _grouped(_settled(agencies), "finished_at", period, ~Q(timing="late"), None)


def rate_processing_time(agencies: QuerySet[Agency], period: Period) -> Rows:
    """Σ legal time / Σ time taken (hours from the clock start), capped at 100%:
    100% when dossiers took no longer than allowed, on the whole."""
    rows = _settled(agencies).filter(
        finished_at__gte=period.start,
        finished_at__lt=period.end,
        original_due_at__isnull=False,
        clock_started_at__isnull=False,
    )
    data = (
        rows.annotate(m=TruncMonth("finished_at", tzinfo=VN_TZ))
        .values("agency_id", "m")
        .annotate(
            legal=Sum(F("original_due_at") - F("clock_started_at")),
            taken=Sum(F("finished_at") - F("clock_started_at")),
        )
    )
    result: Rows = {}
    for r in data:
        legal = Decimal(r["legal"].total_seconds()) if r["legal"] else Decimal(0)
        taken = Decimal(r["taken"].total_seconds()) if r["taken"] else Decimal(0)
        # Nothing taken (settled at once) is as good as it gets.
        result[(r["agency_id"], _month(r["m"]))] = (
            Measure(legal, taken) if taken > 0 else Measure(Decimal(1), Decimal(1))
        )
    return result


def rate_online_dossiers(agencies: QuerySet[Agency], period: Period) -> Rows:
    offered = ~Q(procedure_version__online_level=ProcedureVersion.OnlineLevel.NONE)
    return _grouped(
        _dossiers(agencies), "received_at", period, offered & Q(channel="online"),
        offered,
    )  # fmt: skip


def rate_online_payment(agencies: QuerySet[Agency], period: Period) -> Rows:
    """Dossiers whose fees were paid in the period (by ``paid_at``): the share
    paid online, through a payment gateway — their ``record_payment`` event
    carries ``online`` (``dossiers.services.dossier_record_online_payment``)."""
    online = Event.objects.filter(
        dossier_id=OuterRef("pk"), action=Action.RECORD_PAYMENT, payload__online=True
    )
    paid = _dossiers(agencies).filter(payment_status=Dossier.Payment.PAID)
    return _grouped(
        paid.annotate(paid_online=Exists(online)),
        "paid_at",
        period,
        Q(paid_online=True),
        None,
    )


def rate_national_sync(agencies: QuerySet[Agency], period: Period) -> Rows:
    """Dossiers received in the period: the share whose sync the national
    portal accepted (``nationalportal.selectors.SYNCHRONISED``); no data while
    this installation does not synchronise (no endpoint configured)."""
    if not sync_enabled():
        return {}
    return _grouped(
        _dossiers(agencies).alias(synced=synchronised()),
        "received_at", period, Q(synced=True), None,
    )  # fmt: skip


def rate_digitised_dossiers(agencies: QuerySet[Agency], period: Period) -> Rows:
    scans = DossierFile.objects.filter(
        dossier_id=OuterRef("pk"), kind=DossierFile.Kind.SCAN
    )
    return _grouped(
        _dossiers(agencies).alias(scanned=Exists(scans)),
        "received_at", period, Q(scanned=True), None,
    )  # fmt: skip


def rate_digitised_results(agencies: QuerySet[Agency], period: Period) -> Rows:
    results = DossierFile.objects.filter(
        dossier_id=OuterRef("pk"), kind=DossierFile.Kind.RESULT
    )
    return _grouped(
        _settled(agencies)
        .filter(outcome=Dossier.Outcome.APPROVED)
        .alias(has_result=Exists(results)),
        "finished_at", period, Q(has_result=True), None,
    )  # fmt: skip


def rate_satisfaction(agencies: QuerySet[Agency], period: Period) -> Rows:
    rows = Rating.objects.counted().filter(
        agency__in=agencies, at__gte=period.start, at__lt=period.end
    )
    data = (
        rows.annotate(m=TruncMonth("at", tzinfo=VN_TZ))
        .values("agency_id", "m")
        .annotate(
            num=Count("id", filter=~Q(level=Rating.Level.UNSATISFIED)),
            den=Count("id"),
        )
    )
    return {
        (r["agency_id"], _month(r["m"])): Measure(Decimal(r["num"]), Decimal(r["den"]))
        for r in data
    }


def _catalogue_rate(agencies: QuerySet[Agency], period: Period, good: Q) -> Rows:
    """A share of the procedures each agency offers (their versions in force at
    the end of the period), the same for every month of the period."""
    day = period.last
    versions = ProcedureVersion.objects.filter(
        in_force_at(day), procedure__is_active=True
    )
    rows = (
        versions.filter(procedure__agencies__in=agencies)
        .values("procedure__agencies")
        .annotate(num=Count("procedure", filter=good, distinct=True),
                  den=Count("procedure", distinct=True))
    )  # fmt: skip
    months = [(m.first.year, m.first.month) for m in period.months()]
    return {
        (r["procedure__agencies"], ym): Measure(Decimal(r["num"]), Decimal(r["den"]))
        for r in rows
        for ym in months
    }


def rate_procedures_published(agencies: QuerySet[Agency], period: Period) -> Rows:
    return _catalogue_rate(agencies, period, ~Q(decision=""))


def rate_online_procedures(agencies: QuerySet[Agency], period: Period) -> Rows:
    return _catalogue_rate(
        agencies, period, Q(online_level=ProcedureVersion.OnlineLevel.FULL)
    )


def rate_not_measured(agencies: QuerySet[Agency], period: Period) -> Rows:
    """A formula no module measures (none of the current ones)."""
    return {}


RATES: dict[str, RateFn] = {
    "procedures_published": rate_procedures_published,
    "national_sync": rate_national_sync,
    "on_time": rate_on_time,
    "processing_time": rate_processing_time,
    "online_procedures": rate_online_procedures,
    "online_dossiers": rate_online_dossiers,
    "online_payment": rate_online_payment,
    "digitised_dossiers": rate_digitised_dossiers,
    "digitised_results": rate_digitised_results,
    "satisfaction": rate_satisfaction,
}
# Catalogue rates describe a state, not a flow: rolled up over months they are
# not summed but taken from the last month.
STATE_RATES = {"procedures_published", "online_procedures"}


# ------------------------------------------------------------ reports
@dataclass(frozen=True)
class MonthIndex:
    month: Period
    result: IndexResult


@dataclass(frozen=True)
class AgencyIndex:
    agency: Agency
    result: IndexResult


@dataclass(frozen=True)
class IndexReport:
    agency: Agency
    period: Period
    total: IndexResult  # the whole subtree, the whole period
    months: list[MonthIndex]  # the whole subtree, month by month
    units: list[AgencyIndex]  # each agency of the subtree, the whole period


def collect(
    agencies: QuerySet[Agency], period: Period, formulas: Iterable[str]
) -> dict[str, Rows]:
    """The measures of each formula per agency and month (one query each)."""
    return {f: RATES.get(f, rate_not_measured)(agencies, period) for f in formulas}


def _sum(
    data: dict[str, Rows],
    keep: Callable[[int, Month], bool],
    last_month: Month | None = None,
) -> dict[str, Measure]:
    totals: dict[str, Measure] = defaultdict(lambda: NO_DATA)
    for formula, rows in data.items():
        for (agency_id, ym), measure in rows.items():
            if not keep(agency_id, ym):
                continue
            if formula in STATE_RATES and last_month and ym != last_month:
                continue
            totals[formula] = totals[formula] + measure
    return dict(totals)


def _everything(agency_id: int, ym: Month) -> bool:
    return True


def _in_month(p: Period) -> Callable[[int, Month], bool]:
    key = (p.first.year, p.first.month)
    return lambda agency_id, ym: ym == key


def _of_agency(pk: int) -> Callable[[int, Month], bool]:
    return lambda agency_id, ym: agency_id == pk


def index_report(
    agency: Agency, agencies: QuerySet[Agency], period: Period
) -> IndexReport:
    """The index of ``agencies`` (usually ``agency``'s subtree) for ``period``."""
    groups = index_groups()
    formulas = {i.formula for g in groups for i in g.indicators.all()}
    data = collect(agencies, period, formulas)
    months = list(period.months())
    last = (months[-1].first.year, months[-1].first.month)
    total = score_index(groups, _sum(data, _everything, last))
    by_month = [
        MonthIndex(p, score_index(groups, _sum(data, _in_month(p)))) for p in months
    ]
    units = [
        AgencyIndex(unit, score_index(groups, _sum(data, _of_agency(unit.pk), last)))
        for unit in agencies.order_by("path", "code")
    ]
    return IndexReport(agency, period, total, by_month, units)
