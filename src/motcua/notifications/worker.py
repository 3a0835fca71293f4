"""Delivering the outbox (``motcua worker``; ADR 0018).

One pass: **claim** due messages in a short transaction (``SKIP LOCKED`` on
PostgreSQL, so several workers share the work; SQLite's write lock serialises
them) and mark them ``sending``; **deliver** each outside any lock; **record**
the attempt and the new state. A claim is a compare-and-set on the state, so a
message is never sent by two workers at once; a delivered message is final.

A worker killed between claim and record leaves its messages ``sending``: after
the lease (``MOTCUA_NOTIFY_LEASE`` seconds) another pass takes them again. The
gateway then sees the same ``reference`` (the idempotency key) a second time and
does not send it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q

from motcua.core import clock
from motcua.core.errors import Conflict
from motcua.deadlines.engine import VN_TZ

from . import channels, conf, texts
from .models import DUE_STATES, Attempt, ChannelName, Message, State

log = logging.getLogger(__name__)

RETRIED = (channels.TEMPORARY, channels.TECHNICAL)


# ------------------------------------------------------------ time rules
def quiet_until(channel: str, now: datetime) -> datetime | None:
    """No SMS between 21:00 and 07:00 Vietnam time: the instant it may go, or
    None when it may go now."""
    hours = conf.quiet_hours()
    if channel != ChannelName.SMS or hours is None:
        return None
    start, end = hours
    local = now.astimezone(VN_TZ)
    at = local.timetz().replace(tzinfo=None)
    if start > end:  # the window spans midnight
        if at >= start:
            day = local.date() + timedelta(days=1)
        elif at < end:
            day = local.date()
        else:
            return None
    elif start <= at < end:
        day = local.date()
    else:
        return None
    return datetime.combine(day, end, tzinfo=VN_TZ)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … up to one hour between attempts (settings)."""
    base = conf.number("MOTCUA_NOTIFY_BACKOFF")
    cap = conf.number("MOTCUA_NOTIFY_BACKOFF_MAX")
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def max_age() -> timedelta:
    return timedelta(hours=conf.number("MOTCUA_NOTIFY_MAX_AGE_HOURS"))


def retried(status: str, give_up_at: datetime, now: datetime) -> bool:
    """A failed attempt is tried again: a temporary or technical failure of a
    message younger than its maximum age (else it ends ``failed``)."""
    return status in RETRIED and now < give_up_at


# ------------------------------------------------------------ one pass
@dataclass(frozen=True)
class Claimed:
    message_id: int
    attempt_id: int


def due_q(now: datetime, lease: timedelta) -> Q:
    return Q(state__in=DUE_STATES, next_attempt_at__lte=now) | Q(
        state=State.SENDING, claimed_at__lte=now - lease
    )


