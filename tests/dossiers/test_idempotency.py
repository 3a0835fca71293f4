"""A creation once per key (``idempotency.create_once``): the dossier action
inside it takes no savepoint of its own, and a failure anywhere in it still
leaves nothing behind (issue 15)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.idempotency import create_once
from motcua.dossiers.models import Dossier, Event, IdempotentRequest
from motcua.dossiers.services._common import enclosed, service_action

from .builders import build_world, vn

pytestmark = pytest.mark.django_db
MON = vn(2026, 7, 6, 9)


def _savepoints(seen: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith("SAVEPOINT") for q in seen.captured_queries)


def test_a_creation_takes_one_savepoint_not_two():
    world = build_world()
    with world.at(MON), CaptureQueriesContext(connection) as seen:
        dossier, replayed = create_once(
            world.reception,
            "k-1",
            "d-1",
            lambda: services.dossier_receive(world.reception, data=world.input()),
        )
    assert not replayed and dossier.code
    # The test's own transaction makes create_once's block a savepoint; the
    # reception inside it adds none.
    assert _savepoints(seen) == 1
    assert IdempotentRequest.objects.get(key="k-1").dossier == dossier


def test_a_failure_inside_the_action_leaves_nothing():
    world = build_world()

    @service_action
    def receive_then_fail() -> Dossier:
        services.dossier_receive(world.reception, data=world.input())
        raise DomainError("test.failed", "Thất bại sau khi đã ghi.")

    before = (Dossier.objects.count(), Event.objects.count())
    with world.at(MON), pytest.raises(DomainError):
        create_once(world.reception, "k-2", "d-2", receive_then_fail)
    # The rows the reception wrote are gone, the key is free, and the
    # connection goes on (no block left marked for rollback).
    assert (Dossier.objects.count(), Event.objects.count()) == before
    assert not IdempotentRequest.objects.filter(key="k-2").exists()
    with world.at(MON):
        dossier, replayed = create_once(
            world.reception,
            "k-2",
            "d-2",
            lambda: services.dossier_receive(world.reception, data=world.input()),
        )
    assert not replayed and Dossier.objects.filter(pk=dossier.pk).exists()


def test_a_failure_after_the_action_leaves_nothing():
    world = build_world()

    def receive_then_fail() -> Dossier:
        services.dossier_receive(world.reception, data=world.input())
        raise DomainError("test.failed", "Thất bại sau hành động.")

    before = Dossier.objects.count()
    with world.at(MON), pytest.raises(DomainError):
        create_once(world.reception, "k-3", "d-3", receive_then_fail)
    assert Dossier.objects.count() == before


@pytest.mark.django_db(transaction=True)  # outside any transaction
def test_enclosed_is_only_for_an_atomic_block():
    with pytest.raises(RuntimeError), enclosed():
        pass
    with transaction.atomic(), enclosed():
        pass
