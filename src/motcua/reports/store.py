"""Keeping the summary tables (the only writer of ``reports`` models).

``on_dossier_event`` is registered as a same-transaction observer of every
dossier action (``ReportsConfig.ready``): it moves the dossier's timeline with
``figures.advance`` and adds the change of its contributions to the day, month
and year buckets with one upsert. An error here rolls the action back, so the
figures never disagree with the history.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import connection

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
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def on_dossier_event(dossier: Dossier, event: Event) -> None:
    """Observer: bring the figures of ``dossier`` up to ``event``."""
    state = state_after(event.to_status, event.payload.get("snapshot", {}))
    fact = DossierFact.objects.filter(pk=dossier.pk).first()
    if fact is None and not state.received:
        return
    if fact is not None and fact.end_day is not None:
        return  # ended dossiers keep their figures
    before = None
    if fact is not None:
        intervals = ProgressInterval.objects.filter(dossier_id=dossier.pk)
        before = timeline_from_rows(fact, intervals.order_by("start_day", "id"))
        _move(dossier, fact, before)
    day = local_day(event.at)
    assert day is not None
    after = advance(copy.deepcopy(before), state, day, dossier.channel)
    if after is None or after == before:
        return
    ident = ident_of(dossier)
    fact_row(dossier.pk, ident, after).save()
    if before is None or before.intervals != after.intervals:
        ProgressInterval.objects.filter(dossier_id=dossier.pk).delete()
        ProgressInterval.objects.bulk_create(interval_rows(dossier.pk, ident, after))
    changes = difference(contributions(before), contributions(after))
    add_to_buckets(bucket_changes(ident, changes))


def _move(dossier: Dossier, fact: DossierFact, timeline: Timeline) -> None:
    """A dossier transferred to another agency (a merger) takes its figures
    with it: they are counted where the dossier now is, as a recompute from the
    history counts them (``recompute.replay`` uses the dossier's agency)."""
    old = (fact.agency_id, fact.procedure_id, fact.field_id)
    new = ident_of(dossier)
    if old == new:
        return
    made = contributions(timeline)
    add_to_buckets(bucket_changes(old, difference(made, Counter())))
    add_to_buckets(bucket_changes(new, difference(Counter(), made)))
    fact_row(dossier.pk, new, timeline).save()
    ProgressInterval.objects.filter(dossier_id=dossier.pk).update(
        agency_id=new[0], procedure_id=new[1], field_id=new[2]
    )
