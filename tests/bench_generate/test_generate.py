"""bench/generate.py: the fast copies are the reference copies, character for
character, and what it writes passes both proofs (``verify_history``, a replay
of the figures). Runs on SQLite and PostgreSQL; the worker processes are left
out (their function is called here, in the test's transaction)."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from motcua.core import clock
from motcua.dossiers.history import event_hash, verify_all
from motcua.dossiers.models import Dossier, Event
from motcua.reports.models import DossierFact, FigureBucket, ProgressInterval
from motcua.reports.recompute import verify

from ..dossiers.builders import vn

generate = pytest.importorskip("bench.generate")

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> Any:
    with clock.frozen_at(vn(2026, 3, 20, 17)):
        province = generate.build_province(n_wards=4, n_districts=2)
        generate.make_templates(province, days=20, per_day=5)
    templates = generate.load_templates(province.wards[0])
    assert len(templates) >= 20
    plan = generate.make_plan(province, templates, seed=7)
    plan.check_every = 1  # every copy also made the reference way
    return plan


def _picks(plan: Any, total: int) -> list[tuple[int, list]]:
    numbers: dict[tuple[int, date], int] = defaultdict(int)
    return list(generate.picks(plan, total, 50, numbers))


def test_the_hashed_text_is_what_event_hash_hashes(plan: Any) -> None:
    for t in plan.templates:
        for e in t.events:
            event = SimpleNamespace(**e)
            text = generate.hashed_text(event, t.dossier["code"])
            digest = hashlib.sha256(text.encode()).hexdigest()
            assert digest == event_hash(event, t.dossier["code"]) == e["hash"]


def test_every_template_copied_fast_equals_the_reference(plan: Any) -> None:
    copier = generate.Copier(plan)
    weeks = [0, 1, 9, 52, plan.weeks]
    for pick, t in enumerate(plan.templates):
        jobs = [(pick, ward, w, 1 + ward) for ward in range(2) for w in weeks]
        jobs = [job for job in jobs if t.closed or job[2] == 0]
        # Copier.check raises when a copy differs from Reference's
        texts, _ = copier.chunk(1000 * pick, jobs)
        assert texts["dossier"].count("\n") == len(jobs)
        assert texts["event"].count("\n") == len(jobs) * len(t.events)


def test_the_slots_hold_no_character_to_escape(plan: Any) -> None:
    """The JSON of a slot is written as ``"value"``: no value needs escaping."""
    copier = generate.Copier(plan)
    for _start, jobs in _picks(plan, 200):
        for pick, ward, weeks, number in jobs:
            p = copier.patterns[pick]
            person = generate.draw_person(generate.random.Random(number))
            v = copier.values(pick, 0, ward, weeks, number, person)
            names = [n for n, _ in p.json_names] + [
                f"t{k}" for k in range(len(p.times))
            ]
            for name in names:
                value = v[name]
                assert isinstance(value, int) or all(
                    c not in value for c in '"\\\t\n\r\x00'
                )


def test_the_search_text_is_folded_as_fold_does(plan: Any) -> None:
    from motcua.core.text import fold
    from motcua.dossiers.codes import format_code

    copier = generate.Copier(plan)
    codes = [
        format_code(code, day, number)
        for _, code in plan.wards
        for day in (date(2023, 1, 2), date(2026, 12, 31))
        for number in (1, 99, 12345)
    ]
    for name in map(" ".join, generate._all_names()):
        for code in codes:
            ward = code.rsplit("-", 2)[0]
            mine = f"{copier.folded[ward]}{code[len(ward) :]} {copier.folded[name]}"
            assert mine == fold(f"{code} {name}")


def test_copies_and_their_figures_pass_both_proofs(plan: Any) -> None:
    copier = generate.Copier(plan)
    before = Dossier.objects.count()
    dated: dict[tuple[int, int, int], Counter] = defaultdict(Counter)
    total = 300
    for start, jobs in _picks(plan, total):
        texts, changes = copier.chunk(start, jobs)
        if connection.vendor == "postgresql":
            generate.write_postgres(texts)
        else:
            generate.write_rows(texts)
        for ident, counter in changes.items():
            dated[ident].update(counter)
    wards = [w for w, _ in plan.wards]
    generate.save_buckets(dated, wards, connection.vendor == "postgresql")
    generate.reset_sequences()
    assert Dossier.objects.count() == before + total
    assert Event.objects.filter(dossier_id__gt=before).exists()
    checked, problems = verify_all()
    assert (checked, problems) == (before + total, [])
    # the figures written with the copies equal a replay of every history
    totals, differences = verify()
    assert differences == []
    assert totals.dossiers == before + total
    assert DossierFact.objects.count() == totals.facts
    assert ProgressInterval.objects.exists() and FigureBucket.objects.exists()


@pytest.mark.postgres
def test_the_indexes_dropped_for_the_load_come_back_the_same(plan: Any) -> None:
    tables = [m._meta.db_table for m in generate._models().values()]

    def indexes() -> set[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
                [tables],
            )
            return set(cursor.fetchall())

    with connection.cursor() as cursor:  # the templates' checks, before the DDL
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    before = indexes()
    dropped = generate.drop_plain_indexes()
    assert dropped and len(indexes()) == len(before) - len(dropped)
    assert any("gin_trgm_ops" in d for d in dropped)
    generate.create_indexes(dropped)
    assert indexes() == before
