"""Writing messages to the outbox in the transaction of the event that causes
them (ARCHITECTURE principle 6: nothing is sent from inside a web request).

``on_dossier_event`` is a same-transaction observer of every dossier action
(``NotificationsConfig.ready``): for the events the law says the applicant must
hear about (Decree 61/2018/NĐ-CP Art. 17–20: received, supplement, refusal,
extension with an apology, result, hand-over) it writes one row per chosen
channel. A rolled-back action takes its messages with it; the idempotency key
(dossier, event number, channel, template) makes a second write of the same
message impossible.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model

from motcua.core import clock
from motcua.core.dates import vn_date
from motcua.core.held import insert_later
from motcua.core.names import display_name
from motcua.core.statements import Statement, insert
from motcua.dossiers import timing
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.workflow import Action, Status
from motcua.evaluation.online import rating_link

from . import conf, texts
from .models import FINAL_STATES, ChannelName, Message, State
from .worker import max_age

log = logging.getLogger(__name__)

_bulk: ContextVar[bool] = ContextVar("motcua_notifications_bulk", default=False)

RECIPIENT_FIELD = {
    ChannelName.SMS: "phone",
    ChannelName.ZALO: "phone",
    ChannelName.EMAIL: "email",
}


class _QuietBatch:
    @contextmanager
    def line(self) -> Iterator[None]:
        yield


def replaying() -> bool:
    """Inside bulk work that replays the past (:func:`quiet_batch`): nothing
    is sent about it — to applicants, staff or integration clients."""
    return _bulk.get()


@contextmanager
def quiet_batch() -> Iterator[_QuietBatch]:
    """Bulk work (the historical import, demo data) replays the past: nobody
    is told again about a dossier received last year."""
    token = _bulk.set(True)
    try:
        yield _QuietBatch()
    finally:
        _bulk.reset(token)


def template_key(dossier: Dossier, event: Event) -> str | None:
    """The applicant-facing message an event calls for (None: none)."""
    action = event.action
    if action == Action.RECEIVE:
        return "received"
    if action == Action.REQUEST_SUPPLEMENT:
        return "supplement_requested"
    if action == Action.REFUSE:
        return "refused"
    if action == Action.EXTEND:
        return "extended"
    if action == Action.FINISH and event.to_status == Status.RESULT_READY:
        early = timing.timing(dossier.finished_at, timing.dossier_due(dossier))
        return "result_ready_early" if early == timing.EARLY else "result_ready"
    if action == Action.RETURN_RESULT:
        return "returned"
    return None


# Who reminds when nobody does: the agency's standing reminder (no actor).
AUTOMATIC_REMINDER = "Hệ thống một cửa điện tử (nhắc tự động theo cài đặt của lãnh đạo)"


def public_url(path: str) -> str:
    """``path`` on this installation's public address."""
    return conf.get("MOTCUA_PUBLIC_URL").rstrip("/") + path


def tracking_url() -> str:
    return public_url("/tra-cuu/")


def variables_of(key: str, dossier: Dossier, event: Event) -> dict[str, str]:
    payload = event.payload or {}
    values: dict[str, str] = {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "tracking_url": tracking_url(),
        "due_date": vn_date(timing.dossier_due(dossier)),
        "reason": event.reason,
    }
    if key == "returned":
        rating = rating_link(dossier)
        values["rating_url"] = public_url(rating) if rating else values["tracking_url"]
    if key == "supplement_requested":
        values["missing_items"] = "; ".join(payload.get("items") or [])
    if key == "assigned":
        step = event.step
        values |= {
            "step": step.name if step is not None else "",
            "by": display_name(event.actor) if event.actor else event.actor_name,
        }
    if key == "reminder":
        values |= {
            "step": str(payload.get("step_name", "")),
            "note": event.reason,
            "leader": display_name(event.actor)
            if event.actor
            else (event.actor_name or AUTOMATIC_REMINDER),
        }
    if key == "extended":
        new_due = payload.get("new_due_at")
        values["new_date"] = vn_date(
            datetime.fromisoformat(new_due) if new_due else dossier.due_at
        )
    return {name: values.get(name, "") for name in texts.VARIABLES[key]}


def idempotency_key(dossier_id: int, seq: int, channel: str, key: str) -> str:
    return f"dossier:{dossier_id}:event:{seq}:{channel}:{key}"


