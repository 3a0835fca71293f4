"""Throttling of guesses (passwords, tokens, tracking factors), race-free.

Each attempt is *counted before* the secret is checked, under a row lock, so
twelve parallel clients get exactly the tries a policy allows, never more; a
success then clears the counters the caller chooses (:func:`clear`). Past a
policy's free tries every further attempt must wait a delay that doubles with
each failure, up to a cap — a growing delay, not a lock a stranger can hold
for an hour. Counters live in a table (:class:`AttemptCounter`), never in a
cache that culls them; keys are HMACs, so the table holds no personal data.

Usage::

    decision = throttle.attempt([(LOGIN_ACCOUNT, username), (LOGIN_ADDRESS, ip)])
    if not decision.allowed:
        ...  # refuse with decision.retry_after seconds
    elif check_password(...):
        throttle.clear([(LOGIN_ACCOUNT, username)])

Call it outside any other transaction: the count commits on its own even when
the caller's action then fails.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from motcua.core import clock
from motcua.core.statements import Statement

from .models import AttemptCounter


@dataclass(frozen=True)
class Policy:
    scope: str
    free: int  # failures allowed before any delay
    base_delay: int  # seconds to wait after the first failure past ``free``
    max_delay: int  # the delay never grows past this
    forget_after: int  # seconds without failure after which the count restarts

    def delay(self, failures: int) -> int:
        """Seconds to wait after the ``failures``-th failure."""
        if failures < self.free:
            return 0
        return min(self.max_delay, self.base_delay * 2 ** min(failures - self.free, 30))


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds, when refused


HOUR = 3600
# Staff sign-in and API tokens: per account (whoever guesses), per address.
LOGIN_ACCOUNT = Policy(
    "login_account", free=5, base_delay=2, max_delay=HOUR, forget_after=24 * HOUR
)
LOGIN_ADDRESS = Policy(
    "login_address", free=20, base_delay=2, max_delay=HOUR, forget_after=24 * HOUR
)
# Bearer tokens presented to the API.
TOKEN_ADDRESS = Policy(
    "token_address", free=20, base_delay=2, max_delay=HOUR, forget_after=24 * HOUR
)
# Codes from the authenticator app at the second sign-in stage, per account:
# a million codes, so a few free tries and then a fast-growing delay.
MFA_ACCOUNT = Policy(
    "mfa_account", free=5, base_delay=2, max_delay=HOUR, forget_after=24 * HOUR
)

REFUSAL_CODE = "auth.throttled"


def refusal_message(retry_after: int) -> str:
    return f"Bạn đã thử quá nhiều lần. Vui lòng thử lại sau {retry_after} giây."


def _digest(scope: str, key: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(
        secret, f"{scope}\x00{key}".encode("utf-8", "replace"), hashlib.sha256
    ).hexdigest()


def _row(policy: Policy, key: str) -> AttemptCounter:
    digest = _digest(policy.scope, key)
    try:
        with transaction.atomic():
            row, _ = AttemptCounter.objects.select_for_update().get_or_create(
                scope=policy.scope, key=digest
            )
    except IntegrityError:  # created by a parallel attempt: take that one
        row = AttemptCounter.objects.select_for_update().get(
            scope=policy.scope, key=digest
        )
    return row


def _stale(policy: Policy, row: AttemptCounter, now: datetime) -> bool:
    return row.last_failure_at is None or now - row.last_failure_at > timedelta(
        seconds=policy.forget_after
    )


def _wait(policy: Policy, row: AttemptCounter, now: datetime) -> float:
    """Seconds ``row`` still has to wait (0 when an attempt may go ahead)."""
    if row.blocked_until is None or _stale(policy, row, now):
        return 0.0
    return max(0.0, (row.blocked_until - now).total_seconds())


def _refusal(waits: Sequence[float]) -> Decision | None:
    longest = max(waits, default=0.0)
    return Decision(False, max(1, math.ceil(longest))) if longest > 0 else None


def attempt(
    pairs: Sequence[tuple[Policy, str]], now: datetime | None = None
) -> Decision:
    """Count one attempt against every (policy, key); refuse — counting nothing —
    while any of them is still within its delay."""
    now = now or clock.now()
    with transaction.atomic():
        rows = [(policy, _row(policy, key)) for policy, key in pairs if key]
        refusal = _refusal([_wait(policy, row, now) for policy, row in rows])
        if refusal is not None:
            return refusal
        for policy, row in rows:
            row.failures = 1 if _stale(policy, row, now) else row.failures + 1
            row.last_failure_at = now
            delay = policy.delay(row.failures)
            row.blocked_until = now + timedelta(seconds=delay) if delay else None
            row.save(update_fields=["failures", "last_failure_at", "blocked_until"])
    return Decision(True)


# Read by every call made with an API key and every QR look-up (ADR 0033:
# compiled once).
_COUNTER: Statement[AttemptCounter] = Statement(
    lambda scope, key: AttemptCounter.objects.filter(scope=scope, key=key),
    scope=str,
    key=str,
)


def clear(pairs: Iterable[tuple[Policy, str]]) -> None:
    """Forget the counted failures (after a success). Nearly always there are
    none (every QR look-up forgets its code's): a read compiled once, and a
    DELETE only for a counter that exists."""
    for policy, key in pairs:
        digest = _digest(policy.scope, key)
        if _COUNTER.first(scope=policy.scope, key=digest) is None:
            continue
        AttemptCounter.objects.filter(scope=policy.scope, key=digest).delete()


def release(pairs: Iterable[tuple[Policy, str]]) -> None:
    """Take back one counted attempt that succeeded, without forgetting the
    failures before it: an address shared by an office is not blocked by its
    own sign-ins, yet a guesser cannot wipe the count with one good password."""
    for policy, key in pairs:
        with transaction.atomic():
            row = (
                AttemptCounter.objects.select_for_update()
                .filter(scope=policy.scope, key=_digest(policy.scope, key))
                .first()
            )
            if row is None or row.failures == 0:
                continue
            row.failures -= 1
            if not policy.delay(row.failures):
                row.blocked_until = None
            row.save(update_fields=["failures", "blocked_until"])


def check(pairs: Sequence[tuple[Policy, str]], now: datetime | None = None) -> Decision:
    """Whether an attempt would be refused now, counting nothing (for checks
    too cheap to lock a row on every call, such as a 256-bit API key: count
    only its failures with :func:`attempt`)."""
    return decide(
        pairs, [reads.all(**values) for reads, values in counters(pairs)], now
    )


def counters(
    pairs: Sequence[tuple[Policy, str]],
) -> list[tuple[Statement[AttemptCounter], dict[str, str]]]:
    """The reads :func:`check` makes, one per pair, to be sent with others
    (``statements.together``: one round trip for an API key and its address)."""
    return [
        (_COUNTER, {"scope": policy.scope, "key": _digest(policy.scope, key)})
        for policy, key in pairs
    ]


def decide(
    pairs: Sequence[tuple[Policy, str]],
    found: Sequence[Sequence[AttemptCounter]],
    now: datetime | None = None,
) -> Decision:
    """:func:`check`'s answer from the rows its reads (:func:`counters`) found."""
    now = now or clock.now()
    waits = [
        _wait(policy, rows[0], now)
        for (policy, _), rows in zip(pairs, found, strict=True)
        if rows
    ]
    return _refusal(waits) or Decision(True)


def failures(policy: Policy, key: str, now: datetime | None = None) -> int:
    """Failures counted for ``key`` (0 once forgotten)."""
    now = now or clock.now()
    row = AttemptCounter.objects.filter(
        scope=policy.scope, key=_digest(policy.scope, key)
    ).first()
    return 0 if row is None or _stale(policy, row, now) else row.failures


def forget_stale(now: datetime | None = None, older_than: int = 7 * 24 * HOUR) -> int:
    """Delete counters without a failure for ``older_than`` seconds."""
    now = now or clock.now()
    deleted, _ = AttemptCounter.objects.filter(
        last_failure_at__lt=now - timedelta(seconds=older_than)
    ).delete()
    return deleted


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or the last address a trusted
    proxy (``MOTCUA_TRUSTED_PROXIES``) put in ``X-Forwarded-For``."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = getattr(settings, "MOTCUA_TRUSTED_PROXIES", ())
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in trusted and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        for hop in reversed(hops):
            if hop not in trusted:
                return hop[:64]
    return remote[:64]
