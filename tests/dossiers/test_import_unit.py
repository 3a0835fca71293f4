"""The replay unit of work (ADR 0012) writes exactly the rows the plain path
writes: the same lines imported both ways give equal tables, row by row — ids,
history hashes, figures included — with bad lines, lines the unit hands to the
plain path (consultations, send-backs), duplicates and several batches."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.fields import AutoFieldMixin

from motcua.agencies.services import agency_create
from motcua.catalog.services import load_reference_catalogue
from motcua.core import clock
from motcua.demo.history import ward_history
from motcua.dossiers import unit
from motcua.dossiers.exporting import export_lines
from motcua.dossiers.history import verify_all
from motcua.dossiers.importing import ImportReport, ensure_import_user, import_lines
from motcua.dossiers.models import (
    Applicant,
    Consultation,
    DailyCounter,
    Dossier,
    DossierComponent,
    Event,
    Step,
)
from motcua.reports import recompute
from motcua.reports.models import DossierFact, FigureBucket, ProgressInterval

from .builders import build_world
from .test_import import (
    MON,
    THU,
    TUE,
    WED,
    bad_lines,
    ev,
    forget_dossiers,
    live_dossiers,
    row,
)

TABLES = (
    Applicant,
    Dossier,
    DossierComponent,
    Step,
    Event,
    Consultation,
    DailyCounter,
    DossierFact,
    ProgressInterval,
    FigureBucket,
)
WALL_CLOCK = {"created_at", "updated_at"}  # when the row was written, not history


def tables() -> dict[str, list[dict[str, Any]]]:
    # On PostgreSQL a line the unit hands to the plain path has already taken
    # a number from the day counters' sequence (it does not roll back): the
    # counter rows' own ids may differ there, nothing else.
    unnumbered = {DailyCounter} if connection.vendor == "postgresql" else set()
    return {
        model.__name__: [
            {
                k: v
                for k, v in r.items()
                if k not in WALL_CLOCK and not (model in unnumbered and k == "id")
            }
            for r in model.objects.order_by(
                *(("agency", "day") if model in unnumbered else ("pk",))
            ).values()
        ]
        for model in TABLES
    }


def sequences() -> list[tuple[str, int, bool]]:
    """PostgreSQL's sequences of the tables (they do not roll back)."""
    if connection.vendor != "postgresql":
        return []
    found = []
    with connection.cursor() as cursor:
        for model in TABLES:
            if not isinstance(model._meta.pk, AutoFieldMixin):
                continue  # keyed by its dossier
            table, column = model._meta.db_table, model._meta.pk.column
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            name = cursor.fetchone()[0]
            cursor.execute(f"SELECT last_value, is_called FROM {name}")
            found.append((name, *cursor.fetchone()))
    return found


def restart(saved: list[tuple[str, int, bool]]) -> None:
    """Put the sequences back as they were before a rolled-back import."""
    with connection.cursor() as cursor:
        for name, value, called in saved:
            cursor.execute("SELECT setval(%s, %s, %s)", [name, value, called])


def both_ways(
    lines: list[str], monkeypatch: pytest.MonkeyPatch, **options: Any
) -> tuple[ImportReport, ImportReport]:
    """Import ``lines`` through the plain path, keep its tables, roll it back;
    then through the unit of work; the tables must be equal."""

    # The applicant's salt is random; here it follows the line's reception
    # time, so both runs give each applicant the same one (however often a
    # line is tried).
    monkeypatch.setattr(
        "motcua.dossiers.services.reception.secrets.token_hex",
        lambda n: hashlib.sha256(clock.now().isoformat().encode()).hexdigest()[: 2 * n],
    )
    ensure_import_user()  # not created (and numbered) by each run
    saved = sequences()
    with transaction.atomic():
        plain = import_lines(lines, unit_of_work=False, **options)
        expected = tables()
        transaction.set_rollback(True)
    restart(saved)
    fast = import_lines(lines, **options)
    got = tables()
    for name, rows in expected.items():
        for a, b in zip(rows, got[name], strict=False):
            assert a == b, name
        assert len(rows) == len(got[name]), name
    assert [str(r) for r in fast.rejections] == [str(r) for r in plain.rejections]
    for name in ("read", "imported", "already", "recorded_due", "earliest", "events"):
        assert getattr(fast, name) == getattr(plain, name), name
    checked, problems = verify_all()
    assert problems == [] and checked == Dossier.objects.count()
    assert recompute.verify()[1] == []
    return plain, fast


def text(line: Any) -> str:
    return line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)


