"""The sending side, in process: a step at an agency served by a peer is
written to the outbox in the action's transaction; the worker delivers it to
a small HTTP server on 127.0.0.1 (temporary and permanent failures, staff
retry); the peer's status updates and result come back through our endpoint
and finish the step through the services."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.core import clock
from motcua.core.configstamp import stamp_scope
from motcua.dossiers import services
from motcua.dossiers.models import Step
from motcua.exchange import package
from motcua.exchange import services as exchange
from motcua.exchange.models import OutboundTransfer, Peer
from motcua.notifications import worker
from motcua.notifications.models import Message, State
from tests.dossiers.builders import World, build_world

from .conftest import (
    NOW,
    PeerServer,
    Receiving,
    file_entry,
    link_peer,
    to_the_district,
)

pytestmark = pytest.mark.django_db


def test_a_step_at_a_remote_agency_is_written_to_the_outbox_with_the_action(
    sending: tuple[World, Peer, PeerServer],
) -> None:
    world, _, _ = sending
    dossier = world.processing(NOW)
    with pytest.raises(RuntimeError), transaction.atomic(), world.at(NOW):
        services.dossier_forward(world.specialist, dossier)
        raise RuntimeError("the action fails after the event")
    assert not OutboundTransfer.objects.exists()
    assert not Message.objects.filter(channel="exchange").exists()

    with world.at(NOW):
        services.dossier_forward(world.specialist, dossier)
    transfer = OutboundTransfer.objects.get()
    assert transfer.step.agency == world.district
    assert transfer.remote_code == "000.00.01.B01"
    message = Message.objects.get(channel="exchange")
    body = message.variables["body"]
    assert body["to_agency"] == "000.00.01.B01"
    due = transfer.step.due_at
    assert due is not None and body["step"]["due_at"] == due.isoformat()
    assert "phone" not in body["applicant"]
    with world.at(NOW):  # another event of the dossier: no second transfer
        services.dossier_remind(world.leader, dossier, note="Nhắc quận.")
    assert OutboundTransfer.objects.count() == 1


def test_the_worker_retries_until_the_peer_accepts_and_records_its_reference(
    sending: tuple[World, Peer, PeerServer],
) -> None:
    world, _, server = sending
    dossier = to_the_district(world)
    server.answers = [
        (503, {"code": "busy", "message": "bận"}),
        (201, {"transfer_id": "x", "reference": "000.00.01.B01-260310-0001",
               "status": "received"}),
    ]  # fmt: skip
    with clock.frozen_at(NOW):
        assert worker.run_once() == {"temporary-failure": 1}
    message = Message.objects.get(channel="exchange")
    assert message.state == State.TEMPORARY_FAILURE
    assert OutboundTransfer.objects.get().state == OutboundTransfer.State.SENDING
    with clock.frozen_at(NOW + timedelta(minutes=5)):
        assert worker.run_once() == {"delivered": 1}
    transfer = OutboundTransfer.objects.get()
    assert transfer.state == OutboundTransfer.State.ACCEPTED
    assert transfer.remote_reference == "000.00.01.B01-260310-0001"
    assert [s["ok"] for s in server.seen] == [True, True]
    assert {s["key"] for s in server.seen} == {transfer.idempotency_key}
    assert server.seen[0]["body"] == server.seen[1]["body"]
    assert server.seen[0]["body"]["origin"]["dossier_code"] == dossier.code


def test_a_refused_package_is_kept_for_staff_who_may_send_it_again(
    sending: tuple[World, Peer, PeerServer],
) -> None:
    world, _, server = sending
    to_the_district(world)
    server.answers = [
        (404, {"code": "exchange.unknown_procedure", "message": "Không có thủ tục"}),
        (201, {"transfer_id": "x", "reference": "R-1", "status": "received"}),
    ]
    with clock.frozen_at(NOW):
        worker.run_once()
    transfer = OutboundTransfer.objects.get()
    assert transfer.state == OutboundTransfer.State.REFUSED
    assert "exchange.unknown_procedure" in transfer.refusal
    assert Message.objects.get(channel="exchange").state == State.PERMANENT_FAILURE
    with clock.frozen_at(NOW + timedelta(hours=1)):
        exchange.transfer_retry(transfer)
        worker.run_once()
    transfer.refresh_from_db()
    assert (transfer.state, transfer.remote_reference) == (
        OutboundTransfer.State.ACCEPTED,
        "R-1",
    )


def _update(transfer: OutboundTransfer, sequence: int, **fields: Any) -> dict:
    return {
        "protocol": package.PROTOCOL,
        "transfer_id": str(transfer.transfer_id),
        "sequence": sequence,
        "type": "status",
        "status": "processing",
        "at": NOW.isoformat(),
        "note": "",
        **fields,
    }


def test_the_peer_reports_its_status_then_its_result_which_finishes_the_step(
    sending: tuple[World, Peer, PeerServer],
) -> None:
    world, peer, _ = sending
    dossier = to_the_district(world)
    transfer = OutboundTransfer.objects.get()
    sender = Receiving(world, peer, Client())
    path = package.updates_path(str(transfer.transfer_id))
    with clock.frozen_at(NOW + timedelta(hours=1)):
        answer = sender.post(path, _update(transfer, 1), key="u1",
                             at=NOW + timedelta(hours=1))  # fmt: skip
    assert answer.status_code == 200, answer.json()
    transfer.refresh_from_db()
    assert transfer.remote_status == "processing"
    assert transfer.state == OutboundTransfer.State.ACCEPTED
    # the officer sees it on the dossier's page, in our words
    from tests.backoffice.conftest import client_for

    page = client_for(world.specialist).get(f"/can-bo/ho-so/{dossier.code}/")
    assert page.status_code == 200
    line = page.content.decode()
    assert 'class="exchange-transfer"' in line
    assert "Bên kia đã tiếp nhận — bên kia: Đang xử lý" in line

    result = _update(
        transfer,
        2,
        type="result",
        status="result_ready",
        outcome="approved",
        reference="R-1",
        summary="Đã xác minh.",
        files=[file_entry(name="ket-qua.pdf", component=None)],
    )
    later = NOW + timedelta(hours=3)
    with clock.frozen_at(later):
        answer = sender.post(path, result, key="u2", at=later)
        assert answer.status_code == 200, answer.json()
        again = sender.post(path, result, key="u2-bis", at=later)
    assert again.json()["recorded"] is False
    step = Step.objects.get(pk=transfer.step_id)
    assert step.state == Step.State.DONE
    assert step.ended_by == peer.account and step.ended_at == later
    assert dossier.files.get(kind="result").original_name == "ket-qua.pdf"
    assert list(
        dossier.steps.filter(state=Step.State.ACTIVE).values_list("position", flat=True)
    ) == [4]
    last = dossier.events.order_by("-seq").first()
    assert last is not None and last.action == "forward"
    assert "Đã xác minh." in last.reason
    transfer.refresh_from_db()
    assert transfer.state == OutboundTransfer.State.COMPLETED
    assert list(transfer.updates.values_list("sequence", "status")) == [
        (1, "processing"),
        (2, "result_ready"),
    ]


def test_an_update_for_an_unknown_transfer_is_not_found(
    sending: tuple[World, Peer, PeerServer],
) -> None:
    world, peer, _ = sending
    sender = Receiving(world, peer, Client())
    unknown = str(uuid.uuid4())
    fake = OutboundTransfer(transfer_id=uuid.UUID(unknown))
    with clock.frozen_at(NOW):
        answer = sender.post(package.updates_path(unknown), _update(fake, 1), key="u")
    assert answer.status_code == 404
    assert answer.json()["code"] == "exchange.unknown_transfer"


def test_a_withdrawn_dossier_cancels_its_handed_over_step(
    sending: tuple[World, Peer, PeerServer],
) -> None:
    world, _, server = sending
    dossier = to_the_district(world)
    server.answers = [
        (201, {"transfer_id": "x", "reference": "R-1", "status": "received"}),
        (200, {"transfer_id": "x", "cancelled": True, "status": "withdrawn"}),
    ]
    with clock.frozen_at(NOW):
        worker.run_once()
    with world.at(NOW + timedelta(hours=1)):
        services.dossier_withdraw(world.reception, dossier, reason="Rút hồ sơ.")
    transfer = OutboundTransfer.objects.get()
    assert transfer.state == OutboundTransfer.State.CANCELLED
    with clock.frozen_at(NOW + timedelta(hours=1)):
        assert worker.run_once() == {"delivered": 1}
    assert server.seen[-1]["path"] == package.cancel_path(str(transfer.transfer_id))
    assert server.seen[-1]["body"]["reason"] == "Rút hồ sơ."


def test_a_package_never_sent_is_not_sent_once_its_step_ended(
    sending: tuple[World, Peer, PeerServer],
) -> None:
    world, _, server = sending
    dossier = to_the_district(world)
    with world.at(NOW):
        services.dossier_withdraw(world.reception, dossier, reason="Rút hồ sơ.")
    with clock.frozen_at(NOW):
        assert worker.run_once() == {"permanent-failure": 1}
    assert server.seen == []
    assert Message.objects.filter(channel="exchange").count() == 1
    assert OutboundTransfer.objects.get().state == OutboundTransfer.State.CANCELLED


def test_an_event_that_concerns_no_peer_costs_the_exchange_one_query(
    sending: tuple[World, Peer, PeerServer],
) -> None:
    """Most events concern no peer: the observer asks which of its three cases
    apply in one statement, and reads nothing more (issue 15)."""
    world, _, _ = sending
    with world.at(NOW), CaptureQueriesContext(connection) as ctx:
        world.receive(NOW)
    exchange_reads = [q["sql"] for q in ctx if "exchange_" in q["sql"]]
    assert len(exchange_reads) == 1, exchange_reads


# what the observer reads: its three cases, or whether any peer exists
OBSERVER = re.compile(r'exchange_(remote|outbound|inbound)|"exchange_peer" LIMIT')


def test_without_any_peer_the_exchange_observer_asks_nothing_until_one_is_linked(
    local_http: None,
) -> None:
    """No peer configured: no step can be remote and no transfer exist, which a
    request knows from the kept configuration (ADR 0032); a peer linked later is
    seen by the very next action."""
    world = build_world(liên_thông=True)  # step 3 at the district
    with stamp_scope(), world.at(NOW):
        world.receive(NOW)  # the first request of this configuration reads it
    with stamp_scope(), world.at(NOW), CaptureQueriesContext(connection) as ctx:
        dossier = world.processing(NOW)
    observer = [q["sql"] for q in ctx if OBSERVER.search(q["sql"])]
    assert observer == [], observer
    with PeerServer("exsec_shared") as server:
        link_peer(world, server)
        with stamp_scope(), world.at(NOW):
            services.dossier_forward(world.specialist, dossier)
    assert OutboundTransfer.objects.get().step.agency == world.district
