"""Payments: fees and financial obligations, a pause of the legal time (Art. 22)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from motcua.core.errors import Conflict
from motcua.deadlines.services import calendar_for

from .. import permissions
from .. import steps as step_ops
from ..models import Dossier
from ._common import A, S, _Act, _begin, _invalid, _status_before_pause, service_action


# ------------------------------------------------------------ fees
@service_action
def dossier_request_payment(
    actor: Any,
    dossier: Dossier,
    *,
    amount: int | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Ask the applicant to pay fees or meet a financial obligation (Art. 22).
    The waiting time is not counted in the processing time."""
    act = _begin(A.REQUEST_PAYMENT, actor, dossier, expected_version)
    d = act.dossier
    amount = d.fee_amount if amount is None else amount
    if not isinstance(amount, int) or amount <= 0:
        raise _invalid(
            "dossier.invalid_amount", "Số tiền phải là số nguyên dương (đồng)."
        )
    d.fee_amount = amount
    d.payment_status = Dossier.Payment.UNPAID
    d.paused_at = act.now
    return act.commit(payload={"amount": amount})


@service_action
def dossier_record_payment(
    actor: Any, dossier: Dossier, *, expected_version: int | None = None
) -> Dossier:
    """Record that the fees were paid; a dossier waiting for payment resumes, its
    due date moved by the working time waited."""
    act = _begin(A.RECORD_PAYMENT, actor, dossier, expected_version)
    target, waited = _mark_paid(act, act.now)
    return act.commit(
        target=target, payload={"waited_seconds": int(waited.total_seconds())}
    )


@service_action
def dossier_record_online_payment(
    dossier: Dossier,
    *,
    provider: str,
    reference: str,
    amount: int,
    paid_at: datetime,
    label: str = "",
) -> Dossier:
    """Record fees paid online (Art. 22): the authority is the payment
    gateway's verified callback, not a person, so the event has no actor. The
    dossier leaves "waiting for payment" only when it waits for it and the
    amount paid is the amount asked; otherwise a ``Conflict`` changes nothing
    and the order stays for the desk to reconcile."""
    act = _begin(A.RECORD_PAYMENT, None, dossier, None, check_roles=False)
    d = act.dossier
    if d.status != S.WAITING_PAYMENT:
        raise Conflict(
            "payment.not_waiting",
            "Hồ sơ không còn chờ thực hiện nghĩa vụ tài chính.",
        )
    refusal = permissions._state_refusal(A.RECORD_PAYMENT, d)  # one rule: already paid
    if refusal is not None:
        raise refusal
    if amount != d.fee_amount:
        raise Conflict(
            "payment.amount_differs",
            f"Số tiền đã nộp ({amount} đồng) khác số tiền phải nộp "
            f"({d.fee_amount} đồng).",
        )
    target, waited = _mark_paid(act, paid_at)
    return act.commit(
        target=target,
        reason=f"Thanh toán trực tuyến qua {label or provider}, mã đơn {reference}",
        payload={
            "waited_seconds": int(waited.total_seconds()),
            "online": True,
            "provider": provider,
            "reference": reference,
            "amount": amount,
        },
    )


def _mark_paid(act: _Act, paid_at: datetime) -> tuple[str | None, timedelta]:
    """The fees are paid: a dossier waiting for them resumes where it was, its
    due dates (its own and its steps') moved by the working time waited until
    now. Returns the status to go back to (``None``: unchanged) and the wait."""
    d = act.dossier
    d.payment_status = Dossier.Payment.PAID
    d.paid_at = paid_at
    target = None
    waited = timedelta(0)
    if d.status == S.WAITING_PAYMENT and d.paused_at is not None:
        calendar = calendar_for(d.agency)
        waited = calendar.elapsed(d.paused_at, act.now)
        for name in ("due_at", "original_due_at"):
            value = getattr(d, name)
            if value is not None:
                setattr(d, name, calendar.add_working_time(value, waited))
        step_ops.move_due_dates(d, restart_at=None, shift=waited)
        d.paused_at = None
        target = _status_before_pause(d, A.REQUEST_PAYMENT)
    return target, waited
