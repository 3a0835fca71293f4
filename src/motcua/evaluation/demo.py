"""Demo ratings: most returned demo dossiers get a citizen's rating, mostly
satisfied (our source articles report 99.57–100% satisfied)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import timedelta

from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.workflow import Status

from .models import Rating
from .services import rating_record

RATED_SHARE = 0.8
LEVELS = [
    (0.62, Rating.Level.VERY_SATISFIED),
    (0.995, Rating.Level.SATISFIED),
    (1.0, Rating.Level.UNSATISFIED),
]


def _level(rng: random.Random) -> str:
    roll = rng.random()
    return next(level for limit, level in LEVELS if roll < limit)


def add_demo_ratings(rng: random.Random, dossiers: Iterable[Dossier]) -> int:
    """Rate most of the returned ``dossiers`` a few minutes after the hand-over
    (online dossiers online, the others at the desk kiosk). Returns the count."""
    count = 0
    for dossier in dossiers:
        if dossier.status != Status.RETURNED or dossier.returned_at is None:
            continue
        if rng.random() >= RATED_SHARE:
            continue
        online = dossier.channel == Channel.ONLINE
        level = _level(rng)
        rating_record(
            dossier,
            level,
            at=dossier.returned_at + timedelta(minutes=rng.randint(1, 30)),
            source=Rating.Source.ONLINE if online else Rating.Source.KIOSK,
            attitude_points=(
                None
                if rng.random() < 0.5
                else {"very_satisfied": 2, "satisfied": 2, "unsatisfied": 0}[level]
            ),
        )
        count += 1
    return count
