"""Queuing dossiers for the national portal and recording how the portal
answered (ADR 0025).

``on_dossier_event`` is a same-transaction observer of dossier actions: the
outbox row (channel ``dvcqg``) and the dossier's :class:`SyncState` are written
with the action or not at all. The outbox row names the dossier and the event
number only; the body, with its personal data, is built at delivery.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery

from motcua.core import clock
from motcua.core.errors import Conflict
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.models import Dossier, Event
from motcua.notifications import channels, worker
from motcua.notifications.models import ChannelName, Message, State
from motcua.notifications.outbox import enqueue, replaying

from . import conf, payload
from .models import SyncState

log = logging.getLogger(__name__)

TEMPLATE_KEY = "dvcqg_sync"


def idempotency_key(dossier_id: int, seq: int) -> str:
    return f"dvcqg:dossier:{dossier_id}:event:{seq}"


def on_dossier_event(dossier: Dossier, event: Event) -> None:
    if replaying() or not conf.enabled() or event.action in payload.NOT_SYNCED:
        return
    queue(dossier.pk, dossier.agency_id, event.seq)


def queue(dossier_id: int, agency_id: int, seq: int) -> bool:
    """Queue the dossier's history up to event ``seq`` (once per seq); its sync
    state becomes pending. Call inside the transaction that wrote the event."""
    now = clock.now()
    state, _ = SyncState.objects.select_for_update().get_or_create(
        dossier_id=dossier_id, defaults={"agency_id": agency_id, "updated_at": now}
    )
    if seq <= state.synced_seq:
        return False  # the portal has it already
    written = enqueue(
        idempotency_key(dossier_id, seq),
        channel=ChannelName.DVCQG,
        recipient=conf.endpoint()[:255],
        key=TEMPLATE_KEY,
        variables=lambda: {"dossier": dossier_id, "seq": seq},
        agency_id=agency_id,
        dossier_id=dossier_id,
        event_seq=seq,
        version=payload.VERSION,
    )
    state.agency_id = agency_id  # a transferred dossier follows its agency
    state.queued_seq = max(state.queued_seq, seq)
    if state.state != SyncState.State.FAILED or written is not None:
        state.state = SyncState.State.PENDING
    state.updated_at = now
    state.save()
    log.info(
        "nationalportal.queued dossier=%s seq=%s new=%s",
        dossier_id,
        seq,
        written is not None,
    )
    return written is not None


@transaction.atomic
def settle(
    dossier_id: int, reference: str, outcome: channels.Outcome, sent: Event | None
) -> None:
    """Record one delivery on the sync state: ``sent`` is the last event the
    body carried (None when nothing was sent). A failure is *retrying* or
    *failed* by the worker's own rule (``worker.retried``)."""
    now = clock.now()
    state = SyncState.objects.select_for_update().get(dossier_id=dossier_id)
    state.attempts += 1
    state.last_attempt_at = now
    state.updated_at = now
    if outcome.status == channels.DELIVERED:
        if sent is not None and sent.seq > state.synced_seq:
            state.synced_seq = sent.seq
            state.synced_hash = sent.hash
            state.synced_status = payload.status_code(sent.to_status)
            state.synced_at = now
            state.first_synced_at = state.first_synced_at or now
        state.last_error = ""
        state.state = (
            SyncState.State.PENDING if state.behind else SyncState.State.SYNCED
        )
    else:
        message = Message.objects.filter(idempotency_key=reference).first()
        again = message is not None and worker.retried(
            outcome.status, message.give_up_at, now
        )
        state.state = SyncState.State.RETRYING if again else SyncState.State.FAILED
        state.last_error = outcome.response[:2000]
    state.save()


@transaction.atomic
def sync_retry(state: SyncState) -> SyncState:
    """Staff send a failed dossier again once the cause is fixed: its last
    failed outbox row is retried (the body is rebuilt at delivery)."""
    state = SyncState.objects.select_for_update().get(pk=state.pk)
    if state.state != SyncState.State.FAILED:
        raise Conflict(
            "nationalportal.not_failed",
            "Chỉ gửi lại được hồ sơ đồng bộ không thành công.",
        )
    message = (
        Message.objects.filter(
            dossier_id=state.dossier_id,
            channel=ChannelName.DVCQG,
            state__in=(State.FAILED, State.PERMANENT_FAILURE),
        )
        .order_by("-event_seq", "-id")
        .first()
    )
    if message is None:
        queue(state.dossier_id, state.agency_id, _last_seq(state.dossier_id))
    else:
        worker.message_retry(message)
    state.state = SyncState.State.PENDING
    state.updated_at = clock.now()
    state.save(update_fields=["state", "updated_at"])
    return state


def _last_seq(dossier_id: int) -> int:
    return Event.objects.filter(dossier_id=dossier_id).aggregate(n=Max("seq"))["n"] or 0


# ------------------------------------------------------------ catching up
@dataclass(frozen=True)
class Backfill:
    queued: int
    remaining: bool  # the limit was reached: run again


def backfill(*, since: date | None, limit: int) -> Backfill:
    """Queue dossiers received since ``since`` that the portal has not been
    told about, or not about their latest event (bulk work, or the sync
    switched on later); at most ``limit`` per run, oldest first."""
    if not conf.enabled():
        return Backfill(0, False)
    latest = (
        Event.objects.filter(dossier_id=OuterRef("pk"))
        .exclude(action__in=payload.NOT_SYNCED)
        .order_by("-seq")
        .values("seq")[:1]
    )
    queued_seq = SyncState.objects.filter(dossier_id=OuterRef("pk")).values(
        "queued_seq"
    )[:1]
    rows = Dossier.objects.filter(received_at__isnull=False)
    if since is not None:  # from midnight, Vietnam time
        rows = rows.filter(received_at__gte=datetime.combine(since, time(), VN_TZ))
    rows = (
        rows.annotate(latest=Subquery(latest), queued=Subquery(queued_seq))
        .filter(latest__isnull=False)
        .filter(Q(queued__isnull=True) | Q(queued__lt=F("latest")))
        .order_by("received_at", "id")
    )
    picked = list(rows.values("pk", "agency_id", "latest")[: limit + 1])
    count = 0
    for row in picked[:limit]:
        with transaction.atomic():
            count += queue(row["pk"], row["agency_id"], row["latest"])
    return Backfill(count, len(picked) > limit)


#: Dossiers queued by one night's catch-up at most.
NIGHTLY_LIMIT = 2000


def catch_up(now: datetime) -> int:
    """``motcua scheduler`` (nightly): queue what the events did not, from
    ``MOTCUA_DVCQG_SINCE`` (nothing while it is empty)."""
    since = conf.since()
    if since is None:
        return 0
    return backfill(since=since, limit=NIGHTLY_LIMIT).queued
