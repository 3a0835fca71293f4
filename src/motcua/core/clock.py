"""The one clock of the system (ARCHITECTURE principle 3: time is injected).

Every service asks ``clock.now()``; tests and the historical import set the time
with ``clock.frozen_at(...)`` instead of sleeping or patching ``datetime``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime

from motcua.deadlines.engine import VN_TZ

_frozen: ContextVar[datetime | None] = ContextVar("motcua_frozen_now", default=None)


def now() -> datetime:
    """The current instant, aware (UTC unless a frozen instant was given)."""
    frozen = _frozen.get()
    return frozen if frozen is not None else datetime.now(UTC)


def today() -> date:
    """Today's date in Vietnam (the calendar day of ``now()`` in Hà Nội)."""
    return now().astimezone(VN_TZ).date()


@contextmanager
def frozen_at(instant: datetime) -> Iterator[None]:
    """Run a block with ``now()`` fixed at ``instant`` (must be aware)."""
    if instant.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(instant)
    try:
        yield
    finally:
        _frozen.reset(token)
