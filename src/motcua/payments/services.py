"""Online payment of a dossier's fees (Decree 61/2018/NĐ-CP Art. 22; fees may
be paid online, Decree 45/2020/NĐ-CP Art. 17).

``order_start`` sends the citizen to the gateway with one order per try;
``callback_receive`` is the one door for what the gateway says (the citizen's
return and the server-to-server IPN go through it alike): the provider checks
the signature and merchant, then the order must exist, the amount must be the
order's and the transaction number no other order's. A verified success marks
the order paid and records the payment on the dossier
(``dossier_record_online_payment``) in the same transaction; a second copy
changes nothing. Every refused callback changes nothing and is logged with the
reason, the provider and our reference only — never the payer.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction

from motcua.core import clock
from motcua.core.errors import Conflict, DomainError
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_record_online_payment
from motcua.dossiers.workflow import Status

from . import conf
from . import providers as p
from .models import FINAL, PaymentOrder

log = logging.getLogger(__name__)
State = PaymentOrder.State
REFERENCE = re.compile(r"^TT[0-9]{6}X[0-9A-Z]{8}$")
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
OUTCOME_STATES = {
    p.SUCCEEDED: State.PAID,
    p.FAILED: State.FAILED,
    p.CANCELLED: State.CANCELLED,
    p.PENDING: State.PENDING,
}


@dataclass(frozen=True)
class Verdict:
    """What a callback did: ``verdict`` (``providers.CONFIRMED``, …), the
    order it names when known, and the body to answer the gateway with."""

    verdict: str
    order: PaymentOrder | None
    answer: dict[str, str]


# ------------------------------------------------------------ providers
def provider_for_new_orders() -> p.Provider:
    name = conf.provider_name()
    provider = p.get(name) if name else None
    if provider is None or not provider.configured():
        if name:
            log.error("payment.not_configured provider=%s", name)
        raise DomainError(
            "payment.not_configured",
            "Chưa hỗ trợ thanh toán trực tuyến. Vui lòng nộp phí tại Bộ phận Một cửa.",
            status=409,
        )
    return provider


def online_payment_available() -> bool:
    name = conf.provider_name()
    provider = p.get(name) if name else None
    return provider is not None and provider.configured()


def provider_named(name: str) -> p.Provider | None:
    return p.get(name)


# ------------------------------------------------------------ paying
def payable_refusal(dossier: Dossier) -> DomainError | None:
    """Why the dossier's fees cannot be paid online now, or ``None``."""
    if dossier.payment_status == Dossier.Payment.PAID:
        return Conflict("payment.already_paid", "Hồ sơ đã được ghi nhận nộp phí.")
    if dossier.status != Status.WAITING_PAYMENT or dossier.fee_amount <= 0:
        return Conflict(
            "payment.not_requested",
            "Hồ sơ hiện không có yêu cầu nộp phí, lệ phí.",
        )
    return None


def _new_reference() -> str:
    day = clock.now().astimezone(VN_TZ).strftime("%y%m%d")
    tail = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"TT{day}X{tail}"


