"""The signing pages: who may open them, and what they show."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.core import clock
from motcua.signing.models import DutyRota, LeaderCertificate, TrustedRoot
from motcua.signing.services import (
    approve_and_sign,
)
from tests.backoffice.conftest import client_for as backoffice_client_for
from tests.dossiers.builders import make_user, vn

pytestmark = pytest.mark.django_db
BASE = "/can-bo/ky-so/"
MON = vn(2025, 6, 2)


def client_for(user) -> Client:
    """Signed in as a person would be (two factors where required)."""
    if user is None:
        return Client()
    return backoffice_client_for(user)


@pytest.fixture
def signed_file(world, awaiting_approval, certificate, trusted):
    dossier, draft = awaiting_approval
    with world.at(vn(2025, 6, 3, 14)):
        return approve_and_sign(world.leader, dossier, result_file=draft)


@pytest.mark.parametrize(
    "path",
    ["chung-thu/", "goc-tin-cay/", "lich-truc/", "xac-minh/1/", "phe-duyet/1/"],
)
def test_anonymous_visitors_are_sent_to_log_in(path):
    response = Client().get(BASE + path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# ------------------------------------------------------------ certificates
def test_the_agency_admin_sees_and_uploads_certificates(world, leader_p12):
    client = client_for(world.admin)
    assert client.get(BASE + "chung-thu/").status_code == 200
    response = client.post(
        f"{BASE}chung-thu/?co-quan={world.ward.pk}",
        {
            "leader": world.leader.pk,
            "p12": SimpleUploadedFile("ld.p12", leader_p12.p12),
            "password": leader_p12.password,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    assert "Trần Thị Bình" in page and "Còn hiệu lực" in page
    assert leader_p12.password not in page
    assert LeaderCertificate.objects.get().user == world.leader


def test_a_wrong_password_is_shown_without_echoing_it(world, leader_p12):
    response = client_for(world.admin).post(
        BASE + "chung-thu/",
        {
            "leader": world.leader.pk,
            "p12": SimpleUploadedFile("ld.p12", leader_p12.p12),
            "password": "mat-khau-sai-123",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "sai mật khẩu" in page
    assert "mat-khau-sai-123" not in page
    assert not LeaderCertificate.objects.exists()


@pytest.mark.parametrize("who", ["leader", "specialist", "reception"])
def test_staff_who_are_not_agency_admins_cannot_manage_certificates(world, who):
    client = client_for(getattr(world, who))
    assert client.get(BASE + "chung-thu/").status_code == 403
    assert client.post(BASE + "chung-thu/", {}).status_code == 403


def test_the_admin_of_another_agency_cannot_open_this_agencys_certificates(world):
    other_admin = make_user("qt-khac", world.other_ward, "agency_admin")
    response = client_for(other_admin).get(f"{BASE}chung-thu/?co-quan={world.ward.pk}")
    assert response.status_code == 403


def test_deactivating_a_certificate(world, certificate):
    url = f"{BASE}chung-thu/{certificate.pk}/ngung-su-dung/"
    assert client_for(world.leader).post(url).status_code == 403
    assert client_for(world.admin).post(url).status_code == 302
    certificate.refresh_from_db()
    assert not certificate.is_active


# ------------------------------------------------------------ trusted roots
def test_trusted_roots_are_read_by_admins_and_added_by_system_admins(
    world, ca, system_admin
):
    url = BASE + "goc-tin-cay/"
    upload = {"name": "CA thử", "certificate": SimpleUploadedFile("ca.pem", b"x")}
    assert client_for(world.admin).get(url).status_code == 200
    assert client_for(world.admin).post(url, upload).status_code == 403
    assert client_for(world.leader).get(url).status_code == 403
    bad = client_for(system_admin).post(
        url, {"name": "CA thử", "certificate": SimpleUploadedFile("ca.pem", b"x")}
    )
    assert bad.status_code == 400 and "X.509" in bad.content.decode()
    good = client_for(system_admin).post(
        url,
        {
            "name": "CA thử",
            "certificate": SimpleUploadedFile("ca.pem", ca.pem.encode()),
        },
    )
    assert good.status_code == 302
    assert TrustedRoot.objects.get().name == "CA thử"


# ------------------------------------------------------------ duty rota
def test_a_leader_fills_the_weeks_rota(world):
    client = client_for(world.leader)
    with clock.frozen_at(MON):
        response = client.post(
            BASE + "lich-truc/",
            {"date": "03/06/2025", "session": "morning", "leader": world.leader.pk},
        )
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert "03/06/2025" in page and world.leader.username in page
    entry = DutyRota.objects.get()
    with clock.frozen_at(MON):
        removed = client.post(f"{BASE}lich-truc/{entry.pk}/xoa/")
    assert removed.status_code == 302
    assert not DutyRota.objects.exists()


def test_staff_read_the_rota_but_do_not_edit_it(world):
    client = client_for(world.specialist)
    with clock.frozen_at(MON):
        assert client.get(BASE + "lich-truc/?tuan=2025-06-02").status_code == 200
        response = client.post(
            BASE + "lich-truc/",
            {"date": "03/06/2025", "session": "morning", "leader": world.leader.pk},
        )
    assert response.status_code == 403
    assert not DutyRota.objects.exists()


def test_another_agency_cannot_see_or_touch_the_rota(world):
    with clock.frozen_at(MON):
        entry = DutyRota.objects.create(
            agency=world.ward,
            leader=world.leader,
            date=MON.date(),
            session="morning",
            updated_by=world.leader,
            updated_at=MON,
        )
        client = client_for(world.other_reception)
        response = client.get(f"{BASE}lich-truc/?co-quan={world.ward.pk}")
        assert response.status_code == 403
        assert client.post(f"{BASE}lich-truc/{entry.pk}/xoa/").status_code == 404
    assert DutyRota.objects.exists()


def test_a_refused_rota_change_is_a_400_with_the_reason(world):
    with clock.frozen_at(MON):
        response = client_for(world.leader).post(
            BASE + "lich-truc/",
            {"date": "30/05/2025", "session": "morning", "leader": world.leader.pk},
        )
    assert response.status_code == 400
    assert "ngày đã qua" in response.content.decode()


# ------------------------------------------------------------ verification
def test_staff_of_the_agency_see_the_signature_verified(world, signed_file):
    response = client_for(world.reception).get(f"{BASE}xac-minh/{signed_file.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chữ ký số hợp lệ" in page
    assert "Trần Thị Bình" in page
    assert "14:00 thứ Ba, 03/06/2025" in page


def test_another_agency_does_not_see_the_file(world, signed_file):
    response = client_for(world.other_reception).get(
        f"{BASE}xac-minh/{signed_file.pk}/"
    )
    assert response.status_code == 404


def test_an_unsigned_or_damaged_file_is_reported_not_crashing(
    world, awaiting_approval, media
):
    _, draft = awaiting_approval
    client = client_for(world.specialist)
    page = client.get(f"{BASE}xac-minh/{draft.pk}/").content.decode()
    assert "Chưa ký số" in page
    draft.file.storage.delete(draft.file.name)
    assert client.get(f"{BASE}xac-minh/{draft.pk}/").status_code == 200


# ------------------------------------------------------------ approve & sign
def test_the_leader_approves_and_signs_from_the_page(
    world, awaiting_approval, certificate, trusted
):
    dossier, draft = awaiting_approval
    client = client_for(world.leader)
    url = f"{BASE}phe-duyet/{dossier.pk}/"
    assert client.get(url).status_code == 200
    with clock.frozen_at(vn(2025, 6, 3, 14)):
        response = client.post(url, {"result_file": draft.pk, "note": "Đồng ý"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Chữ ký số hợp lệ" in page and "quyet-dinh-da-ky.pdf" in page


def test_approving_without_a_certificate_is_a_400_not_a_500(world, awaiting_approval):
    dossier, draft = awaiting_approval
    response = client_for(world.leader).post(
        f"{BASE}phe-duyet/{dossier.pk}/", {"result_file": draft.pk}
    )
    assert response.status_code == 400
    assert "chưa có chứng thư số" in response.content.decode()


@pytest.mark.parametrize("who", ["specialist", "reception", "other_reception"])
def test_only_leaders_of_the_agency_open_approve_and_sign(
    world, awaiting_approval, who
):
    dossier, _ = awaiting_approval
    response = client_for(getattr(world, who)).get(f"{BASE}phe-duyet/{dossier.pk}/")
    assert response.status_code in (403, 404)
