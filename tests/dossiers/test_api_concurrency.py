"""Two officers acting on the same dossier at once, through the API: one wins,
the other gets a 409 with a Vietnamese message (needs PostgreSQL row locks)."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers.history import verify_dossier
from motcua.dossiers.models import Dossier, Event, IdempotentRequest

from .builders import build_world
from .test_api import URL, VIETNAMESE, body, client_for
from .test_concurrency import MON, run_together


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_finishing_at_once_through_the_api():
    world = build_world()
    dossier = world.processing(MON)

    def finish(i: int) -> Any:
        user = world.specialist if i == 0 else world.leader
        return client_for(user).post(f"{URL}{dossier.code}/finish/", {}, format="json")

    responses = run_together(2, finish)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409], [r.content for r in responses]
    conflict = next(r for r in responses if r.status_code == 409).json()
    assert conflict["code"] == "dossier.invalid_transition"
    assert VIETNAMESE.search(conflict["message"])
    assert Event.objects.filter(dossier=dossier, action="finish").count() == 1
    assert verify_dossier(Dossier.objects.get(pk=dossier.pk)) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_idempotency_key_sent_twice_at_once_creates_one_dossier():
    world = build_world()

    def create(i: int) -> Any:
        return client_for(world.reception).post(
            URL, body(world), format="json", HTTP_IDEMPOTENCY_KEY="retry-1"
        )

    responses = run_together(2, create)
    assert sorted(r.status_code for r in responses) == [200, 201], [
        r.content for r in responses
    ]
    assert len({r.json()["code"] for r in responses}) == 1
    assert Dossier.objects.filter(agency=world.ward).count() == 1
    assert IdempotentRequest.objects.count() == 1
