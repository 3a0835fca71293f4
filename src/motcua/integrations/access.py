"""Who a credential is, what its client may call, how often.

``identify`` turns ``mcc_<prefix>.<secret>`` into a live credential or a 401;
``scope_refusal`` says why a request is outside the client's endpoint groups
or access (403); ``take_request`` counts the request in the client's window
of one minute (429 past its rate limit). Time is ``clock.now()``.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When

from motcua.core import clock
from motcua.core.errors import DomainError

from .models import Client, ClientCredential, ClientRateWindow
from .scopes import group_of, is_write
from .services import KEY_PREFIX, secret_hash

LAST_USE_GRANULARITY = timedelta(minutes=1)
WINDOW = timedelta(minutes=1)


class ClientRefused(DomainError):
    """A refusal in the house body; 429s carry ``retry_after`` seconds."""

    def __init__(
        self, code: str, message: str, *, status: int, retry_after: int = 0
    ) -> None:
        super().__init__(code, message, status=status)
        self.retry_after = retry_after


def is_client_key(key: str) -> bool:
    return key.startswith(KEY_PREFIX)


def _refusal(credential: ClientCredential, now: datetime) -> ClientRefused | None:
    client = credential.client
    if client.revoked_at is not None or not client.is_active:
        return ClientRefused(
            "client.revoked",
            "Hệ thống tích hợp này đã bị thu hồi quyền truy cập.",
            status=401,
        )
    if credential.revoked_at is not None:
        return ClientRefused(
            "client.credential_revoked", "Khóa này đã bị thu hồi.", status=401
        )
    if credential.expires_at <= now:
        return ClientRefused(
            "client.credential_expired",
            "Khóa này đã hết hạn; hãy xin quản trị cấp khóa mới.",
            status=401,
        )
    return None


def find(key: str) -> ClientCredential | None:
    """The credential whose secret is ``key`` (one indexed query), any state."""
    return (
        ClientCredential.objects.select_related("client", "client__user")
        .filter(secret_hash=secret_hash(key))
        .first()
    )


def check_live(credential: ClientCredential, now: datetime | None = None) -> None:
    """Raise 401 when the credential or its client no longer works; record the
    use at most once a minute otherwise."""
    now = now or clock.now()
    refusal = _refusal(credential, now)
    if refusal is not None:
        raise refusal
    last = credential.last_used_at
    if last is None or now - last >= LAST_USE_GRANULARITY:
        ClientCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
        credential.last_used_at = now


def scope_refusal(client: Client, route: str, method: str) -> ClientRefused | None:
    """Why ``client`` may not call ``route`` with ``method`` (``None``: it may)."""
    if is_write(method) and client.access != Client.Access.READ_WRITE:
        return ClientRefused(
            "client.read_only",
            "Hệ thống tích hợp này chỉ được xem, không được ghi.",
            status=403,
        )
    group = group_of(route, method)
    if group is None or group not in client.endpoint_groups:
        return ClientRefused(
            "client.endpoint_not_allowed",
            "Hệ thống tích hợp này không được cấp quyền dùng chức năng API này.",
            status=403,
        )
    return None


def _window_start(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def take_request(client: Client, now: datetime | None = None) -> int:
    """Count one request in the client's current minute; return the seconds to
    wait (0: go ahead). One UPDATE under the row's lock, so parallel requests
    are counted exactly."""
    now = now or clock.now()
    start = _window_start(now)
    with transaction.atomic():
        updated = ClientRateWindow.objects.filter(client=client).update(
            count=Case(When(started_at=start, then=F("count") + 1), default=Value(1)),
            started_at=start,
        )
        if not updated:
            try:
                with transaction.atomic():
                    ClientRateWindow.objects.create(
                        client=client, started_at=start, count=1
                    )
            except IntegrityError:  # a parallel first request made the row
                return take_request(client, now)
        count = ClientRateWindow.objects.get(client=client).count
    if count <= client.rate_limit:
        return 0
    return max(1, math.ceil((start + WINDOW - now).total_seconds()))


def rate_refusal(retry_after: int) -> ClientRefused:
    return ClientRefused(
        "client.rate_limited",
        f"Hệ thống tích hợp đã gửi quá số yêu cầu cho phép mỗi phút. "
        f"Vui lòng thử lại sau {retry_after} giây.",
        status=429,
        retry_after=retry_after,
    )
