"""Writes that nothing reads back in the same action, sent together at its end
(ADR 0038).

An action writes a few rows that nobody reads again before it commits: the
figures' fact, intervals and buckets, the outbox's messages, the request's
idempotency key, the read log's line. Each was a round trip of its own to
PostgreSQL, one after another (issue 15: the waits were 40 % of a creation).

Within :func:`held_writes` (inside a transaction), :func:`insert_later` and
:func:`execute_later` keep such a statement instead of running it; when the
block ends the kept statements run in the order given, on PostgreSQL in one
pipeline (one round trip), elsewhere one after another — still inside the
transaction, so they commit or roll back with the rest of it. Outside a block
they run at once, as before.

Nothing kept is ever missing from a read: while statements are kept, every
statement run on the connection is looked at first, and one that names a
kept statement's table (a read, an update, a delete) has the kept ones run
before it. The kept statements also run before a savepoint is
made, and those kept since are dropped when it is rolled back to: a
statement is undone exactly when it would have been had it run at once. A
block inside another joins it: its statements run at the outer block's end,
and when it ends with an error the statements it kept are dropped. An error
of a kept statement (a unique key taken) is raised when they run, at the
latest at the block's end, as Django's error, and the enclosing transaction
is rolled back as for any error in it.

A row inserted so has no key of its own afterwards: callers pass rows nobody
refers to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import Model

from . import statements


@dataclass
class _Held:
    using: str
    kept: list[tuple[str, Sequence[Any], tuple[str, ...]]] = field(default_factory=list)
    runs: int = 0  # how many times the kept statements were run
    running: bool = False

    def names_kept(self, sql: str) -> bool:
        return any(table in sql for _, _, tables in self.kept for table in tables)

    def guard(
        self, execute: Any, sql: Any, params: Any, many: bool, context: Any
    ) -> Any:
        if self.kept and not self.running:
            if not isinstance(sql, str) or sql.startswith("SAVEPOINT"):
                # A savepoint starts with nothing kept: what it undoes is
                # then exactly what was kept since (below).
                self.run()
            elif sql.startswith("ROLLBACK TO SAVEPOINT"):
                self.kept = []
            elif self.names_kept(sql):
                self.run()
        return execute(sql, params, many, context)

    def run(self) -> None:
        """Run the kept statements, in order; nothing is kept afterwards."""
        kept, self.kept = self.kept, []
        if not kept:
            return
        self.runs += 1
        connection = connections[self.using]
        self.running = True
        try:
            with transaction.mark_for_rollback_on_error(self.using):
                if len(kept) > 1 and statements.can_pipeline(connection):
                    _pipelined(connection, kept)
                else:
                    with connection.cursor() as cursor:
                        for sql, params, _ in kept:
                            cursor.execute(sql, params)
        finally:
            self.running = False


def _pipelined(connection: Any, kept: list[tuple[str, Sequence[Any], Any]]) -> None:
    cursors = [connection.cursor() for _ in kept]
    try:
        # The driver's errors, raised when the pipeline ends, become Django's.
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, (sql, params, _) in zip(cursors, kept, strict=True):
                cursor.execute(sql, params)
    finally:
        for cursor in cursors:
            cursor.close()


_held: ContextVar[_Held | None] = ContextVar("motcua_held_writes", default=None)


@contextmanager
def held_writes(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Keep :func:`insert_later` and :func:`execute_later` statements until
    the block ends (inside an atomic block, which it must end before)."""
    outer = _held.get()
    if outer is not None:
        start, runs = len(outer.kept), outer.runs
        try:
            yield
        except BaseException:
            # Its savepoint is undone: so are the statements it kept (all
            # that are kept, when they ran since it began).
            del outer.kept[start if outer.runs == runs else 0 :]
            raise
        return
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("held_writes() is for the inside of a transaction")
    held = _Held(using)
    token = _held.set(held)
    try:
        with connection.execute_wrapper(held.guard):
            yield
            held.run()
    finally:
        _held.reset(token)


def _current(using: str) -> _Held | None:
    held = _held.get()
    return held if held is not None and held.using == using else None


def execute_later(
    sql: str, params: Sequence[Any], tables: Sequence[str], *, model: type[Model]
) -> None:
    """Run ``sql`` (which writes ``tables`` and gives nothing back) now, or
    when the current :func:`held_writes` block ends. ``model``: one of the
    tables' models, for the database it goes to."""
    using = router.db_for_write(model)
    held = _current(using)
    if held is None:
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
        return
    held.kept.append((sql, params, tuple(tables)))


def insert_later(obj: Model, *, ignore_conflicts: bool = False) -> None:
    """``obj``'s new row, written now or when the current :func:`held_writes`
    block ends; its key is not read back. With ``ignore_conflicts``, not
    written when its unique values are taken already."""
    statement = statements.insert_statement(obj, ignore_conflicts=ignore_conflicts)
    if statement is None:
        _written_now(obj, ignore_conflicts)
        return
    using, sql, params = statement
    held = _current(using)
    if held is None:
        with (
            transaction.mark_for_rollback_on_error(using),
            connections[using].cursor() as cursor,
        ):
            cursor.execute(sql, params)
        return
    held.kept.append((sql, params, (type(obj)._meta.db_table,)))


def _written_now(obj: Model, ignore_conflicts: bool) -> None:
    """What only the ORM writes exactly (a held block's statements first,
    when it writes a kept table)."""
    if ignore_conflicts:
        type(obj)._default_manager.bulk_create([obj], ignore_conflicts=True)
    else:
        obj.save(force_insert=True)
