"""The worker against a fake SMS gateway on 127.0.0.1: delivered once, retried
with backoff while the gateway fails, held during quiet hours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.notifications import channels, texts, worker
from motcua.notifications.models import Attempt, Message, State
from motcua.notifications.outbox import idempotency_key
from motcua.notifications.worker import quiet_until
from tests.dossiers.builders import build_world, vn

from .test_outbox import APPLICANT

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2)


def received(when=MON):
    world = build_world()
    dossier = world.receive(when, applicant=APPLICANT)
    return dossier, Message.objects.get(dossier=dossier, channel="sms")


def run(at):
    with clock.frozen_at(at):
        return worker.run_once()


def test_a_due_message_is_delivered_with_its_text_and_reference(gateway):
    dossier, sms = received()
    assert run(MON) == {"delivered": 2}
    (request,) = gateway.requests
    assert request["body"]["to"] == "0905123456"
    assert request["body"]["reference"] == sms.idempotency_key
    assert dossier.code in request["body"]["text"]
    assert "Hẹn trả kết quả ngày 05/06/2025" in request["body"]["text"]
    assert request["headers"]["Authorization"] == "Bearer test-token"
    sms.refresh_from_db()
    assert sms.state == State.DELIVERED and sms.delivered_at == MON
    assert sms.receipt_id == "r-1"
    (attempt,) = Attempt.objects.filter(message=sms)
    assert (attempt.outcome, attempt.receipt_id) == ("delivered", "r-1")
    (email,) = mail.outbox
    assert email.to == ["an@example.vn"]
    assert email.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"


def test_running_the_worker_twice_delivers_once(gateway):
    received()
    run(MON)
    assert run(MON) == {}
    assert run(MON + timedelta(days=2)) == {}
    assert len(gateway.requests) == 1 and len(mail.outbox) == 1


def test_gateway_error_is_a_temporary_failure_retried_with_backoff(gateway):
    _, sms = received()
    gateway.status = 500
    run(MON)
    sms.refresh_from_db()
    assert sms.state == State.TEMPORARY_FAILURE
    assert sms.next_attempt_at == MON + timedelta(seconds=30)
    assert "HTTP 500" in sms.last_error
    assert run(MON + timedelta(seconds=29)) == {}  # not yet
    run(MON + timedelta(seconds=30))
    sms.refresh_from_db()
    assert sms.attempts == 2
    assert sms.next_attempt_at == MON + timedelta(seconds=30 + 60)  # doubled
    gateway.status = 200  # the gateway is back
    assert run(MON + timedelta(seconds=90)) == {"delivered": 1}
    sms.refresh_from_db()
    assert sms.state == State.DELIVERED and sms.attempts == 3
    assert [a.outcome for a in Attempt.objects.filter(message=sms)] == [
        "temporary-failure",
        "temporary-failure",
        "delivered",
    ]
    assert sum(1 for r in gateway.requests if r["status"] == 200) == 1


def test_a_gateway_down_for_ten_minutes_then_back_loses_nothing(gateway):
    _, sms = received()
    gateway.status = 503
    at = MON
    while at < MON + timedelta(minutes=10):
        run(at)
        at += timedelta(seconds=15)
    gateway.status = 200
    run(MON + timedelta(hours=1))
    sms.refresh_from_db()
    assert sms.state == State.DELIVERED
    assert gateway.sent == {sms.idempotency_key: 1}


def test_a_refused_number_is_a_permanent_failure_never_retried(gateway):
    _, sms = received()
    gateway.status = 400
    run(MON)
    sms.refresh_from_db()
    assert sms.state == State.PERMANENT_FAILURE
    assert run(MON + timedelta(days=1)) == {}
    assert len(gateway.requests) == 1


def test_after_the_maximum_age_a_message_fails_and_staff_can_retry_it(gateway):
    gateway.status = 500
    with override_settings(MOTCUA_NOTIFY_MAX_AGE_HOURS="1"):
        _, sms = received()  # may be retried for one hour
        run(MON)
        run(MON + timedelta(hours=2))
    sms.refresh_from_db()
    assert sms.state == State.FAILED
    assert run(MON + timedelta(days=1)) == {}
    gateway.status = 200
    with clock.frozen_at(MON + timedelta(days=1)):
        worker.message_retry(sms)
        with pytest.raises(DomainError) as error:
            worker.message_retry(Message.objects.get(channel="email"))
    assert error.value.code == "notifications.not_failed"
    assert run(MON + timedelta(days=1)) == {"delivered": 1}


def test_unreachable_gateway_is_a_temporary_failure():
    _, sms = received()
    with override_settings(MOTCUA_SMS_URL="http://127.0.0.1:9/none"):
        run(MON)
    sms.refresh_from_db()
    assert sms.state == State.TEMPORARY_FAILURE


def test_no_sms_between_21_and_7_vietnam_time_held_until_morning(gateway):
    evening = vn(2025, 6, 2, 21, 30)
    _, sms = received(MON)
    assert run(evening) == {"delivered": 1}  # the e-mail goes
    sms.refresh_from_db()
    assert sms.state == State.CREATED
    assert sms.next_attempt_at == vn(2025, 6, 3, 7)
    assert run(vn(2025, 6, 3, 6, 59)) == {}
    assert gateway.requests == []
    assert run(vn(2025, 6, 3, 7)) == {"delivered": 1}


@pytest.mark.parametrize(
    ("at", "held"),
    [
        (vn(2025, 6, 2, 20, 59), None),
        (vn(2025, 6, 2, 21, 0), vn(2025, 6, 3, 7)),
        (vn(2025, 6, 3, 0, 30), vn(2025, 6, 3, 7)),
        (vn(2025, 6, 3, 7, 0), None),
    ],
)
def test_quiet_hours_edges(at, held):
    assert quiet_until("sms", at) == held
    assert quiet_until("email", at) is None


def test_json_payload_template_quotes_the_text_whatever_it_holds():
    gateway = channels.HttpGateway(
        url="http://127.0.0.1:9/", payload='{"msg": "{text}", "n": 1}'
    )
    message = channels.Outgoing("sms", "0905", "", 'Lý do: "x" {code}', "ref", "k")
    assert gateway.body(message).decode() == '{"msg": "Lý do: \\"x\\" {code}", "n": 1}'


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (200, b'{"id": "abc"}', "delivered"),
        (202, b'{"status": "rejected"}', "permanent-failure"),
        (200, b'{"status": "busy"}', "temporary-failure"),
        (429, b"", "temporary-failure"),
        (502, b"<html>", "temporary-failure"),
        (401, b"", "technical-failure"),
        (404, b"", "permanent-failure"),
    ],
)
def test_outcome_from_status_and_body(status, body, outcome):
    assert channels.classify(status, body).status == outcome


def test_a_template_may_use_only_its_events_variables():
    with pytest.raises(DomainError) as error:
        texts.check("refused", "", "Hồ sơ {code}: {new_date}")
    assert error.value.code == "notifications.unknown_variable"
    texts.check("extended", "", "Hồ sơ {code}: {new_date}")


def test_worker_command_once(gateway, capsys):
    received()
    with clock.frozen_at(MON):
        call_command("worker", "--once")
    assert "delivered=2" in capsys.readouterr().out


def test_idempotency_key_names_dossier_event_channel_and_template():
    assert idempotency_key(7, 3, "sms", "refused") == "dossier:7:event:3:sms:refused"


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("MOTCUA_SMS_QUIET_HOURS", "9 giờ tối", "notifications.bad_quiet_hours"),
        ("MOTCUA_NOTIFY_BACKOFF", "ba mươi", "notifications.bad_setting"),
    ],
)
def test_a_bad_setting_stops_the_worker_with_a_vietnamese_message(name, value, code):
    with override_settings(**{name: value}), pytest.raises(CommandError) as error:
        call_command("worker", "--once")
    assert code in str(error.value) and "Cấu hình" in str(error.value)


def test_a_leaders_reminder_reaches_the_officer_by_email(gateway):
    from motcua.dossiers import services

    world = build_world()
    world.specialist.email = "mai@phuong.example.vn"
    world.specialist.save()
    dossier = world.receive(MON, applicant=APPLICANT)
    with world.at(MON):
        dossier = services.dossier_assign(
            world.leader, dossier, assignee=world.specialist
        )
        services.dossier_remind(world.leader, dossier, note="Xong trong sáng nay.")
    (reminder,) = Message.objects.filter(dossier=dossier, template_key="reminder")
    assert (reminder.channel, reminder.recipient) == ("email", "mai@phuong.example.vn")
    run(MON)
    (sent,) = [m for m in mail.outbox if m.subject.startswith("Lãnh đạo nhắc nhở")]
    assert sent.to == ["mai@phuong.example.vn"]
    assert sent.subject == f"Lãnh đạo nhắc nhở: hồ sơ {dossier.code}"
    assert "Xong trong sáng nay." in sent.body
    reminder.refresh_from_db()
    assert reminder.state == State.DELIVERED
    run(MON)  # a second run sends nothing again
    assert len([m for m in mail.outbox if m.subject.startswith("Lãnh đạo")]) == 1


def test_an_officer_without_an_email_gets_no_message_but_the_history_keeps_it():
    from motcua.dossiers import services
    from motcua.dossiers.workflow import Action

    world = build_world()
    dossier = world.processing(MON)
    with world.at(MON):
        services.dossier_remind(world.leader, dossier, note="Nhắc")
    assert not Message.objects.filter(template_key="reminder").exists()
    assert dossier.events.filter(action=Action.REMIND).exists()


def test_the_officer_a_step_is_given_to_hears_of_it_by_email(gateway):
    from motcua.dossiers import services

    world = build_world()
    world.specialist.email = "mai@phuong.example.vn"
    world.specialist.save()
    dossier = world.receive(MON, applicant=APPLICANT)
    with world.at(MON):
        services.dossier_assign(world.leader, dossier, assignee=world.specialist)
    (given,) = Message.objects.filter(dossier=dossier, template_key="assigned")
    assert given.recipient == "mai@phuong.example.vn"
    run(MON)
    (sent,) = [m for m in mail.outbox if m.to == ["mai@phuong.example.vn"]]
    assert sent.subject == f"Hồ sơ {dossier.code} được giao cho đồng chí"
    assert "05/06/2025" in sent.body  # the dossier's due date


def test_taking_a_step_oneself_sends_nothing():
    from motcua.dossiers import services

    world = build_world()
    world.specialist.email = "mai@phuong.example.vn"
    world.specialist.save()
    dossier = world.receive(MON, applicant=APPLICANT)
    with world.at(MON):
        services.dossier_assign(world.specialist, dossier, assignee=world.specialist)
    assert not Message.objects.filter(template_key="assigned").exists()
