"""Configuration read once per change, not once per request (ADR 0032).

Every action reads the same few rows of configuration: the legal rules in
force, the calendar's overrides, the procedure's workflow, the message texts,
the webhook subscriptions, the centralised procedures. They change when an
administrator edits them, a few times a month, and are read dozens of times a
second. Here they are kept in the process between requests, and a request
knows whether they are still right by reading **one** value: the stamp.

- The stamp is a row (``core_configstamp``) that only the database writes. A
  trigger on every table of :data:`WATCHED` gives it a new value whenever one
  of their rows is inserted, updated or deleted (and on PostgreSQL truncated),
  in the same transaction as the change. It is never an old value again: on
  PostgreSQL the next number of a sequence (sequences ignore rollbacks), on
  SQLite a random 64-bit number. So a value kept under a stamp is exactly the
  configuration of every transaction that reads that stamp, whichever process
  or command made the change, through the ORM, ``update()``, SQL or a restore.
- The triggers are (re)installed after every ``migrate`` (a table rebuilt by a
  migration on SQLite loses its triggers), and a test checks each table.
- The stamp is read at most once per request (:class:`ConfigStampMiddleware`),
  the first time a cached reader is used, and read again after the request
  itself writes one of the watched tables. Outside a request (commands, the
  worker, tests calling services) nothing is kept: every reader reads the
  database, as before.
- Only readers registered with :func:`reader` over watched tables are kept;
  what they return is handed to every later request, so they return values
  nobody changes (frozen dataclasses, tuples), copies of the model rows a
  caller goes on with, and shared rows only where they serve as a reference
  (a component template, a step's unit), which nothing changes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any, TypeVar

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse

from .replica import primary_reads
from .statements import Statement

T = TypeVar("T")

# The configuration tables whose change makes a new stamp (model labels: the
# core imports no domain module). A reader may only read these.
WATCHED: tuple[str, ...] = (
    "agencies.Agency",
    "catalog.Component",
    "catalog.Field",
    "catalog.Procedure",
    "catalog.Procedure_agencies",
    "catalog.ProcedureVersion",
    "catalog.StepTemplate",
    "deadlines.CalendarOverride",
    "dossiers.CentralisedProcedure",
    "exchange.Peer",
    "law.LegalRule",
    "notifications.MessageTemplate",
    "webhooks.Subscription",
)

STAMP_ROW = 1
SEQUENCE = "motcua_config_stamp_seq"
FUNCTION = "motcua_config_changed"
_MAX_KEPT = 4096  # values kept under one stamp (days of rules, versions …)


@cache
def watched_tables() -> tuple[str, ...]:
    return tuple(sorted(apps.get_model(label)._meta.db_table for label in WATCHED))


@cache
def _watched_set() -> frozenset[str]:
    """The watched tables, for a request's look at its own writes."""
    return frozenset(watched_tables())


# ------------------------------------------------------------------ triggers
def _trigger(table: str, event: str = "") -> str:
    return f"motcua_config_{table}{'_' + event.lower() if event else ''}"


def trigger_names(vendor: str) -> dict[str, list[str]]:
    """The triggers each watched table must carry on ``vendor``."""
    if vendor == "postgresql":
        return {t: [_trigger(t)] for t in watched_tables()}
    events = ("INSERT", "UPDATE", "DELETE")
    return {t: [_trigger(t, e) for e in events] for t in watched_tables()}


_NEW_STAMP_PG = (
    f"INSERT INTO core_configstamp (id, value) "
    f"VALUES ({STAMP_ROW}, nextval('{SEQUENCE}')) "
    "ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value"
)
_NEW_STAMP_SQLITE = (
    "INSERT OR REPLACE INTO core_configstamp (id, value) "
    f"VALUES ({STAMP_ROW}, random())"
)


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    """Create (or replace) the stamp's triggers on every watched table (that
    exists: a partial ``migrate`` may not have made them all yet), then give
    the stamp a new value: what a process kept while the migrations ran
    without triggers is kept no longer."""
    existing = set(connection.introspection.table_names())
    tables = [t for t in watched_tables() if t in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN {_NEW_STAMP_PG}; RETURN NULL; END $$"
            )
            for table in tables:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {_trigger(table)} AFTER INSERT OR "
                    f'UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
                )
            cursor.execute(_NEW_STAMP_PG)
        elif connection.vendor == "sqlite":
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {_trigger(table, event)} "
                        f'AFTER {event} ON "{table}" BEGIN {_NEW_STAMP_SQLITE}; END'
                    )
            cursor.execute(_NEW_STAMP_SQLITE)


def installed_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgname LIKE 'motcua_config_%%'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'motcua_config_%'"
            )
        return {row[0] for row in cursor.fetchall()}