def on_dossier_event(dossier: Dossier, event: Event) -> None:
    if event.action == Action.ANONYMISE:
        forget_recipients(dossier)
        return
    if replaying():
        return
    if event.action == Action.REMIND:
        _remind(dossier, event)
        return
    if event.action in ASSIGNING:
        _assigned(dossier, event)
    key = template_key(dossier, event)
    if key is None:
        return
    applicant = dossier.applicant
    chosen = set(filter(None, (applicant.notify_channels or "").split(",")))
    written = 0
    for channel in conf.channels():
        if chosen and channel not in chosen:
            continue  # the applicant chose other ways to be told
        recipient = _recipient(applicant, channel)
        if not recipient:
            continue
        _write(dossier, event, key, channel, recipient)
        written += 1
    log.info(
        "notifications.outbox dossier=%s seq=%s template=%s messages=%s",
        dossier.pk,
        event.seq,
        key,
        written,
    )


# Actions that put a step in someone's hands (the event names them).
ASSIGNING = frozenset({Action.ASSIGN, Action.FORWARD, Action.SUBMIT})


def _staff_address(username: str) -> str:
    """A staff member's e-mail (staff have no phone of record), "" if none."""
    officer = get_user_model().objects.filter(username=username, is_active=True)
    return str(officer.values_list("email", flat=True).first() or "").strip()


def _remind(dossier: Dossier, event: Event) -> None:
    """A leader's reminder reaches the officer it names by e-mail; the back
    office shows it on their home page too."""
    address = _staff_address((event.payload or {}).get("to") or "")
    if address:
        _write(dossier, event, "reminder", ChannelName.EMAIL, address)


def _assigned(dossier: Dossier, event: Event) -> None:
    """ "Assigned to you": the officer a step was given to, by e-mail — not the
    person who took the step themselves."""
    to = (event.payload or {}).get("assignee") or ""
    if not to or to == event.actor_name:
        return
    address = _staff_address(to)
    if address:
        _write(dossier, event, "assigned", ChannelName.EMAIL, address)


def forget_recipients(dossier: Dossier) -> None:
    """The applicant's data is anonymised (Decree 13/2023/NĐ-CP Art. 16): so are
    the messages' recipients and texts; one not sent yet is not sent."""
    rows = Message.objects.filter(dossier=dossier)
    rows.exclude(state__in=FINAL_STATES).update(
        state=State.PERMANENT_FAILURE, last_error="anonymised"
    )
    rows.update(recipient="", variables={})


def _recipient(applicant: Any, channel: str) -> str:
    field = RECIPIENT_FIELD.get(channel)  # type: ignore[call-overload]
    return str(getattr(applicant, field, "") or "").strip() if field else ""


def _write(
    dossier: Dossier, event: Event, key: str, channel: str, recipient: str
) -> None:
    enqueue(
        idempotency_key(dossier.pk, event.seq, channel, key),
        channel=channel,
        recipient=recipient,
        key=key,
        variables=lambda: variables_of(key, dossier, event),
        agency_id=dossier.agency_id,
        dossier_id=dossier.pk,
        event_seq=event.seq,
        later=True,
    )


# Whether a message of one idempotency key is in the outbox (compiled once per
# connection, ADR 0033: asked for every message an action writes).
_QUEUED: Statement[int] = Statement(
    lambda ident: Message.objects.filter(idempotency_key=ident).values_list(
        "pk", flat=True
    )[:1],
    ident=str,
)


def enqueue(
    ident: str,
    *,
    channel: str,
    recipient: str,
    key: str,
    variables: Callable[[], dict[str, Any]],
    agency_id: int | None,
    dossier_id: int | None = None,
    event_seq: int | None = None,
    version: int | None = None,
    later: bool = False,
) -> Message | None:
    """The one way a message enters the outbox: once per idempotency key, due
    now, given up after the maximum age. ``version``: of the text, looked up
    as ``key``'s current one when not given (a missing text is logged and
    never blocks the action that caused the message).

    ``later``: the message of a dossier's event, which nothing reads in the
    action: it is written with the action's other writes (ADR 0038), once
    per key by the key's unique constraint (``ON CONFLICT DO NOTHING``), and
    ``None`` is returned."""
    if not later and _QUEUED.first(ident=ident) is not None:
        return None
    if version is None:
        try:
            version = texts.current(key, channel).version
        except texts.NotFound:
            log.error(
                "notifications.template_missing template=%s channel=%s", key, channel
            )
            return None
    now = clock.now()
    message = Message(
        agency_id=agency_id,
        dossier_id=dossier_id,
        event_seq=event_seq,
        channel=channel,
        recipient=recipient,
        template_key=key,
        template_version=version,
        variables=variables(),
        idempotency_key=ident,
        next_attempt_at=now,
        give_up_at=now + max_age(),
        created_at=now,
    )
    if later:
        insert_later(message, ignore_conflicts=True)
        return None
    return insert(message)
