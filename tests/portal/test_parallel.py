"""Parallel guessers on a real PostgreSQL: each thread is a client with its own
database connection, all released at once. The count is taken under a row
lock before the factor is checked, so they never get more than the free tries.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import close_old_connections, connection

from motcua.core import clock
from motcua.portal.tracking import TRACK_ADDRESS, TRACK_CODE
from tests.slips import scenarios as s

from .helpers import ID_LAST4, check

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
T0 = s.MON + timedelta(days=1)


def run_together(n: int, work: Callable[[int], Any]) -> list[Any]:
    """``work(i)`` in ``n`` threads released together, at the frozen time T0."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            with clock.frozen_at(T0):
                results[i] = work(i)
        except Exception as exc:  # reported by the assertions below
            results[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a client hung"
    return results


def statuses(results: list[Any]) -> list[int]:
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return sorted(r.status_code for r in results)


def test_sixteen_parallel_guessers_on_one_code_get_the_ten_free_tries_only():
    world = s.world_with("2018")
    dossier = s.received(world)

    def guess(i: int) -> Any:
        return check(dossier.code, f"{i + 5000:04d}", f"10.9.0.{i + 1}")

    answers = statuses(run_together(16, guess))
    assert answers == [404] * TRACK_CODE.free + [429] * (16 - TRACK_CODE.free)


def test_one_address_in_parallel_on_many_codes_gets_its_free_tries_only():
    world = s.world_with("2018")
    dossier = s.received(world)
    n = TRACK_ADDRESS.free + 6

    def spray(i: int) -> Any:
        return check(f"{dossier.code[:-4]}{i + 100:04d}", ID_LAST4, "192.0.2.99")

    answers = statuses(run_together(n, spray))
    assert answers == [404] * TRACK_ADDRESS.free + [429] * (n - TRACK_ADDRESS.free)
