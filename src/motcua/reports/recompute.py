"""Rebuild the summary tables from the dossier history, or check them.

``replay`` walks every dossier's events in order through the very functions the
observer uses (``figures.advance``); ``rebuild`` replaces the tables with the
result in one transaction; ``verify`` compares it with the maintained tables
and lists every difference (``motcua recompute_figures [--verify]``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction

from motcua.core.dates import vn_date
from motcua.dossiers.models import Dossier, Event

from .figures import Timeline, advance, contributions, local_day, state_after
from .models import FIGURE_COLUMNS, DossierFact, FigureBucket, ProgressInterval
from .store import (
    BucketKey,
    Ident,
    add_to_buckets,
    bucket_changes,
    fact_row,
    interval_rows,
    timeline_from_rows,
)

BATCH = 2000


@dataclass
class Replayed:
    dossier_id: int
    code: str
    ident: Ident
    timeline: Timeline | None


def replay(batch: int = BATCH) -> Iterator[list[Replayed]]:
    """Every dossier's timeline from its events, in batches by id."""
    last_id = 0
    rows = Dossier.objects.order_by("id").values_list(
        "id", "code", "agency_id", "procedure_id", "field_id", "channel"
    )
    while True:
        chunk = list(rows.filter(id__gt=last_id)[:batch])
        if not chunk:
            return
        timelines: dict[int, Timeline | None] = {row[0]: None for row in chunk}
        channel = {row[0]: row[5] for row in chunk}
        events = (
            Event.objects.filter(dossier_id__in=timelines)
            .order_by("dossier_id", "seq")
            .values_list("dossier_id", "at", "to_status", "payload")
        )
        for dossier_id, at, to_status, payload in events.iterator(chunk_size=5000):
            state = state_after(to_status, payload.get("snapshot", {}))
            day = local_day(at)
            assert day is not None
            timelines[dossier_id] = advance(
                timelines[dossier_id], state, day, channel[dossier_id]
            )
        yield [
            Replayed(row[0], row[1], (row[2], row[3], row[4]), timelines[row[0]])
            for row in chunk
        ]
        last_id = chunk[-1][0]


@dataclass
class Totals:
    dossiers: int = 0
    facts: int = 0
    buckets: dict[BucketKey, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )

    def add(self, item: Replayed) -> None:
        self.dossiers += 1
        if item.timeline is None:
            return
        self.facts += 1
        changes = contributions(item.timeline)
        for key, values in bucket_changes(item.ident, changes).items():
            for column, n in values.items():
                self.buckets[key][column] += n


@transaction.atomic
def rebuild() -> Totals:
    """Replace the three tables with what the history says."""
    FigureBucket.objects.all().delete()
    ProgressInterval.objects.all().delete()
    DossierFact.objects.all().delete()
    totals = Totals()
    for chunk in replay():
        facts, intervals = [], []
        for item in chunk:
            totals.add(item)
            if item.timeline is not None:
                facts.append(fact_row(item.dossier_id, item.ident, item.timeline))
                intervals += interval_rows(item.dossier_id, item.ident, item.timeline)
        DossierFact.objects.bulk_create(facts, batch_size=1000)
        ProgressInterval.objects.bulk_create(intervals, batch_size=1000)
    nonzero = {k: v for k, v in totals.buckets.items() if any(v.values())}
    keys = sorted(nonzero)
    for start in range(0, len(keys), 500):
        add_to_buckets({k: nonzero[k] for k in keys[start : start + 500]})
    return totals


def _stored_timelines(ids: list[int]) -> dict[int, Timeline]:
    facts = {f.pk: f for f in DossierFact.objects.filter(dossier_id__in=ids)}
    intervals: dict[int, list[ProgressInterval]] = defaultdict(list)
    for row in ProgressInterval.objects.filter(dossier_id__in=ids).order_by(
        "dossier_id", "start_day", "id"
    ):
        intervals[row.dossier_id].append(row)
    return {pk: timeline_from_rows(f, intervals[pk]) for pk, f in facts.items()}


def _describe_bucket(key: BucketKey) -> str:
    agency_id, procedure_id, field_id, grain, bucket = key
    return (
        f"ô tổng hợp cơ quan #{agency_id}, thủ tục #{procedure_id}, "
        f"lĩnh vực #{field_id}, {grain} {vn_date(bucket)}"
    )


def verify() -> tuple[Totals, list[str]]:
    """Differences between the maintained tables and a replay of the history."""
    totals = Totals()
    problems: list[str] = []
    for chunk in replay():
        stored = _stored_timelines([item.dossier_id for item in chunk])
        for item in chunk:
            totals.add(item)
            mine = stored.get(item.dossier_id)
            if mine != item.timeline:
                problems.append(
                    f"{item.code}: số liệu lưu {_summary(mine)} ≠ "
                    f"theo lịch sử {_summary(item.timeline)}"
                )
    expected = totals.buckets
    seen: set[BucketKey] = set()
    values = ["agency_id", "procedure_id", "field_id", "grain", "bucket"]
    for row in FigureBucket.objects.values(*values, *FIGURE_COLUMNS).iterator(
        chunk_size=5000
    ):
        key: BucketKey = (
            row["agency_id"],
            row["procedure_id"],
            row["field_id"],
            row["grain"],
            row["bucket"],
        )
        seen.add(key)
        want = expected.get(key, {})
        for column in FIGURE_COLUMNS:
            if row[column] != want.get(column, 0):
                problems.append(
                    f"{_describe_bucket(key)}, cột {column}: lưu {row[column]}, "
                    f"theo lịch sử {want.get(column, 0)}"
                )
    for key, want in expected.items():
        if key not in seen and any(want.values()):
            problems.append(
                f"{_describe_bucket(key)}: thiếu, theo lịch sử {dict(want)}"
            )
    return totals, problems


def _summary(timeline: Timeline | None) -> str:
    if timeline is None:
        return "(không có)"
    parts = [f"nhận {vn_date(timeline.received_day)}"]
    if timeline.end_day:
        parts.append(f"kết thúc {vn_date(timeline.end_day)} {timeline.end_kind}")
        if timeline.timing:
            parts.append(timeline.timing)
    if timeline.due_day:
        parts.append(f"hạn {vn_date(timeline.due_day)}")
    parts.append(f"{len(timeline.intervals)} khoảng")
    return "[" + ", ".join(parts) + "]"