def claim(now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
    """Take up to ``limit`` due messages for this worker (one short transaction)."""
    claimed: list[Claimed] = []
    with transaction.atomic():
        rows = Message.objects.filter(due_q(now, lease)).order_by("next_attempt_at")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        for message in rows[:limit]:
            held = (
                None
                if message.template_key in texts.SECRET
                else quiet_until(message.channel, now)
            )
            if held is not None:
                Message.objects.filter(pk=message.pk).update(next_attempt_at=held)
                continue
            taken = Message.objects.filter(
                pk=message.pk, state=message.state, attempts=message.attempts
            ).update(state=State.SENDING, claimed_at=now, attempts=message.attempts + 1)
            if not taken:  # another worker was faster
                continue
            Attempt.objects.filter(message=message, finished_at__isnull=True).update(
                finished_at=now, outcome="interrupted"
            )
            attempt = Attempt.objects.create(
                message=message, number=message.attempts + 1, started_at=now
            )
            claimed.append(Claimed(message.pk, attempt.pk))
    return claimed


#: Channels that send data, not a text: no template, the variables as they are.
TEXTLESS = frozenset({ChannelName.WEBHOOK, ChannelName.EXCHANGE, ChannelName.DVCQG})


def outgoing(message: Message) -> channels.Outgoing:
    if message.channel in TEXTLESS:
        return channels.Outgoing(
            channel=message.channel,
            to=message.recipient,
            subject="",
            text="",
            reference=message.idempotency_key,
            template=message.template_key,
            data=message.variables,
        )
    template = texts.exact(
        message.template_key, message.channel, message.template_version
    )
    return channels.Outgoing(
        channel=message.channel,
        to=message.recipient,
        subject=texts.render(template.subject, message.variables),
        text=texts.render(template.body, message.variables),
        reference=message.idempotency_key,
        template=message.template_key,
    )


def deliver(claimed: Claimed) -> str:
    """Send one claimed message (no lock held) and record how it went."""
    message = Message.objects.get(pk=claimed.message_id)
    channel = channels.get(message.channel)
    if channel is None:
        outcome = channels.Outcome(channels.PERMANENT, "unknown channel")
    else:
        try:
            outcome = channel.send(outgoing(message))
        except texts.NotFound as exc:
            outcome = channels.Outcome(channels.PERMANENT, exc.code)
        except Exception as exc:  # a bug in an adapter must not stop the worker
            log.exception("notifications.adapter_error message=%s", message.pk)
            outcome = channels.Outcome(channels.TECHNICAL, type(exc).__name__)
    record(claimed, outcome)
    return outcome.status


@transaction.atomic
def record(claimed: Claimed, outcome: channels.Outcome) -> None:
    now = clock.now()
    message = Message.objects.select_for_update().get(pk=claimed.message_id)
    Attempt.objects.filter(pk=claimed.attempt_id).update(
        finished_at=now,
        outcome=outcome.status,
        response=outcome.response[:2000],
        receipt_id=outcome.receipt,
    )
    if message.state != State.SENDING:  # already settled by another pass
        return
    message.claimed_at = None
    if outcome.status == channels.DELIVERED:
        message.state = State.DELIVERED
        message.sent_at = message.delivered_at = now
        message.receipt_id = outcome.receipt
        message.last_error = ""
    elif retried(outcome.status, message.give_up_at, now):
        message.state = outcome.status
        message.next_attempt_at = now + backoff(message.attempts)
        message.last_error = outcome.response[:2000]
    else:
        message.state = (
            State.PERMANENT_FAILURE
            if outcome.status == channels.PERMANENT
            else State.FAILED
        )
        message.last_error = outcome.response[:2000]
    if message.template_key in texts.SECRET and message.state not in RETRIED:
        # a one-time code: settled for good, its secret leaves the outbox now
        message.variables = {}
        if message.state == State.FAILED:
            message.state = State.PERMANENT_FAILURE  # nothing left to send again
    message.save()
    log.info(
        "notifications.attempt message=%s channel=%s attempt=%s outcome=%s state=%s",
        message.pk,
        message.channel,
        message.attempts,
        outcome.status,
        message.state,
    )


def run_once(
    *,
    limit: int = 50,
    lease: float | None = None,
    stop: Callable[[], bool] = lambda: False,
) -> dict[str, int]:
    """Deliver everything due now (until ``stop()``); the outcomes counted. A
    stop between claim and delivery leaves claimed messages to the lease."""
    lease_td = timedelta(
        seconds=conf.number("MOTCUA_NOTIFY_LEASE") if lease is None else lease
    )
    counts: dict[str, int] = {}
    seen: set[int] = set()
    while True:
        batch = [
            c for c in claim(clock.now(), limit, lease_td) if c.message_id not in seen
        ]
        if not batch or stop():
            return counts
        for claimed in batch:
            if stop():
                _release(batch)
                return counts
            seen.add(claimed.message_id)
            status = deliver(claimed)
            counts[status] = counts.get(status, 0) + 1


def _release(batch: list[Claimed]) -> None:
    """Give back what was claimed but not sent (a clean stop: no lease wait)."""
    for claimed in batch:
        open_attempt = Attempt.objects.filter(
            pk=claimed.attempt_id, finished_at__isnull=True
        )
        if open_attempt.exists():
            record(claimed, channels.Outcome(channels.TECHNICAL, "worker stopped"))


# ------------------------------------------------------------ staff
@transaction.atomic
def message_retry(message: Message) -> Message:
    """Staff send a failed message again (GOV.UK Notify: a new attempt)."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.state not in (State.FAILED, State.PERMANENT_FAILURE):
        raise Conflict(
            "notifications.not_failed",
            "Chỉ gửi lại được tin nhắn đã gửi không thành công.",
        )
    now = clock.now()
    message.state = State.CREATED
    message.next_attempt_at = now
    message.give_up_at = now + max_age()
    message.save(update_fields=["state", "next_attempt_at", "give_up_at"])
    return message
