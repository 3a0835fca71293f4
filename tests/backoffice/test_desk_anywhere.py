"""A centre receives regardless of administrative boundary (Decree 118/2025):
for a procedure its province lists, the desk of another ward of the province
receives for the competent agency with its own role only — the dossier takes the
competent agency's code, records and prints the centre, and the centre sees it
(its receipt) but cannot act on it or on the agency's other dossiers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from motcua.catalog.models import ProvinceReception
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import selectors, services
from motcua.dossiers.models import Dossier
from motcua.slips.services import render_slip
from tests.slips.pdfs import text

from .conftest import client_for

pytestmark = pytest.mark.django_db
DESK = "/can-bo/quay/"


def listed(world: Any, since: date, until: date | None = None) -> ProvinceReception:
    return ProvinceReception.objects.create(
        province=world.city,
        procedure=world.procedure,
        valid_from=since,
        valid_to=until,
        basis="Quyết định số 1/QĐ-UBND ngày 30/6/2025",
    )


@pytest.fixture
def centre_world(world: Any) -> Any:
    """The procedure is settled by the ward only; the other ward is a centre."""
    world.procedure.agencies.set([world.ward])
    return world


def form(world: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "procedure": world.procedure.code,
        "desk_token": "anywhere-1",
        "name": "Nguyễn Thị Bình",
        "kind": "person",
        "id_number": "048190000111",
        "phone": "0905000111",
        "outcome": "receive",
    }
    return data | extra


def test_without_the_provinces_list_the_centre_cannot_receive_it(centre_world):
    world = centre_world
    client = client_for(world.other_reception)
    found = client.get(DESK, {"q": "cai chinh"})
    assert world.version.name not in found.content.decode()
    page = client.get(DESK, {"thu_tuc": world.procedure.code})
    assert "Không tìm thấy thủ tục" in page.content.decode()
    data = services.DossierInput(
        agency=world.ward,
        procedure=world.procedure,
        channel="direct",
        applicant=services.ApplicantInput(name="Bình", phone="0905000111"),
        place=world.other_ward,
    )
    with pytest.raises(DomainError) as refused:
        services.dossier_receive(world.other_reception, data=data)
    assert refused.value.status == 403
    assert not Dossier.objects.exists()


def test_a_listed_procedure_is_received_for_the_competent_agency(centre_world):
    world = centre_world
    listed(world, clock.today() - timedelta(days=30))
    client = client_for(world.other_reception)
    found = client.get(DESK, {"q": "cai chinh"})
    assert world.version.name in found.content.decode()
    page = client.get(DESK, {"thu_tuc": world.procedure.code})
    html = page.content.decode()
    assert 'id="competent-note"' in html and world.ward.name in html

    response = client.post(DESK, form(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get()
    assert dossier.agency == world.ward
    assert dossier.received_by_agency == world.other_ward
    assert dossier.received_by == world.other_reception
    assert dossier.code.startswith(world.ward.code)
    done = client.get(response["Location"])
    assert done.status_code == 200 and dossier.code in done.content.decode()
    receipt = text(render_slip(dossier, "receipt", base_url="https://x.vn/"))
    assert "Nơi tiếp nhận" in receipt and world.other_ward.name in receipt
    # The ward's staff see it in their agency, as any dossier of theirs.
    assert selectors.dossier_for(world.specialist, dossier.code) is not None


def test_the_centre_sees_what_it_received_and_nothing_else(centre_world):
    world = centre_world
    listed(world, clock.today() - timedelta(days=30))
    own = world.receive(clock.now())  # received by the ward itself
    client = client_for(world.other_reception)
    client.post(DESK, form(world))
    received = Dossier.objects.exclude(pk=own.pk).get()
    assert selectors.dossier_for(world.other_reception, received.code) is not None
    assert selectors.dossier_for(world.other_reception, own.code) is None
    with pytest.raises(DomainError) as refused:  # acting is the ward's
        services.dossier_assign(
            world.other_reception, received, assignee=world.specialist
        )
    assert refused.value.status in (403, 404)


def test_the_list_has_a_period(centre_world):
    world = centre_world
    today = clock.today()
    listed(world, today - timedelta(days=60), until=today - timedelta(days=1))
    client = client_for(world.other_reception)
    page = client.get(DESK, {"thu_tuc": world.procedure.code})
    assert "Không tìm thấy thủ tục" in page.content.decode()
    response = client.post(DESK, form(world))
    assert response.status_code != 302
    assert not Dossier.objects.exists()


def test_with_several_competent_agencies_the_officer_chooses(centre_world):
    from motcua.agencies.services import agency_create

    world = centre_world
    third = agency_create(
        code="000.03.01.999",
        name="UBND phường An Hải",
        level="ward",
        parent=world.district,
    )
    world.procedure.agencies.add(third)
    listed(world, clock.today() - timedelta(days=30))
    client = client_for(world.other_reception)
    page = client.get(DESK, {"thu_tuc": world.procedure.code})
    html = page.content.decode()
    assert "UBND phường An Hải" in html and world.ward.name in html
    response = client.post(DESK, form(world, competent=str(third.pk)))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Dossier.objects.get().agency == third
    other_centre = client.post(
        DESK, form(world, competent=str(world.other_ward.pk), desk_token="t-9")
    )
    assert other_centre.status_code == 400  # not a competent agency
    assert Dossier.objects.count() == 1


def test_the_api_receives_for_the_competent_agency_too(centre_world):
    from rest_framework.test import APIClient

    world = centre_world
    api = APIClient()
    api.force_authenticate(world.other_reception)
    body = {
        "agency": world.ward.code,
        "procedure": world.procedure.code,
        "channel": "direct",
        "received_by_agency": world.other_ward.code,
        "applicant": {"name": "Nguyễn Văn An", "id_number": "048090001234"},
    }
    refused = api.post("/api/v1/dossiers/", body, format="json")
    assert refused.status_code == 403  # not on the province's list yet
    listed(world, clock.today() - timedelta(days=30))
    created = api.post("/api/v1/dossiers/", body, format="json")
    assert created.status_code == 201, created.content
    dossier = Dossier.objects.get(code=created.json()["code"])
    assert (dossier.agency, dossier.received_by_agency) == (
        world.ward,
        world.other_ward,
    )
    detail = api.get(f"/api/v1/dossiers/{dossier.code}/")
    assert detail.status_code == 200
    assert detail.json()["received_by_agency"]["code"] == world.other_ward.code
    assert detail.json() == created.json()  # the 201 is built from what was written
