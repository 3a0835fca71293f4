"""Reads of integration clients (admin, command)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet

from motcua.core import clock

from .models import Client, ClientCredential, ClientRequest


def clients() -> QuerySet[Client]:
    return Client.objects.prefetch_related("agency_scopes__agency", "credentials")


def client_by_name(name: str) -> Client | None:
    return Client.objects.filter(name=name.strip()).first()


def credential_by_prefix(prefix: str) -> ClientCredential | None:
    return (
        ClientCredential.objects.select_related("client")
        .filter(prefix=prefix.strip())
        .first()
    )


def last_used_at(client: Client) -> datetime | None:
    times = [c.last_used_at for c in client.credentials.all() if c.last_used_at]
    return max(times, default=None)


def log_days() -> int:
    return int(getattr(settings, "MOTCUA_CLIENT_LOG_DAYS", 90))


def requests_older_than(
    days: int, now: datetime | None = None
) -> QuerySet[ClientRequest]:
    now = now or clock.now()
    return ClientRequest.objects.filter(at__lt=now - timedelta(days=days))