@pytest.mark.django_db
def test_every_kind_of_line_gives_the_same_rows_through_the_unit_of_work(
    monkeypatch,
):
    world = build_world(fee=20_000)
    live_dossiers(world)
    exported = list(export_lines())  # consult, answer, payments, send back …
    forget_dossiers()
    for model in (ProgressInterval, DossierFact, FigureBucket):  # their figures
        model.objects.all().delete()
    w = world
    good = row(world, ev("finish", WED), ev("return_result", THU))
    fails_late = row(world, ev("finish", WED), ev("finish", THU))
    send_back = row(
        world,
        ev("assign", MON, assignee=w.specialist.username),
        ev("submit", TUE, by=w.specialist.username),
        ev("send_back", TUE + timedelta(hours=1), by=w.leader.username, reason="Sai"),
        ev("submit", WED, by=w.specialist.username),
        ev("approve", WED + timedelta(hours=1), by=w.leader.username),
        ev("finish", THU),
    )
    ours = row(world, code=f"{w.ward.code}-250602-0007")
    lines = [
        *exported,
        good,
        fails_late,
        *(line for line, _ in bad_lines(world).values() if isinstance(line, dict)),
        send_back,
        good,
        ours,
        ours,  # the same dossier again: already imported
        row(world, code=f"{w.ward.code}-250602-0007", received_at=TUE.isoformat()),
        *exported[:2],  # already imported
        good,
        fails_late,
    ]
    _plain, fast = both_ways([text(x) for x in lines], monkeypatch, batch_size=5)
    assert fast.imported > 8 and fast.rejected > 10 and fast.already == 3
    assert fast.plain >= 2  # the unit handed some lines to the plain path
    assert Consultation.objects.exists()


@pytest.mark.django_db
def test_two_years_of_a_ward_give_the_same_rows_through_the_unit_of_work(
    monkeypatch,
):
    ward = agency_create(code="000.01.01.H17", name="UBND phường H17", level="commune")
    load_reference_catalogue([ward])
    lines = [
        json.dumps(line, ensure_ascii=False)
        for line, _truth in ward_history(ward.code, (2017, 2018), 60)
    ]
    plain, fast = both_ways(lines, monkeypatch, batch_size=25)
    assert fast.imported == plain.imported > 100
    assert fast.plain == 0  # every line of the mix through the unit


@pytest.mark.django_db
def test_a_read_the_unit_does_not_answer_is_refused_before_it_runs():
    """The guard: while rows are held, a statement naming the aggregate's
    tables that the unit did not mean raises Miss instead of reading tables
    that do not have those rows yet."""
    world = build_world()
    with transaction.atomic(), unit.unit_of_work() as held:
        held.add(Applicant(agency=world.ward, name="A", fingerprint_salt="0"))
        with pytest.raises(unit.Miss):
            Step.objects.filter(dossier_id=1).exists()
        with held.direct():
            assert not Step.objects.filter(dossier_id=1).exists()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_batch_whose_writing_fails_is_imported_again_through_the_plain_path(
    monkeypatch,
):
    """Writing a batch's unit of work fails (a code taken meanwhile, say): that
    batch is imported again line by line through the plain path, so each line
    is imported or rejected on its own, and each rejection told once."""
    world = build_world()
    good = text(row(world, ev("finish", WED), ev("return_result", THU)))
    bad = text(row(world, ev("finish", WED), ev("finish", THU)))
    flush = unit.UnitOfWork.flush
    calls = []

    def failing_once(self: unit.UnitOfWork) -> None:
        calls.append(self.pending)
        if len(calls) == 1:
            raise IntegrityError("UNIQUE constraint failed: dossiers_dossier.code")
        flush(self)

    monkeypatch.setattr(unit.UnitOfWork, "flush", failing_once)
    told = []
    report = import_lines(
        [good, bad, good, good, bad], batch_size=3, on_reject=told.append
    )

    assert (report.read, report.imported, report.rejected) == (5, 3, 2)
    assert [r.line for r in told] == [2, 5]
    assert Dossier.objects.count() == 3
    assert verify_all() == (3, [])
    assert recompute.verify()[1] == []


@pytest.mark.django_db
def test_a_line_without_savepoint_writes_nothing_and_leaves_no_mark():
    """SQLite's lines of the unit take no savepoint: a statement that would
    write is sent to the plain path before it runs, and a failed line takes
    back the rollback mark and the on-commit callbacks its blocks left."""
    world = build_world()
    with transaction.atomic(), unit.unit_of_work() as held:
        with pytest.raises(unit.Miss), held.line(without_savepoint=True):
            DailyCounter.objects.create(agency=world.ward, day=MON.date(), last=7)
        assert not DailyCounter.objects.exists()
        callbacks = len(connection.run_on_commit)
        with (
            pytest.raises(ValueError),
            held.line(without_savepoint=True),
            unit.one_savepoint(),
            transaction.atomic(),
        ):
            transaction.on_commit(lambda: None)
            held.add(Applicant(agency=world.ward, name="A", fingerprint_salt="0"))
            raise ValueError("the line fails")
        assert held.pending == 0
        assert not connection.needs_rollback
        assert len(connection.run_on_commit) == callbacks
        assert Dossier.objects.count() == 0  # queries run: no broken transaction
        transaction.set_rollback(True)
