"""Dossiers brought to the state each slip documents, through the real services.

Week of Monday 02/06/2025 (ordinary working days). The procedure takes 3 working
days: received Monday 09:00 → due Thursday 05/06/2025 09:00.
"""

from __future__ import annotations

from typing import Any

from motcua.agencies.models import Agency
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ComponentInput
from tests.dossiers.builders import World, build_world, vn

MON = vn(2025, 6, 2)
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


def world_with(form_set: str) -> World:
    world = build_world()
    Agency.objects.filter(pk=world.ward.pk).update(
        form_set=form_set, address="12 Núi Thành, Hải Châu", hotline="0236 3888 999"
    )
    world.ward.refresh_from_db()
    return world


def received(world: World) -> Dossier:
    return world.receive(MON, components=COMPONENTS)


def supplement(world: World) -> Dossier:
    """The specialist asks for a supplement after reception (Art. 19(4))."""
    dossier = received(world)
    with world.at(MON.replace(hour=10)):
        dossier = services.dossier_assign(
            world.leader, dossier, assignee=world.specialist
        )
    with world.at(vn(2025, 6, 3, 10)):
        return services.dossier_request_supplement(
            world.specialist, dossier, reason=SUPPLEMENT_REASON, items=SUPPLEMENT_ITEMS
        )


def refusal(world: World) -> Dossier:
    """Refused after appraisal: the refusal is the result (Art. 19(3))."""
    dossier = world.processing(MON)
    with world.at(vn(2025, 6, 3, 10)):
        return services.dossier_refuse(world.specialist, dossier, reason=REFUSAL_REASON)


def refusal_at_desk(world: World) -> Dossier:
    with world.at(MON):
        return services.dossier_refuse(
            world.reception, data=world.input(), reason=REFUSAL_REASON
        )


def apology(world: World) -> Dossier:
    dossier = world.processing(MON)
    with world.at(vn(2025, 6, 3, 9)):
        return services.dossier_extend(
            world.leader, dossier, new_due_at=vn(2025, 6, 10, 17), reason=APOLOGY_REASON
        )


def stop(world: World) -> Dossier:
    dossier = world.processing(MON)
    with world.at(vn(2025, 6, 3, 9)):
        return services.dossier_stop(world.leader, dossier, reason=STOP_REASON)


def returned(world: World) -> Dossier:
    """The whole path, one step early, one on time, one late:
    reception Mon 09:00 (budget 0.5 h, same day → on time); processing done Mon
    15:00 (due Tue 16:00 → early); approval Wed 10:00 (4 h from Mon 15:00 → due
    Tue → late); result handed over Wed 15:00 (before the dossier's due Thursday
    → early)."""
    dossier = received(world)
    with world.at(MON.replace(hour=10)):
        dossier = services.dossier_assign(
            world.leader, dossier, assignee=world.specialist
        )
    with world.at(MON.replace(hour=15)):
        dossier = services.dossier_submit(world.specialist, dossier)
    with world.at(vn(2025, 6, 4, 10)):
        dossier = services.dossier_approve(world.leader, dossier)
    with world.at(vn(2025, 6, 4, 11)):
        dossier = services.dossier_finish(world.reception, dossier)
    with world.at(vn(2025, 6, 4, 15)):
        return services.dossier_return_result(world.reception, dossier)


SCENARIOS: dict[str, Any] = {
    "receipt": received,
    "supplement": supplement,
    "refusal": refusal,
    "apology": apology,
    "stop": stop,
    "control": returned,
}
