"""The read-log page: agency administrators (and system administrators) search
the log of the agencies they administer, and nothing else."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from motcua.agencies.models import Role
from motcua.core import clock
from motcua.privacy.models import ReadLog
from motcua.privacy.selectors import ReadLogQuery, read_log_page
from motcua.privacy.services import record_read
from tests.dossiers.builders import World, make_user, vn

pytestmark = pytest.mark.django_db
URL = "/can-bo/nhat-ky-truy-cap/"


def two_factor_client(user: Any) -> Client:
    """A session that passed the second factor, as allauth records it."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "mfa", "at": time.time(), "type": "totp"}
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reads(world: World) -> dict[str, Any]:
    """Ward A: the specialist read a dossier; ward B: its desk read one."""
    mine = world.receive(vn(2026, 3, 2))
    theirs = world.receive(
        vn(2026, 3, 2), actor=world.other_reception, agency=world.other_ward
    )
    with clock.frozen_at(vn(2026, 3, 3, 10)):
        record_read(world.specialist, dossier=mine, what="dossier_view")
    with clock.frozen_at(vn(2026, 3, 4, 10)):
        record_read(world.other_reception, dossier=theirs, what="slip")
    return {"mine": mine, "theirs": theirs}


def test_the_agency_admin_sees_their_agencys_reads_only(
    world: World, reads: dict[str, Any]
) -> None:
    response = two_factor_client(world.admin).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhật ký truy cập dữ liệu cá nhân" in html
    assert reads["mine"].code in html and world.specialist.username in html
    assert reads["theirs"].code not in html
    assert world.other_reception.username not in html


def test_ward_bs_admin_sees_nothing_of_ward_a_even_by_asking(
    world: World, reads: dict[str, Any]
) -> None:
    admin_b = make_user("qt-b", world.other_ward, Role.AGENCY_ADMIN)
    client = two_factor_client(admin_b)
    for params in (
        {"ma_ho_so": reads["mine"].code},
        {"co_quan": world.ward.code},
        {"can_bo": world.specialist.username},
    ):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert list(response.context["rows"]) == [], params
    html = client.get(URL).content.decode()
    assert reads["theirs"].code in html


def test_a_reception_officer_cannot_open_the_page(world: World) -> None:
    assert signed_in(world.reception).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302


def test_the_admin_needs_two_factors_first(world: World) -> None:
    response = signed_in(world.admin).get(URL)
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]


def test_a_system_admin_sees_every_agency(world: World, reads: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="pw-root")
    html = two_factor_client(root).get(URL).content.decode()
    assert reads["mine"].code in html and reads["theirs"].code in html


def test_search_by_code_staff_kind_and_dates(
    world: World, reads: dict[str, Any]
) -> None:
    with clock.frozen_at(vn(2026, 3, 5, 10)):
        record_read(world.leader, dossier=reads["mine"], what="api_detail")
    client = two_factor_client(world.admin)

    def found(**params: str) -> list[str]:
        response = client.get(URL, params)
        assert response.status_code == 200, params
        return [r.username for r in response.context["rows"]]

    assert found(ma_ho_so=reads["mine"].code) == [
        world.leader.username,
        world.specialist.username,
    ]
    assert found(can_bo=world.leader.username) == [world.leader.username]
    assert found(loai="dossier_view") == [world.specialist.username]
    assert found(tu="2026-03-04", den="2026-03-05") == [world.leader.username]
    assert found(den="2026-03-03") == [world.specialist.username]


@pytest.mark.parametrize(
    "params",
    [
        {"tu": "03/03/2026"},
        {"tu": "2026-03-05", "den": "2026-03-01"},
        {"loai": "everything"},
        {"sau": "abc"},
        {"ma_ho_so": "x" * 65},
    ],
)
def test_bad_parameters_are_a_400_page_in_vietnamese(
    world: World, params: dict[str, str]
) -> None:
    response = two_factor_client(world.admin).get(URL, params)
    assert response.status_code == 400
    assert "Chưa thực hiện được" in response.content.decode()


def test_pages_are_keyset_newest_first_without_gaps_or_repeats(world: World) -> None:
    dossier = world.receive(vn(2026, 3, 2))
    start = vn(2026, 3, 3, 8)
    for i in range(7):  # two rows share an instant: the id breaks the tie
        with clock.frozen_at(start + timedelta(minutes=i // 2)):
            record_read(world.specialist, dossier=dossier, what="dossier_view")
    expected = list(ReadLog.objects.order_by("-at", "-id").values_list("pk", flat=True))
    seen: list[int] = []
    cursor = None
    while True:
        page = read_log_page(world.admin, ReadLogQuery(cursor=cursor, limit=3))
        seen += [r.pk for r in page.items]
        if page.next_cursor is None:
            break
        from motcua.privacy.selectors import _cursor

        cursor = _cursor(page.next_cursor)
    assert seen == expected


def test_the_navigation_shows_the_link_to_admins_only(world: World) -> None:
    assert (
        'id="nav-read-log"'
        in two_factor_client(world.admin).get("/can-bo/").content.decode()
    )
    assert (
        'id="nav-read-log"'
        not in signed_in(world.specialist).get("/can-bo/").content.decode()
    )
