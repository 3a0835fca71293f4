"""The scheduler's exchange job: the idempotency records' bounded retention.

A kept answer is needed while the sender may still retry (its maximum age,
``MOTCUA_NOTIFY_MAX_AGE_HOURS``, one day by default). After
``MOTCUA_EXCHANGE_KEEP_DAYS`` (30) days it goes: a very late repeat is still
harmless — a transfer already received is refused as a duplicate, an update
already recorded is answered ``recorded: false``.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from django.conf import settings

from .models import ReceivedRequest

DEFAULT_KEEP_DAYS = 30


def keep_days() -> int:
    value = getattr(settings, "MOTCUA_EXCHANGE_KEEP_DAYS", None)
    if value is None:
        value = os.environ.get("MOTCUA_EXCHANGE_KEEP_DAYS", str(DEFAULT_KEEP_DAYS))
    try:
        return max(2, int(str(value)))
    except (TypeError, ValueError):
        return DEFAULT_KEEP_DAYS


def purge_received_requests(now: datetime) -> int:
    """Forget the answers kept longer than ``keep_days()``; how many went."""
    cutoff = now - timedelta(days=keep_days())
    deleted, _ = ReceivedRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
