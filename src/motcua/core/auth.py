"""API authentication and the role check every service and API uses.

``Authorization: Bearer <key>`` identifies staff and integration clients. Staff
keys (``mc_…``) are :class:`motcua.security.models.ApiToken` rows; integration
clients' keys (``mcc_<prefix>.<secret>``, ADR 0021) are handed to
:class:`motcua.integrations.authentication.ClientCredentialAuthentication`
(scopes, rate limit, request log). Staff keys are looked up by the SHA-256 of
the key; expired and revoked keys and keys of inactive users are refused, and
bad keys are throttled per client address. Sessions (the browser) count only
once they passed the second factor where it is required
(:mod:`motcua.security.twofactor`).

``require_roles`` lives here so that callers need not know where roles are
stored; it imports ``motcua.agencies`` only when called, because
``motcua.agencies`` imports ``motcua.core`` (errors) and core must stay
importable before the app registry is ready.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)
from rest_framework.request import Request

from motcua.core import configstamp
from motcua.core.errors import DomainError
from motcua.core.statements import together

if TYPE_CHECKING:
    from motcua.agencies.models import Agency

# Integration clients' keys (motcua.integrations.services.KEY_PREFIX).
CLIENT_KEY_PREFIX = "mcc_"
FORBIDDEN_MESSAGE = "Bạn không có quyền thực hiện thao tác này tại cơ quan này."


class Throttled(DomainError):
    """429 ``auth.throttled`` with the seconds to wait (``Retry-After``)."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        from motcua.security import throttle

        super().__init__(throttle.REFUSAL_CODE, throttle.refusal_message(retry_after))
        self.retry_after = retry_after


def _two_factor_check(request: Request, *, by_token: bool) -> None:
    from motcua.security import twofactor

    refusal = twofactor.api_refusal(request._request, by_token=by_token)
    if refusal is not None:
        raise DomainError(refusal[0], refusal[1], status=403)


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <key>``; unknown, expired and revoked keys and
    keys of inactive users are refused (401 ``auth.failed``); an address that
    keeps presenting bad keys waits (429 ``auth.throttled``)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        from motcua.agencies.selectors import roles_found, roles_read_once_here
        from motcua.security import throttle, tokens

        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed()
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed() from exc
        address = [(throttle.TOKEN_ADDRESS, throttle.client_address(request))]
        # A key has 256 random bits: nothing to gain from racing, so only the
        # failures are counted (no row lock on every good call). The address's
        # counter and a staff key are read together (one round trip on
        # PostgreSQL, ADR 0035); the address is still decided first.
        client = key.startswith(CLIENT_KEY_PREFIX)
        counters = throttle.counters(address)
        key_reads = [] if client else [tokens.token_read(key)]
        # The key's user's memberships, when this request reads them once (kept
        # only if the key passes), and the request's configuration stamp, when
        # not known yet: in the same round trip.
        role_reads = (
            [tokens.roles_read(key)] if key_reads and roles_read_once_here() else []
        )
        stamp_reads = configstamp.stamp_read()
        found = iter(together(*counters, *key_reads, *role_reads, *stamp_reads))
        counted = [next(found) for _ in counters]
        key_rows = [next(found) for _ in key_reads]
        role_rows = [next(found) for _ in role_reads]
        for rows in found:
            configstamp.stamp_found(rows)
        decision = throttle.decide(address, counted)
        if not decision.allowed:
            raise Throttled(decision.retry_after)
        if client:
            return _client_authenticate(request, key, address)
        token = tokens.token_found(key_rows[0])
        if token is None:
            decision = throttle.attempt(address)
            if not decision.allowed:
                raise Throttled(decision.retry_after)
            raise exceptions.AuthenticationFailed()
        for rows in role_rows:
            roles_found(token.user, rows)
        request._request.user = token.user
        _two_factor_check(request, by_token=True)
        return (token.user, token)

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


def _client_authenticate(
    request: Request, key: str, address: list[tuple[Any, str]]
) -> tuple[Any, Any]:
    """An integration client's key: unknown keys count against the address
    like staff keys; known ones go to the integrations' authentication."""
    from motcua.integrations import access
    from motcua.integrations.authentication import ClientCredentialAuthentication
    from motcua.security import throttle

    credential = access.find(key)
    if credential is None:
        decision = throttle.attempt(address)
        if not decision.allowed:
            raise Throttled(decision.retry_after)
        raise exceptions.AuthenticationFailed()
    return ClientCredentialAuthentication().authenticate_credential(request, credential)


class TwoFactorSessionAuthentication(SessionAuthentication):
    """The browser session, refused (403) while its user must still pass the
    second factor in this session."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            _two_factor_check(request, by_token=False)
        return result


def require_roles(
    user: Any, agency: Agency, roles: Iterable[str], field_id: int | None = None
) -> None:
    """Raise 403 ``auth.forbidden`` unless ``user`` holds one of ``roles`` in
    ``agency`` (for a specialist: in the field ``field_id`` when given).
    ARCHITECTURE principle 7: every agency sees only its own."""
    from motcua.agencies.selectors import has_role

    if not has_role(user, agency, roles, field_id=field_id):
        raise DomainError("auth.forbidden", FORBIDDEN_MESSAGE, status=403)
