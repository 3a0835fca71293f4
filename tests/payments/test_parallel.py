"""The IPN and the citizen's return (and the gateway's retries) arriving at
once on a real PostgreSQL: each thread has its own connection; the order row
is locked, so the payment is recorded once and every other copy answers
"already confirmed". Parallel clicks on «Thanh toán trực tuyến» make one
order."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.workflow import Action, Status
from motcua.payments.models import PaymentOrder

from .helpers import callback, configure, start, waiting_for_fees

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(n: int, work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
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
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return results


def test_eight_copies_of_the_callback_at_once_record_the_payment_once(settings):
    configure(settings)
    waiting = waiting_for_fees()
    order, _ = start(waiting)
    fields = callback(order)

    def send(i: int) -> str:
        if i % 2:
            return Client().get("/api/v1/payments/ipn/vnpay/", fields).json()["RspCode"]
        return str(Client().get("/thanh-toan/ket-qua/vnpay/", fields).status_code)

    answers = run_together(8, send)
    ipn_codes = sorted(a for a in answers if len(a) == 2)
    returns = [a for a in answers if len(a) == 3]
    assert returns == ["302"] * 4
    assert ipn_codes in (["00", "02", "02", "02"], ["02", "02", "02", "02"])
    dossier = Dossier.objects.get(pk=waiting.dossier.pk)
    assert dossier.status == Status.PROCESSING
    assert dossier.payment_status == Dossier.Payment.PAID
    payments = Event.objects.filter(dossier=dossier, action=Action.RECORD_PAYMENT)
    assert payments.count() == 1
    order.refresh_from_db()
    assert order.state == PaymentOrder.State.PAID and order.applied


def test_parallel_clicks_make_one_order(settings):
    configure(settings)
    waiting = waiting_for_fees()
    path = f"/thanh-toan/{waiting.token}/"
    codes = run_together(6, lambda i: Client().post(path).status_code)
    assert codes == [302] * 6
    order = PaymentOrder.objects.get(dossier=waiting.dossier)
    assert order.attempts == 6
