"""A 100-item dossier list page at province scale, before and after the
visibility work of issue 15 (a union of per-branch first pages instead of an
``OR`` that walks the whole table backwards).

Builds on PostgreSQL (``tools/pg-test-cluster.sh``) a province of 500 agencies
(``bench/bieu06.py``'s) and ``--dossiers`` dossiers spread evenly over the
wards, cloned in bulk (``INSERT … SELECT generate_series``) from dossiers
received through the services, each with its steps handled by its own agency.
One ward (W0) also handles a step of, is consulted on and received for the
district some dossiers of other wards. Then times, for W0's specialist and a
province monitor, the first page and a deep one (the SQL by EXPLAIN ANALYZE,
the whole API view through Django's test client): median of ``--repeat``.
Three codes: *before* (the ``OR`` page), *after* (the union page, model rows,
DRF's serialiser loop) and *lean* (the union page read with ``values_list``
into ``DossierRow``, rendered by ``output_plans``).

    tools/pg-test-cluster.sh .venv/bin/python bench/list_page.py --record

Compare only as ratios within one run (2 noisy shared cores).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Python put bench/ first on sys.path, where bench/http.py hides the standard
# library's http: take it off.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
# bench/ holds an http.py: load bieu06.py by path, not with bench/ on sys.path.
_spec = importlib.util.spec_from_file_location("bieu06", ROOT / "bench" / "bieu06.py")
assert _spec is not None and _spec.loader is not None
bieu06 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bieu06)
RESULTS, build_province, machine, setup = (
    bieu06.RESULTS,
    bieu06.build_province,
    bieu06.machine,
    bieu06.setup,
)

PAGE = 100


def _clone(model: Any, template_ids: str, n_sql: str, overrides: dict[str, str]) -> str:
    """``INSERT INTO model SELECT … FROM model t, generate_series`` SQL."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    select = [overrides.get(c, f't."{c}"') for c in columns]
    table = model._meta.db_table
    return (
        f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
        f"SELECT {', '.join(select)} FROM {table} t, {n_sql} "
        f"WHERE t.id IN ({template_ids})"
    )


