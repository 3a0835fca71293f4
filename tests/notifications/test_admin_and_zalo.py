"""The admin (texts saved as new versions, the outbox read-only with a retry
action) and the Zalo-style adapter against a local fake server."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from motcua.core import clock
from motcua.notifications import worker
from motcua.notifications.models import Message, MessageTemplate, State
from tests.dossiers.builders import build_world, vn

from .fake_gateway import FakeGateway
from .test_outbox import APPLICANT

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2)


def test_editing_a_text_saves_a_new_version_and_keeps_the_old(admin_client):
    old = MessageTemplate.objects.get(key="refused", channel="sms", version=1)
    url = reverse("admin:notifications_messagetemplate_change", args=[old.pk])
    assert admin_client.get(url).status_code == 200
    answer = admin_client.post(
        url,
        {
            "key": "refused",
            "channel": "sms",
            "subject": "",
            "body": "Hồ sơ {code} bị từ chối: {reason}",
        },
    )
    assert answer.status_code == 302
    versions = MessageTemplate.objects.filter(key="refused", channel="sms")
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
    old.refresh_from_db()
    assert "{tracking_url}" in old.body  # unchanged


def test_a_text_with_an_unknown_variable_is_refused_with_a_message(admin_client):
    url = reverse("admin:notifications_messagetemplate_add")
    answer = admin_client.post(
        url,
        {"key": "refused", "channel": "sms", "subject": "", "body": "{new_date}"},
    )
    assert answer.status_code == 200
    assert "Mẫu tin nhắn dùng biến không có: {new_date}" in answer.content.decode()


def test_outbox_pages_open_without_the_recipient_and_failed_messages_retry(
    admin_client,
):
    world = build_world()
    dossier = world.receive(MON, applicant=APPLICANT)
    message = Message.objects.filter(dossier=dossier, channel="sms").get()
    Message.objects.filter(pk=message.pk).update(state=State.FAILED)
    listing = reverse("admin:notifications_message_changelist")
    page = admin_client.get(listing)
    assert page.status_code == 200
    detail = admin_client.get(
        reverse("admin:notifications_message_change", args=[message.pk])
    )
    assert detail.status_code == 200
    assert "0905123456" not in page.content.decode() + detail.content.decode()
    answer = admin_client.post(
        listing, {"action": "retry", "_selected_action": [message.pk]}
    )
    assert answer.status_code == 302
    message.refresh_from_db()
    assert message.state == State.CREATED


def test_zalo_adapter_posts_its_own_payload():
    with (
        FakeGateway() as zalo,
        override_settings(
            MOTCUA_NOTIFY_CHANNELS="zalo",
            MOTCUA_ZALO_URL=zalo.url,
            MOTCUA_ZALO_TOKEN="zalo-token",
        ),
    ):
        world = build_world()
        dossier = world.receive(MON, applicant=APPLICANT)
        with clock.frozen_at(MON):
            assert worker.run_once() == {"delivered": 1}
    (request,) = zalo.requests
    body = request["body"]
    assert body["phone"] == "0905123456"
    assert body["template_id"] == "received"
    assert dossier.code in body["template_data"]["text"]
    assert body["tracking_id"] == f"dossier:{dossier.pk}:event:1:zalo:received"
    assert request["headers"]["Authorization"] == "Bearer zalo-token"
