"""Delivery receipts: a gateway that accepted a message later says whether it
reached the phone (GOV.UK Notify keeps the same distinction between "sent to the
provider" and "delivered"). ``POST /api/v1/notifications/receipts/`` with
``Authorization: Bearer <MOTCUA_RECEIPT_TOKEN>`` and a JSON body::

    {"reference": "<the message's idempotency key>",   # or "receipt_id"
     "status": "delivered" | "failed",
     "at": "2026-11-30T08:01:02+07:00",                 # optional
     "error": "số máy không tồn tại"}                    # optional

A receipt names the message by the reference we sent or the id the gateway
returned; a second copy of the same receipt changes nothing. Bad input gets a
Vietnamese message with a stable code; the log names the message id only.
"""

from __future__ import annotations

import hmac
import json
import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.core import clock

from . import conf
from .models import Message, State

log = logging.getLogger(__name__)
OUTCOMES = {"delivered": State.DELIVERED, "failed": State.PERMANENT_FAILURE}
# States in which the gateway has taken the message (so a receipt may follow).
ACCEPTED = (State.SENDING, State.DELIVERED, State.PERMANENT_FAILURE)


class Refused(Exception):
    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _authorised(request: HttpRequest, token: str) -> bool:
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def _instant(value: Any) -> datetime:
    if value in (None, ""):
        return clock.now()
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        raise Refused(
            "receipt.invalid_time", "«at» phải là ngày giờ ISO 8601 có múi giờ.", 400
        )
    return at


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise Refused(
            "receipt.invalid_json", "Nội dung phải là một đối tượng JSON hợp lệ.", 400
        )
    return body


def _receipt(body: dict[str, Any]) -> tuple[Q, str, datetime, str]:
    """(which message, its new state, when, the gateway's reason)."""
    state = OUTCOMES.get(str(body.get("status", "")))
    if state is None:
        raise Refused(
            "receipt.invalid_status",
            "Trạng thái không hợp lệ; dùng «delivered» hoặc «failed».",
            400,
        )
    at = _instant(body.get("at"))
    reference = str(body.get("reference") or "")[:200]
    receipt_id = str(body.get("receipt_id") or "")[:200]
    if not (reference or receipt_id):
        raise Refused(
            "receipt.missing_reference", "Thiếu «reference» hoặc «receipt_id».", 400
        )
    found = Q(idempotency_key=reference) if reference else Q(pk__in=[])
    if receipt_id:
        found |= Q(receipt_id=receipt_id)
    return found, state, at, str(body.get("error") or "")[:500]


@csrf_exempt
@require_POST
def receive_receipt(request: HttpRequest) -> JsonResponse:
    token = conf.get("MOTCUA_RECEIPT_TOKEN")
    try:
        if not token:
            raise Refused("receipt.disabled", "Chưa bật nhận báo cáo gửi tin.", 404)
        if not _authorised(request, token):
            raise Refused("auth.invalid_token", "Mã xác thực không hợp lệ.", 401)
        found, state, at, error = _receipt(_body(request))
        with transaction.atomic():
            message = Message.objects.select_for_update().filter(found).first()
            if message is None:
                raise Refused("receipt.unknown_message", "Không có tin nhắn này.", 404)
            if message.state not in ACCEPTED:
                raise Refused(
                    "receipt.not_sent",
                    "Tin nhắn chưa được cổng gửi nhận nên chưa thể có báo cáo.",
                    409,
                )
            _apply(message, state, at, error)
    except Refused as refused:
        return JsonResponse(
            {"code": refused.code, "message": refused.message}, status=refused.status
        )
    log.info("notifications.receipt message=%s state=%s", message.pk, message.state)
    return JsonResponse({"id": message.pk, "state": message.state})


def _apply(message: Message, state: str, at: datetime, error: str) -> None:
    """Record what the receipt says: delivered (with its time) or failed for
    good (with the gateway's reason); a repeated receipt changes nothing."""
    if state == State.DELIVERED:
        message.state, message.delivered_at = State.DELIVERED, at
    else:
        message.state, message.delivered_at = State.PERMANENT_FAILURE, None
        message.last_error = error or "gateway receipt: failed"
    message.save(update_fields=["state", "delivered_at", "last_error"])
