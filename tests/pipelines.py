"""Which statements ran, and whether a PostgreSQL pipeline was open for each
(ADR 0035, 0038): the tests that check what travels in one round trip."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


@contextmanager
def statements_seen() -> Iterator[list[tuple[str, bool]]]:
    """Within the block, ``(sql, in a pipeline)`` of every statement run on
    the default connection, in order."""
    seen: list[tuple[str, bool]] = []

    def watch(execute: Any, sql: str, params: Any, many: bool, ctx: Any) -> Any:
        piped = getattr(connection.connection, "_pipeline", None) is not None
        seen.append((sql, piped))
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(watch):
        yield seen
