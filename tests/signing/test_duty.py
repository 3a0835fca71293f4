"""The leaders' signing duty at the desk (lịch trực ký)."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.core.errors import DomainError
from motcua.signing.models import DutyRota
from motcua.signing.selectors import duty_week
from motcua.signing.services import duty_for, duty_remove, duty_set
from tests.dossiers.builders import make_user, vn

pytestmark = pytest.mark.django_db
MON = vn(2025, 6, 2)
TUE = date(2025, 6, 3)


def put(world, actor=None, *, day=TUE, session="morning", leader=None, note=""):
    with world.at(MON):
        return duty_set(
            actor or world.leader,
            agency=world.ward,
            date=day,
            session=session,
            leader=leader or world.leader,
            note=note,
        )


def test_a_leader_puts_themselves_on_duty_and_the_desk_sees_it(world):
    deputy = make_user("pct", world.ward, "leader")
    put(world, session="afternoon", leader=deputy, note="Phó Chủ tịch")
    put(world, session="morning")
    rota = duty_for(world.ward, TUE)
    assert [(r.session, r.leader) for r in rota] == [
        ("morning", world.leader),
        ("afternoon", deputy),
    ]
    assert rota[1].note == "Phó Chủ tịch"
    assert duty_for(world.other_ward, TUE) == []
    assert duty_for(world.ward, date(2025, 6, 4)) == []


def test_setting_a_half_day_again_replaces_who_is_on_duty(world):
    deputy = make_user("pct", world.ward, "leader")
    put(world)
    put(world, actor=world.admin, leader=deputy)
    assert DutyRota.objects.count() == 1
    assert duty_for(world.ward, TUE)[0].leader == deputy


def test_the_week_view_holds_monday_to_sunday(world):
    put(world, day=date(2025, 6, 2))
    put(world, day=date(2025, 6, 8), session="afternoon")
    put(world, day=date(2025, 6, 9))
    assert [r.date for r in duty_week(world.ward, TUE)] == [
        date(2025, 6, 2),
        date(2025, 6, 8),
    ]


@pytest.mark.parametrize("who", ["specialist", "reception", "other_reception"])
def test_only_leaders_and_admins_of_the_agency_edit_the_rota(world, who):
    with pytest.raises(DomainError) as err:
        put(world, actor=getattr(world, who))
    assert err.value.code == "auth.forbidden"


def test_only_a_leader_of_the_agency_can_be_on_duty(world):
    outsider = make_user("ld-khac", world.other_ward, "leader")
    for leader in (world.specialist, outsider):
        with pytest.raises(DomainError) as err:
            put(world, leader=leader)
        assert err.value.code == "signing.duty_not_a_leader"


def test_a_session_is_morning_or_afternoon(world):
    with pytest.raises(DomainError) as err:
        put(world, session="evening")
    assert err.value.code == "signing.invalid_session"


def test_past_days_are_not_rewritten(world):
    entry = put(world)
    with pytest.raises(DomainError) as err:
        put(world, day=date(2025, 5, 30))
    assert err.value.code == "signing.duty_in_past"
    with world.at(vn(2025, 6, 4)), pytest.raises(DomainError):
        duty_remove(world.leader, entry)


def test_removing_an_entry(world):
    entry = put(world)
    with pytest.raises(DomainError):
        duty_remove(world.specialist, entry)
    with world.at(MON):
        duty_remove(world.admin, entry)
    assert duty_for(world.ward, TUE) == []
