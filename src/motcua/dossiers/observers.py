"""Same-transaction observers of dossier changes.

Summary tables (figures) must change in the very transaction that changes the
dossier (ARCHITECTURE principle 5), without the lifecycle depending on the apps
that keep them. An app registers a function in its ``AppConfig.ready``; every
action calls each one after its event is appended. An observer that raises
rolls the whole action back: figures and history never disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from .models import Dossier, Event

Observer = Callable[[Dossier, Event], None]
_observers: list[Observer] = []


def register(observer: Observer) -> Observer:
    """Register ``observer(dossier, event)``; usable as a decorator. Idempotent."""
    if observer not in _observers:
        _observers.append(observer)
    return observer


def notify(dossier: Dossier, event: Event) -> None:
    for observer in _observers:
        observer(dossier, event)
