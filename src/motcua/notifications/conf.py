"""Notification settings: a Django setting of the same name wins, else the
environment variable, else the default (docs/notifications.md lists them)."""

from __future__ import annotations

import os
from datetime import time
from typing import Any

from django.conf import settings

from motcua.core.errors import DomainError

DEFAULTS: dict[str, str] = {
    # channels written for each applicant-facing event, in this order
    "MOTCUA_NOTIFY_CHANNELS": "sms,email",
    # the public address of this installation (tracking link in messages)
    "MOTCUA_PUBLIC_URL": "http://127.0.0.1:8000",
    # SMS brand-name gateway
    "MOTCUA_SMS_URL": "",
    "MOTCUA_SMS_TOKEN": "",
    "MOTCUA_SMS_USERNAME": "",
    "MOTCUA_SMS_PASSWORD": "",
    "MOTCUA_SMS_PAYLOAD": (
        '{"to": "{to}", "text": "{text}", "brandname": "{brandname}", '
        '"reference": "{reference}"}'
    ),
    "MOTCUA_SMS_BRANDNAME": "MOTCUA",
    "MOTCUA_SMS_QUIET_HOURS": "21:00-07:00",
    # Zalo-notification-style gateway
    "MOTCUA_ZALO_URL": "",
    "MOTCUA_ZALO_TOKEN": "",
    "MOTCUA_ZALO_PAYLOAD": (
        '{"phone": "{to}", "template_id": "{template}", '
        '"template_data": {"text": "{text}"}, "tracking_id": "{reference}"}'
    ),
    # gateways' delivery receipts (POST /api/v1/notifications/receipts/ with
    # "Authorization: Bearer <token>"); empty: the endpoint is off
    "MOTCUA_RECEIPT_TOKEN": "",
    # e-mail sender (Django's EMAIL_BACKEND and EMAIL_* settings do the rest)
    "MOTCUA_EMAIL_FROM": "MotCua <no-reply@motcua.local>",
    # the worker
    "MOTCUA_NOTIFY_TIMEOUT": "10",
    "MOTCUA_NOTIFY_BACKOFF": "30",
    "MOTCUA_NOTIFY_BACKOFF_MAX": "3600",
    "MOTCUA_NOTIFY_MAX_AGE_HOURS": "24",
    "MOTCUA_NOTIFY_LEASE": "300",
    # the scheduler (Vietnam time)
    "MOTCUA_SCHEDULER_WATCH_MINUTES": "5",
    "MOTCUA_DIGEST_AT": "07:30",
    "MOTCUA_NIGHTLY_AT": "02:00",
}


def get(name: str) -> str:
    value: Any = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return str(value)


def number(name: str) -> float:
    try:
        return float(get(name))
    except ValueError:
        raise DomainError(
            "notifications.bad_setting", f"Cấu hình {name} phải là một số."
        ) from None


def channels() -> list[str]:
    return [c.strip() for c in get("MOTCUA_NOTIFY_CHANNELS").split(",") if c.strip()]


def quiet_hours() -> tuple[time, time] | None:
    """``(start, end)`` in Vietnam time, or None when SMS may go at any hour."""
    text = get("MOTCUA_SMS_QUIET_HOURS").strip()
    if not text:
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise DomainError(
            "notifications.bad_quiet_hours",
            "Cấu hình MOTCUA_SMS_QUIET_HOURS phải có dạng 21:00-07:00 (hoặc để trống).",
        ) from None
    return start, end


def clock_time(name: str) -> time:
    """A time of day (``07:30``), Vietnam time."""
    try:
        return time.fromisoformat(get(name).strip())
    except ValueError:
        raise DomainError(
            "notifications.bad_setting", f"Cấu hình {name} phải là giờ dạng 07:30."
        ) from None


def check() -> None:
    """Read every setting the worker needs once, so a typo stops it at start
    with a message instead of failing message after message."""
    quiet_hours()
    for name in DEFAULTS:
        if name.startswith("MOTCUA_NOTIFY_") and name != "MOTCUA_NOTIFY_CHANNELS":
            number(name)
