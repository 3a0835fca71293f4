"""Payments: fees and financial obligations, a pause of the legal time (Art. 22)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction

from motcua.deadlines.services import calendar_for

from .. import steps as step_ops
from ..models import Dossier
from ._common import A, S, _begin, _invalid, _status_before_pause


# ------------------------------------------------------------ fees
@transaction.atomic
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


@transaction.atomic
def dossier_record_payment(
    actor: Any, dossier: Dossier, *, expected_version: int | None = None
) -> Dossier:
    """Record that the fees were paid; a dossier waiting for payment resumes, its
    due date moved by the working time waited."""
    act = _begin(A.RECORD_PAYMENT, actor, dossier, expected_version)
    d = act.dossier
    d.payment_status = Dossier.Payment.PAID
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
    return act.commit(
        target=target, payload={"waited_seconds": int(waited.total_seconds())}
    )
