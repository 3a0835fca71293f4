"""Benchmark of Biểu 06 (figures from the summary tables).

Run from the repository root::

    .venv/bin/python bench/bieu06.py --ward-year            # SQLite, one ward
    tools/pg-test-cluster.sh .venv/bin/python bench/bieu06.py --dossiers 1000000
    … --record                                              # add to RESULTS.md

It builds a province in a fresh database (a province, 30 districts, 469 wards =
500 agencies; 20 fields, 400 procedures, each agency offering 40), generates
dossier facts and progress intervals **directly in bulk** (not via the services:
a seeded random mix — 40 % online; due 1–15 working days; 88 % settled, mostly
early/on time, 6 % late; 4 % withdrawn, 2 % stopped; 15 % with a supplement
pause; the rest still open) over 2023–2025, fills the bucket table from them in
SQL (PostgreSQL: COPY, then INSERT … SELECT … GROUP BY) or Python (SQLite),
then times ``bieu06`` — best of 3, ``time.perf_counter`` — for:

* one ward, calendar year 2025 (``ward-year``);
* the province (subtree of the root), calendar year 2025 (``province-year``);
* the province, 15/03/2025–14/09/2025 (a cut-off that needs day buckets).

Foreign keys to dossiers are not checked while loading (no dossier rows exist).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
FIRST, DAYS = date(2023, 1, 1), 3 * 365
sys.path.insert(0, str(ROOT / "src"))


def setup(sqlite: bool) -> None:
    if sqlite or not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="motcua-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_province(rng: random.Random) -> tuple[object, object, dict[int, list]]:
    from decimal import Decimal

    from motcua.agencies.services import agency_create
    from motcua.catalog.models import Field, Procedure, ProcedureVersion

    root = agency_create(code="000.00.00.H99", name="UBND tỉnh", level="province")
    agencies = [root]
    for d in range(30):
        district = agency_create(
            code=f"000.00.{d:02d}.D99", name=f"Huyện {d}", level="district", parent=root
        )
        agencies.append(district)
    wards = []
    for w in range(469):
        parent = agencies[1 + w % 30]
        wards.append(
            agency_create(
                code=f"000.{w // 100:02d}.{w % 100:02d}.W99",
                name=f"Xã {w}",
                level="commune",
                parent=parent,
            )
        )
    agencies += wards
    fields = [
        Field.objects.create(code=f"LV{f:02d}", name=f"Lĩnh vực {f}") for f in range(20)
    ]
    procedures = []
    for p in range(400):
        proc = Procedure.objects.create(code=f"1.{p:06d}", field=fields[p % 20])
        ProcedureVersion.objects.create(
            procedure=proc,
            number=1,
            effective_from=date(2020, 1, 1),
            name=f"Thủ tục {p}",
            time_value=Decimal(3),
            time_unit="working_days",
        )
        procedures.append(proc)
    offered = {a.pk: rng.sample(procedures, 40) for a in agencies}
    return (
        root,
        wards[0],
        {k: [(p.pk, p.field_id) for p in v] for k, v in offered.items()},
    )


def timelines(
    n: int, agency_ids: list[int], offered: dict, rng: random.Random
) -> Iterator:
    """(dossier_id, agency, procedure, field, channel, received, end, kind,
    timing, due, intervals) — intervals as (start, end, paused, due)."""
    weights = [20 if i == 0 else 1 for i in range(len(agency_ids))]
    agencies = rng.choices(agency_ids, weights=weights, k=n)
    for i in range(n):
        agency = agencies[i]
        procedure, field = rng.choice(offered[agency])
        channel = "online" if rng.random() < 0.4 else "direct"
        received = FIRST + timedelta(days=rng.randrange(DAYS))
        due = received + timedelta(days=rng.randint(1, 21))
        intervals, start = [], received
        roll = rng.random()
        if rng.random() < 0.15:  # a supplement pause, the time restarts after
            pause = received + timedelta(days=rng.randint(0, 3))
            back = pause + timedelta(days=rng.randint(1, 20))
            if pause > start:
                intervals.append((start, pause, False, due))
            intervals.append((pause, back, True, None))
            start, due = back, back + timedelta(days=rng.randint(1, 21))
        if roll < 0.88:
            kind = "settled"
            r = rng.random()
            offset = (
                -rng.randint(1, 5)
                if r < 0.6
                else (0 if r < 0.94 else rng.randint(1, 10))
            )
            end = max(start, due + timedelta(days=offset))
        elif roll < 0.94:
            kind = "withdrawn" if roll < 0.92 else "stopped"
            end = start + timedelta(days=rng.randint(0, 10))
        else:
            kind, end = "", None
        if end is not None and end > FIRST + timedelta(days=DAYS + 60):
            kind, end = "", None
        timing = ""
        if kind == "settled":
            timing = "on_time" if end == due else ("early" if end < due else "late")
        if end is None or end > start:
            intervals.append((start, end, False, due))
        elif intervals and intervals[-1][1] is not None and intervals[-1][1] > end:
            intervals[-1] = (intervals[-1][0], end, intervals[-1][2], intervals[-1][3])
        yield (
            i + 1,
            agency,
            procedure,
            field,
            channel,
            received,
            end,
            kind,
            timing,
            due,
            intervals,
        )


def _d(value: date | None) -> str:
    return "\\N" if value is None else value.isoformat()


def load_postgres(rows: Iterator, total: int) -> None:
    from django.db import connection

    from motcua.reports.models import DossierFact, ProgressInterval

    facts, spans = DossierFact._meta.db_table, ProgressInterval._meta.db_table
    raw = connection.connection
    with connection.cursor() as c:
        c.execute("SET session_replication_role = replica")
    ident = "dossier_id, agency_id, procedure_id, field_id"
    fact_cols = f"({ident}, channel, received_day, end_day, end_kind, timing, due_day)"
    span_cols = f"({ident}, start_day, end_day, paused, due_day)"
    done = 0
    with raw.cursor() as cur:
        while done < total:
            fbuf, sbuf = io.StringIO(), io.StringIO()
            for _ in range(min(200_000, total - done)):
                i, a, p, f, ch, rec, end, kind, timing, due, ints = next(rows)
                head = f"{i}\t{a}\t{p}\t{f}"
                fbuf.write(
                    f"{head}\t{ch}\t{rec}\t{_d(end)}\t{kind}\t{timing}\t{_d(due)}\n"
                )
                for s, e, paused, d in ints:
                    flag = "t" if paused else "f"
                    sbuf.write(f"{head}\t{s}\t{_d(e)}\t{flag}\t{_d(d)}\n")
                done += 1
            with cur.copy(f"COPY {facts} {fact_cols} FROM STDIN") as copy:
                copy.write(fbuf.getvalue())
            with cur.copy(f"COPY {spans} {span_cols} FROM STDIN") as copy:
                copy.write(sbuf.getvalue())
            print(f"  … {done:,} dossiers", file=sys.stderr)
    raw.commit()


BUCKETS_SQL = """
WITH c AS (
  SELECT agency_id a, procedure_id p, field_id f, received_day d,
         CASE WHEN channel = 'online' THEN 1 ELSE 0 END ro,
         CASE WHEN channel = 'online' THEN 0 ELSE 1 END rd,
         0 se, 0 so, 0 sl, 0 w, 0 s, 0 pa, 0 ov FROM {facts}
  UNION ALL
  SELECT agency_id, procedure_id, field_id, end_day, 0, 0,
         (timing = 'early')::int, (timing = 'on_time')::int, (timing = 'late')::int,
         (end_kind = 'withdrawn')::int, (end_kind = 'stopped')::int, 0, 0
    FROM {facts} WHERE end_day IS NOT NULL
  UNION ALL
  SELECT agency_id, procedure_id, field_id, start_day, 0,0,0,0,0,0,0, 1, 0
    FROM {spans} WHERE paused
  UNION ALL
  SELECT agency_id, procedure_id, field_id, end_day, 0,0,0,0,0,0,0, -1, 0
    FROM {spans} WHERE paused AND end_day IS NOT NULL
  UNION ALL
  SELECT agency_id, procedure_id, field_id, GREATEST(start_day, due_day + 1),
         0,0,0,0,0,0,0,0, 1
    FROM {spans} WHERE NOT paused AND due_day IS NOT NULL
     AND (end_day IS NULL OR GREATEST(start_day, due_day + 1) < end_day)
  UNION ALL
  SELECT agency_id, procedure_id, field_id, end_day, 0,0,0,0,0,0,0,0, -1
    FROM {spans} WHERE NOT paused AND due_day IS NOT NULL AND end_day IS NOT NULL
     AND GREATEST(start_day, due_day + 1) < end_day
)
INSERT INTO {buckets} (agency_id, procedure_id, field_id, grain, bucket,
  received_online, received_direct_postal, settled_early, settled_on_time,
  settled_late, withdrawn, stopped, paused, overdue)