def after_migrate(using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    """``post_migrate`` (sent for the core after the whole plan): any migration
    may have rebuilt a watched table."""
    connection = connections[using]
    if "core_configstamp" in connection.introspection.table_names():
        install_triggers(connection)


# ------------------------------------------------------------------- the stamp
def read_stamp(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The stamp as this transaction sees it (``None``: no row yet, e.g. just
    after a flush: then nothing is kept)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT value FROM core_configstamp WHERE id = %s", [STAMP_ROW])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


# The stamp as a kept statement, for a request to read it with its first reads
# (``stamp_read``; the API key's, ADR 0035).
_STAMP: Statement[int] = Statement(
    lambda: (
        apps.get_model("core", "ConfigStamp")
        .objects.filter(pk=STAMP_ROW)
        .values_list("value", flat=True)
    )
)


def stamp_read() -> list[tuple[Statement[int], dict[str, Any]]]:
    """The request's stamp, as a read to send with the request's first reads
    (``statements.together``), then given to :func:`stamp_found`; nothing when
    the stamp is known already, outside a request, or when this model's reads
    go elsewhere than the primary (the stamp is the primary's, ADR 0032)."""
    scope = _scope.get()
    stamps = apps.get_model("core", "ConfigStamp")
    if (
        scope is None
        or scope.stamp is not _Scope.UNKNOWN
        or router.db_for_read(stamps) != DEFAULT_DB_ALIAS
    ):
        return []
    return [(_STAMP, {})]


def stamp_found(rows: list[int]) -> None:
    """The stamp read by :func:`stamp_read`'s statement: the request's."""
    scope = _scope.get()
    if scope is not None and scope.stamp is _Scope.UNKNOWN:
        scope.stamp = int(rows[0]) if rows else None


class _Scope:
    """One request: its stamp, read when first needed."""

    UNKNOWN = object()

    def __init__(self) -> None:
        self.stamp: object = self.UNKNOWN

    def current(self) -> int | None:
        if self.stamp is self.UNKNOWN:
            self.stamp = read_stamp()
        return self.stamp  # type: ignore[return-value]


_scope: ContextVar[_Scope | None] = ContextVar("motcua_config_scope", default=None)


class _Kept:
    def __init__(self, stamp: int) -> None:
        self.stamp = stamp
        self.values: dict[tuple[str, Hashable], Any] = {}


_kept: _Kept | None = None
_lock = threading.Lock()
_readers: set[str] = set()


def reader(name: str, *labels: str) -> str:
    """Register a kept reader ``name`` that reads the tables of ``labels``;
    every one must be watched (else its values could outlive a change)."""
    unwatched = set(labels) - set(WATCHED)
    if unwatched:
        raise ValueError(f"{name} reads unwatched tables: {sorted(unwatched)}")
    _readers.add(name)
    return name


def in_request() -> bool:
    """Whether values are kept here (a request's scope): a reader whose
    shortcut would cost a query of its own outside one can skip it."""
    return _scope.get() is not None


def kept(name: str, key: Hashable, load: Callable[[], T]) -> T:
    """``load()``, or what it gave earlier under the same stamp (in a request).
    The value is shared by later requests: it must not be changed."""
    if name not in _readers:
        raise ValueError(f"{name} is not a registered reader")
    scope = _scope.get()
    stamp = scope.current() if scope is not None else None
    if stamp is None:
        return load()
    global _kept
    box = _kept
    if box is None or box.stamp != stamp:
        with _lock:
            box = _kept
            if box is None or box.stamp != stamp:
                box = _kept = _Kept(stamp)
    try:
        return box.values[(name, key)]
    except KeyError:
        pass
    with primary_reads():  # where the stamp was read: a replica may lag
        value = load()
    if len(box.values) < _MAX_KEPT:
        box.values[(name, key)] = value
    return value


_WRITE = re.compile(r'\s*(?:INSERT INTO|UPDATE|DELETE FROM|TRUNCATE)\s+"?(\w+)"?', re.I)


@contextmanager
def stamp_scope() -> Iterator[None]:
    """A request's scope: the stamp read once, read again after this request
    writes a watched table (its own change makes a new stamp)."""
    scope = _Scope()
    tables = _watched_set()

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if scope.stamp is not _Scope.UNKNOWN:
            match = _WRITE.match(sql)
            if match and match.group(1) in tables:
                scope.stamp = _Scope.UNKNOWN
        return execute(sql, params, many, context)

    token = _scope.set(scope)
    try:
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(watch):
            yield
    finally:
        _scope.reset(token)


class ConfigStampMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with stamp_scope():
            return self.get_response(request)
