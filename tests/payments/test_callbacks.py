"""The one door for what the gateway says: a verified success records the
payment on the dossier once; anything forged, tampered, replayed, unknown or
for another amount changes nothing, is logged without personal data and is
answered with the gateway's error codes."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.workflow import Action, Status
from motcua.payments.models import PaymentOrder

from .helpers import (
    FEE,
    PAID,
    callback,
    configure,
    ipn,
    start,
    state_of,
    waiting_for_fees,
)

pytestmark = pytest.mark.django_db
PERSONAL = ("Nguyễn Văn An", "048090001234", "0905123456")


@pytest.fixture(autouse=True)
def _gateway(settings):
    configure(settings)


def refusals(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "motcua.payments.services"
        and "payment.callback_refused" in r.getMessage()
    ]


def no_personal_data(caplog) -> None:
    text = "\n".join(r.getMessage() for r in caplog.records)
    for personal in PERSONAL:
        assert personal not in text


def test_a_verified_ipn_records_the_payment_and_resumes_the_dossier(world_clock):
    waiting = waiting_for_fees()
    order, _ = start(waiting)
    assert order.state == PaymentOrder.State.PENDING and order.amount == FEE
    with world_clock(PAID):
        answer = ipn(callback(order))
    assert answer.status_code == 200
    assert answer.json() == {"RspCode": "00", "Message": "Confirm Success"}
    order.refresh_from_db()
    assert order.state == PaymentOrder.State.PAID and order.applied
    assert order.transaction_no == "14831393" and order.bank_code == "NCB"
    assert "vnp_SecureHash" not in order.callback
    dossier = waiting.fresh()
    assert dossier.status == Status.PROCESSING
    assert dossier.payment_status == Dossier.Payment.PAID
    event = Event.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event.action == Action.RECORD_PAYMENT
    assert event.actor is None and event.actor_name == ""
    assert event.payload["provider"] == "vnpay"
    assert event.payload["reference"] == order.reference
    assert event.payload["amount"] == FEE
    assert "VNPay" in event.reason and order.reference in event.reason


def test_a_second_copy_of_the_same_callback_changes_nothing(caplog):
    waiting = waiting_for_fees()
    order, _ = start(waiting)
    fields = callback(order)
    assert ipn(fields).json()["RspCode"] == "00"
    before = state_of(waiting)
    for again in (ipn(fields), ipn(fields)):
        assert again.json() == {"RspCode": "02", "Message": "Order already confirmed"}
    back = Client().get("/thanh-toan/ket-qua/vnpay/", fields)
    assert back.status_code == 302  # the citizen still sees the result
    assert state_of(waiting) == before


def test_a_forged_signature_changes_nothing_and_is_logged(caplog):
    waiting = waiting_for_fees()
    order, _ = start(waiting)
    before = state_of(waiting)
    forged = callback(order, secret="not-our-secret")
    caplog.set_level(logging.INFO)
    assert ipn(forged).json() == {"RspCode": "97", "Message": "Invalid signature"}
    page = Client().get("/thanh-toan/ket-qua/vnpay/", forged)
    assert page.status_code == 400
    assert "Không xác nhận được kết quả thanh toán" in page.content.decode()
    assert state_of(waiting) == before
    logged = refusals(caplog)
    assert len(logged) == 2 and all("reason=bad_signature" in m for m in logged)
    assert all(order.reference in m for m in logged)
    no_personal_data(caplog)


def test_a_tampered_amount_changes_nothing_and_is_logged(caplog):
    waiting = waiting_for_fees()
    order, _ = start(waiting)
    before = state_of(waiting)
    caplog.set_level(logging.INFO)
    # changed after signing: the signature no longer holds
    tampered = callback(order) | {"vnp_Amount": str(5_000 * 100)}
    assert ipn(tampered).json()["RspCode"] == "97"
    # signed with our secret but not the order's amount (a gateway's error,
    # a leaked secret): the amount check holds on its own
    resigned = callback(order, amount=5_000)
    assert ipn(resigned).json() == {"RspCode": "04", "Message": "Invalid amount"}
    assert state_of(waiting) == before
    logged = refusals(caplog)
    assert "reason=bad_signature" in logged[0]
    assert "reason=wrong_amount" in logged[1]
    no_personal_data(caplog)


def test_an_unknown_order_changes_nothing_and_is_logged(caplog):
    waiting = waiting_for_fees()
    order, _ = start(waiting)
    before = state_of(waiting)
    caplog.set_level(logging.INFO)
    unknown = callback(order, vnp_TxnRef="TT250603XZZZZZZZZ")
    assert ipn(unknown).json() == {"RspCode": "01", "Message": "Order not found"}
    junk = callback(order, vnp_TxnRef="<script>0905123456</script>")
    assert ipn(junk).json()["RspCode"] == "01"
    assert state_of(waiting) == before
    logged = refusals(caplog)
    assert "reason=unknown_order reference=TT250603XZZZZZZZZ" in logged[0]
    assert "reference=?" in logged[1]  # what is not one of ours is not echoed
    no_personal_data(caplog)


def test_a_callback_replayed_for_another_order_changes_nothing(caplog):
    first = waiting_for_fees()
    second = waiting_for_fees()
    paid, _ = start(first)
    waiting, _ = start(second)
    genuine = callback(paid)
    assert ipn(genuine).json()["RspCode"] == "00"
    before = state_of(second), state_of(first)
    caplog.set_level(logging.INFO)
    # the paid order's callback pointed at the other order: signature breaks
    moved = genuine | {"vnp_TxnRef": waiting.reference}
    assert ipn(moved).json()["RspCode"] == "97"
    # a callback for the other order reusing the paid transaction's number
    reused = callback(waiting, transaction_no=genuine["vnp_TransactionNo"])
    assert ipn(reused).json()["RspCode"] == "99"
    # the genuine one again: it names its own order, already confirmed
    assert ipn(genuine).json()["RspCode"] == "02"
    assert (state_of(second), state_of(first)) == before
    logged = refusals(caplog)
    assert "reason=bad_signature" in logged[0]
    assert f"reason=replayed reference={waiting.reference}" in logged[1]


def test_a_paid_order_for_another_amount_than_asked_leaves_the_dossier_waiting(
    caplog, settings
):
    waiting = waiting_for_fees()
    order, _ = start(waiting)
    # the fee asked changes while the citizen is on the gateway's page
    Dossier.objects.filter(pk=waiting.dossier.pk).update(fee_amount=70_000)
    before = state_of(waiting)[:7]
    caplog.set_level(logging.INFO)
    assert ipn(callback(order)).json()["RspCode"] == "00"  # the money was taken
    assert state_of(waiting)[:7] == before  # the dossier did not move
    order.refresh_from_db()
    assert order.state == PaymentOrder.State.PAID
    assert not order.applied and order.problem == "payment.amount_differs"
    assert any(
        "payment.not_applied" in r.getMessage()
        and "reason=payment.amount_differs" in r.getMessage()
        for r in caplog.records
    )
    page = Client().get(f"/thanh-toan/{waiting.token}/ket-qua/{order.reference}/")
    assert "chưa được ghi vào hồ sơ" in page.content.decode()
    assert Client().get(f"/thanh-toan/{waiting.token}/bien-lai.pdf").status_code == 404


def test_a_payment_after_the_desk_recorded_one_is_kept_for_reconciling():
    waiting = waiting_for_fees()
    order, _ = start(waiting)
    from motcua.dossiers import services

    services.dossier_record_payment(waiting.world.reception, waiting.fresh())
    before = state_of(waiting)[:7]
    assert ipn(callback(order)).json()["RspCode"] == "00"
    assert state_of(waiting)[:7] == before
    order.refresh_from_db()
    assert not order.applied and order.problem == "payment.not_waiting"


@pytest.mark.parametrize(
    ("code", "status", "state"),
    [
        ("24", "02", PaymentOrder.State.CANCELLED),
        ("51", "02", PaymentOrder.State.FAILED),
    ],
)
def test_a_cancelled_or_failed_payment_leaves_the_dossier_waiting(code, status, state):
    waiting = waiting_for_fees()
    order, _ = start(waiting)
    before = state_of(waiting)[:7]
    assert ipn(callback(order, code=code, status=status)).json()["RspCode"] == "00"
    order.refresh_from_db()
    assert order.state == state and not order.applied
    assert state_of(waiting)[:7] == before
    assert waiting.fresh().status == Status.WAITING_PAYMENT
    # a later "success" for the same, settled order is not taken
    assert ipn(callback(order)).json()["RspCode"] == "02"
    assert waiting.fresh().status == Status.WAITING_PAYMENT
    # the citizen tries again with a new order
    again, _ = start(waiting)
    assert again.reference != order.reference


def test_a_double_click_sends_the_citizen_to_the_same_order():
    waiting = waiting_for_fees()
    first, url = start(waiting)
    second, url_again = start(waiting)
    assert first.pk == second.pk
    assert f"vnp_TxnRef={first.reference}" in url
    assert f"vnp_TxnRef={first.reference}" in url_again
    second.refresh_from_db()
    assert second.attempts == 2
    assert PaymentOrder.objects.filter(dossier=waiting.dossier).count() == 1


def test_an_unknown_provider_is_not_found():
    response = Client().get("/api/v1/payments/ipn/nope/", {"vnp_TxnRef": "x"})
    assert response.status_code == 404
    assert response.json()["code"] == "payment.unknown_provider"
    assert Client().get("/thanh-toan/ket-qua/nope/").status_code == 400


def test_the_tracking_page_link_appears_while_fees_are_due_or_paid_online():
    from motcua.payments.selectors import pay_path

    waiting = waiting_for_fees()
    assert pay_path(waiting.fresh()) == f"/thanh-toan/{waiting.token}/"
    processing = waiting.world.processing(waiting.dossier.received_at)
    assert pay_path(processing) is None


def test_tries_cancelled_before_reaching_a_bank_all_settle():
    """The gateway numbers such tries ``0``: that is no transaction number,
    so it never looks like the same transaction reported twice."""
    waiting = waiting_for_fees()
    for _ in range(3):
        order, _url = start(waiting)
        cancelled = callback(order, code="24", status="02", transaction_no="0")
        assert ipn(cancelled).json()["RspCode"] == "00"
        order.refresh_from_db()
        assert order.state == PaymentOrder.State.CANCELLED
        assert order.transaction_no == ""
    last, _url = start(waiting)
    assert ipn(callback(last)).json()["RspCode"] == "00"
    assert waiting.fresh().status == Status.PROCESSING
