"""Gateways' delivery receipts: a message the gateway accepted becomes
delivered (or failed for good) when its receipt arrives; bad receipts get a
Vietnamese error with a stable code and change nothing."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from motcua.notifications import worker
from motcua.notifications.models import Message, State
from tests.dossiers.builders import build_world, vn

from .test_outbox import APPLICANT

pytestmark = pytest.mark.django_db
MON = vn(2025, 6, 2)
URL = "/api/v1/notifications/receipts/"
TOKEN = "receipt-secret"


def post(body, token=TOKEN, raw=None):
    return Client().post(
        URL,
        raw if raw is not None else body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.fixture
def sent(gateway):
    world = build_world()
    dossier = world.receive(MON, applicant=APPLICANT)
    from motcua.core import clock

    with clock.frozen_at(MON):
        worker.run_once()
    return Message.objects.get(dossier=dossier, channel="sms")


@override_settings(MOTCUA_RECEIPT_TOKEN=TOKEN)
def test_a_failure_receipt_turns_an_accepted_message_into_a_permanent_failure(sent):
    answer = post(
        {"receipt_id": sent.receipt_id, "status": "failed", "error": "số không tồn tại"}
    )
    assert answer.status_code == 200, answer.content
    sent.refresh_from_db()
    assert sent.state == State.PERMANENT_FAILURE
    assert sent.last_error == "số không tồn tại" and sent.delivered_at is None


@override_settings(MOTCUA_RECEIPT_TOKEN=TOKEN)
def test_a_delivered_receipt_records_its_time_and_a_copy_changes_nothing(sent):
    body = {
        "reference": sent.idempotency_key,
        "status": "delivered",
        "at": "2025-06-02T09:00:05+07:00",
    }
    assert post(body).status_code == 200
    assert post(body).status_code == 200
    sent.refresh_from_db()
    assert sent.state == State.DELIVERED
    assert sent.delivered_at.isoformat() == "2025-06-02T02:00:05+00:00"


@override_settings(MOTCUA_RECEIPT_TOKEN=TOKEN)
@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"reference": "nope", "status": "delivered"}, 404, "receipt.unknown_message"),
        ({"status": "delivered"}, 400, "receipt.missing_reference"),
        ({"reference": "x", "status": "maybe"}, 400, "receipt.invalid_status"),
        (
            {"reference": "x", "status": "failed", "at": "hôm qua"},
            400,
            "receipt.invalid_time",
        ),
        ([1, 2], 400, "receipt.invalid_json"),
    ],
)
def test_bad_receipts_are_refused_with_a_code(body, status, code):
    answer = post(body)
    assert answer.status_code == status
    assert answer.json()["code"] == code
    assert answer.json()["message"]


@override_settings(MOTCUA_RECEIPT_TOKEN=TOKEN)
def test_a_wrong_token_or_broken_json_is_refused(sent):
    assert (
        post({"receipt_id": sent.receipt_id, "status": "failed"}, token="x").status_code
        == 401
    )
    assert post(None, raw="{không phải json").json()["code"] == "receipt.invalid_json"
    sent.refresh_from_db()
    assert sent.state == State.DELIVERED


def test_without_a_token_the_endpoint_is_off():
    answer = post({"reference": "x", "status": "delivered"})
    assert answer.status_code == 404
    assert answer.json()["code"] == "receipt.disabled"


@override_settings(MOTCUA_RECEIPT_TOKEN=TOKEN)
def test_a_message_not_yet_accepted_cannot_have_a_receipt():
    world = build_world()
    dossier = world.receive(MON, applicant=APPLICANT)
    created = Message.objects.get(dossier=dossier, channel="sms")
    answer = post({"reference": created.idempotency_key, "status": "delivered"})
    assert answer.status_code == 409 and answer.json()["code"] == "receipt.not_sent"
    created.refresh_from_db()
    assert created.state == State.CREATED
