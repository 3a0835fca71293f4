"""Concurrent receptions and actions on a real PostgreSQL (and on SQLite files).

Threads each use their own database connection; a barrier releases them at once.
These tests need committed data, hence ``transaction=True``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import close_old_connections, connection

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.history import verify_dossier
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.workflow import Status

from .builders import build_world, vn

MON = vn(2025, 6, 2)


def run_together(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``n`` threads released together; results or errors."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            with clock.frozen_at(MON):
                results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sixteen_parallel_receptions_get_sixteen_consecutive_codes():
    world = build_world()

    def receive(i: int) -> str:
        return services.dossier_receive(world.reception, data=world.input()).code

    codes = run_together(16, receive)
    errors = [c for c in codes if isinstance(c, Exception)]
    assert not errors, errors
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, 17))
    assert Dossier.objects.filter(agency=world.ward).count() == 16


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_finishing_at_once_give_one_success_and_one_conflict():
    world = build_world()
    dossier = world.processing(MON)

    def finish(i: int) -> Dossier:
        actor = world.specialist if i == 0 else world.leader
        return services.dossier_finish(actor, Dossier.objects.get(pk=dossier.pk))

    outcomes = run_together(2, finish)
    successes = [o for o in outcomes if isinstance(o, Dossier)]
    conflicts = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(successes) == 1, outcomes
    assert len(conflicts) == 1 and conflicts[0].status == 409
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert Event.objects.filter(dossier=dossier, action="finish").count() == 1
    assert verify_dossier(dossier) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_same_version_edits_at_once_give_one_success_and_one_conflict():
    world = build_world()
    dossier = world.processing(MON)
    version = dossier.lock_version

    def extend(i: int) -> Dossier:
        return services.dossier_extend(
            world.leader,
            Dossier.objects.get(pk=dossier.pk),
            new_due_at=vn(2025, 6, 10 + i, 17),
            reason="Gia hạn",
            expected_version=version,
        )

    outcomes = run_together(2, extend)
    assert sum(isinstance(o, Dossier) for o in outcomes) == 1, outcomes
    conflict = next(o for o in outcomes if isinstance(o, DomainError))
    assert conflict.status == 409
    assert Event.objects.filter(dossier=dossier, action="extend").count() == 1


def test_sixteen_parallel_receptions_on_a_sqlite_file_get_consecutive_codes(tmp_path):
    """The embedded profile: WAL and BEGIN IMMEDIATE serialise the writers."""
    repo = Path(__file__).resolve().parents[2]
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'ward.sqlite3'}",
        MOTCUA_VAR_DIR=str(tmp_path),
        MOTCUA_SECRET_KEY="concurrency-test",
        PYTHONPATH=str(repo),
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.dossiers.sqlite_receptions", "16"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in report["codes"])
    assert numbers == list(range(1, 17))