SELECT a, p, f, g.grain, (date_trunc(g.unit, d))::date,
  sum(ro), sum(rd), sum(se), sum(so), sum(sl), sum(w), sum(s), sum(pa), sum(ov)
FROM c CROSS JOIN (VALUES ('D', 'day'), ('M', 'month'), ('Y', 'year')) g(grain, unit)
GROUP BY a, p, f, g.grain, (date_trunc(g.unit, d))::date
ORDER BY g.grain, 5
"""


def buckets_postgres() -> None:
    from django.db import connection

    from motcua.reports.models import DossierFact, FigureBucket, ProgressInterval

    sql = BUCKETS_SQL.format(
        facts=DossierFact._meta.db_table,
        spans=ProgressInterval._meta.db_table,
        buckets=FigureBucket._meta.db_table,
    )
    with connection.cursor() as c:
        c.execute("SET work_mem = '256MB'")
        c.execute(sql)
    with connection.cursor() as c:  # VACUUM: the visibility map, for index-only
        c.execute(f"VACUUM ANALYZE {FigureBucket._meta.db_table}")


def load_sqlite(rows: Iterator) -> None:
    from django.db import connection, transaction

    from motcua.reports.figures import Interval, Timeline
    from motcua.reports.recompute import Replayed, Totals
    from motcua.reports.store import add_to_buckets, fact_row, interval_rows

    with connection.cursor() as c:
        c.execute("PRAGMA foreign_keys = OFF")
    totals = Totals()
    from motcua.reports.models import DossierFact, ProgressInterval

    with transaction.atomic():
        facts, spans = [], []
        for i, a, p, f, ch, rec, end, kind, timing, due, ints in rows:
            t = Timeline(ch, rec, end, kind, timing, due, [Interval(*x) for x in ints])
            totals.add(Replayed(i, str(i), (a, p, f), t))
            facts.append(fact_row(i, (a, p, f), t))
            spans += interval_rows(i, (a, p, f), t)
        DossierFact.objects.bulk_create(facts, batch_size=2000)
        ProgressInterval.objects.bulk_create(spans, batch_size=2000)
        keys = sorted(totals.buckets)
        for s in range(0, len(keys), 300):
            add_to_buckets({k: totals.buckets[k] for k in keys[s : s + 300]})


def best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--ward-year", action="store_true", help="SQLite, one ward")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    setup(args.ward_year)
    from django.db import connection

    from motcua.reports.selectors import ReportQuery, bieu06

    rng = random.Random(2026)
    root, ward, offered = build_province(rng)
    started = time.perf_counter()
    if args.ward_year:  # one ward alone: ~5,000 dossiers a year
        n = 15_000
        load_sqlite(timelines(n, [ward.pk], offered, rng))
    else:
        n = args.dossiers
        load_postgres(timelines(n, list(offered), offered, rng), n)
        buckets_postgres()
    load = time.perf_counter() - started
    from motcua.reports.models import FigureBucket

    bucket_rows = FigureBucket.objects.count()
    year = (date(2025, 1, 1), date(2025, 12, 31))
    cases = {"ward-year": ReportQuery(ward, *year, False, "field")}
    if not args.ward_year:
        cases["province-year"] = ReportQuery(root, *year, True, "field")
        cases["province 15/03–14/09"] = ReportQuery(
            root, date(2025, 3, 15), date(2025, 9, 14), True, "procedure"
        )
    timings = {name: best_of(lambda q=q: bieu06(q)) for name, q in cases.items()}
    db = connection.vendor
    print(f"{db}: {n:,} dossiers, {bucket_rows:,} bucket rows, loaded in {load:.0f} s")
    for name, seconds in timings.items():
        total = bieu06(cases[name])["totals"]["received"]["total"]
        print(f"  {name:<22} {seconds * 1000:8.1f} ms   (received.total {total:,})")
    if args.record:
        record(db, n, bucket_rows, load, timings)


def record(db: str, n: int, buckets: int, load: float, timings: dict) -> None:
    text = RESULTS.read_text(encoding="utf-8")
    marker = "\n# Biểu 06 benchmark\n"
    if marker not in text:
        text += (
            marker
            + "\n`bench/bieu06.py` (see its docstring): Biểu 06 from the bucket table, "
            "best of 3. Aim: under 1 s for a province-year at 10 M dossiers.\n\n"
            "| date | machine | db | dossiers | bucket rows | load s | case | ms |\n"
            "| --- | --- | --- | ---: | ---: | ---: | --- | ---: |\n"
        )
    today = date.today().isoformat()
    for name, seconds in timings.items():
        text += (
            f"| {today} | {machine()} | {db} | {n:,} | {buckets:,} | {load:.0f} "
            f"| {name} | {seconds * 1000:.1f} |\n"
        )
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
