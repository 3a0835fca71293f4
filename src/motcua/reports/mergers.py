"""Whose figures are whose when agencies were merged (issue 10, item 4; ADR 0013).

A merger moves a former agency's unfinished dossiers, and their figures, to the
successor (``reports.store``: the figures follow the dossier). Biểu 06 reads them
back by the units as they were:

- for the part of a period **after** a merger, the successor's report includes
  its predecessors (their dossiers and the ones moved from them);
- for the part **before**, each former unit is its own section, named as it was
  (``agencies.selectors.name_on``), with the dossiers later moved from it; the
  successor's own figures of that part (if it existed) are another section.

The period is cut at each merger date in it (``windows``). Within a window
starting on day ``s`` every dossier counts for one *unit*: the agency that held
it then, followed to its successor when that agency was a former one on ``s``
(``unit_of``). A dossier moved by a merger counts from the agency it was moved
from (the first ``transfer`` event's ``from``): the only dossiers read one by
one, a few hundred per merger; all other figures are bucket sums.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q

from motcua.agencies.models import Agency
from motcua.agencies.selectors import is_former
from motcua.agencies.selectors import subtree as agency_subtree
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.models import Event
from motcua.dossiers.workflow import Action

from .figures import contributions
from .models import DossierFact, ProgressInterval
from .store import timeline_from_rows

ONE_DAY = timedelta(days=1)
Sums = dict[str, int]


@dataclass(frozen=True)
class Moved:
    """A dossier a merger moved: the agency it came from, where it is counted
    now (its fact's agency), its row key and its dated figure changes."""

    dossier: int
    origin: int
    current: int
    key: int  # field or procedure id
    changes: tuple[tuple[date, str, int], ...]

    def up_to(self, day: date) -> Sums:
        out: Sums = defaultdict(int)
        for when, column, n in self.changes:
            if when <= day:
                out[column] += n
        return out


@dataclass(frozen=True)
class Scope:
    """The dossiers one unit counts in one window: those of ``agency_ids``,
    less ``away`` (moved dossiers counted elsewhere), plus ``extra`` (moved
    dossiers counted here)."""

    agency_ids: frozenset[int]
    extra: tuple[Moved, ...] = ()
    away: tuple[Moved, ...] = ()
    extra_ids: frozenset[int] = frozenset()
    away_ids: frozenset[int] = frozenset()

    def dossier_filter(self) -> Q:
        """The same set as a filter on facts and intervals (``agency_id``,
        ``dossier_id``)."""
        q = Q(agency_id__in=sorted(self.agency_ids))
        if self.away_ids:
            q &= ~Q(dossier_id__in=sorted(self.away_ids))
        if self.extra_ids:
            q |= Q(dossier_id__in=sorted(self.extra_ids))
        return q


@dataclass
class Lineage:
    """The report agency, its predecessors (merged into it, directly or through
    another) and its sub-units when asked."""

    agency: Agency
    members: dict[int, Agency]  # the agency and its predecessors
    subunits: frozenset[int]  # the subtree's other agencies (subtree reports)
    moved: dict[int, Moved] = field(default_factory=dict)  # by dossier id

    @property
    def predecessors(self) -> list[Agency]:
        return sorted(
            (a for a in self.members.values() if a.pk != self.agency.pk),
            key=lambda a: a.code,
        )

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(self.members) | self.subunits

    def ends_on(self, until: date) -> date | None:
        """The report agency's merger date when it is a former one by ``until``
        (its own figures end the day before)."""
        return self.agency.merged_on if is_former(self.agency, until) else None

    def unit_of(self, agency_id: int, day: date) -> int | None:
        """The unit that counts, in a window starting on ``day``, the figures of
        ``agency_id``: itself, or the successor doing its work on that day;
        ``None`` when that is outside this report."""
        if agency_id in self.subunits:
            return self.unit_of(self.agency.pk, day)
        current = self.members.get(agency_id)
        while current is not None and is_former(current, day):
            current = self.members.get(current.merged_into_id or 0)
        return current.pk if current is not None else None

    def boundaries(self, start: date, end: date) -> list[date]:
        """Merger dates inside ``(start, end]``: a window starts on each."""
        days = {
            a.merged_on
            for a in self.members.values()
            if a.merged_into_id is not None and a.merged_on is not None
        }
        return sorted(d for d in days if start < d <= end)

    def windows(self, start: date, end: date) -> list[tuple[date, date]]:
        cuts = [start, *self.boundaries(start, end)]
        return [
            (lo, (cuts[i + 1] - ONE_DAY) if i + 1 < len(cuts) else end)
            for i, lo in enumerate(cuts)
        ]

    def units(self, day: date) -> list[int]:
        """The units of a window starting on ``day``, predecessors first (by
        code), the report agency last."""
        found = {self.unit_of(pk, day) for pk in self.ids}
        found.discard(None)
        ordered = sorted(
            (pk for pk in found if pk != self.agency.pk and pk is not None),
            key=lambda pk: self.members[pk].code,
        )
        return ordered + ([self.agency.pk] if self.agency.pk in found else [])

    def scope(self, unit: int | None, day: date) -> Scope:
        """What ``unit`` counts in a window starting on ``day``; ``None``: the
        whole lineage (the period's total: moves inside it cancel out)."""
        if unit is None:
            ids = self.ids
            inside = [m for m in self.moved.values() if m.current in ids]
            outside = [m for m in self.moved.values() if m.current not in ids]
            extra = tuple(m for m in outside if m.origin in ids)
            away = tuple(m for m in inside if m.origin not in ids)
        else:
            ids = frozenset(pk for pk in self.ids if self.unit_of(pk, day) == unit)
            extra, away = (), ()
            for m in self.moved.values():
                origin, current = (
                    self.unit_of(m.origin, day),
                    (self.unit_of(m.current, day) if m.current in self.ids else None),
                )
                if origin == current:
                    continue
                if origin == unit:
                    extra += (m,)
                elif m.current in ids:
                    away += (m,)
        return Scope(
            ids,
            extra,
            away,
            frozenset(m.dossier for m in extra),
            frozenset(m.dossier for m in away),
        )


def lineage(agency: Agency, *, subtree: bool, group_by: str) -> Lineage | None:
    """The lineage of ``agency``; ``None`` when no merger touches it (the
    ordinary report). Predecessors merged after a report's period still count:
    their moved dossiers are in the successor's buckets and go back to them."""
    members = {agency.pk: agency}
    frontier = [agency.pk]
    while frontier:
        found = [
            a
            for a in Agency.objects.filter(merged_into_id__in=frontier)
            if a.pk not in members
        ]
        members.update((a.pk, a) for a in found)
        frontier = [a.pk for a in found]
    if len(members) == 1 and agency.merged_into_id is None:
        return None
    subunits: frozenset[int] = frozenset()
    if subtree:
        subunits = frozenset(
            agency_subtree(agency)
            .exclude(pk__in=list(members))
            .values_list("pk", flat=True)
        )
    found_lineage = Lineage(agency, members, subunits)
    found_lineage.moved = _moved(found_lineage, group_by)
    return found_lineage


def _moved(lin: Lineage, group_by: str) -> dict[int, Moved]:
    """Dossiers moved by the mergers of the lineage's agencies, from the
    ``transfer`` events at their successors (indexed by agency and time)."""
    formers = [
        a
        for a in lin.members.values()
        if a.merged_into_id is not None and a.merged_on is not None
    ]
    if not formers:
        return {}
    first = min(a.merged_on for a in formers if a.merged_on is not None)
    since = datetime.combine(first, time.min, tzinfo=VN_TZ)
    targets = sorted({a.merged_into_id for a in formers if a.merged_into_id})
    codes = {a.code: a.pk for a in lin.members.values()}
    origins: dict[int, int] = {}
    for dossier_id, payload in (
        Event.objects.filter(
            agency_id__in=targets, action=Action.TRANSFER, at__gte=since
        )
        .exclude(payload__from=None)
        .order_by("dossier_id", "seq")
        .values_list("dossier_id", "payload")
    ):
        code = payload.get("from") if isinstance(payload, dict) else None
        if dossier_id not in origins and code in codes:
            origins[dossier_id] = codes[code]
    if not origins:
        return {}
    intervals: dict[int, list[ProgressInterval]] = defaultdict(list)
    for row in ProgressInterval.objects.filter(dossier_id__in=list(origins)).order_by(
        "dossier_id", "start_day", "id"
    ):
        intervals[row.dossier_id].append(row)
    out = {}
    for fact in DossierFact.objects.filter(dossier_id__in=list(origins)):
        changes = contributions(timeline_from_rows(fact, intervals[fact.pk]))
        out[fact.pk] = Moved(
            dossier=fact.pk,
            origin=origins[fact.pk],
            current=fact.agency_id,
            key=getattr(fact, f"{group_by}_id"),
            changes=tuple(sorted((d, c, n) for (d, c), n in changes.items() if n)),
        )
    return out


def adjust(sums: dict[int, Sums], scope: Scope, day: date) -> dict[int, Sums]:
    """``sums`` (by row key, the buckets of ``scope.agency_ids`` up to ``day``)
    with the moved dossiers counted where ``scope`` says."""
    out = {key: dict(columns) for key, columns in sums.items()}
    for moved, sign in _signed(scope):
        row = out.setdefault(moved.key, {})
        for column, n in moved.up_to(day).items():
            row[column] = row.get(column, 0) + sign * n
    return out


def _signed(scope: Scope) -> Iterable[tuple[Moved, int]]:
    yield from ((m, 1) for m in scope.extra)
    yield from ((m, -1) for m in scope.away)
