"""Database routing: the primary for everything, a replica for opted-in reads.

See ``motcua.core.replica`` for when a read goes to the replica. Sessions,
users, the cache, throttling counters, the outbox and the task queue are never
in ``MOTCUA_REPLICA_APPS``: they must be read where they were just written.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS

from motcua.core.replica import REPLICA, replica_app, replica_wanted

_SAME = frozenset((DEFAULT_DB_ALIAS, REPLICA))


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if replica_app(model) and replica_wanted():
            return REPLICA
        return None  # the primary

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None  # always the primary

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: rows read from either may be
        # linked (a report row read from the replica names a primary's agency).
        if obj1._state.db in _SAME and obj2._state.db in _SAME:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A replica is read-only; it receives the schema from the primary's WAL.
        return False if db == REPLICA else None
