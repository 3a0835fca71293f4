"""The exchange admin through the real admin site: a peer gets its technical
account and a secret shown once; a stand-in agency gives that account the
step roles there; a refused package is sent again from the transfers list."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from motcua.agencies.models import Membership, Role
from motcua.backoffice.actions import staff_for
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import permissions, services
from motcua.exchange import services as exchange
from motcua.exchange.models import OutboundTransfer, Peer
from motcua.notifications import worker
from motcua.notifications.models import Message, State
from tests.dossiers.builders import build_world

from .conftest import NOW, to_the_district

pytestmark = pytest.mark.django_db


def peer_form(**extra: Any) -> dict[str, Any]:
    return {
        "code": "tinh-b",
        "name": "Một cửa tỉnh B",
        "base_url": "https://motcua.tinh-b.example",
        "key_id": "a-b",
        "secret": "",
        "is_active": "on",
        "agencies-TOTAL_FORMS": "0",
        "agencies-INITIAL_FORMS": "0",
        **extra,
    }


def test_a_new_peer_gets_its_account_and_its_secret_once(admin_client: Any) -> None:
    world = build_world()
    add = reverse("admin:exchange_peer_add")
    assert admin_client.get(add).status_code == 200
    form = peer_form(
        **{
            "agencies-TOTAL_FORMS": "1",
            "agencies-0-agency": str(world.district.pk),
            "agencies-0-remote_code": "000.00.01.B01",
        }
    )
    page = admin_client.post(add, form, follow=True).content.decode()
    peer = Peer.objects.get()
    assert peer.account is not None and peer.account.username == "lienthong.tinh-b"
    assert peer.secret in page and "chỉ hiện một lần" in page
    roles = set(
        Membership.objects.filter(user=peer.account, agency=world.district).values_list(
            "role", flat=True
        )
    )
    assert roles == {"specialist", "leader"}
    change = reverse("admin:exchange_peer_change", args=[peer.pk])
    assert peer.secret not in admin_client.get(change).content.decode()
    kept = peer.secret
    admin_client.post(
        change,
        peer_form(
            name="Một cửa tỉnh B (mới)",
            **{
                "agencies-TOTAL_FORMS": "1",
                "agencies-INITIAL_FORMS": "1",
                "agencies-0-id": str(peer.agencies.get().pk),
                "agencies-0-peer": str(peer.pk),
                "agencies-0-agency": str(world.district.pk),
                "agencies-0-remote_code": "000.00.01.B01",
            },
        ),
    )
    peer.refresh_from_db()
    assert (peer.name, peer.secret) == ("Một cửa tỉnh B (mới)", kept)


def test_a_plain_http_address_or_a_short_secret_is_refused(admin_client: Any) -> None:
    add = reverse("admin:exchange_peer_add")
    page = admin_client.post(
        add, peer_form(base_url="http://motcua.tinh-b.example", secret="short")
    ).content.decode()
    assert "https://" in page and "ít nhất 32 ký tự" in page
    assert not Peer.objects.exists()


def test_a_refused_package_is_sent_again_from_the_list(
    admin_client: Any, sending: Any
) -> None:
    world, _, server = sending
    to_the_district(world)
    server.answers = [(400, {"code": "invalid", "message": "Dữ liệu không hợp lệ."})]
    with clock.frozen_at(NOW):
        worker.run_once()
    transfer = OutboundTransfer.objects.get()
    assert transfer.state == OutboundTransfer.State.REFUSED
    listing = reverse("admin:exchange_outboundtransfer_changelist")
    page = admin_client.get(listing)
    assert (
        page.status_code == 200 and "Bên kia từ chối tiếp nhận" in page.content.decode()
    )
    answer = admin_client.post(
        listing,
        {"action": "retry", "_selected_action": [str(transfer.pk)]},
        follow=True,
    )
    assert "vào hàng gửi lại" in answer.content.decode()
    transfer.refresh_from_db()
    assert transfer.state == OutboundTransfer.State.SENDING
    assert Message.objects.get(channel="exchange").state == State.CREATED
    detail = reverse("admin:exchange_outboundtransfer_change", args=[transfer.pk])
    assert admin_client.get(detail).status_code == 200


def test_a_peer_account_is_never_offered_nor_accepted_as_an_assignee() -> None:
    world = build_world()
    peer = exchange.peer_prepare(
        Peer(
            code="tinh-c",
            name="Một cửa tỉnh C",
            base_url="https://motcua.tinh-c.example",
            key_id="c",
        )
    )
    exchange.peer_allow_delivery(peer, world.ward)
    assert permissions.is_integration_account(peer.account)
    assert not permissions.is_integration_account(world.reception)
    desk = staff_for(world.ward, Role.RECEPTION, None)
    assert world.reception in desk and peer.account not in desk
    dossier = world.receive(NOW)
    with world.at(NOW), pytest.raises(DomainError) as refused:
        services.dossier_assign(world.leader, dossier, assignee=peer.account)
    assert refused.value.code == "dossier.invalid_assignee"
