"""Integration clients: create, scope, revoke; issue and revoke credentials.

Writes only; one transaction per use case. A client acts through a technical
user (no password, not staff, never a citizen) whose memberships are kept equal
to the client's agency scopes here, in the services that change them:

* read → the monitor role in each agency (``covers_subtree`` as scoped);
* read/write → the reception role in each agency (the desk: receive, request a
  supplement, refuse, record a payment, finish, return the result, withdraw),
  plus a monitor role over the subtree where the scope covers it. Specialist
  and leader steps (appraisal, approval, signing) stay with people.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.agencies.models import Agency, Membership, Role
from motcua.core import clock
from motcua.core.auth import CLIENT_KEY_PREFIX
from motcua.core.errors import DomainError

from .models import Client, ClientAgency, ClientCredential
from .scopes import GROUPS

KEY_PREFIX = CLIENT_KEY_PREFIX
PREFIX_CHARS = 8  # random characters of the shown prefix
NAME_MAX = 100


@dataclass(frozen=True)
class Scope:
    agency: Agency
    covers_subtree: bool = False


@dataclass(frozen=True)
class IssuedCredential:
    credential: ClientCredential
    key: str  # shown once; never stored


def secret_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def credential_days() -> int:
    return int(getattr(settings, "MOTCUA_CLIENT_CREDENTIAL_DAYS", 90))


def max_live_credentials() -> int:
    return int(getattr(settings, "MOTCUA_CLIENT_MAX_CREDENTIALS", 5))


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("client.name_required", "Vui lòng đặt tên hệ thống tích hợp.")
    if len(name) > NAME_MAX:
        raise DomainError(
            "client.name_too_long", "Tên hệ thống tích hợp dài quá 100 ký tự."
        )
    return name


def _clean_groups(groups: Iterable[str]) -> list[str]:
    chosen = sorted(set(groups))
    unknown = [g for g in chosen if g not in GROUPS]
    if unknown:
        raise DomainError(
            "client.unknown_group",
            "Nhóm API không có trong danh sách: " + ", ".join(unknown[:5]) + ".",
        )
    return chosen


def _clean_access(access: str, groups: Sequence[str]) -> str:
    if access not in Client.Access.values:
        raise DomainError(
            "client.invalid_access", "Quyền phải là read hoặc read_write."
        )
    if access == Client.Access.READ and any(g.endswith(".write") for g in groups):
        raise DomainError(
            "client.write_group_needs_write_access",
            "Hệ thống chỉ được xem thì không thể được cấp nhóm API ghi.",
        )
    return access


def _clean_rate_limit(rate_limit: int) -> int:
    if not 1 <= int(rate_limit) <= 100_000:
        raise DomainError(
            "client.invalid_rate_limit",
            "Số yêu cầu tối đa mỗi phút phải từ 1 đến 100000.",
        )
    return int(rate_limit)


def _technical_user(name: str) -> Any:
    """An account that cannot sign in: no usable password, not staff, no
    e-mail or phone (so no one-time code reaches it), never a citizen."""
    user_model = get_user_model()
    user = user_model(username=f"client:{secrets.token_hex(4)}", first_name=name[:150])
    user.set_unusable_password()
    user.is_staff = False
    user.is_superuser = False
    user.save()
    # The read log copies the username: it names the client.
    user.username = f"client:{user.pk}:{name}"[:150]
    user.save(update_fields=["username"])
    return user


def validate_settings(access: str, groups: Iterable[str], rate_limit: int) -> None:
    """Raise the ``DomainError`` a client's access, groups or limit deserve."""
    _clean_access(access, _clean_groups(groups))
    _clean_rate_limit(rate_limit)


def client_prepare(client: Client, created_by: Any | None = None) -> None:
    """Give a client being saved from the admin its technical user and time
    (its scopes follow with :func:`client_sync_memberships`)."""
    client.name = _clean_name(client.name)
    if client.user_id is None:
        client.user = _technical_user(client.name)
    client.created_at = client.created_at or clock.now()
    client.created_by = client.created_by or created_by


@transaction.atomic
def client_create(
    *,
    name: str,
    description: str = "",
    access: str = Client.Access.READ,
    endpoint_groups: Iterable[str] = (),
    scopes: Sequence[Scope] = (),
    rate_limit: int = 120,
    created_by: Any | None = None,
) -> Client:
    """Create a client, its technical user and its agency scopes."""
    name = _clean_name(name)
    if Client.objects.filter(name=name).exists():
        raise DomainError("client.name_taken", "Đã có hệ thống tích hợp mang tên này.")
    groups = _clean_groups(endpoint_groups)
    client = Client.objects.create(
        name=name,
        description=description or "",
        access=_clean_access(access, groups),
        endpoint_groups=groups,
        rate_limit=_clean_rate_limit(rate_limit),
        user=_technical_user(name),
        created_at=clock.now(),
        created_by=created_by,
    )
    client_set_scopes(client, scopes)
    return client


