"""A leader reminds whoever holds a slow step (issue 11: "khâu nào chậm, lãnh
đạo sẽ nhắc nhở"): an event of the history naming the step, the officer and
the unit; nothing else changes; only a leader, only while work is under way."""

from __future__ import annotations

import pytest

from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.history import verify_dossier
from motcua.dossiers.workflow import Action

from .builders import build_world, vn

pytestmark = pytest.mark.django_db
MON = vn(2025, 6, 2)


def test_a_leader_reminds_the_officer_holding_the_step():
    world = build_world()
    dossier = world.processing(MON)
    before = (dossier.status, dossier.due_at, dossier.steps.count())
    with world.at(vn(2025, 6, 4, 10)):
        dossier = services.dossier_remind(
            world.leader, dossier, note="Khẩn trương hoàn thành thẩm định."
        )
    event = dossier.events.order_by("-seq").first()
    assert event.action == Action.REMIND
    assert event.reason == "Khẩn trương hoàn thành thẩm định."
    assert event.payload["to"] == world.specialist.username
    assert event.payload["unit"] == world.ward.code
    assert event.step.assignee == world.specialist
    assert (dossier.status, dossier.due_at, dossier.steps.count()) == before
    assert verify_dossier(dossier) == []


@pytest.mark.parametrize("who", ["specialist", "reception", "other_reception"])
def test_only_a_leader_may_remind(who):
    world = build_world()
    dossier = world.processing(MON)
    with world.at(MON), pytest.raises(DomainError) as refused:
        services.dossier_remind(getattr(world, who), dossier, note="Nhắc")
    assert refused.value.status == 403
    assert not dossier.events.filter(action=Action.REMIND).exists()


def test_a_reminder_needs_a_note_and_an_active_step():
    world = build_world()
    dossier = world.processing(MON)
    with world.at(MON), pytest.raises(DomainError) as empty:
        services.dossier_remind(world.leader, dossier, note="  ")
    assert empty.value.code == "dossier.note_required"
    with world.at(MON), pytest.raises(DomainError) as other:
        services.dossier_remind(world.leader, dossier, note="Nhắc", step_id=999999)
    assert other.value.code == "dossier.nothing_to_remind"
    assert not dossier.events.filter(action=Action.REMIND).exists()


def test_the_officer_sees_it_at_home_and_the_staff_page_counts_it():
    from datetime import date

    from django.utils import timezone

    from motcua.core import clock
    from motcua.evaluation.performance import staff_performance
    from motcua.evaluation.periods import Period
    from tests.backoffice.conftest import client_for

    world = build_world()
    now = timezone.now()
    dossier = world.processing(now)
    with world.at(now):
        services.dossier_remind(world.leader, dossier, note="Hôm nay xong nhé.")
    home = client_for(world.specialist).get("/can-bo/")
    html = home.content.decode()
    assert 'id="reminders"' in html and "Hôm nay xong nhé." in html
    assert dossier.code in html
    other = client_for(world.reception).get("/can-bo/")
    assert "Hôm nay xong nhé." not in other.content.decode()  # not addressed
    today = clock.today()
    period = Period("range", date(today.year - 1, 1, 1), today)
    rows = staff_performance(type(world.ward).objects.filter(pk=world.ward.pk), period)
    reminded = {r.user: r.reminded for r in rows}
    assert reminded.get(world.specialist) == 1
