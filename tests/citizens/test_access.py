"""Citizens and staff stay apart: the citizen pages and API are for citizens
only; a citizen has no staff page, the admin site or the reports."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.agencies.models import Role
from motcua.citizens.access import current_citizen, is_staff_account
from tests.citizens.factories import citizen_client, make_citizen
from tests.dossiers.builders import build_world, make_user

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_go_to_the_citizen_sign_in_with_next():
    response = Client().get("/cong-dan/ho-so/")
    assert response.status_code == 302
    assert response["Location"] == "/cong-dan/dang-nhap/?next=%2Fcong-dan%2Fho-so%2F"


def test_a_citizen_opens_their_pages():
    client = citizen_client(make_citizen())
    assert client.get("/cong-dan/ho-so/").status_code == 200
    assert client.get("/cong-dan/tai-khoan/").status_code == 200
    assert client.get("/api/v1/citizen/me/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/can-bo/", "/can-bo/tin-nhan/", "/admin/", "/bao-cao/bieu-06/?agency={}"]
)
def test_a_citizen_has_no_staff_page(path):
    world = build_world()
    client = citizen_client(make_citizen())
    response = client.get(path.format(world.ward.pk))
    # the report refuses an agency the user cannot see as unknown (400)
    assert response.status_code in (302, 400, 403), (path, response.status_code)
    if response.status_code == 302:  # the admin: to the (staff) sign-in
        assert response["Location"].startswith(("/accounts/login/", "/admin/login/"))
    assert world.ward.name not in response.content.decode()


def test_the_bare_report_form_lists_no_agency_to_a_citizen():
    world = build_world()
    response = citizen_client(make_citizen()).get("/bao-cao/bieu-06/")
    assert world.ward.name not in response.content.decode()


def test_a_citizen_row_on_a_staff_account_does_not_make_it_a_citizen():
    world = build_world()
    officer = world.reception
    from motcua.citizens.models import Citizen

    Citizen.objects.create(user=officer, verified_by="vneid", identity_number="0" * 12)
    assert is_staff_account(officer)
    client = Client()
    client.force_login(officer)
    assert client.get("/cong-dan/ho-so/").status_code == 302
    response = client.get("/api/v1/citizen/me/")
    assert response.status_code == 403


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser", "role"])
def test_every_kind_of_staff_account_is_not_a_citizen(flag):
    citizen = make_citizen()
    user = citizen.user
    if flag == "role":
        world = build_world()
        make_user("x", world.ward)  # another user; now give ours a role
        from motcua.agencies.models import Membership

        Membership.objects.create(user=user, agency=world.ward, role=Role.MONITOR)
    else:
        setattr(user, flag, True)
        user.save()
    client = Client()
    client.force_login(user)
    request = client.get("/cong-dan/ho-so/").wsgi_request
    assert current_citizen(request) is None


def test_the_portal_root_leads_to_my_dossiers():
    response = Client().get("/cong-dan/")
    assert response["Location"] == "/cong-dan/ho-so/"


@pytest.mark.parametrize("active", [True, False])
def test_the_dossier_rules_and_the_citizen_pages_agree_on_who_is_a_citizen(active):
    """One rule (``dossiers.permissions.is_citizen``): an officer whose account
    also carries a citizen row still acts as the officer, not as an applicant;
    a suspended officer is no citizen either."""
    from motcua.citizens.access import citizen_of
    from motcua.citizens.models import Citizen
    from motcua.core import clock
    from motcua.dossiers.permissions import is_citizen

    world = build_world()
    officer = world.reception
    Citizen.objects.create(user=officer, verified_by="vneid", identity_number="0" * 12)
    if not active:
        officer.memberships.update(is_active=False)
    officer.refresh_from_db()
    assert not is_citizen(officer) and citizen_of(officer) is None
    if active:
        dossier = world.receive(clock.now())  # as the desk, not refused as applicant
        assert dossier.received_by_id == officer.pk
    citizen = make_citizen()
    assert is_citizen(citizen.user) and citizen_of(citizen.user) == citizen
