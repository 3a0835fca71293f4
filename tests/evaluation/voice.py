"""The evaluated world plus what the citizen's voice needs: two desk counters
of the ward, a kiosk at counter 1 set up by the reception officer, who is on
duty there from Friday 20/06/2025 08:00."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from motcua.agencies.models import Counter
from motcua.core import clock
from motcua.evaluation import kiosks
from motcua.evaluation.models import Kiosk
from tests.dossiers.builders import vn

from .world import Evaluated, evaluated_world

FRIDAY = vn(2025, 6, 20, 8)


@dataclass
class Voice:
    e: Evaluated
    counter: Counter
    other_counter: Counter
    kiosk: Kiosk
    credential: str

    @property
    def world(self) -> Any:
        return self.e.world


def voice_world() -> Voice:
    e = evaluated_world()
    counter = Counter.objects.create(agency=e.world.ward, number=1)
    other = Counter.objects.create(agency=e.world.ward, number=2)
    with clock.frozen_at(FRIDAY):
        kiosk, credential = kiosks.kiosk_set_up(
            e.world.reception, counter, name="Máy tính bảng quầy 1"
        )
        kiosks.duty_start(e.world.reception, counter)
    return Voice(e, counter, other, kiosk, credential)


def cid(n: int) -> str:
    return f"client-{n:04d}"
