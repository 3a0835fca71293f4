"""Dossiers brought to the state each slip documents, through the real services.

Each world has its **week**, and the week's first day is the reception day, which
decides the law the dossier follows (``motcua.law``, ADR 0014): Monday
02/06/2025 for the 2018 set (the default, ordinary working days: the procedure
takes 3 working days, received Monday 09:00 → due Thursday 05/06/2025 09:00),
Monday 22/09/2025 for the Circular 03/2025 set; any other first day by
``world_with(week=Week(...))``. The days after the first must be working days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from motcua.agencies.models import Agency
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ComponentInput
from tests.dossiers.builders import World, build_world, vn


@dataclass(frozen=True)
class Week:
    first: datetime  # the reception, 09:00 Vietnam time

    def at(self, days: int, hour: int = 9) -> datetime:
        return (self.first + timedelta(days=days)).replace(hour=hour)


JUNE = Week(vn(2025, 6, 2))  # Decree 61/2018, Circular 01/2018 forms
JULY = Week(vn(2025, 7, 7))  # Decree 118/2025, still the 2018 forms
SEPTEMBER = Week(vn(2025, 9, 22))  # Decree 118/2025, Circular 03/2025 forms
WEEKS = {"2018": JUNE, "2025": SEPTEMBER}
MON = JUNE.first
COMPONENTS = (
    ComponentInput("Tờ khai đăng ký thay đổi, cải chính hộ tịch"),
    ComponentInput("Giấy khai sinh", kind="certified_copy", count=2),
)
SUPPLEMENT_ITEMS = (
    "Bản sao Giấy khai sinh có chứng thực",
    "Giấy tờ chứng minh nơi cư trú",
)
SUPPLEMENT_REASON = "Thiếu giấy tờ chứng minh theo quy định"
REFUSAL_REASON = "Yêu cầu không thuộc thẩm quyền giải quyết của phường"
APOLOGY_REASON = "Cần xác minh thông tin tại nơi cư trú cũ"
STOP_REASON = "Có tranh chấp đang được Tòa án thụ lý"


def world_with(form_set: str = "2018", *, week: Week | None = None) -> World:
    """A world whose dossiers are received in a week where ``form_set`` is the
    set in force (or in ``week``). The agency's own ``form_set`` is not read."""
    world = build_world()
    Agency.objects.filter(pk=world.ward.pk).update(
        address="12 Núi Thành, Hải Châu", hotline="0236 3888 999"
    )
    world.ward.refresh_from_db()
    world.week = week or WEEKS[form_set]  # type: ignore[attr-defined]
    return world


def week_of(world: World) -> Week:
    return getattr(world, "week", JUNE)


def received(world: World) -> Dossier:
    return world.receive(week_of(world).first, components=COMPONENTS)


def supplement(world: World) -> Dossier:
    """The specialist asks for a supplement after reception (Art. 19(4))."""
    week = week_of(world)
    dossier = received(world)
    with world.at(week.at(0, 10)):
        dossier = services.dossier_assign(
            world.leader, dossier, assignee=world.specialist
        )
    with world.at(week.at(1, 10)):
        return services.dossier_request_supplement(
            world.specialist, dossier, reason=SUPPLEMENT_REASON, items=SUPPLEMENT_ITEMS
        )


def refusal(world: World) -> Dossier:
    """Refused after appraisal: the refusal is the result (Art. 19(3))."""
    week = week_of(world)
    dossier = world.processing(week.first)
    with world.at(week.at(1, 10)):
        return services.dossier_refuse(world.specialist, dossier, reason=REFUSAL_REASON)


def refusal_at_desk(world: World) -> Dossier:
    with world.at(week_of(world).first):
        return services.dossier_refuse(
            world.reception, data=world.input(), reason=REFUSAL_REASON
        )


def apology(world: World) -> Dossier:
    week = week_of(world)
    dossier = world.processing(week.first)
    with world.at(week.at(1)):
        return services.dossier_extend(
            world.leader, dossier, new_due_at=week.at(8, 17), reason=APOLOGY_REASON
        )


def stop(world: World) -> Dossier:
    week = week_of(world)
    dossier = world.processing(week.first)
    with world.at(week.at(1)):
        return services.dossier_stop(world.leader, dossier, reason=STOP_REASON)


def returned(world: World) -> Dossier:
    """The whole path, one step early, one on time, one late:
    reception Mon 09:00 (budget 0.5 h, same day → on time); processing done Mon
    15:00 (due Tue 16:00 → early); approval Wed 10:00 (4 h from Mon 15:00 → due
    Tue → late); result handed over Wed 15:00 (before the dossier's due Thursday
    → early)."""
    week = week_of(world)
    dossier = received(world)
    with world.at(week.at(0, 10)):
        dossier = services.dossier_assign(
            world.leader, dossier, assignee=world.specialist
        )
    with world.at(week.at(0, 15)):
        dossier = services.dossier_submit(world.specialist, dossier)
    with world.at(week.at(2, 10)):
        dossier = services.dossier_approve(world.leader, dossier)
    with world.at(week.at(2, 11)):
        dossier = services.dossier_finish(world.reception, dossier)
    with world.at(week.at(2, 15)):
        return services.dossier_return_result(world.reception, dossier)


SCENARIOS: dict[str, Any] = {
    "receipt": received,
    "supplement": supplement,
    "refusal": refusal,
    "apology": apology,
    "stop": stop,
    "control": returned,
}
