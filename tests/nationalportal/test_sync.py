"""The DVCQG sync end to end: dossier actions queue outbox rows in their own
transaction, the real worker delivers them to a fake portal on 127.0.0.1 that
validates each body, with the portal down, back, refusing, and staff retrying."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantInput
from motcua.dossiers.workflow import DVCQG_STATUS, Status
from motcua.nationalportal import payload
from motcua.nationalportal.models import SyncState
from motcua.nationalportal.services import idempotency_key, sync_retry
from motcua.notifications import scheduler, worker
from motcua.notifications.models import Message, State
from tests.dossiers.builders import build_world, vn

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


def run(at):
    with clock.frozen_at(at):
        return worker.run_once()


def state_of(dossier) -> SyncState:
    return SyncState.objects.get(dossier=dossier)


def processing(world, when=MON):
    dossier = world.receive(when, applicant=APPLICANT)
    with world.at(when + timedelta(minutes=30)):
        return services.dossier_assign(world.leader, dossier, assignee=world.specialist)


def test_events_are_queued_with_the_action_and_delivered_as_one_history(portal):
    world = build_world()
    dossier = processing(world)
    rows = Message.objects.filter(channel="dvcqg").order_by("event_seq")
    assert [m.idempotency_key for m in rows] == [
        idempotency_key(dossier.pk, 1),
        idempotency_key(dossier.pk, 2),
    ]
    # the outbox names the dossier and the event only: no personal data
    assert [m.variables for m in rows] == [
        {"dossier": dossier.pk, "seq": 1},
        {"dossier": dossier.pk, "seq": 2},
    ]
    state = state_of(dossier)
    assert (state.state, state.queued_seq, state.synced_seq) == ("pending", 2, 0)

    # one request carries both events; the second row finds them sent
    assert run(MON + timedelta(hours=1)) == {"delivered": 2}
    assert portal.requests == 1
    (body,) = portal.bodies()
    assert body["MaHoSo"] == dossier.code
    assert body["MaTTHC"] == world.procedure.code
    assert body["TenTTHC"] == world.version.name
    assert body["ChuHoSo"] == "Nguyễn Văn An"
    assert body["MaDoiTuong"] == "048090001234"
    assert body["SoDienThoai"] == "0905123456"
    assert body["KenhThucHien"] == 1
    assert body["MaDonVi"] == world.ward.code
    assert body["TrangThaiHoSo"] == DVCQG_STATUS[Status.PROCESSING][0] == 4
    assert body["NgayTiepNhan"] == "20250602090000"
    assert body["NgayHenTra"] == payload.dvcqg_time(dossier.original_due_at)
    assert re.fullmatch(r"\d{14}", body["NgayHenTra"])
    steps = body["QuaTrinhXuLy"]
    assert [s["TrangThai"] for s in steps] == [2, 4]
    assert [s["ThoiDiemXuLy"] for s in steps] == ["20250602090000", "20250602093000"]
    assert steps[0]["NoiDungXuLy"] == "Tiếp nhận"
    assert steps[1]["ChucDanh"] == "Lãnh đạo"
    assert portal.accepted[0]["key"] == f"dvcqg:dossier:{dossier.pk}:seq:2"

    state.refresh_from_db()
    assert state.state == SyncState.State.SYNCED
    assert (state.synced_seq, state.synced_status) == (2, 4)
    assert state.synced_hash == dossier.events.get(seq=2).hash
    assert state.synced_at == state.first_synced_at == MON + timedelta(hours=1)


def test_a_whole_lifecycle_reaches_the_portal_valid_at_every_stage(portal):
    world = build_world(fee=50000)
    dossier = processing(world)
    run(MON + timedelta(hours=1))
    with world.at(vn(2025, 6, 3, 9)):
        dossier = services.dossier_request_payment(world.specialist, dossier)
        dossier = services.dossier_record_payment(world.reception, dossier)
        dossier = services.dossier_submit(world.specialist, dossier)
        dossier = services.dossier_approve(world.leader, dossier)
        dossier = services.dossier_finish(world.reception, dossier)
    run(vn(2025, 6, 3, 10))
    with world.at(vn(2025, 6, 4, 9)):
        dossier = services.dossier_return_result(world.reception, dossier)
    run(vn(2025, 6, 4, 10))
    assert portal.refused == []
    last = portal.bodies()[-1]
    assert last["TrangThaiHoSo"] == 10
    assert last["NgayTra"] == "20250604090000"
    assert last["HinhThuc"] == payload.RETURN_METHOD_CODE["desk"]
    (fee,) = last["DanhSachLePhi"]
    assert (fee["Gia"], fee["HinhThucThu"], fee["DaThanhToan"]) == (50000, 1, True)
    assert [s["TrangThai"] for s in last["QuaTrinhXuLy"]][-1] == 10
    assert state_of(dossier).state == SyncState.State.SYNCED
    # three requests for three batches of events, never one per event
    assert portal.requests == 3


def test_a_supplement_request_and_its_answer_are_listed(portal):
    world = build_world()
    dossier = processing(world)
    with world.at(MON + timedelta(hours=1)):
        dossier = services.dossier_request_supplement(
            world.specialist, dossier, reason="Thiếu bản sao", items=["Tờ khai"]
        )
    with world.at(vn(2025, 6, 3, 9)):
        dossier = services.dossier_resubmit(world.reception, dossier)
    run(vn(2025, 6, 3, 10))
    (body,) = portal.bodies()
    (supplement,) = body["DanhSachHoSoBoSung"]
    assert supplement["NoiDungBoSung"] == "Thiếu bản sao"
    assert supplement["DanhSachGiayToBoSung"] == ["Tờ khai"]
    assert supplement["NgayBoSung"] == "20250602100000"
    assert supplement["NgayTiepNhanBoSung"] == "20250603090000"
    assert supplement["TrangThaiBoSung"] == 1


def test_nothing_is_queued_while_the_sync_is_not_configured():
    world = build_world()
    with override_settings(MOTCUA_DVCQG_URL=""):
        world.receive(MON, applicant=APPLICANT)
    assert not Message.objects.filter(channel="dvcqg").exists()
    assert not SyncState.objects.exists()


def test_a_rolled_back_action_queues_nothing(portal):
    world = build_world()
    with pytest.raises(RuntimeError), transaction.atomic():
        world.receive(MON, applicant=APPLICANT)
        raise RuntimeError("the desk's action failed after its event")
    assert not Message.objects.filter(channel="dvcqg").exists()
    assert not SyncState.objects.exists()


def test_portal_down_then_back_gets_the_dossier_exactly_once(portal):
    world = build_world()
    portal.down()
    dossier = world.receive(MON, applicant=APPLICANT)
    assert run(MON) == {"temporary-failure": 1}
    state = state_of(dossier)
    assert state.state == SyncState.State.RETRYING
    assert state.attempts == 1 and "Connection refused" in state.last_error
    assert run(MON + timedelta(seconds=10)) == {}  # backoff: 30 s
    # still down 30 s later; meanwhile the leader assigns the dossier
    with world.at(MON + timedelta(seconds=20)):
        services.dossier_assign(world.leader, dossier, assignee=world.specialist)
    assert run(MON + timedelta(seconds=31)) == {"temporary-failure": 2}
    message = Message.objects.get(idempotency_key=idempotency_key(dossier.pk, 1))
    assert message.state == State.TEMPORARY_FAILURE
    assert message.next_attempt_at == MON + timedelta(seconds=31 + 60)  # doubled

    portal.up()
    assert run(MON + timedelta(minutes=5)) == {"delivered": 2}
    assert portal.requests == 1  # the first row sent both events
    (body,) = portal.bodies()
    assert [s["TrangThai"] for s in body["QuaTrinhXuLy"]] == [2, 4]
    assert run(MON + timedelta(hours=3)) == {}
    state.refresh_from_db()
    assert (state.state, state.synced_seq, state.last_error) == ("synced", 2, "")


def test_a_portal_answering_503_is_retried_too(portal):
    world = build_world()
    dossier = world.receive(MON, applicant=APPLICANT)
    portal.status = 503
    assert run(MON) == {"temporary-failure": 1}
    assert "HTTP 503" in state_of(dossier).last_error
    portal.status = 200
    assert run(MON + timedelta(minutes=1)) == {"delivered": 1}
    assert len(portal.accepted) == 1


def test_down_past_the_maximum_age_ends_failed_for_staff(portal):
    world = build_world()
    portal.down()
    dossier = world.receive(MON, applicant=APPLICANT)
    at = MON
    for _ in range(60):  # bounded: 24 h of backoff is far fewer attempts
        run(at)
        if state_of(dossier).state == SyncState.State.FAILED:
            break
        at += timedelta(hours=1)
    state = state_of(dossier)
    assert state.state == SyncState.State.FAILED
    message = Message.objects.get(channel="dvcqg")
    assert message.state == State.FAILED
    portal.up()
    with clock.frozen_at(at):
        sync_retry(state)
    assert state_of(dossier).state == SyncState.State.PENDING
    assert run(at + timedelta(minutes=1)) == {"delivered": 1}
    assert state_of(dossier).state == SyncState.State.SYNCED


def test_a_refused_body_is_failed_visibly_and_sent_again_after_the_fix(portal):
    world = build_world()
    portal.known_procedures = {"1.000001"}  # the national catalogue lacks ours
    dossier = world.receive(MON, applicant=APPLICANT)
    assert run(MON) == {"permanent-failure": 1}
    state = state_of(dossier)
    assert state.state == SyncState.State.FAILED
    assert "HTTP 400" in state.last_error
    assert f"MaTTHC {world.procedure.code}" in state.last_error
    assert run(MON + timedelta(hours=2)) == {}  # not retried by itself
    assert portal.accepted == []

    portal.known_procedures.add(world.procedure.code)  # published nationally
    with clock.frozen_at(MON + timedelta(hours=3)):
        sync_retry(state)
    assert run(MON + timedelta(hours=3)) == {"delivered": 1}
    assert len(portal.accepted) == 1
    assert state_of(dossier).state == SyncState.State.SYNCED


def test_only_a_failed_sync_can_be_retried(portal):
    from motcua.core.errors import Conflict

    world = build_world()
    dossier = world.receive(MON, applicant=APPLICANT)
    with pytest.raises(Conflict) as caught:
        sync_retry(state_of(dossier))
    assert caught.value.code == "nationalportal.not_failed"


def test_a_wrong_token_is_retried_until_configured(portal):
    world = build_world()
    dossier = world.receive(MON, applicant=APPLICANT)
    with override_settings(MOTCUA_DVCQG_TOKEN="stale"):
        assert run(MON) == {"technical-failure": 1}
    assert state_of(dossier).state == SyncState.State.RETRYING
    assert run(MON + timedelta(minutes=1)) == {"delivered": 1}


def test_a_tampered_history_is_not_sent(portal):
    world = build_world()
    dossier = world.receive(MON, applicant=APPLICANT)
    # a due date quietly moved (the way on-time figures are faked)
    Dossier.objects.filter(pk=dossier.pk).update(
        original_due_at=dossier.original_due_at + timedelta(days=5)
    )
    assert run(MON) == {"permanent-failure": 1}
    assert portal.requests == 0
    state = state_of(dossier)
    assert state.state == SyncState.State.FAILED
    assert "history does not verify" in state.last_error


def test_rerunning_the_worker_and_the_backfill_sends_nothing_twice(portal):
    world = build_world()
    dossier = processing(world)
    run(MON + timedelta(hours=1))
    assert portal.requests == 1
    run(MON + timedelta(days=2))
    with clock.frozen_at(MON + timedelta(days=2)):
        call_command("nationalportal_sync", "--backfill", "--since", "2025-06-01")
        call_command("nationalportal_sync", "--backfill", "--since", "2025-06-01")
    assert run(MON + timedelta(days=2, hours=1)) == {}
    assert portal.requests == 1
    assert Message.objects.filter(dossier=dossier, channel="dvcqg").count() == 2


def test_backfill_queues_dossiers_received_before_the_sync_was_on(portal, capsys):
    world = build_world()
    with override_settings(MOTCUA_DVCQG_URL=""):
        old = [world.receive(MON + timedelta(hours=h)) for h in range(3)]
        before = world.receive(vn(2025, 5, 2))
    with clock.frozen_at(vn(2025, 6, 10)):
        call_command(
            "nationalportal_sync", "--backfill", "--since", "2025-06-01", "--limit", "2"
        )
    out = capsys.readouterr().out
    assert "queued=2" in out and "chạy lại" in out
    with clock.frozen_at(vn(2025, 6, 10)):
        call_command("nationalportal_sync", "--backfill", "--since", "2025-06-01")
    assert "queued=1" in capsys.readouterr().out
    assert run(vn(2025, 6, 10, 10)) == {"delivered": 3}
    assert {b["MaHoSo"] for b in portal.bodies()} == {d.code for d in old}
    assert not SyncState.objects.filter(dossier=before).exists()


def test_the_nightly_catch_up_is_a_registered_job(portal):
    assert "nationalportal_catch_up" in scheduler.NIGHTLY
    world = build_world()
    with override_settings(MOTCUA_DVCQG_URL=""):
        dossier = world.receive(MON)
    assert scheduler.run(["nationalportal_catch_up"], vn(2025, 6, 3)) == {
        "nationalportal_catch_up": 0  # MOTCUA_DVCQG_SINCE empty: nothing
    }
    with override_settings(MOTCUA_DVCQG_SINCE="2025-06-01"):
        done = scheduler.run(["nationalportal_catch_up"], vn(2025, 6, 3))
    assert done == {"nationalportal_catch_up": 1}
    assert state_of(dossier).queued_seq == 1


def test_the_command_refuses_without_an_endpoint():
    from django.core.management.base import CommandError

    with override_settings(MOTCUA_DVCQG_URL=""), pytest.raises(CommandError) as err:
        call_command("nationalportal_sync", "--backfill")
    assert "MOTCUA_DVCQG_URL" in str(err.value)


def test_no_personal_data_in_logs_or_outbox(portal, caplog):
    world = build_world()
    caplog.set_level(logging.DEBUG)
    dossier = processing(world)
    run(MON + timedelta(hours=1))
    assert portal.accepted  # the body, over the endpoint, does carry them
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "nationalportal.sync" in logged
    outbox = str(list(Message.objects.filter(dossier=dossier).values()))
    for value in PERSONAL:
        assert value not in logged
        assert value not in outbox


def test_dates_are_vietnam_time_to_the_second():
    assert payload.dvcqg_time(vn(2025, 12, 31, 23, 59)) == "20251231235900"
    assert payload.dvcqg_time("2025-06-02T02:00:00+00:00") == "20250602090000"
    assert payload.dvcqg_time(None) == ""


def test_the_portal_unit_code_comes_from_the_mapping(portal):
    world = build_world()
    codes = f'{{"{world.ward.code}": "H48.15.01"}}'
    with override_settings(MOTCUA_DVCQG_AGENCY_CODES=codes):
        world.receive(MON, applicant=APPLICANT)
        run(MON)
    (body,) = portal.bodies()
    assert body["MaDonVi"] == "H48.15.01"
    assert body["DonViXuLy"] == world.ward.name


def test_a_mistyped_mapping_is_a_technical_failure_retried_once_fixed(portal):
    world = build_world()
    dossier = world.receive(MON, applicant=APPLICANT)
    with override_settings(MOTCUA_DVCQG_AGENCY_CODES="[not json"):
        assert run(MON) == {"technical-failure": 1}
    state = state_of(dossier)
    assert (state.state, state.last_error) == ("retrying", "nationalportal.bad_setting")
    assert portal.requests == 0
    assert run(MON + timedelta(minutes=1)) == {"delivered": 1}
