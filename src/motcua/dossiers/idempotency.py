"""A dossier created once per request key: the one rule behind the API's
``Idempotency-Key`` and the citizen's submit button (a double click, a retried
request). The key is recorded in the creation's own transaction; a concurrent
twin loses on the key's unique constraint and replays the first answer; the
same key for another request is a 409."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction

from motcua.core.errors import Conflict
from motcua.core.held import held_writes, insert_later
from motcua.core.statements import Statement

from .models import Dossier, IdempotentRequest
from .services._common import enclosed

# Asked by every creation that carries a key; nearly always answered "none"
# (ADR 0033: compiled once; the dossier is read only for a replay).
_EARLIER: Statement[IdempotentRequest] = Statement(
    lambda user_id, key: IdempotentRequest.objects.filter(user_id=user_id, key=key),
    user_id=int,
    key=str,
)


def replay(user: Any, key: str, digest: str) -> Dossier | None:
    """The dossier an earlier request with ``key`` created, if any."""
    earlier = _EARLIER.first(user_id=user.pk, key=key)  # unique
    if earlier is None:
        return None
    if earlier.request_hash != digest:
        raise Conflict(
            "idempotency.mismatch",
            "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác; "
            "hãy dùng khóa mới cho hồ sơ mới.",
        )
    return earlier.dossier


@contextmanager
def creating() -> Iterator[None]:
    """A creation's transaction: the dossier action called directly in it
    takes no savepoint of its own (``enclosed``), and the writes nobody reads
    back — the action's and the caller's after it (the key, the answer's read
    log) — are sent together when it ends (ADR 0038)."""
    with transaction.atomic(), held_writes(), enclosed():
        yield


def create_once(
    user: Any, key: str, digest: str, create: Callable[[], Dossier]
) -> tuple[Dossier, bool]:
    """``(dossier, replayed)``: ``create()`` runs at most once per
    ``(user, key)``; ``digest`` names the request so a reused key is caught."""
    found = replay(user, key, digest)
    if found is not None:
        return found, True
    try:
        # The key's row is written with the creation's last writes (ADR 0038);
        # a twin's key taken is still an IntegrityError here.
        with creating():
            dossier = create()
            insert_later(
                IdempotentRequest(
                    key=key, user=user, request_hash=digest, dossier=dossier
                )
            )
    except IntegrityError:
        found = replay(user, key, digest)
        if found is None:
            raise
        return found, True
    return dossier, False
