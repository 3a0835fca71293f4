"""The staff home links every neighbouring section; the signing rota shown at
the desk and on the leader board is today's in Vietnam, not in UTC."""

from __future__ import annotations

from datetime import date, datetime

import time_machine

from motcua.agencies.models import Role
from motcua.deadlines.engine import VN_TZ
from motcua.signing.services import duty_set

from ..dossiers.builders import make_user
from .conftest import client_for


def test_a_leaders_home_links_reports_signing_and_the_register(world):
    page = client_for(world.leader).get("/can-bo/").content.decode()
    assert 'id="card-reports" href="/bao-cao/bieu-06/"' in page
    assert 'id="card-signing" href="/can-bo/ky-so/lich-truc/"' in page
    assert 'id="card-register" href="/can-bo/phieu/so-theo-doi/"' in page


def test_before_7am_the_desk_shows_todays_duty_not_yesterdays(world):
    yesterday_leader = make_user("ld-homqua", world.ward, Role.LEADER)
    yesterday_leader.last_name, yesterday_leader.first_name = "Ngô", "Hôm Qua"
    yesterday_leader.save()
    world.leader.last_name, world.leader.first_name = "Trần", "Hôm Nay"
    world.leader.save()
    # 06:30 on Tuesday 03/06/2025 in Vietnam is still Monday 02/06 in UTC.
    with time_machine.travel(datetime(2025, 6, 1, 9, tzinfo=VN_TZ), tick=False):
        for day, leader in ((2, yesterday_leader), (3, world.leader)):
            duty_set(
                world.leader,
                agency=world.ward,
                date=date(2025, 6, day),
                session="morning",
                leader=leader,
            )
    early = datetime(2025, 6, 3, 6, 30, tzinfo=VN_TZ)
    with time_machine.travel(early, tick=False):
        desk = client_for(world.reception).get("/can-bo/quay/").content.decode()
        board = client_for(world.leader).get("/can-bo/lanh-dao/").content.decode()
    for page in (desk, board):
        assert "Trần Hôm Nay" in page
        assert "Ngô Hôm Qua" not in page


def test_after_a_merger_the_back_office_opens_at_the_successor(world):
    """The merger leaves the ward's staff their roles at the former ward (to
    finish its history) and gives them the successor's: by default they work
    at the successor, whatever the names' order; the former stays selectable."""
    from datetime import date

    from motcua.agencies.models import Agency
    from motcua.agencies.services import agency_create, agency_merge

    successor = agency_create(
        code="000.10.00.H17", name="UBND phường Hòa Cường", level=Agency.Level.WARD
    )
    Agency.objects.filter(pk=world.ward.pk).update(name="UBND phường An Hải cũ")
    agency_merge([world.ward], successor, on=date(2025, 7, 1))
    page = client_for(world.reception).get("/can-bo/")
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["desk"].agency == successor
    assert "UBND phường An Hải cũ" in html  # still in the switcher
