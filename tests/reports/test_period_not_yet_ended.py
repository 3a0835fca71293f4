"""Columns (11)–(14) of a period that has not ended yet (``to`` after today) are
as of today: a dossier due next week is not "overdue at the end of the month"
while the month is still running (docs/figures.md, "A period not yet ended").

A walkthrough on a fresh demo (``load_demo --days 20 --per-day 1``, 01/12/2026
about 11:00) saw phường Hòa Cường's in-progress section go from 3 overdue / 0
within time to 0 overdue / 3 within time. The same numbers come from a period
ending after today (to = 31/12): the three open dossiers, due 07, 14 and 23/12,
were counted overdue on 01/12; ending today, they were within time, as on the
leaders' board."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.dossiers import services as sv
from motcua.dossiers import timing
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantInput, DossierInput
from motcua.reports import recompute

from ..dossiers.builders import World, build_world, vn

pytestmark = pytest.mark.django_db

DEC, TODAY, END = date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 31)


def api(user, agency: Agency, start: date, end: date, cell: str = "") -> dict | set:
    client = APIClient()
    client.force_authenticate(user)
    params = {"agency": agency.code, "from": start, "to": end}
    if cell:
        params["cell"] = cell
        body = client.get("/api/v1/reports/bieu06/dossiers", params).json()
        return {d["code"] for d in body["results"]}
    response = client.get("/api/v1/reports/bieu06", params)
    assert response.status_code == 200, response.json()
    return response.json()["totals"]["in_progress"]


def test_a_dossier_due_later_this_month_is_within_time_until_it_is_late():
    world: World = build_world(value=3)  # 3 working days
    d = world.processing(vn(2026, 12, 1, 9))  # due Fri 04/12
    assert timing.local_day(d.original_due_at) == date(2026, 12, 4)
    within = {"total": 1, "within_time": 1, "overdue": 0, "paused": 0}
    overdue = {"total": 1, "within_time": 0, "overdue": 1, "paused": 0}

    def dec(end: date, cell: str = "") -> dict | set:
        return api(world.reception, world.ward, DEC, end, cell)

    with clock.frozen_at(vn(2026, 12, 2, 11)):
        # The month so far, the month, today: the same answer — not overdue.
        for end in (TODAY, date(2026, 12, 5), END):
            assert dec(end) == within, end
            assert dec(end, "in_progress.overdue") == set()
            assert dec(end, "in_progress.within_time") == {d.code}
        # A period not yet begun has the same stock (nothing new in it).
        january = (date(2027, 1, 1), date(2027, 1, 31))
        assert api(world.reception, world.ward, *january) == within
        # Equal to the board's rule at this instant.
        assert not timing.is_overdue(d, clock.now())
    with clock.frozen_at(vn(2026, 12, 7, 8)):
        # Late now: the month and the month so far say overdue, and stay so.
        for end in (date(2026, 12, 7), END):
            assert dec(end) == overdue, end
            assert dec(end, "in_progress.overdue") == {d.code}
        # A past day's figures are that day's: within time on 04/12.
        assert dec(date(2026, 12, 4)) == within
        assert timing.is_overdue(d, clock.now())
    _, problems = recompute.verify()
    assert problems == []


def test_demo_walkthrough_month_and_today_agree_before_and_after_an_action():
    """The colleague's sequence: a fresh demo, Biểu 06 of the ward for the
    month and for the month so far, then one dossier received, assigned,
    finished and returned through the services, then the report again."""
    with clock.frozen_at(vn(2026, 12, 1, 10, 58)):
        call_command("load_demo", "--days", "20", "--per-day", "1")
    ward = Agency.objects.get(code="000.10.00.H17")
    users = get_user_model().objects
    desk = users.get(username="tiepnhan.hoacuong")
    specialist = users.get(username="chuyenvien.hoacuong")
    with clock.frozen_at(vn(2026, 12, 1, 11)):
        open_now = Dossier.objects.filter(agency=ward, status="processing")
        late = [x for x in open_now if timing.is_overdue(x, clock.now())]
        first = {end: api(desk, ward, DEC, end) for end in (date(2026, 12, 1), END)}
        assert first[END] == first[date(2026, 12, 1)]
        assert first[END]["overdue"] == len(late)
        assert first[END]["within_time"] == open_now.count() - len(late)
        d = sv.dossier_receive(
            desk,
            data=DossierInput(
                agency=ward,
                procedure=Procedure.objects.get(code="1.004884"),
                channel="online",
                applicant=ApplicantInput(
                    name="Nguyễn Văn An", id_number="048090001234"
                ),
            ),
        )
        d = sv.dossier_assign(desk, d, assignee=specialist)
        d = sv.dossier_finish(specialist, d, result_summary="Đã cấp")
        sv.dossier_return_result(desk, d)
    with clock.frozen_at(vn(2026, 12, 1, 11, 2)):
        again = {end: api(desk, ward, DEC, end) for end in first}
    assert again == first  # received and settled the same day: no stock change
    _, problems = recompute.verify()
    assert problems == []
