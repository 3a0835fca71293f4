"""What staff see of the outbox (the back office's "Tin nhắn đã gửi" page):
one agency's messages, recipients masked, and a staff retry of a failed one."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from motcua.core.errors import DomainError

from .models import Attempt, Message, State
from .worker import message_retry

#: States a staff member may send again (the admin's retry action accepts these).
RETRYABLE = (State.FAILED, State.PERMANENT_FAILURE)


def agency_messages(agency_id: int, state: str = "") -> QuerySet[Message]:
    """The messages of ``agency_id``'s dossiers (and of the agency itself),
    newest first, with their dossier and attempts."""
    attempts = Attempt.objects.order_by("-number")
    messages = (
        Message.objects.filter(agency_id=agency_id)
        .select_related("dossier")
        .prefetch_related(Prefetch("attempt_log", queryset=attempts))
        .order_by("-created_at", "-id")
    )
    if state:
        messages = messages.filter(state=state)
    return messages


def mask_recipient(recipient: str) -> str:
    """``0905***456`` for a number, ``a***@example.vn`` for an address; a
    forgotten recipient (an anonymised applicant) shows as a dash."""
    value = recipient.strip()
    if not value:
        return "—"
    if "@" in value:
        local, _, domain = value.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if len(value) <= 7:
        return value[:2] + "***"
    return f"{value[:4]}***{value[-3:]}"


def staff_retry(agency_id: int, message_id: int) -> Message:
    """Send a failed message of ``agency_id`` again (the admin's retry). A
    message of another agency is reported as not found."""
    with transaction.atomic():
        message = Message.objects.filter(pk=message_id, agency_id=agency_id).first()
        if message is None:
            raise DomainError(
                "notifications.not_found", "Không tìm thấy tin nhắn này.", status=404
            )
        return message_retry(message)
