"""Same-transaction observers of dossier changes.

Summary tables (figures) must change in the very transaction that changes the
dossier (ARCHITECTURE principle 5), without the lifecycle depending on the apps
that keep them. An app registers a function in its ``AppConfig.ready``; every
action calls each one after its event is appended. An observer that raises
rolls the whole action back: figures and history never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from typing import Protocol

from .models import Dossier, Event

Observer = Callable[[Dossier, Event], None]
_observers: list[Observer] = []


class Batch(Protocol):
    """An observer's way of keeping many actions' changes until the end of a
    block (bulk work in one transaction); ``line()`` wraps one unit of work
    (one imported dossier, in its own savepoint) and forgets its changes if it
    fails."""

    def line(self) -> AbstractContextManager[None]: ...


BatchFactory = Callable[[], AbstractContextManager[Batch]]
_batches: list[BatchFactory] = []


def register(observer: Observer, batch: BatchFactory | None = None) -> Observer:
    """Register ``observer(dossier, event)``; usable as a decorator. Idempotent.
    ``batch``: a context manager within which the observer keeps changes and
    writes them once at its end (see :func:`batched`)."""
    if observer not in _observers:
        _observers.append(observer)
    if batch is not None and batch not in _batches:
        _batches.append(batch)
    return observer


class Batches:
    def __init__(self, batches: list[Batch]) -> None:
        self._batches = batches

    @contextmanager
    def line(self) -> Iterator[None]:
        with ExitStack() as stack:
            for batch in self._batches:
                stack.enter_context(batch.line())
            yield


@contextmanager
def batched() -> Iterator[Batches]:
    """Within the block (inside one transaction) every observer that can batch
    keeps its changes and writes them when the block ends."""
    with ExitStack() as stack:
        yield Batches([stack.enter_context(factory()) for factory in _batches])


def notify(dossier: Dossier, event: Event) -> None:
    for observer in _observers:
        observer(dossier, event)
