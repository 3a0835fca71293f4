"""Each Biểu 06 rule at its boundary (Circular 01/2020/TT-VPCP; docs/figures.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from motcua.dossiers import services as sv

from ..dossiers.builders import World, build_world, vn

pytestmark = pytest.mark.django_db
R = "lý do"


@pytest.fixture
def world() -> World:
    return build_world(value=3)  # 3 working days


def report(world: World, start: date, end: date, **extra: str) -> dict:
    client = APIClient()
    client.force_authenticate(world.reception)
    params = {"agency": world.ward.code, "from": start, "to": end, **extra}
    response = client.get("/api/v1/reports/bieu06", params)
    assert response.status_code == 200, response.json()
    return response.json()["totals"]


def codes(world: World, start: date, end: date, cell: str) -> set[str]:
    client = APIClient()
    client.force_authenticate(world.reception)
    params = {"agency": world.ward.code, "from": start, "to": end, "cell": cell}
    body = client.get("/api/v1/reports/bieu06/dossiers", params).json()
    return {d["code"] for d in body["results"]}


MAR = date(2026, 3, 1)
END = date(2026, 3, 31)


def test_received_the_day_before_from_is_carried_over(world):
    d = world.receive(vn(2026, 2, 27, 16))  # Friday, the last working day of Feb
    t = report(world, MAR, END)
    assert t["received"] == {
        "total": 1,
        "carried_over": 1,
        "online": 0,
        "direct_postal": 0,
    }
    assert codes(world, MAR, END, "received.carried_over") == {d.code}


def test_received_on_from_is_new_not_carried_over(world):
    world.receive(vn(2026, 3, 2, 7, 30))
    t = report(world, date(2026, 3, 2), END)
    assert t["received"]["carried_over"] == 0
    assert t["received"]["direct_postal"] == 1


def test_received_and_ended_before_from_is_not_in_the_report(world):
    d = world.receive(vn(2026, 2, 25))
    with world.at(vn(2026, 2, 28)):
        sv.dossier_finish(world.leader, d)
    assert report(world, MAR, END)["received"]["total"] == 0


def test_ended_on_from_is_carried_over_and_settled(world):
    d = world.receive(vn(2026, 2, 25))
    with world.at(vn(2026, 3, 1, 10)):
        sv.dossier_finish(world.leader, d)
    t = report(world, MAR, END)
    assert t["received"]["carried_over"] == 1 and t["settled"]["total"] == 1


def test_ended_on_to_is_settled_not_in_progress(world):
    d = world.receive(vn(2026, 3, 2))
    with world.at(vn(2026, 3, 31, 23, 59)):
        sv.dossier_finish(world.leader, d)
    t = report(world, MAR, END)
    assert t["settled"]["total"] == 1 and t["in_progress"]["total"] == 0
    t = report(world, MAR, date(2026, 3, 30))
    assert t["settled"]["total"] == 0 and t["in_progress"]["total"] == 1


def test_early_on_time_late_compare_dates_not_times(world):
    # Received Mon 02/03 09:00, 3 working days → due Thu 05/03 09:00.
    early, on_time, late = (world.receive(vn(2026, 3, 2)) for _ in range(3))
    assert early.original_due_at.date() == date(2026, 3, 5)
    with world.at(vn(2026, 3, 4, 16)):
        sv.dossier_finish(world.leader, early)
    with world.at(vn(2026, 3, 5, 16, 30)):  # after the due hour, same date
        sv.dossier_finish(world.leader, on_time)
    with world.at(vn(2026, 3, 6, 8)):
        sv.dossier_finish(world.leader, late)
    t = report(world, MAR, END)
    assert t["settled"] == {"total": 3, "early": 1, "on_time": 1, "late": 1}
    assert codes(world, MAR, END, "settled.on_time") == {on_time.code}


def test_an_extension_never_turns_late_into_on_time(world):
    d = world.receive(vn(2026, 3, 2))
    with world.at(vn(2026, 3, 3)):
        sv.dossier_extend(
            world.leader, d, new_due_at=vn(2026, 3, 20, 17), reason="xin lỗi"
        )
    with world.at(vn(2026, 3, 10)):
        sv.dossier_finish(world.leader, d)
    assert report(world, MAR, END)["settled"]["late"] == 1


def test_due_on_to_is_within_time_due_before_to_is_overdue(world):
    d = world.receive(vn(2026, 3, 2))  # due 05/03
    assert d.original_due_at.date() == date(2026, 3, 5)
    t = report(world, MAR, date(2026, 3, 5))
    assert t["in_progress"] == {"total": 1, "within_time": 1, "overdue": 0, "paused": 0}
    t = report(world, MAR, date(2026, 3, 6))
    assert t["in_progress"] == {"total": 1, "within_time": 0, "overdue": 1, "paused": 0}


def test_overdue_at_to_uses_the_original_due_date_despite_an_extension(world):
    d = world.receive(vn(2026, 3, 2))
    with world.at(vn(2026, 3, 3)):
        sv.dossier_extend(
            world.leader, d, new_due_at=vn(2026, 3, 20, 17), reason="xin lỗi"
        )
    assert report(world, MAR, date(2026, 3, 10))["in_progress"]["overdue"] == 1


def test_paused_is_as_of_to_not_today(world):
    d = world.processing(vn(2026, 3, 2))
    with world.at(vn(2026, 3, 3)):
        sv.dossier_request_supplement(world.specialist, d, reason=R)
    with world.at(vn(2026, 3, 10)):
        sv.dossier_resubmit(world.reception, d)
    paused = report(world, MAR, date(2026, 3, 9))["in_progress"]
    assert paused == {"total": 1, "within_time": 0, "overdue": 0, "paused": 1}
    # resubmitted 10/03: the time restarts (3 working days → 13/03)
    after = report(world, MAR, date(2026, 3, 12))["in_progress"]
    assert after == {"total": 1, "within_time": 1, "overdue": 0, "paused": 0}
    # before the pause (02/03), the dossier was running
    assert report(world, MAR, date(2026, 3, 2))["in_progress"]["within_time"] == 1


def test_waiting_for_payment_is_paused():
    world = build_world(value=3, fee=50000)
    d = world.receive(vn(2026, 3, 2))
    with world.at(vn(2026, 3, 3)):
        sv.dossier_request_payment(world.reception, d)
    assert report(world, MAR, date(2026, 3, 20))["in_progress"]["paused"] == 1


def test_paused_and_resumed_on_the_same_day_is_not_paused_at_that_day(world):
    d = world.processing(vn(2026, 3, 2))
    with world.at(vn(2026, 3, 3, 9)):
        sv.dossier_request_supplement(world.specialist, d, reason=R)
    with world.at(vn(2026, 3, 3, 15)):
        sv.dossier_resubmit(world.reception, d)
    assert report(world, MAR, date(2026, 3, 3))["in_progress"]["paused"] == 0


def test_refused_at_the_desk_and_submitted_online_are_never_received(world):
    with world.at(vn(2026, 3, 2)):
        sv.dossier_refuse(world.reception, reason=R, data=world.input())
        sv.dossier_submit_online(None, world.input(channel="online"))
    assert report(world, MAR, END)["received"]["total"] == 0


def test_refusal_after_appraisal_is_settled(world):
    d = world.processing(vn(2026, 3, 2))
    with world.at(vn(2026, 3, 4)):
        sv.dossier_refuse(world.leader, d, reason=R)
    assert report(world, MAR, END)["settled"]["early"] == 1


def test_withdrawn_and_stopped_end_the_dossier(world):
    a, b = world.receive(vn(2026, 3, 2)), world.receive(vn(2026, 3, 2))
    with world.at(vn(2026, 3, 3)):
        sv.dossier_withdraw(world.reception, a)
        sv.dossier_stop(world.leader, b, reason=R)
    t = report(world, MAR, END)
    assert (t["withdrawn"], t["stopped"], t["in_progress"]["total"]) == (1, 1, 0)
    assert t["received"]["total"] == 2


def test_a_returned_result_stays_settled_at_its_finish_date(world):
    d = world.receive(vn(2026, 3, 2))
    with world.at(vn(2026, 3, 4)):
        sv.dossier_finish(world.leader, d)
    with world.at(vn(2026, 4, 2)):
        sv.dossier_return_result(world.reception, d)
    assert report(world, MAR, END)["settled"]["early"] == 1
    assert report(world, date(2026, 4, 1), date(2026, 4, 30))["received"]["total"] == 0


def test_online_and_direct_postal_channels(world):
    world.receive(vn(2026, 3, 2), channel="postal")
    with world.at(vn(2026, 3, 2)):
        d = sv.dossier_submit_online(None, world.input(channel="online"))
    with world.at(vn(2026, 3, 3)):
        sv.dossier_receive(world.reception, d)
    t = report(world, MAR, END)["received"]
    assert (t["online"], t["direct_postal"]) == (1, 1)


def test_dates_are_local_vietnam_dates(world):
    # 00:30 on 01/03 in Hà Nội is still 28/02 in UTC.
    world.receive(vn(2026, 3, 1, 0, 30))
    assert report(world, MAR, MAR)["received"]["direct_postal"] == 1


def test_subtree_sums_the_agencies_below(world):
    world.receive(vn(2026, 3, 2))
    world.receive(vn(2026, 3, 2), actor=world.other_reception, agency=world.other_ward)
    client = APIClient()
    client.force_authenticate(world.admin)
    world.admin.is_superuser = True
    world.admin.save()
    params = {"agency": world.district.code, "from": MAR, "to": END}
    plain = client.get("/api/v1/reports/bieu06", {**params, "subtree": "false"}).json()
    default = client.get("/api/v1/reports/bieu06", params).json()
    deep = client.get("/api/v1/reports/bieu06", {**params, "subtree": "true"}).json()
    assert plain["totals"]["received"]["total"] == 0
    assert deep["totals"]["received"]["total"] == 2
    assert default["totals"] == deep["totals"]  # a parent includes its sub-units


def test_group_by_procedure_rows_sum_to_totals(world):
    world.receive(vn(2026, 3, 2))
    body_rows = APIClient()
    body_rows.force_authenticate(world.reception)
    body = body_rows.get(
        "/api/v1/reports/bieu06",
        {"agency": world.ward.code, "from": MAR, "to": END, "group_by": "procedure"},
    ).json()
    assert [r["key"] for r in body["rows"]] == [world.procedure.code]
    assert body["rows"][0]["name"] == world.version.name
    assert body["rows"][0]["received"] == body["totals"]["received"]


def test_tet_holidays_move_the_due_date_and_the_figures_follow(world):
    # Received Fri 13/02/2026; Tết 16–20/02 → 3 working days end Wed 25/02.
    d = world.receive(vn(2026, 2, 13))
    due = d.original_due_at.date()
    assert due > date(2026, 2, 20)
    t = report(world, date(2026, 2, 1), due)
    assert t["in_progress"]["within_time"] == 1
    t = report(world, date(2026, 2, 1), due + timedelta(days=1))
    assert t["in_progress"]["overdue"] == 1
