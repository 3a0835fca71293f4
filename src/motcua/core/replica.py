"""Reads that may go to a PostgreSQL replica (issue 15, ADR in docs/adr).

A report or a long list may be read from a streaming replica so that the
primary keeps its time for the desks' writes. Code opts in explicitly::

    with replica_reads():
        rows = list(selectors.something(...))   # evaluated inside the block

or decorates a read-only view with :func:`reads_from_replica`. The router
(``motcua.config.routers.ReplicaRouter``) then sends reads of the models in
``settings.MOTCUA_REPLICA_APPS`` to the ``replica`` database — but only when:

- a ``replica`` database is configured (``DATABASE_REPLICA_URL``);
- no transaction is open on the primary (a use case must read what it writes);
- the replica is reachable and at most ``MOTCUA_REPLICA_MAX_LAG_SECONDS``
  behind. The answer is remembered ``MOTCUA_REPLICA_CHECK_SECONDS`` per
  process, so a dead replica costs one connection attempt per interval, not one
  per request.

Otherwise everything reads the primary, as without a replica.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"

P = ParamSpec("P")
R = TypeVar("R")

_reading: ContextVar[bool] = ContextVar("motcua_replica_reads", default=False)
_lock = threading.Lock()
_health: dict[str, float | bool] = {"checked_at": float("-inf"), "fresh": False}

# How far the replica is behind, in seconds: 0 when it has replayed all it has
# received (an idle primary writes nothing, so "time since the last replayed
# commit" alone would call a perfectly current replica late); otherwise the age
# of the last replayed commit. Not in recovery (promoted, or the primary itself):
# current by definition.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(
        EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads of report and list models may use the replica."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Within the block, every read uses the primary, even in a view that
    asked for the replica (configuration kept under the primary's stamp must
    be read where the stamp is, ADR 0032)."""
    token = _reading.set(False)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(view: Callable[P, R]) -> Callable[P, R]:
    """A read-only view (GET) whose queries may use the replica."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper


def replica_wanted() -> bool:
    """True when the current code asked for replica reads and may have them."""
    if not _reading.get() or not replica_configured():
        return False
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return False
    return replica_is_fresh()


def replica_lag_seconds() -> float | None:
    """The replica's delay now, or ``None`` when it cannot be asked."""
    connection = connections[REPLICA]
    if connection.vendor != "postgresql":
        return 0.0
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError as error:
        log.warning("replica.unreachable error=%s", type(error).__name__)
        connection.close()
        return None
    return float(row[0]) if row and row[0] is not None else None


def max_lag_seconds() -> float:
    """How far behind the replica may be and still be read."""
    return float(getattr(settings, "MOTCUA_REPLICA_MAX_LAG_SECONDS", 30))


def replica_is_fresh() -> bool:
    """Reachable and no further behind than allowed; remembered for a while."""
    interval = float(getattr(settings, "MOTCUA_REPLICA_CHECK_SECONDS", 5))
    with _lock:
        if time.monotonic() - float(_health["checked_at"]) < interval:
            return bool(_health["fresh"])
    lag = replica_lag_seconds()
    fresh = lag is not None and lag <= max_lag_seconds()
    with _lock:
        if bool(_health["fresh"]) != fresh:
            log.info("replica.state fresh=%s lag=%s", fresh, lag)
        _health.update(checked_at=time.monotonic(), fresh=fresh)
    return fresh


def forget_replica_health() -> None:
    """Ask the replica again at the next read (after a failover, in tests)."""
    with _lock:
        _health.update(checked_at=float("-inf"), fresh=False)


def replica_app(model: Any) -> bool:
    labels = getattr(settings, "MOTCUA_REPLICA_APPS", ())
    return getattr(getattr(model, "_meta", None), "app_label", None) in labels