@transaction.atomic
def client_update(
    client: Client,
    *,
    access: str | None = None,
    endpoint_groups: Iterable[str] | None = None,
    rate_limit: int | None = None,
    scopes: Sequence[Scope] | None = None,
) -> Client:
    """Change what a client may do; its technical user follows at once."""
    groups = (
        _clean_groups(endpoint_groups)
        if endpoint_groups is not None
        else list(client.endpoint_groups)
    )
    client.access = _clean_access(access or client.access, groups)
    client.endpoint_groups = groups
    if rate_limit is not None:
        client.rate_limit = _clean_rate_limit(rate_limit)
    client.save(update_fields=["access", "endpoint_groups", "rate_limit"])
    if scopes is not None:
        client_set_scopes(client, scopes)
    else:
        client_sync_memberships(client)
    return client


@transaction.atomic
def client_set_scopes(client: Client, scopes: Sequence[Scope]) -> None:
    """Replace the agencies a client may act for."""
    wanted = {s.agency.pk: s for s in scopes}
    ClientAgency.objects.filter(client=client).exclude(
        agency_id__in=list(wanted)
    ).delete()
    for agency_id, scope in wanted.items():
        ClientAgency.objects.update_or_create(
            client=client,
            agency_id=agency_id,
            defaults={"covers_subtree": scope.covers_subtree},
        )
    client_sync_memberships(client)


def _wanted_memberships(client: Client) -> dict[tuple[int, str], bool]:
    """(agency id, role) → covers_subtree, for the client's scopes now."""
    wanted: dict[tuple[int, str], bool] = {}
    if client.revoked_at is not None or not client.is_active:
        return wanted
    for scope in client.agency_scopes.all():
        if client.access == Client.Access.READ_WRITE:
            wanted[(scope.agency_id, Role.RECEPTION)] = False
            if scope.covers_subtree:
                wanted[(scope.agency_id, Role.MONITOR)] = True
        else:
            wanted[(scope.agency_id, Role.MONITOR)] = scope.covers_subtree
    return wanted


@transaction.atomic
def client_sync_memberships(client: Client) -> None:
    """Make the technical user's memberships exactly the client's scopes."""
    wanted = _wanted_memberships(client)
    for membership in Membership.objects.filter(user=client.user):
        key = (membership.agency_id, membership.role)
        if key not in wanted:
            membership.delete()
            continue
        subtree = wanted.pop(key)
        if membership.covers_subtree != subtree or not membership.is_active:
            membership.covers_subtree = subtree
            membership.is_active = True
            membership.save(update_fields=["covers_subtree", "is_active"])
    for (agency_id, role), subtree in wanted.items():
        Membership.objects.create(
            user=client.user, agency_id=agency_id, role=role, covers_subtree=subtree
        )


@transaction.atomic
def client_revoke(client: Client, now: datetime | None = None) -> None:
    """Stop a client at once: every credential refused, no membership left."""
    if client.revoked_at is None:
        client.revoked_at = now or clock.now()
    client.is_active = False
    client.save(update_fields=["revoked_at", "is_active"])
    user = client.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    client_sync_memberships(client)


def _live_credentials(client: Client, now: datetime) -> int:
    return ClientCredential.objects.filter(
        client=client, revoked_at__isnull=True, expires_at__gt=now
    ).count()


@transaction.atomic
def credential_issue(
    client: Client,
    *,
    created_by: Any | None = None,
    days: int | None = None,
    now: datetime | None = None,
) -> IssuedCredential:
    """A new secret for ``client`` (the others stay live: rotation with an
    overlap). The key is returned once and never stored."""
    now = now or clock.now()
    if client.revoked_at is not None or not client.is_active:
        raise DomainError(
            "client.revoked", "Hệ thống tích hợp này đã bị thu hồi quyền truy cập."
        )
    days = credential_days() if days is None else days
    if not 1 <= days <= 3650:
        raise DomainError(
            "client.invalid_lifetime", "Số ngày hiệu lực phải từ 1 đến 3650."
        )
    if _live_credentials(client, now) >= max_live_credentials():
        raise DomainError(
            "client.too_many_credentials",
            "Hệ thống này đã có quá nhiều khóa đang dùng; hãy thu hồi khóa cũ trước.",
        )
    prefix = KEY_PREFIX + secrets.token_urlsafe(6)[:PREFIX_CHARS]
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    credential = ClientCredential.objects.create(
        client=client,
        prefix=prefix,
        secret_hash=secret_hash(key),
        created_at=now,
        created_by=created_by,
        expires_at=now + timedelta(days=days),
    )
    return IssuedCredential(credential, key)


def credential_revoke(
    credential: ClientCredential, now: datetime | None = None
) -> None:
    """Stop one credential at once (idempotent)."""
    if credential.revoked_at is None:
        credential.revoked_at = now or clock.now()
        credential.save(update_fields=["revoked_at"])


def requests_purge(days: int, now: datetime | None = None) -> int:
    """Delete request-log rows older than ``days`` (bounded retention)."""
    from .selectors import requests_older_than

    if days < 1:
        raise DomainError("client.invalid_days", "Số ngày lưu phải từ 1 trở lên.")
    deleted, _ = requests_older_than(days, now).delete()
    return deleted
