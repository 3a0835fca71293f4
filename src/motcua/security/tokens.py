"""API keys: issue (key shown once), revoke, authenticate by hash.

A key is ``mc_`` + 43 URL-safe characters (256 random bits). Only its SHA-256
is stored — a plain hash is enough for a random key of that size, and it lets
the lookup be one indexed query. ``prefix`` (the first characters) is kept to
tell keys apart on screen.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from motcua.agencies.selectors import held_rows
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.statements import Statement

from .models import ApiToken

KEY_PREFIX = "mc_"
SHOWN_PREFIX = 10  # characters of the key kept for display
LAST_USE_GRANULARITY = timedelta(minutes=1)
NAME_MAX = 100


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once; never stored


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def default_lifetime() -> timedelta:
    return timedelta(days=getattr(settings, "MOTCUA_API_TOKEN_DAYS", 90))


def token_issue(
    user: Any,
    *,
    name: str,
    created_by: Any | None,
    client: str = "",
    lifetime: timedelta | None = None,
    now: datetime | None = None,
) -> IssuedToken:
    """Make a key for ``user``. Who may ask is checked by the caller (a session
    that passed its second factor, or an administrator)."""
    name = (name or "").strip()
    if not name:
        raise DomainError("api_token.name_required", "Vui lòng đặt tên cho khóa API.")
    if len(name) > NAME_MAX:
        raise DomainError("api_token.name_too_long", "Tên khóa API dài quá 100 ký tự.")
    if not user.is_active:
        raise DomainError("api_token.inactive_user", "Tài khoản này đã bị khoá.")
    now = now or clock.now()
    live = ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=now
    ).count()
    if live >= getattr(settings, "MOTCUA_API_TOKEN_MAX_LIVE", 20):
        raise DomainError(
            "api_token.too_many",
            "Tài khoản này đã có quá nhiều khóa API đang dùng; hãy thu hồi "
            "khóa không còn dùng trước.",
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        client=(client or "").strip()[:100],
        prefix=key[:SHOWN_PREFIX],
        key_hash=key_hash(key),
        created_at=now,
        created_by=created_by,
        expires_at=now + (lifetime or default_lifetime()),
    )
    return IssuedToken(token, key)


def token_revoke(token: ApiToken, now: datetime | None = None) -> None:
    """Stop ``token`` at once (idempotent)."""
    if token.revoked_at is None:
        token.revoked_at = now or clock.now()
        token.save(update_fields=["revoked_at"])


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The keys of ``user``, newest first (revoked and expired included)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


# Read on every API call made with a key (ADR 0033: compiled once).
_BY_HASH: Statement[ApiToken] = Statement(
    lambda key_hash: ApiToken.objects.select_related("user").filter(key_hash=key_hash),
    key_hash=str,
)


def token_authenticate(key: str, now: datetime | None = None) -> ApiToken | None:
    """The live token for ``key`` (user loaded), or ``None`` when unknown,
    expired, revoked or of an inactive user. Records the use at most once a
    minute (one UPDATE, no write on most calls)."""
    reads, values = token_read(key)
    return token_found(reads.all(**values), now)


def token_read(key: str) -> tuple[Statement[ApiToken], dict[str, str]]:
    """The read :func:`token_authenticate` makes, to be sent with others
    (``statements.together``)."""
    return _BY_HASH, {"key_hash": key_hash(key)}


# The memberships of the key's user, read with the key (one round trip on
# PostgreSQL, ADR 0035); used only when the key passes (``token_found``).
_ROLES_BY_HASH: Statement[tuple[int, int, str, bool, int | None]] = Statement(
    lambda key_hash: held_rows(
        ApiToken.objects.filter(key_hash=key_hash).values("user_id")
    ),
    key_hash=str,
)


def roles_read(key: str) -> tuple[Statement[Any], dict[str, str]]:
    """The memberships of ``key``'s user (``agencies.selectors.held_rows``),
    to be read with the key and given to ``roles_found`` once it passes."""
    return _ROLES_BY_HASH, {"key_hash": key_hash(key)}


def token_found(found: list[ApiToken], now: datetime | None = None) -> ApiToken | None:
    """:func:`token_authenticate`'s answer from what its read found."""
    now = now or clock.now()
    token = found[0] if found else None  # the hash is unique
    if (
        token is None
        or token.revoked_at is not None
        or token.expires_at <= now
        or not token.user.is_active
    ):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def is_live(token: ApiToken, now: datetime | None = None) -> bool:
    now = now or clock.now()
    return token.revoked_at is None and token.expires_at > now
