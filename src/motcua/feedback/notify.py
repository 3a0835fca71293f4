"""Messages to the sender of an item, through the notifications outbox
(issue 11 item 5): the acknowledgement with the tracking code, and "your
feedback was answered". Each is written in the transaction of the action that
causes it, once per channel, only when the sender gave a phone number (SMS,
Zalo) or an e-mail address; the idempotency key names the item and, for the
answer, the answer's log row.
"""

from __future__ import annotations

import logging

from motcua.core.dates import vn_date
from motcua.notifications import conf
from motcua.notifications.outbox import enqueue

from .models import Feedback

log = logging.getLogger(__name__)

RECEIVED = "feedback_received"
ANSWERED = "feedback_answered"
VARIABLES: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({"code", "agency", "due_date", "lookup_url"}),
    ANSWERED: frozenset({"code", "agency", "lookup_url"}),
}
_CONTACT = {"sms": "contact_phone", "zalo": "contact_phone", "email": "contact_email"}


def lookup_url() -> str:
    return conf.get("MOTCUA_PUBLIC_URL").rstrip("/") + "/phan-anh/tra-cuu/"


def _variables(key: str, item: Feedback) -> dict[str, str]:
    values = {
        "code": item.code,
        "agency": item.agency.name,
        "due_date": vn_date(item.due_at),
        "lookup_url": lookup_url(),
    }
    return {name: values[name] for name in VARIABLES[key]}


def _send(item: Feedback, key: str, ident: str) -> int:
    written = 0
    for channel in conf.channels():
        field = _CONTACT.get(channel)
        recipient = str(getattr(item, field, "") or "").strip() if field else ""
        if not recipient:
            continue
        message = enqueue(
            f"{ident}:{channel}:{key}",
            channel=channel,
            recipient=recipient,
            key=key,
            variables=lambda: _variables(key, item),
            agency_id=item.agency_id,
        )
        written += message is not None
    log.info(
        "feedback.outbox feedback=%s template=%s messages=%s", item.pk, key, written
    )
    return written


def acknowledge(item: Feedback) -> int:
    """The tracking code, to the contact given (messages written)."""
    return _send(item, RECEIVED, f"feedback:{item.pk}:received")


def answered(item: Feedback, answer_event_id: int) -> int:
    """ "Your feedback was answered", with the look-up page and the code."""
    return _send(item, ANSWERED, f"feedback:{item.pk}:answer:{answer_event_id}")
