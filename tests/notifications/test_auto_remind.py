"""Automatic reminders (issue 11 item 6): an agency's leaders may set a share
of a step's working-time budget; once a step has used it, whoever holds the
step is reminded once — an event of the dossier's history without an actor,
e-mailed like a leader's reminder and shown on the officer's home page."""

from __future__ import annotations

import pytest

from motcua.core import clock
from motcua.deadlines.services import calendar_for
from motcua.dossiers import selectors, services, timing
from motcua.dossiers.models import Event, Step
from motcua.dossiers.workflow import Action
from motcua.notifications import scheduler
from motcua.notifications.models import Message
from motcua.notifications.outbox import AUTOMATIC_REMINDER
from tests.dossiers.builders import build_world, vn

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2)


def world_with(percent: int):
    world = build_world()
    world.specialist.email = "mai@phuong.example.vn"
    world.specialist.save()
    world.ward.auto_remind_percent = percent
    world.ward.save()
    dossier = world.processing(MON)
    step = dossier.steps.get(state=Step.State.ACTIVE)
    return world, dossier, step


def used_share_at(step: Step, share: float):
    """The instant ``step`` has used ``share`` of its budget on its calendar."""
    calendar = calendar_for(step.agency)
    budget = calendar.elapsed(step.started_at, step.due_at)
    return calendar.add_working_time(step.started_at, budget * share)


def run_at(at) -> int:
    with clock.frozen_at(at):
        return scheduler.run(["auto_remind"])["auto_remind"]


def test_a_step_past_the_share_reminds_its_holder_once():
    world, dossier, step = world_with(75)
    assert step.assignee_id == world.specialist.pk
    assert run_at(used_share_at(step, 0.70)) == 0
    at = used_share_at(step, 0.80)
    assert timing.budget_used(step, at, calendar_for(step.agency).elapsed) >= 0.75
    assert run_at(at) == 1
    event = Event.objects.get(dossier=dossier, action=Action.REMIND)
    assert event.actor_id is None and event.step_id == step.pk
    assert event.payload["automatic"] is True and event.payload["percent"] == 75
    assert "đã dùng 75% thời gian được giao" in event.reason
    (message,) = Message.objects.filter(template_key="reminder")
    assert message.recipient == "mai@phuong.example.vn"
    assert message.variables["leader"] == AUTOMATIC_REMINDER
    assert message.variables["step"] == step.name
    # a second run, later, reminds nobody again
    assert run_at(used_share_at(step, 0.95)) == 0
    assert Event.objects.filter(action=Action.REMIND).count() == 1
    # the officer's home page lists it with the leaders' reminders
    with clock.frozen_at(at):
        assert [e.pk for e in selectors.reminders_for(world.specialist)] == [event.pk]


def test_a_leaders_reminder_does_not_stop_the_automatic_one():
    world, dossier, step = world_with(60)
    with clock.frozen_at(used_share_at(step, 0.30)):
        services.dossier_remind(world.leader, dossier, note="Nhanh lên nhé")
    assert run_at(used_share_at(step, 0.65)) == 1
    assert Event.objects.filter(action=Action.REMIND).count() == 2


def test_no_setting_no_overdue_no_pause_no_reminder():
    world, dossier, step = world_with(0)
    assert run_at(used_share_at(step, 0.99)) == 0
    world.ward.auto_remind_percent = 80
    world.ward.save()
    # overdue: the deadline watch tells of it, not the standing reminder
    assert run_at(used_share_at(step, 1.5)) == 0
    # a dossier waiting for the applicant is not worked on
    with clock.frozen_at(used_share_at(step, 0.10)):
        services.dossier_request_supplement(
            world.specialist, dossier, reason="Thiếu bản sao giấy khai sinh"
        )
    assert run_at(used_share_at(step, 0.90)) == 0
    assert not Event.objects.filter(action=Action.REMIND).exists()


def test_the_setting_is_checked():
    from django.core.exceptions import ValidationError

    world = build_world()
    for bad in (10, 49, 96, 100):
        world.ward.auto_remind_percent = bad
        with pytest.raises(ValidationError) as refused:
            world.ward.full_clean()
        assert "auto_remind_percent" in refused.value.message_dict
    world.ward.auto_remind_percent = 0
    world.ward.full_clean()
