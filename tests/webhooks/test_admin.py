"""The subscription admin through the real admin site: the URL rule in
Vietnamese, the secret shown once, webhook rows readable in the outbox."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.notifications.models import Message
from motcua.webhooks.models import Subscription
from tests.dossiers.builders import build_world, vn

pytestmark = pytest.mark.django_db


def form(world, url):
    return {
        "name": "Cổng dịch vụ công tỉnh",
        "agency": world.ward.pk,
        "target_url": url,
        "events": ["receive", "return_result"],
        "is_active": "on",
    }


def test_a_bad_url_is_refused_with_a_vietnamese_error(admin_client):
    world = build_world()
    add = reverse("admin:webhooks_subscription_add")
    assert admin_client.get(add).status_code == 200
    answer = admin_client.post(add, form(world, "http://tich-hop.example.vn/hook"))
    assert answer.status_code == 200
    assert "Địa chỉ nhận phải dùng https://" in answer.content.decode()
    assert not Subscription.objects.exists()


def test_the_secret_is_shown_once_on_creation(admin_client):
    world = build_world()
    add = reverse("admin:webhooks_subscription_add")
    answer = admin_client.post(
        add, form(world, "https://tich-hop.example.vn/hook"), follow=True
    )
    sub = Subscription.objects.get()
    assert sub.events == ["receive", "return_result"]
    page = answer.content.decode()
    assert sub.secret in page and "chỉ hiện một lần" in page
    change = reverse("admin:webhooks_subscription_change", args=[sub.pk])
    assert sub.secret not in admin_client.get(change).content.decode()
    assert sub.secret not in admin_client.get(add).content.decode()


def test_webhook_rows_open_in_the_outbox_admin(admin_client, receiver):
    world = build_world()
    Subscription.objects.create(
        name="A", agency=world.ward, target_url=receiver.url, events=["receive"]
    )
    world.receive(vn(2025, 6, 2))
    listing = reverse("admin:notifications_message_changelist")
    page = admin_client.get(listing + "?channel=webhook")
    assert page.status_code == 200 and "Webhook" in page.content.decode()
    message = Message.objects.get(channel="webhook")
    change = reverse("admin:notifications_message_change", args=[message.pk])
    assert admin_client.get(change).status_code == 200