def _reusable(dossier: Dossier, provider: str) -> PaymentOrder | None:
    """A try still open for the same amount (a double click, the back button):
    the citizen goes back to the same order rather than a second one."""
    return (
        PaymentOrder.objects.filter(
            dossier=dossier,
            provider=provider,
            state=State.PENDING,
            amount=dossier.fee_amount,
            expires_at__gt=clock.now() + timedelta(minutes=2),
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def order_start(
    dossier: Dossier, *, return_url: str, client_ip: str
) -> tuple[PaymentOrder, str]:
    """The order for this try and the gateway address to send the citizen to.
    The dossier row is locked so two clicks make one order."""
    locked = (
        Dossier.objects.select_for_update().select_related("agency").get(pk=dossier.pk)
    )
    refusal = payable_refusal(locked)
    if refusal is not None:
        raise refusal
    provider = provider_for_new_orders()
    order = _reusable(locked, provider.name) or _order_create(locked, provider.name)
    url = provider.redirect_url(
        p.OrderRequest(
            reference=order.reference,
            amount=order.amount,
            description=f"Thanh toan phi le phi ho so {locked.code}",
            return_url=return_url,
            client_ip=client_ip,
            created_at=order.created_at,
            expires_at=order.expires_at,
        )
    )
    order.state = State.PENDING
    order.attempts += 1
    order.save(update_fields=["state", "attempts"])
    log.info(
        "payment.order_started provider=%s reference=%s dossier_id=%s try=%s",
        order.provider,
        order.reference,
        locked.pk,
        order.attempts,
    )
    return order, url


def _order_create(dossier: Dossier, provider: str) -> PaymentOrder:
    now = clock.now()
    minutes = conf.number("MOTCUA_PAYMENT_EXPIRE_MINUTES")
    for _ in range(5):
        try:
            with transaction.atomic():
                return PaymentOrder.objects.create(
                    dossier=dossier,
                    agency=dossier.agency,
                    amount=dossier.fee_amount,
                    provider=provider,
                    reference=_new_reference(),
                    created_at=now,
                    expires_at=now + timedelta(minutes=minutes),
                )
        except IntegrityError:  # the same reference drawn twice: draw again
            continue
    raise DomainError("payment.reference", "Không tạo được đơn thanh toán, thử lại.")


# ------------------------------------------------------------ callbacks
def _safe_reference(text: str) -> str:
    return text if REFERENCE.match(text or "") else "?"


def _refused(
    provider: p.Provider,
    verdict: str,
    channel: str,
    reference: str,
    order: PaymentOrder | None = None,
) -> Verdict:
    log.warning(
        "payment.callback_refused provider=%s channel=%s reason=%s reference=%s",
        provider.name,
        channel,
        verdict,
        _safe_reference(reference),
    )
    return Verdict(verdict, order, provider.answer(verdict))


def callback_receive(
    provider_name: str, params: Mapping[str, str], *, channel: str
) -> Verdict | None:
    """Take one callback (``channel``: ``return`` or ``ipn``); ``None`` for
    a provider we do not know."""
    provider = provider_named(provider_name)
    if provider is None:
        return None
    try:
        callback = provider.verify(params)
    except p.InvalidCallback:
        return _refused(
            provider, p.BAD_SIGNATURE, channel, str(params.get("vnp_TxnRef", ""))
        )
    with transaction.atomic():
        return _take(provider, callback, channel)


def _take(provider: p.Provider, callback: p.Callback, channel: str) -> Verdict:
    order = (
        PaymentOrder.objects.select_for_update()
        .filter(reference=callback.reference, provider=provider.name)
        .first()
    )
    if order is None:
        return _refused(provider, p.UNKNOWN_ORDER, channel, callback.reference)
    if callback.amount != order.amount:
        return _refused(provider, p.WRONG_AMOUNT, channel, order.reference, order)
    if order.state in FINAL:
        log.info(
            "payment.callback_again provider=%s channel=%s reference=%s state=%s",
            provider.name,
            channel,
            order.reference,
            order.state,
        )
        return Verdict(p.ALREADY_CONFIRMED, order, provider.answer(p.ALREADY_CONFIRMED))
    if callback.transaction_no and (
        PaymentOrder.objects.filter(
            provider=provider.name, transaction_no=callback.transaction_no
        )
        .exclude(pk=order.pk)
        .exists()
    ):
        return _refused(provider, p.REPLAYED, channel, order.reference, order)
    _settle(order, callback, channel, provider.label)
    return Verdict(p.CONFIRMED, order, provider.answer(p.CONFIRMED))


def _settle(
    order: PaymentOrder, callback: p.Callback, channel: str, label: str
) -> None:
    now = clock.now()
    order.state = OUTCOME_STATES[callback.outcome]
    order.response_code = callback.response_code[:8]
    order.transaction_no = callback.transaction_no
    order.bank_code = callback.bank_code
    order.callback = {**callback.stored, "channel": channel}
    if order.state in FINAL:
        order.settled_at = now
    if order.state == State.PAID:
        order.paid_at = callback.paid_at or now
        _apply(order, label)
    order.save()
    log.info(
        "payment.callback_taken provider=%s channel=%s reference=%s state=%s "
        "applied=%s",
        order.provider,
        channel,
        order.reference,
        order.state,
        order.applied,
    )


def _apply(order: PaymentOrder, label: str) -> None:
    """Record the payment on the dossier; when the dossier may not take it (no
    longer waiting, another amount asked) the order stays paid, not applied,
    for the desk to reconcile (refund or record by hand)."""
    assert order.paid_at is not None
    try:
        with transaction.atomic():
            dossier_record_online_payment(
                order.dossier,
                provider=order.provider,
                reference=order.reference,
                amount=order.amount,
                paid_at=order.paid_at,
                label=label,
            )
    except DomainError as refusal:
        order.applied = False
        order.problem = refusal.code[:32]
        log.warning(
            "payment.not_applied provider=%s reference=%s dossier_id=%s reason=%s",
            order.provider,
            order.reference,
            order.dossier_id,
            refusal.code,
        )
        return
    order.applied = True
    order.problem = ""


# ------------------------------------------------------------ reconciling
def order_reconcile(order: PaymentOrder) -> PaymentOrder:
    """Ask the gateway about an order still waiting for its callback (the IPN
    never came) and take its answer as a callback would be taken."""
    provider = provider_named(order.provider)
    if provider is None or order.state in FINAL:
        return order
    try:
        found = provider.query(order.reference, order.created_at, "127.0.0.1")
    except p.GatewayUnavailable as exc:
        log.warning(
            "payment.query_failed provider=%s reference=%s error=%s",
            order.provider,
            order.reference,
            exc,
        )
        return order
    if not found.found:
        return _abandon_if_expired(order)
    if found.outcome == p.PENDING:
        return order
    callback = p.Callback(
        reference=found.reference,
        amount=found.amount,
        outcome=found.outcome,
        response_code=found.response_code,
        transaction_no=found.transaction_no,
        bank_code=found.bank_code,
        paid_at=found.paid_at,
        stored={"source": "query", "transaction_no": found.transaction_no},
    )
    with transaction.atomic():
        _take(provider, callback, "query")
    order.refresh_from_db()
    return order


def _abandon_if_expired(order: PaymentOrder) -> PaymentOrder:
    """The gateway never saw the order and its time is over: the citizen did
    not go on to pay; the order is closed as cancelled."""
    if order.expires_at > clock.now():
        return order
    with transaction.atomic():
        updated = PaymentOrder.objects.filter(
            pk=order.pk, state__in=[State.CREATED, State.PENDING]
        ).update(state=State.CANCELLED, settled_at=clock.now())
    if updated:
        log.info(
            "payment.order_abandoned provider=%s reference=%s",
            order.provider,
            order.reference,
        )
    order.refresh_from_db()
    return order


def orders_reconcile(*, grace: timedelta = timedelta(minutes=5)) -> dict[str, int]:
    """Query the gateway about every order still open ``grace`` after its
    time ran out (a lost IPN, a closed tab); returns the count per new state."""
    cutoff = clock.now() - grace
    counts: dict[str, int] = {}
    open_orders = PaymentOrder.objects.filter(
        state__in=[State.CREATED, State.PENDING], expires_at__lt=cutoff
    ).order_by("pk")
    for order in open_orders.iterator():
        state = order_reconcile(order).state
        counts[state] = counts.get(state, 0) + 1
    return counts
