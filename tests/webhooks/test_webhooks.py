"""Signed webhooks through the notifications outbox, delivered by the real
worker to a receiver on 127.0.0.1 that checks the signature."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import transaction
from django.test import RequestFactory, override_settings

from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.services import ApplicantInput
from motcua.notifications import worker
from motcua.notifications.models import Attempt, Message, State
from motcua.webhooks.admin import SubscriptionAdmin, SubscriptionForm
from motcua.webhooks.delivery import signature
from motcua.webhooks.enqueue import idempotency_key
from motcua.webhooks.models import Subscription
from tests.dossiers.builders import build_world, vn

from .receiver import verify

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2)
APPLICANT = ApplicantInput(
    name="Nguyễn Văn An",
    id_number="048090001234",
    phone="0905123456",
    email="an@example.vn",
    address="12 Lê Duẩn, Hải Châu",
)
PERSONAL = ["Nguyễn Văn An", "048090001234", "0905123456", "an@example.vn", "Lê Duẩn"]


def subscribe(agency, url, events=("receive",), name="Cổng dịch vụ công tỉnh"):
    return Subscription.objects.create(
        name=name, agency=agency, target_url=url, events=list(events)
    )


def run(at, receiver):
    receiver.now = at.timestamp()
    with clock.frozen_at(at):
        return worker.run_once()


def test_a_receive_is_delivered_signed_with_the_event_and_dossier(receiver):
    world = build_world()
    sub = subscribe(world.ward, receiver.url)
    receiver.secret = sub.secret
    dossier = world.receive(MON, applicant=APPLICANT)
    (message,) = Message.objects.filter(channel="webhook")
    assert message.idempotency_key == idempotency_key(sub.pk, dossier.pk, 1)
    assert run(MON, receiver) == {"delivered": 1}
    (seen,) = receiver.accepted
    assert seen["headers"]["X-MotCua-Event"] == "receive"
    assert seen["headers"]["Idempotency-Key"] == message.idempotency_key
    t = int(MON.timestamp())
    expected = f"t={t},v1={signature(sub.secret, t, seen['raw'])}"
    assert seen["headers"]["X-MotCua-Signature"] == expected
    body = seen["body"]
    assert body["event"]["action"] == "receive" and body["event"]["seq"] == 1
    assert body["event"]["to_status"] == "received"
    assert body["event"]["at"] == MON.isoformat()
    assert body["dossier"] == {
        "code": dossier.code,
        "agency_code": world.ward.code,
        "procedure_code": world.procedure.code,
        "status": "received",
        "due_at": dossier.due_at.isoformat(),
        "dvcqg_status": {"code": 2, "label": "new"},
    }
    message.refresh_from_db()
    assert message.state == State.DELIVERED
    assert Attempt.objects.get(message=message).outcome == "delivered"
    assert run(MON + timedelta(hours=1), receiver) == {}  # never twice


def test_no_personal_data_in_the_body(receiver):
    world = build_world()
    receiver.secret = subscribe(world.ward, receiver.url).secret
    world.receive(MON, applicant=APPLICANT)
    run(MON, receiver)
    (seen,) = receiver.accepted
    raw = seen["raw"].decode()
    for value in PERSONAL:
        assert value not in raw
    keys = set(re.findall(r'"(\w+)":', raw))
    assert not {"applicant", "name", "id_number", "phone", "email", "address"} & keys


def test_receiver_down_then_up_is_delivered_exactly_once(receiver):
    world = build_world()
    receiver.secret = subscribe(world.ward, receiver.url).secret
    world.receive(MON, applicant=APPLICANT)
    receiver.status = 500
    assert run(MON, receiver) == {"temporary-failure": 1}
    message = Message.objects.get(channel="webhook")
    assert message.state == State.TEMPORARY_FAILURE
    assert "HTTP 500" in message.last_error
    assert run(MON + timedelta(seconds=10), receiver) == {}  # backoff
    receiver.status = 200
    assert run(MON + timedelta(seconds=30), receiver) == {"delivered": 1}
    assert run(MON + timedelta(hours=2), receiver) == {}
    assert len(receiver.accepted) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.DELIVERED, 2)
    outcomes = list(
        Attempt.objects.filter(message=message).values_list("outcome", flat=True)
    )
    assert outcomes == ["temporary-failure", "delivered"]


def test_a_rolled_back_action_enqueues_nothing(receiver):
    world = build_world()
    subscribe(world.ward, receiver.url)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        world.receive(MON, applicant=APPLICANT)
        assert Message.objects.filter(channel="webhook").count() == 1
        raise Boom
    assert not Message.objects.filter(channel="webhook").exists()


def test_scope_is_the_agency_and_its_subtree(receiver):
    world = build_world()
    other = subscribe(world.other_ward, receiver.url, name="Phường khác")
    district = subscribe(world.district, receiver.url, name="Quận")
    dossier = world.receive(MON, applicant=APPLICANT)
    rows = Message.objects.filter(channel="webhook")
    assert list(rows.values_list("variables__subscription", flat=True)) == [district.pk]
    assert not rows.filter(idempotency_key__startswith=f"webhook:{other.pk}:")
    receiver.secret = district.secret
    run(MON, receiver)
    (seen,) = receiver.accepted
    assert seen["body"]["dossier"]["code"] == dossier.code


def test_only_the_subscribed_actions_and_active_subscriptions(receiver):
    world = build_world()
    subscribe(world.ward, receiver.url, events=["assign"])
    inactive = subscribe(world.ward, receiver.url, events=["receive"])
    Subscription.objects.filter(pk=inactive.pk).update(is_active=False)
    dossier = world.receive(MON, applicant=APPLICANT)
    assert not Message.objects.filter(channel="webhook").exists()
    with world.at(MON):
        services.dossier_assign(world.leader, dossier, assignee=world.specialist)
    (message,) = Message.objects.filter(channel="webhook")
    assert message.variables["event"] == "assign"


def test_gone_is_permanent_and_deactivates_the_subscription(receiver):
    world = build_world()
    sub = subscribe(world.ward, receiver.url)
    receiver.secret = sub.secret
    receiver.status = 410
    world.receive(MON, applicant=APPLICANT)
    assert run(MON, receiver) == {"permanent-failure": 1}
    sub.refresh_from_db()
    assert not sub.is_active and sub.deactivated_reason == "HTTP 410 Gone"
    assert Message.objects.get(channel="webhook").state == State.PERMANENT_FAILURE


def test_other_4xx_is_permanent_without_deactivating(receiver):
    world = build_world()
    sub = subscribe(world.ward, receiver.url)
    receiver.secret = "not-the-secret"  # the receiver refuses the signature: 400
    world.receive(MON, applicant=APPLICANT)
    assert run(MON, receiver) == {"permanent-failure": 1}
    assert len(receiver.refused) == 1 and not receiver.accepted
    sub.refresh_from_db()
    assert sub.is_active


def test_a_receiver_rejects_an_old_or_altered_signature():
    secret, body = "s3cret", b'{"a":1}'
    t = 1_750_000_000
    header = f"t={t},v1={signature(secret, t, body)}"
    assert verify(secret, header, body, t + 299)
    assert not verify(secret, header, body, t + 301)  # older than five minutes
    assert not verify(secret, header, b'{"a":2}', t)
    assert not verify("other", header, body, t)


@override_settings(MOTCUA_WEBHOOK_ALLOW_LOCAL_HTTP=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://example.vn/hook",
        "http://127.0.0.1:9000/hook",  # local http only in debug mode and tests
        "ftp://example.vn/hook",
        "https://user:pw@example.vn/hook",
        "không phải địa chỉ",
    ],
)
def test_the_admin_form_refuses_a_bad_url_in_vietnamese(url):
    world = build_world()
    form = SubscriptionForm(
        data={
            "name": "Hệ thống A",
            "agency": world.ward.pk,
            "target_url": url,
            "events": ["receive"],
            "is_active": "on",
        }
    )
    assert not form.is_valid()
    (error,) = form.errors["target_url"]
    assert "Địa chỉ" in error


def test_the_admin_creates_a_subscription_and_shows_its_secret_once():
    world = build_world()
    form = SubscriptionForm(
        data={
            "name": "Hệ thống A",
            "agency": world.ward.pk,
            "target_url": "https://tich-hop.example.vn/motcua",
            "events": ["receive", "finish"],
            "is_active": "on",
        }
    )
    assert form.is_valid(), form.errors
    request = RequestFactory().post("/admin/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    obj = form.save(commit=False)
    admin_ = SubscriptionAdmin(Subscription, None)  # type: ignore[arg-type]
    admin_.save_model(request, obj, form, change=False)
    obj.refresh_from_db()
    assert obj.events == ["receive", "finish"]
    assert obj.secret.startswith("whsec_") and len(obj.secret) > 40
    (shown,) = [str(m) for m in request._messages]
    assert obj.secret in shown and "chỉ hiện một lần" in shown
    admin_.save_model(request, obj, form, change=True)  # an edit shows nothing
    assert len(request._messages) == 1
