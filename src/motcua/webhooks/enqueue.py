"""Writing webhook deliveries to the notifications outbox in the transaction
of the dossier action (a same-transaction observer, like the applicant's
messages): a rolled-back action enqueues nothing, and the worker's retries,
backoff, maximum age and attempt log apply unchanged (ADR 0019)."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any

from motcua.agencies.selectors import ancestor_ids
from motcua.core import configstamp
from motcua.dossiers.models import Dossier, Event
from motcua.notifications.models import ChannelName
from motcua.notifications.outbox import enqueue, replaying

from . import payload
from .models import Subscription

log = logging.getLogger(__name__)

TEMPLATE_KEY = "webhook"


def idempotency_key(subscription_id: int, dossier_id: int, seq: int) -> str:
    return f"webhook:{subscription_id}:dossier:{dossier_id}:event:{seq}"


# kept between requests until a subscription changes (ADR 0032)
_SUBSCRIBERS = configstamp.reader("webhooks.subscribers", "webhooks.Subscription")


def subscribers(dossier: Dossier, action: str) -> list[Subscription]:
    """Active subscriptions of the dossier's agency or an agency above it (the
    dossier's agency is in their subtree) that asked for ``action``."""
    above = ancestor_ids(dossier.agency)
    rows = configstamp.kept(
        _SUBSCRIBERS,
        tuple(above),
        lambda: tuple(Subscription.objects.filter(is_active=True, agency_id__in=above)),
    )
    return [copy.copy(row) for row in rows if row.wants(action)]


def on_dossier_event(dossier: Dossier, event: Event) -> None:
    if replaying():  # bulk work replays the past: no client is told again
        return
    chosen = subscribers(dossier, event.action)
    if not chosen:
        return
    body = payload.build(dossier, event)
    for subscription in chosen:
        enqueue(
            idempotency_key(subscription.pk, dossier.pk, event.seq),
            channel=ChannelName.WEBHOOK,
            recipient=subscription.target_url,
            key=TEMPLATE_KEY,
            variables=_delivery(subscription.pk, event.action, body),
            agency_id=dossier.agency_id,
            dossier_id=dossier.pk,
            event_seq=event.seq,
            version=payload.VERSION,
        )
    log.info(
        "webhooks.outbox dossier=%s seq=%s action=%s deliveries=%s",
        dossier.pk,
        event.seq,
        event.action,
        len(chosen),
    )


def _delivery(
    subscription_id: int, action: str, body: dict[str, Any]
) -> Callable[[], dict[str, Any]]:
    """The worker's variables of one delivery: whom, which event, the body."""
    return lambda: {"subscription": subscription_id, "event": action, "body": body}
