"""Paid online, the dossier resumes exactly as when the desk records the
payment (Decree 61/2018 Art. 22: the waiting time is not counted): the same
status, the same due dates moved by the same working time."""

from __future__ import annotations

import pytest

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.services.payments import dossier_record_online_payment
from tests.dossiers.builders import build_world, vn

from .helpers import FEE, PAID, callback, configure, ipn, start, waiting_for_fees

pytestmark = pytest.mark.django_db


def dates(dossier: Dossier) -> tuple:
    steps = tuple(
        dossier.steps.order_by("position", "pk").values_list("state", "due_at")
    )
    return (
        dossier.status,
        dossier.payment_status,
        dossier.due_at,
        dossier.original_due_at,
        dossier.paused_at,
        steps,
    )


def waited(dossier: Dossier) -> int:
    event = Event.objects.filter(dossier=dossier).order_by("-seq").first()
    return event.payload["waited_seconds"]


def test_paid_online_the_due_date_moves_exactly_as_at_the_desk(settings):
    configure(settings)
    world = build_world(fee=FEE)
    at_desk = waiting_for_fees(world)
    online = waiting_for_fees(world)
    assert dates(at_desk.fresh()) == dates(online.fresh())
    order, _ = start(online)
    with clock.frozen_at(PAID):
        services.dossier_record_payment(world.reception, at_desk.fresh())
        assert ipn(callback(order)).json()["RspCode"] == "00"
    desk, paid = at_desk.fresh(), online.fresh()
    assert dates(desk) == dates(paid)
    assert desk.due_at == vn(2025, 6, 5, 12)  # Thursday 09:00 + 3 working hours
    assert waited(desk) == waited(paid) == 3 * 3600
    assert paid.paid_at == vn(2025, 6, 3, 13)  # the gateway's vnp_PayDate


def test_the_service_refuses_another_amount_and_a_dossier_not_waiting():
    world = build_world(fee=FEE)
    waiting = waiting_for_fees(world)
    before = dates(waiting.fresh()), waiting.fresh().lock_version
    with clock.frozen_at(PAID), pytest.raises(DomainError) as refused:
        dossier_record_online_payment(
            waiting.dossier,
            provider="vnpay",
            reference="TT250603XAAAAAAAA",
            amount=FEE - 1,
            paid_at=PAID,
        )
    assert refused.value.code == "payment.amount_differs"
    assert (dates(waiting.fresh()), waiting.fresh().lock_version) == before
    processing = world.processing(vn(2025, 6, 2))
    with clock.frozen_at(PAID), pytest.raises(DomainError) as refused:
        dossier_record_online_payment(
            processing,
            provider="vnpay",
            reference="TT250603XAAAAAAAB",
            amount=FEE,
            paid_at=PAID,
        )
    assert refused.value.code == "payment.not_waiting"


def test_the_history_chain_still_verifies_after_an_online_payment(settings):
    from motcua.dossiers.history import verify_dossier

    configure(settings)
    waiting = waiting_for_fees()
    order, _ = start(waiting)
    with clock.frozen_at(PAID):
        ipn(callback(order))
    assert verify_dossier(waiting.fresh()) == []
