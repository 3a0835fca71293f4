"""Writing exchange deliveries to the notifications outbox in the transaction
of the dossier action that calls for them (a same-transaction observer, like
the webhooks; ADR 0018/0019): a rolled-back action sends nothing, and the
worker's retries, backoff, maximum age, attempt log and staff retry apply.

Two cases, one observer:

* our dossier has an active step at an agency served by a peer
  (``RemoteAgency``) that was not handed over yet: an ``OutboundTransfer`` and
  its delivery (the package);
* our dossier carries a step a peer handed to us (``InboundTransfer``) and its
  status changed: a status update for the peer; when its result is ready
  (finished, or refused after reception), the result with its files.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet

from motcua.core import clock, configstamp
from motcua.dossiers.models import Dossier, Event, Step
from motcua.dossiers.workflow import FINISHED
from motcua.notifications.models import ChannelName, Message, State
from motcua.notifications.outbox import enqueue, replaying

from . import package
from .models import InboundTransfer, OutboundTransfer, Peer, RemoteAgency

log = logging.getLogger(__name__)

TEMPLATE_KEY = "exchange"
VERSION = 1
OPEN_TRANSFER = (OutboundTransfer.State.SENDING, OutboundTransfer.State.ACCEPTED)
# The package may have reached the peer: it is told the step is cancelled.
MAYBE_SENT = (State.DELIVERED, State.SENDING)


def on_dossier_event(dossier: Dossier, event: Event) -> None:
    if replaying():  # bulk work replays the past: no peer is told again
        return
    remote_steps, open_transfers, inbound = _cases(dossier)
    if remote_steps:
        _hand_over_remote_steps(dossier)
    if open_transfers:
        _cancel_ended_steps(dossier, event)
    if inbound:
        _report_back(
            InboundTransfer.objects.select_related("peer").get(dossier=dossier),
            dossier,
            event,
        )


def _remote_steps(dossier: Any) -> QuerySet[Step]:
    """The dossier's active steps at an agency a peer serves."""
    return Step.objects.filter(
        dossier=dossier, state=Step.State.ACTIVE, agency__remote__isnull=False
    )


def _open_transfers(dossier: Any) -> QuerySet[OutboundTransfer]:
    """Its transfers still open whose step ended here."""
    return OutboundTransfer.objects.filter(
        dossier=dossier, state__in=OPEN_TRANSFER
    ).exclude(step__state=Step.State.ACTIVE)


# whether any peer is configured, kept between requests (ADR 0032)
_ANY_PEER = configstamp.reader("exchange.any_peer", "exchange.Peer")


def _cases(dossier: Dossier) -> tuple[bool, bool, bool]:
    """Which of the three cases the event may concern, in one indexed query
    (the usual answer: none of them; issue 15). Without any peer, none: every
    remote agency and transfer names its peer, which the database protects —
    and within a request that is known without a query."""
    if configstamp.in_request() and not configstamp.kept(
        _ANY_PEER, None, Peer.objects.exists
    ):
        return False, False, False
    mine = OuterRef("pk")
    return (
        Dossier.objects.filter(pk=dossier.pk)
        .values_list(
            Exists(_remote_steps(mine)),
            Exists(_open_transfers(mine)),
            Exists(InboundTransfer.objects.filter(dossier=mine)),
        )
        .get()
    )


# ------------------------------------------------------------ our steps
def _hand_over_remote_steps(dossier: Dossier) -> None:
    steps = list(_remote_steps(dossier).select_related("agency"))
    if not steps:
        return
    handed = set(
        OutboundTransfer.objects.filter(step__in=steps).values_list(
            "step_id", flat=True
        )
    )
    for step in steps:
        if step.pk in handed:
            continue
        remote = RemoteAgency.objects.select_related("peer").get(agency=step.agency)
        transfer = OutboundTransfer.objects.create(
            peer=remote.peer,
            dossier=dossier,
            step=step,
            remote_code=remote.remote_code,
            created_at=clock.now(),
        )
        body = package.transfer_body(transfer)
        _enqueue(
            transfer.idempotency_key,
            dossier,
            {"kind": "transfer", "transfer": transfer.pk, "body": body},
            recipient=remote.peer.code,
        )
        log.info(
            "exchange.transfer_written dossier=%s step=%s peer=%s",
            dossier.pk,
            step.pk,
            remote.peer.code,
        )


def _cancel_ended_steps(dossier: Dossier, event: Event) -> None:
    """A step handed to a peer that ended here without its result (the
    dossier withdrawn, stopped, moved): the transfer is cancelled and, if the
    package may have reached the peer, the peer is told."""
    for transfer in _open_transfers(dossier).select_related("peer"):
        OutboundTransfer.objects.filter(pk=transfer.pk).update(
            state=OutboundTransfer.State.CANCELLED
        )
        message = transfer_message(transfer)
        if message is None or message.state not in MAYBE_SENT:
            continue  # never sent: the channel will not send it any more
        body = package.cancel_body(transfer, event.at, event.reason)
        _enqueue(
            f"cancel:{transfer.transfer_id}",
            dossier,
            {"kind": "cancel", "transfer": transfer.pk, "body": body},
            recipient=transfer.peer.code,
        )


def transfer_message(transfer: OutboundTransfer) -> Message | None:
    return Message.objects.filter(idempotency_key=transfer.idempotency_key).first()


# ------------------------------------------------------------ their steps
def _report_back(inbound: InboundTransfer, dossier: Dossier, event: Event) -> None:
    changed = event.to_status != event.from_status
    result = event.to_status in FINISHED and event.from_status not in FINISHED
    if not (changed or result):
        return
    InboundTransfer.objects.filter(pk=inbound.pk).update(
        last_sequence=F("last_sequence") + 1
    )
    inbound.refresh_from_db(fields=["last_sequence"])
    sequence = inbound.last_sequence
    if result:
        body = package.result_body(inbound, sequence, event.at)
    else:
        body = package.update_body(
            inbound, sequence, event.to_status, event.at, event.reason
        )
    _enqueue(
        f"update:{inbound.transfer_id}:{sequence}",
        dossier,
        {"kind": "update", "inbound": inbound.pk, "body": body},
        recipient=inbound.peer.code,
    )


def _enqueue(
    ident: str,
    dossier: Dossier,
    variables: dict[str, Any],
    *,
    recipient: str,
) -> None:
    enqueue(
        ident,
        channel=ChannelName.EXCHANGE,
        recipient=recipient,
        key=TEMPLATE_KEY,
        variables=lambda: variables,
        agency_id=dossier.agency_id,
        dossier_id=dossier.pk,
        version=VERSION,
    )
