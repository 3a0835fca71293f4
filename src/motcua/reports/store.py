"""Keeping the summary tables (the only writer of ``reports`` models).

``on_dossier_event`` is registered as a same-transaction observer of every
dossier action (``ReportsConfig.ready``): it moves the dossier's timeline with
``figures.advance`` and adds the change of its contributions to the day, month
and year buckets with one upsert. An error here rolls the action back, so the
figures never disagree with the history.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from motcua.core.held import execute_later, insert_later
from motcua.dossiers.models import Dossier, Event

from .figures import (
    Interval,
    Timeline,
    advance,
    buckets,
    contributions,
    difference,
    local_day,
    state_after,
)
from .models import FIGURE_COLUMNS, DossierFact, FigureBucket, ProgressInterval

Ident = tuple[int, int, int]  # agency_id, procedure_id, field_id
BucketKey = tuple[int, int, int, str, date]  # ident + grain, bucket


def ident_of(dossier: Dossier) -> Ident:
    return (dossier.agency_id, dossier.procedure_id, dossier.field_id)


def timeline_from_rows(
    fact: DossierFact, intervals: Iterable[ProgressInterval]
) -> Timeline:
    return Timeline(
        channel=fact.channel,
        received_day=fact.received_day,
        end_day=fact.end_day,
        end_kind=fact.end_kind,
        timing=fact.timing,
        due_day=fact.due_day,
        intervals=[
            Interval(i.start_day, i.end_day, i.paused, i.due_day) for i in intervals
        ],
    )


def fact_row(dossier_id: int, ident: Ident, timeline: Timeline) -> DossierFact:
    agency_id, procedure_id, field_id = ident
    return DossierFact(
        dossier_id=dossier_id,
        agency_id=agency_id,
        procedure_id=procedure_id,
        field_id=field_id,
        channel=timeline.channel,
        received_day=timeline.received_day,
        end_day=timeline.end_day,
        end_kind=timeline.end_kind,
        timing=timeline.timing,
        due_day=timeline.due_day,
    )


def interval_rows(
    dossier_id: int, ident: Ident, timeline: Timeline
) -> list[ProgressInterval]:
    agency_id, procedure_id, field_id = ident
    return [
        ProgressInterval(
            dossier_id=dossier_id,
            agency_id=agency_id,
            procedure_id=procedure_id,
            field_id=field_id,
            start_day=i.start,
            end_day=i.end,
            paused=i.paused,
            due_day=i.due_day,
        )
        for i in timeline.intervals
    ]


def bucket_changes(
    ident: Ident, changes: Mapping[tuple[date, str], int]
) -> dict[BucketKey, dict[str, int]]:
    out: dict[BucketKey, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (day, column), n in changes.items():
        for grain, bucket in buckets(day):
            out[(*ident, grain, bucket)][column] += n
    return out


def add_to_buckets(rows: Mapping[BucketKey, Mapping[str, int]]) -> None:
    """Add ``rows`` to the bucket table in one upsert (keys in a fixed order, so
    concurrent actions lock shared rows in the same order)."""
    if not rows:
        return
    table = connection.ops.quote_name(FigureBucket._meta.db_table)
    q = connection.ops.quote_name
    names = ["agency_id", "procedure_id", "field_id", "grain", "bucket"]
    columns = ", ".join(q(n) for n in [*names, *FIGURE_COLUMNS])
    one = "(" + ", ".join(["%s"] * (len(names) + len(FIGURE_COLUMNS))) + ")"
    params: list[Any] = []
    for key in sorted(rows):
        params.extend(key)
        params.extend(rows[key].get(c, 0) for c in FIGURE_COLUMNS)
    updates = ", ".join(
        f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in FIGURE_COLUMNS
    )
    conflict = ", ".join(
        q(n) for n in ("agency_id", "grain", "bucket", "procedure_id", "field_id")
    )
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(rows))} "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    # Nothing reads the buckets back in the action: sent with its other
    # writes at its end (ADR 0038).
    execute_later(sql, params, (FigureBucket._meta.db_table,), model=FigureBucket)


@dataclass
class Known:
    """What the summary tables hold for one dossier: where it is counted and its
    timeline."""

    ident: Ident
    timeline: Timeline


def _merge(
    parts: Iterable[Mapping[BucketKey, Mapping[str, int]]],
    into: dict[BucketKey, dict[str, int]] | None = None,
) -> dict[BucketKey, dict[str, int]]:
    out: dict[BucketKey, dict[str, int]] = (
        defaultdict(lambda: defaultdict(int)) if into is None else into
    )
    for part in parts:
        for key, columns in part.items():
            for column, n in columns.items():
                out[key][column] += n
    return out


def step(
    dossier: Dossier, event: Event, known: Known | None
) -> tuple[Known, dict[BucketKey, dict[str, int]]] | None:
    """The figures of ``dossier`` after ``event`` and the change of the buckets,
    or None when nothing changes. Pure: the one fold both the same-transaction
    observer and a batch (:class:`FigureBatch`) apply."""
    state = state_after(event.to_status, event.payload.get("snapshot", {}))
    if known is None and not state.received:
        return None
    if known is not None and known.timeline.end_day is not None:
        return None  # ended dossiers keep their figures
    before = known.timeline if known is not None else None
    ident = ident_of(dossier)
    parts = []
    moved = known is not None and known.ident != ident
    if known is not None and moved:
        # A dossier transferred to another agency (a merger) takes its figures
        # with it: they are counted where the dossier now is, as a recompute
        # from the history counts them (``recompute.replay`` uses its agency).
        made = contributions(before)
        parts.append(bucket_changes(known.ident, difference(made, Counter())))
        parts.append(bucket_changes(ident, difference(Counter(), made)))
    day = local_day(event.at)
    assert day is not None
    after = advance(
        None if before is None else before.copy(), state, day, dossier.channel
    )
    if after is None or after == before:
        if known is None or not moved:
            return None
        after = known.timeline
    else:
        changes = difference(contributions(before), contributions(after))
        parts.append(bucket_changes(ident, changes))
    return Known(ident, after), _merge(parts)


def _write(dossier_id: int, before: Known | None, after: Known) -> None:
    """``before`` is what ``_read`` found (None: no fact row and no interval
    yet, so the row is inserted and nothing is deleted)."""
    fact = fact_row(dossier_id, after.ident, after.timeline)
    if before is None:  # (written with the action's other writes, ADR 0038)
        insert_later(fact)
    else:
        fact.save(force_update=True)
    if (
        before is None
        or before.ident != after.ident
        or before.timeline.intervals != after.timeline.intervals
    ):
        if before is not None:
            ProgressInterval.objects.filter(dossier_id=dossier_id).delete()
        for row in interval_rows(dossier_id, after.ident, after.timeline):
            insert_later(row)


def _read(dossier_id: int) -> Known | None:
    fact = DossierFact.objects.filter(pk=dossier_id).first()
    if fact is None:
        return None
    intervals: Iterable[ProgressInterval] = ()
    if fact.end_day is None:  # an ended dossier's intervals are never needed
        rows = ProgressInterval.objects.filter(dossier_id=dossier_id)
        intervals = rows.order_by("start_day", "id")
    ident = (fact.agency_id, fact.procedure_id, fact.field_id)
    return Known(ident, timeline_from_rows(fact, intervals))


def on_dossier_event(dossier: Dossier, event: Event) -> None:
    """Observer: bring the figures of ``dossier`` up to ``event``."""
    batch = _batch.get()
    if batch is not None:
        batch.on_event(dossier, event)
        return
    # Nothing is counted before a dossier's first event: no row to read.
    known = None if event.seq == 1 else _read(dossier.pk)
    result = step(dossier, event, known)
    if result is None:
        return
    after, rows = result
    _write(dossier.pk, known, after)
    add_to_buckets(rows)


# ------------------------------------------------------------ batches
_batch: ContextVar[FigureBatch | None] = ContextVar("motcua_figures", default=None)
_CHUNK = 400  # rows a statement (SQLite allows 32,766 parameters)


class FigureBatch:
    """Many actions in one transaction (the historical import): each event is
    folded by :func:`step` exactly as live, on timelines kept in memory, and the
    tables are written once by :meth:`flush` — facts and intervals in bulk, the
    buckets in a few upserts. ``line()`` marks one unit of work (one imported
    dossier): if it fails, its changes are dropped as its savepoint is."""

    def __init__(self) -> None:
        self._known: dict[int, Known | None] = {}  # after the finished lines
        self._stored: set[int] = set()  # a fact row was in the tables
        self._rows: dict[BucketKey, dict[str, int]] = _merge(())
        self._pending: dict[int, Known | None] = {}
        self._pending_rows: list[dict[BucketKey, dict[str, int]]] = []

    def _current(self, dossier_id: int, first: bool) -> Known | None:
        for layer in (self._pending, self._known):
            if dossier_id in layer:
                return layer[dossier_id]
        if first:  # nothing is counted before a dossier's first event
            self._pending[dossier_id] = None
            return None
        known = _read(dossier_id)
        if known is not None:
            self._stored.add(dossier_id)
        self._known[dossier_id] = known
        return known

    def on_event(self, dossier: Dossier, event: Event) -> None:
        known = self._current(dossier.pk, first=event.seq == 1)
        result = step(dossier, event, known)
        if result is not None:
            self._pending[dossier.pk], rows = result
            self._pending_rows.append(rows)

    def _keep(self) -> None:
        self._known.update(self._pending)
        _merge(self._pending_rows, self._rows)
        self._drop()

    def _drop(self) -> None:
        self._pending = {}
        self._pending_rows = []

    @contextmanager
    def line(self) -> Iterator[None]:
        self._keep()  # what happened outside any line is kept
        try:
            yield
        except BaseException:
            self._drop()
            raise
        self._keep()

    def flush(self) -> None:
        """Write what the finished lines changed (inside their transaction)."""
        self._keep()
        stored = sorted(self._stored)
        for i in range(0, len(stored), _CHUNK):
            ids = stored[i : i + _CHUNK]
            DossierFact.objects.filter(pk__in=ids).delete()
            ProgressInterval.objects.filter(dossier_id__in=ids).delete()
        known = {pk: k for pk, k in self._known.items() if k is not None}
        DossierFact.objects.bulk_create(
            [fact_row(pk, k.ident, k.timeline) for pk, k in known.items()],
            batch_size=_CHUNK,
        )
        ProgressInterval.objects.bulk_create(
            [
                row
                for pk, k in known.items()
                for row in interval_rows(pk, k.ident, k.timeline)
            ],
            batch_size=_CHUNK,
        )
        keys = sorted(self._rows)
        for i in range(0, len(keys), _CHUNK // 4):
            add_to_buckets({key: self._rows[key] for key in keys[i : i + _CHUNK // 4]})
        self._known, self._stored, self._rows = {}, set(), _merge(())


@contextmanager
def batched() -> Iterator[FigureBatch]:
    """Within the block, figures are kept by one :class:`FigureBatch`; it is
    flushed when the block ends normally (an error leaves the transaction to
    roll back)."""
    batch = FigureBatch()
    token = _batch.set(batch)
    try:
        yield batch
        batch.flush()
    finally:
        _batch.reset(token)
