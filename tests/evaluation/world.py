"""A small evaluated world: the dossier builders' ward with three dossiers
settled in the week of Monday 02/06/2025, each with a hand-checked life.

Working hours 08:00–12:00, 13:00–17:00. Legal time 3 working days: received
Monday 09:00 → due Thursday 05/06 09:00. Step budgets: reception 0.5 h,
specialist 14 h (due Tuesday 16:00), leader 4 h, hand-over 0 h.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.dossiers.builders import World, build_world, vn

MON = vn(2025, 6, 2)


def settle(
    world: World,
    *,
    received: datetime,
    submitted: datetime,
    approved: datetime,
    finished: datetime,
    returned: datetime | None = None,
) -> Dossier:
    dossier = world.receive(received)
    with world.at(received):
        dossier = services.dossier_assign(
            world.leader, dossier, assignee=world.specialist
        )
    with world.at(submitted):
        dossier = services.dossier_submit(world.specialist, dossier)
    with world.at(approved):
        dossier = services.dossier_approve(world.leader, dossier)
    with world.at(finished):
        dossier = services.dossier_finish(world.reception, dossier)
    if returned is not None:
        with world.at(returned):
            dossier = services.dossier_return_result(world.reception, dossier)
    return dossier


@dataclass
class Evaluated:
    world: World
    early: Dossier  # every step within budget, settled Monday
    late: Dossier  # specialist finished Friday, after the step's due date
    on_time: Dossier  # leader over budget on its due date, settled Thursday


def evaluated_world() -> Evaluated:
    world = build_world()
    early = settle(
        world,
        received=MON,
        submitted=vn(2025, 6, 2, 10),  # specialist 1 h of 14
        approved=vn(2025, 6, 2, 11),  # leader 1 h of 4
        finished=vn(2025, 6, 2, 15),  # Monday < Thursday: early
        returned=vn(2025, 6, 2, 16),
    )
    late = settle(
        world,
        received=vn(2025, 6, 2, 9, 30),
        submitted=vn(2025, 6, 6, 10),  # due Tuesday 16:30, ended Friday
        approved=vn(2025, 6, 6, 11),
        finished=vn(2025, 6, 6, 14),  # Friday > Thursday: late
        returned=vn(2025, 6, 6, 15),
    )
    on_time = settle(
        world,
        received=vn(2025, 6, 2, 9, 15),
        submitted=vn(2025, 6, 3, 15),  # within 14 h (due Tuesday 16:15)
        approved=vn(2025, 6, 4, 11),  # 4 h from Tue 15:00 → Wed 10:00; 1 h over
        finished=vn(2025, 6, 5, 8, 30),  # due Thursday 09:15: same day, on time
    )
    return Evaluated(world, early, late, on_time)
