"""Is this web process ready to serve? (``/healthz/``, issue 15, ADR 0039)

A load balancer in front of several web machines (docs/deploy.md), nginx's
upstream checks and the production check (``make prod-check``) ask it. Ready
means:

- **database**: the primary answers a statement;
- **migrations**: every migration this code ships is applied there — a new
  release started before ``motcua migrate`` would fail on its first write, so
  it says "not ready" until the migration has run. Once all are seen applied,
  the process does not ask again (migrations are not taken back under a
  running process);
- **replica** (only when ``DATABASE_REPLICA_URL`` is set): reachable and how
  far behind. A late or dead replica does not make the process unready — its
  reads fall back to the primary (``core.replica``) — it is reported.

The answer carries no personal data, no host name and no error text (which may
name a server or a user): only states, a stable code and a Vietnamese message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.translation import gettext as _

from . import replica

log = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
PENDING = "pending"
BEHIND = "behind"

_migrated = False  # this process has seen every migration applied


@dataclass(frozen=True)
class Health:
    """The checks' states; ``ready`` when the process may take requests."""

    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    code: str = ""
    message: str = ""

    @property
    def ready(self) -> bool:
        return not self.code

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": OK if self.ready else UNAVAILABLE}
        if not self.ready:
            body.update(code=self.code, message=self.message)
        body["checks"] = self.checks
        return body


def _database() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        log.warning("health.database error=%s", type(error).__name__)
        connection.close()  # the next request connects afresh
        return False
    return True


def pending_migrations() -> list[str]:
    """``app.name`` of this code's migrations not applied on the primary."""
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]


def _migrations() -> dict[str, Any]:
    global _migrated
    if _migrated:
        return {"status": OK}
    try:
        pending = pending_migrations()
    except DatabaseError as error:
        log.warning("health.migrations error=%s", type(error).__name__)
        return {"status": UNAVAILABLE}
    if pending:
        return {"status": PENDING, "pending": len(pending)}
    _migrated = True
    return {"status": OK}


def _replica() -> dict[str, Any]:
    lag = replica.replica_lag_seconds()
    if lag is None:
        return {"status": UNAVAILABLE}
    state = BEHIND if lag > replica.max_lag_seconds() else OK
    return {"status": state, "lag_seconds": round(lag, 3)}


def _unreachable(checks: dict[str, dict[str, Any]]) -> Health:
    return Health(
        checks,
        code="health.database_unavailable",
        message=_("Không kết nối được cơ sở dữ liệu."),
    )


def health() -> Health:
    """Ask the database (and the replica, when there is one) now."""
    if not _database():
        return _unreachable({"database": {"status": UNAVAILABLE}})
    checks: dict[str, dict[str, Any]] = {"database": {"status": OK}}
    checks["migrations"] = migrations = _migrations()
    if replica.replica_configured():
        checks["replica"] = _replica()
    if migrations["status"] == PENDING:
        return Health(
            checks,
            code="health.migrations_pending",
            message=_("Cơ sở dữ liệu chưa được cập nhật cho phiên bản này (migrate)."),
        )
    if migrations["status"] != OK:
        return _unreachable(checks)
    return Health(checks)


def forget() -> None:
    """Ask for the migrations again (tests; after a rollback of the schema)."""
    global _migrated
    _migrated = False
