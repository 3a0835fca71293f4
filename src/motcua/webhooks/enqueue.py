"""Writing webhook deliveries to the notifications outbox in the transaction
of the dossier action (a same-transaction observer, like the applicant's
messages): a rolled-back action enqueues nothing, and the worker's retries,
backoff, maximum age and attempt log apply unchanged (ADR 0019)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from motcua.agencies.selectors import ancestor_ids
from motcua.core import clock
from motcua.dossiers.models import Dossier, Event
from motcua.notifications.models import ChannelName, Message
from motcua.notifications.worker import max_age

from . import payload
from .models import Subscription

log = logging.getLogger(__name__)

TEMPLATE_KEY = "webhook"
_bulk: ContextVar[bool] = ContextVar("motcua_webhooks_bulk", default=False)


class _QuietBatch:
    @contextmanager
    def line(self) -> Iterator[None]:
        yield


@contextmanager
def quiet_batch() -> Iterator[_QuietBatch]:
    """Bulk work (historical import, demo data) replays the past: no client is
    told about it again."""
    token = _bulk.set(True)
    try:
        yield _QuietBatch()
    finally:
        _bulk.reset(token)


def idempotency_key(subscription_id: int, dossier_id: int, seq: int) -> str:
    return f"webhook:{subscription_id}:dossier:{dossier_id}:event:{seq}"


def subscribers(dossier: Dossier, action: str) -> list[Subscription]:
    """Active subscriptions of the dossier's agency or an agency above it (the
    dossier's agency is in their subtree) that asked for ``action``."""
    rows = Subscription.objects.filter(
        is_active=True, agency_id__in=ancestor_ids(dossier.agency)
    )
    return [row for row in rows if row.wants(action)]


def on_dossier_event(dossier: Dossier, event: Event) -> None:
    if _bulk.get():
        return
    chosen = subscribers(dossier, event.action)
    if not chosen:
        return
    body = payload.build(dossier, event)
    now = clock.now()
    for subscription in chosen:
        ident = idempotency_key(subscription.pk, dossier.pk, event.seq)
        if Message.objects.filter(idempotency_key=ident).exists():
            continue
        Message.objects.create(
            agency_id=dossier.agency_id,
            dossier=dossier,
            event_seq=event.seq,
            channel=ChannelName.WEBHOOK,
            recipient=subscription.target_url,
            template_key=TEMPLATE_KEY,
            template_version=payload.VERSION,
            variables={
                "subscription": subscription.pk,
                "event": event.action,
                "body": body,
            },
            idempotency_key=ident,
            next_attempt_at=now,
            give_up_at=now + max_age(),
            created_at=now,
        )
    log.info(
        "webhooks.outbox dossier=%s seq=%s action=%s deliveries=%s",
        dossier.pk,
        event.seq,
        event.action,
        len(chosen),
    )
