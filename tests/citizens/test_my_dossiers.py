""" "Hồ sơ của tôi" (page and API): every dossier of the signed-in citizen,
in any agency, and nobody else's; each read is in the personal-data log."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.applicants import ApplicantInput
from motcua.portal.qr import qr_path
from motcua.privacy.models import ReadLog
from tests.backoffice.conftest import client_for
from tests.citizens.factories import citizen_client, link_dossier, make_citizen
from tests.dossiers.builders import World, build_world

pytestmark = pytest.mark.django_db

AN = "001090012345"


@pytest.fixture
def world() -> World:
    return build_world()


def _receive(world: World, agency=None, **applicant):
    applicant.setdefault("name", "Nguyễn Văn An")
    applicant.setdefault("phone", "0905000111")
    data = world.input(applicant=ApplicantInput(**applicant))
    if agency is not None:
        data = world.input(agency=agency, applicant=ApplicantInput(**applicant))
    officer = world.reception if agency in (None, world.ward) else world.other_reception
    return services.dossier_receive(officer, data=data)


def _codes(client: Client) -> set[str]:
    rows = client.get("/api/v1/citizen/dossiers/").json()
    return {row["code"] for row in rows}


def test_a_citizen_sees_their_dossiers_in_every_agency_and_nobody_elses(world):
    an, binh = make_citizen(identity=AN), make_citizen(full_name="Trần Thị Bình")
    mine = [_receive(world), _receive(world, agency=world.other_ward)]
    for dossier in mine:
        link_dossier(an, dossier)
    theirs = _receive(world, name="Trần Thị Bình")
    link_dossier(binh, theirs)
    client = citizen_client(an)
    page = client.get("/cong-dan/ho-so/").content.decode()
    for dossier in mine:
        assert dossier.code in page
    assert theirs.code not in page
    assert _codes(client) == {d.code for d in mine}
    assert _codes(citizen_client(binh)) == {theirs.code}


def test_rows_are_newest_first_with_status_agency_due_date_and_tracking_link(world):
    from motcua.dossiers.workflow import Status

    an = make_citizen(identity=AN)
    first, second = _receive(world), _receive(world, agency=world.other_ward)
    link_dossier(an, first)
    link_dossier(an, second)
    rows = citizen_client(an).get("/api/v1/citizen/dossiers/").json()
    assert [r["code"] for r in rows] == [second.code, first.code]
    assert rows[0]["agency"] == world.other_ward.name
    assert rows[1]["procedure"] == first.procedure_version.name
    assert rows[1]["status"] == str(Status(first.status).label)
    assert rows[1]["due_at"] is not None
    assert rows[1]["tracking_url"] == "http://testserver" + qr_path(first)
    tracking = Client().get(qr_path(first))
    assert tracking.status_code == 200
    assert first.code in tracking.content.decode()


def test_the_page_shows_the_status_in_plain_vietnamese(world):
    from motcua.dossiers.workflow import Status

    an = make_citizen(identity=AN)
    dossier = _receive(world)
    link_dossier(an, dossier)
    page = citizen_client(an).get("/cong-dan/ho-so/").content.decode()
    assert str(Status(dossier.status).label) in page
    assert qr_path(dossier) in page


def test_a_vneid_citizen_also_sees_desk_dossiers_of_their_number_and_name(world):
    an = make_citizen(identity=AN, full_name="Nguyễn Văn An")
    desk = _receive(world, id_number=AN, name="NGUYỄN  VĂN AN")
    typo = _receive(world, id_number=AN, name="Nguyễn Văn Ba")  # another person
    other = _receive(world, id_number="001090099999")
    codes = _codes(citizen_client(an))
    assert desk.code in codes
    assert typo.code not in codes and other.code not in codes


def test_a_local_account_never_sees_desk_dossiers_by_number_or_name(world):
    local = make_citizen(full_name="Nguyễn Văn An", verified_by="email")
    _receive(world, id_number=AN, phone=local.phone)
    assert _codes(citizen_client(local)) == set()


def test_each_read_is_logged_without_personal_data(world):
    an = make_citizen(identity=AN)
    link_dossier(an, _receive(world))
    link_dossier(an, _receive(world, agency=world.other_ward))
    client = citizen_client(an)
    client.get("/cong-dan/ho-so/")
    client.get("/api/v1/citizen/dossiers/")
    logged = ReadLog.objects.filter(username=an.user.username)
    assert logged.count() == 4  # two agencies, twice
    assert {row.what for row in logged} == {"queue_list", "api_list"}
    assert all(AN not in row.detail for row in logged)


def test_the_api_is_for_signed_in_citizens_only(world):
    assert Client().get("/api/v1/citizen/dossiers/").status_code in (401, 403)
    staff = client_for(world.reception)
    response = staff.get("/api/v1/citizen/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "citizens.not_citizen"


def test_the_citizen_api_is_in_the_openapi_schema(admin_client):
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    if schema.status_code != 200:
        schema = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    text = schema.content.decode()
    assert "/api/v1/citizen/me/" in text
    assert "/api/v1/citizen/dossiers/" in text
    assert "citizen_dossiers" in text
