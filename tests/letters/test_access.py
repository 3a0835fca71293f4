"""Who may download a letter: staff who may see the dossier, and the citizen
whose returned dossier it is; anyone else gets the same 404."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.privacy.models import ReadLog
from tests.backoffice.conftest import client_for
from tests.citizens.factories import citizen_client, link_dossier, make_citizen
from tests.dossiers.builders import make_user

from .helpers import approved, letter_template, name_leader, pdf_text, returned

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.letters.urls")]


def staff_url(dossier):
    return f"/thu-gui-kem/can-bo/{dossier.code}.pdf"


def citizen_url(dossier):
    return f"/thu-gui-kem/cong-dan/{dossier.code}.pdf"


def test_staff_of_the_agency_print_the_letter_and_the_read_is_logged(world):
    letter_template(world)
    name_leader(world)
    dossier = approved(world)
    r = client_for(world.reception).get(staff_url(dossier))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Cache-Control"] == "private, no-store"
    assert "Trần Thị Thu" in pdf_text(r.content)
    assert ReadLog.objects.filter(
        user=world.reception, dossier_id=dossier.pk, detail="thu"
    ).exists()


def test_staff_of_another_agency_and_anonymous_get_nothing(world):
    letter_template(world)
    dossier = approved(world)
    r = client_for(world.other_reception).get(staff_url(dossier))
    assert r.status_code == 404
    assert Client().get(staff_url(dossier)).status_code in (302, 404)
    assert client_for(world.reception).get(
        "/thu-gui-kem/can-bo/x%00.pdf"
    ).status_code in (400, 404)


def test_no_template_means_404_for_staff(world):
    dossier = approved(world)
    assert client_for(world.reception).get(staff_url(dossier)).status_code == 404


def test_the_citizen_downloads_the_letter_of_their_own_returned_dossier(world):
    letter_template(world)
    dossier = approved(world)
    citizen = make_citizen()
    link_dossier(citizen, dossier)
    client = citizen_client(citizen)
    assert client.get(citizen_url(dossier)).status_code == 404  # not yet returned
    page = client.get("/cong-dan/ho-so/").content.decode()
    assert citizen_url(dossier) not in page
    dossier = returned(world)  # another dossier, returned
    link_dossier(citizen, dossier)
    r = client.get(citizen_url(dossier))
    assert r.status_code == 200 and "THƯ CHÚC MỪNG" in pdf_text(r.content)
    page = client.get("/cong-dan/ho-so/").content.decode()
    assert citizen_url(dossier) in page and "Tải thư chúc mừng (PDF)" in page


def test_another_citizen_and_staff_on_the_citizen_path_get_404(world):
    letter_template(world)
    dossier = returned(world)
    link_dossier(make_citizen(), dossier)
    other = citizen_client(make_citizen(full_name="Lê Thị Bình"))
    assert other.get(citizen_url(dossier)).status_code == 404
    assert citizen_url(dossier) not in other.get("/cong-dan/ho-so/").content.decode()
    staff = client_for(world.reception).get(citizen_url(dossier))
    assert staff.status_code in (302, 404)


def test_the_return_desk_and_the_dossier_page_offer_the_letter(world):
    letter_template(world)
    dossier = approved(world)
    desk = client_for(world.reception)
    page = desk.get("/can-bo/tra-ket-qua/", {"ma": dossier.code}).content.decode()
    assert staff_url(dossier) in page and "In thư chúc mừng" in page
    page = desk.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert staff_url(dossier) in page and 'id="letter-link"' in page


def test_a_monitor_elsewhere_is_refused(world):
    dossier = approved(world)
    letter_template(world)
    stranger = make_user("khach-la")
    assert client_for(stranger).get(staff_url(dossier)).status_code in (302, 403, 404)