def build(n: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from motcua.agencies.models import Agency, Membership, Role
    from motcua.catalog.models import Procedure
    from motcua.core import clock
    from motcua.deadlines.engine import VN_TZ
    from motcua.dossiers import services
    from motcua.dossiers.models import Applicant, Consultation, Dossier, Step
    from motcua.dossiers.services import ApplicantInput, DossierInput

    rng = random.Random(2026)
    root, ward, _ = build_province(rng)
    wards = list(Agency.objects.filter(level="commune").order_by("id"))
    district = ward.parent
    procedure = Procedure.objects.order_by("id").first()
    assert procedure is not None
    procedure.agencies.add(*wards)
    users = get_user_model().objects
    specialist = users.create_user("cv-w0")
    Membership.objects.create(user=specialist, agency=ward, role=Role.SPECIALIST)
    monitor = users.create_user("gs-tinh")
    Membership.objects.create(
        user=monitor, agency=root, role=Role.MONITOR, covers_subtree=True
    )
    desk = users.create_user("mc-w0")
    Membership.objects.create(user=desk, agency=ward, role=Role.RECEPTION)
    from datetime import datetime

    with clock.frozen_at(datetime(2025, 6, 2, 9, tzinfo=VN_TZ)):
        template = services.dossier_receive(
            desk,
            data=DossierInput(
                agency=ward,
                procedure=procedure,
                channel="direct",
                applicant=ApplicantInput(name="Nguyễn Văn An", phone="0905123456"),
            ),
        )
    ward_ids = [w.pk for w in wards]
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM dossiers_applicant")
        base_app = cur.fetchone()[0]
        cur.execute("SELECT max(id) FROM dossiers_dossier")
        base = cur.fetchone()[0]
        series = f"generate_series(1, {n}) g"
        cur.execute(
            _clone(
                Applicant,
                str(template.applicant_id),
                series,
                {"agency_id": f"(ARRAY{ward_ids})[1 + g % {len(ward_ids)}]"},
            )
            if "agency_id" in [f.column for f in Applicant._meta.concrete_fields]
            else _clone(Applicant, str(template.applicant_id), series, {})
        )
        agency = f"(ARRAY{ward_ids})[1 + g % {len(ward_ids)}]"
        cur.execute(
            _clone(
                Dossier,
                str(template.pk),
                series,
                {
                    "agency_id": agency,
                    "received_by_agency_id": agency,
                    "code": "'B-' || g",
                    "applicant_id": f"{base_app} + g",
                },
            )
        )
        # Every clone gets the template's steps, handled by its own agency.
        cur.execute(
            _clone(
                Step,
                ",".join(str(s.pk) for s in template.steps.all()),
                "(SELECT id AS d, agency_id AS a FROM dossiers_dossier "
                f"WHERE id > {base}) g",
                {"dossier_id": "g.d", "agency_id": "g.a"},
            )
        )
        # W0 works on 30 dossiers of other wards each way (liên thông).
        others = [base + 1 + k * (n // 100) for k in range(90)]
        others = [i for i in others if (i - base) % len(ward_ids) != 0]
        first_step = template.steps.order_by("id").first()
        cur.execute(
            _clone(
                Step,
                str(first_step.pk),
                f"unnest(ARRAY{others[:30]}) g(d)",
                {"dossier_id": "g.d", "agency_id": str(ward.pk)},
            )
        )
        cur.execute(
            f"UPDATE dossiers_dossier SET agency_id = {district.pk}, "
            f"received_by_agency_id = {ward.pk} WHERE id = ANY(ARRAY{others[30:60]})"
        )
    with clock.frozen_at(datetime(2025, 6, 3, 9, tzinfo=VN_TZ)):
        for pk in others[60:90]:
            Consultation.objects.create(
                dossier_id=pk,
                agency=ward,
                question="Xác minh?",
                requested_by=desk,
                requested_at=clock.now(),
                due_at=clock.now(),
            )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"built {n:,} dossiers in {time.perf_counter() - started:.0f} s")
    return {"ward officer": specialist, "province monitor": monitor}


def _old_page(user: Any, filters: Any) -> Any:
    """The page before issue 15: the ``OR`` of the branches, then the keyset."""
    from motcua.dossiers import selectors

    rows = selectors.dossier_list(user, filters)
    if filters.cursor is not None:
        rows = selectors._after(rows, filters.ordering, filters.cursor)
    items = list(rows[: filters.limit + 1])
    more = len(items) > filters.limit
    items = items[: filters.limit]
    cursor = selectors.encode_cursor(filters.ordering, items[-1]) if more else None
    return selectors.Page(items, cursor)


SHOW_PLANS = False
PROFILE = False
_LEAN_RENDER: Any = None


def _sql_ms(page: Callable[[], Any]) -> float:
    """The execution time of every statement ``page`` runs (EXPLAIN ANALYZE of
    each, as sent), summed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        page()
    total = 0.0
    for query in ctx.captured_queries:
        sql = query["sql"]
        if SHOW_PLANS:
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
                print("\n".join(r[0] for r in cur.fetchall()))
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cur.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        total += float(plan[0]["Execution Time"])
    return total


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _drf_loop(serializer: Any, instance: Any) -> Any:
    """DRF's own ``to_representation`` (before ``output_plans``)."""
    from rest_framework import serializers

    return serializers.ModelSerializer.to_representation(serializer, instance)


def _time_page(
    page_fn: Callable[..., Any],
    user: Any,
    client: Any,
    params: dict[str, str],
    repeat: int,
    lean: bool = False,
) -> tuple[str, str, str]:
    """Rows, SQL ms and view ms of one page with ``page_fn`` as the page;
    ``lean``: rendered through ``output_plans`` (else DRF's loop)."""
    from motcua.dossiers import api, output_plans, selectors

    selectors.dossier_page = page_fn
    api.dossier_row_page = page_fn  # the API view reads it here
    output_plans.render = _LEAN_RENDER if lean else _drf_loop
    filters = selectors.parse_filters(params)
    items = page_fn(user, filters).items
    sql = statistics.median(
        [_sql_ms(lambda: page_fn(user, filters)) for _ in range(repeat)]
    )
    view = median_ms(lambda: client.get("/api/v1/dossiers/", params), repeat)
    if PROFILE and lean:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        for _ in range(repeat):
            profiler.runcall(lambda: client.get("/api/v1/dossiers/", params))
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(20)
    return f"{len(items)}", f"{sql:.2f}", f"{view:.1f}"


def measure(users: dict[str, Any], repeat: int) -> list[tuple[str, ...]]:
    from django.test import Client

    from motcua.dossiers import api, selectors

    global _LEAN_RENDER
    from motcua.dossiers import output_plans

    _LEAN_RENDER = output_plans.render
    rows: list[tuple[str, ...]] = []
    new_page, row_page = selectors.dossier_page, selectors.dossier_row_page
    # before: the OR page; after: the union page (model rows, DRF's loop);
    # lean: the union page read as values, rendered by output_plans.
    variants = (
        ("before", _old_page, False),
        ("after", new_page, False),
        ("lean", row_page, True),
    )
    for who, user in users.items():
        client = Client()
        client.force_login(user)
        first = selectors.parse_filters({"limit": str(PAGE)})
        ids = list(selectors.dossier_list(user, first).values_list("pk", flat=True))
        deep_key = ids[len(ids) // 2] if len(ids) > 2 * PAGE else ids[PAGE]
        cursor = selectors.encode_cursor("-id", type("K", (), {"pk": deep_key})())
        pages = {"first": {}, "deep": {"cursor": cursor}}
        for page, extra in pages.items():
            params = {"limit": str(PAGE), **extra}
            filters = selectors.parse_filters(params)
            for label, page_fn, lean in variants:
                timed = _time_page(page_fn, user, client, params, repeat, lean)
                rows.append((who, page, label, *timed))
                print(
                    f"  {who:<17} {page:<5} {label:<6} rows {timed[0]:>3}  "
                    f"SQL {timed[1]:>7} ms  view {timed[2]:>7} ms"
                )
            selectors.dossier_page = new_page
            api.dossier_row_page = row_page
            output_plans.render = _LEAN_RENDER
            assert [d.pk for d in _old_page(user, filters).items] == [
                d.pk for d in new_page(user, filters).items
            ], f"{who} {page}: the pages differ"
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--plans", action="store_true", help="print the plans")
    parser.add_argument("--profile", action="store_true", help="cProfile a view")
    args = parser.parse_args()
    global SHOW_PLANS, PROFILE
    SHOW_PLANS, PROFILE = args.plans, args.profile
    setup(False)
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    assert connection.vendor == "postgresql", "run under tools/pg-test-cluster.sh"
    users = build(args.dossiers)
    rows = measure(users, args.repeat)
    if args.record:
        record(args.dossiers, rows)


def record(n: int, rows: list[tuple[str, ...]]) -> None:
    text = RESULTS.read_text(encoding="utf-8")
    marker = "\n# List page benchmark\n"
    if marker not in text:
        text += (
            marker
            + "\n`bench/list_page.py` (see its docstring): a 100-item API list page "
            "(`/api/v1/dossiers/?limit=100`, newest first) in a province of 500 "
            "agencies; SQL = EXPLAIN ANALYZE execution time of the page query, "
            "view = the whole request through Django's test client; medians. "
            "*before*: the `OR` of the visibility branches; *after*: the union of "
            "per-branch first pages (issue 15). Aim: p50 ≤ 20 ms.\n\n"
            "| date | machine | dossiers | user | page | code | rows | SQL ms "
            "| view ms |\n"
            "| --- | --- | ---: | --- | --- | --- | ---: | ---: | ---: |\n"
        )
    today = date.today().isoformat()
    for who, page, label, count, sql, view in rows:
        text += (
            f"| {today} | {machine()} | {n:,} | {who} | {page} | {label} | {count} "
            f"| {sql} | {view} |\n"
        )
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
