"""A result issued electronically — the PDF the leader signed here, attached as
the dossier's result — is downloadable by the applicant only: the citizen
account the dossier is tied to, signed in. Anyone else gets 404, a draft or an
unfinished result is never offered, and every download is in the read log of
personal data like an officer's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from weasyprint import HTML

from motcua.dossiers import services
from motcua.dossiers.files import dossier_file_upload
from motcua.dossiers.models import Dossier, DossierFile
from motcua.portal.qr import qr_path, token_for
from motcua.privacy.models import ReadLog
from motcua.signing.services import (
    approve_and_sign,
    certificate_upload,
    trusted_root_upload,
)
from tests.citizens.factories import citizen_client, link_dossier, make_citizen
from tests.dossiers.builders import World, build_world, vn
from tests.signing.ca import ThrowawayCA, make_ca

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2, 9)
APPLICANT_NAME = "Nguyễn Văn An"


@pytest.fixture(scope="module")
def ca() -> ThrowawayCA:
    return make_ca("MotCua Portal Test Root CA")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def result_pdf(title: str = "Giấy khai sinh số 123/2025") -> bytes:
    html = (
        f"<html lang='vi'><body><h1>{title}</h1>"
        f"<p>Cấp cho ông {APPLICANT_NAME}.</p></body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


def trust_and_certify(world: World, ca: ThrowawayCA) -> None:
    """The system trusts ``ca``; the ward's leader signs with a certificate
    it issued."""
    root = get_user_model().objects.create_superuser(
        f"root-{world.ward.pk}", password="x"
    )
    trusted_root_upload(root, name="CA thử nghiệm", data=ca.pem.encode())
    issued = ca.issue("Trần Thị Bình")
    certificate_upload(
        world.admin,
        user=world.leader,
        agency=world.ward,
        p12_bytes=issued.p12,
        password=issued.password,
    )


def approved_with_signature(
    world: World, ca: ThrowawayCA, citizen: Any, *, finish: bool = True
) -> tuple[Dossier, DossierFile, DossierFile]:
    """Submitted online by ``citizen``, received, a result drafted, approved
    and signed by the leader, and (``finish``) marked ready at the desk.
    Returns the dossier, the draft and the signed result."""
    trust_and_certify(world, ca)
    with world.at(MON):
        dossier = services.dossier_submit_online(
            citizen.user, world.input(channel="online")
        )
        link_dossier(citizen, dossier)
        dossier = services.dossier_receive(world.reception, dossier)
        dossier = services.dossier_assign(
            world.leader, dossier, assignee=world.specialist
        )
        draft = dossier_file_upload(
            world.specialist,
            dossier,
            upload=ContentFile(result_pdf(), name="giay-khai-sinh.pdf"),
            kind=DossierFile.Kind.RESULT,
        )
    with world.at(MON + timedelta(hours=2)):
        dossier = services.dossier_submit(world.specialist, dossier)
    with world.at(MON + timedelta(hours=3)):
        signed = approve_and_sign(world.leader, dossier, result_file=draft)
    if finish:
        with world.at(MON + timedelta(hours=4)):
            services.dossier_finish(world.reception, Dossier.objects.get(pk=dossier.pk))
    dossier.refresh_from_db()
    return dossier, draft, signed


def download_url(dossier: Dossier, item: DossierFile) -> str:
    return f"/tra-cuu/ket-qua/{token_for(dossier)}/{item.pk}/"


def stored_bytes(item: DossierFile) -> bytes:
    with item.file.open("rb") as stream:
        return bytes(stream.read())


def test_the_applicant_downloads_the_signed_result_and_the_read_is_logged(media, ca):
    world = build_world()
    citizen = make_citizen()
    dossier, _, signed = approved_with_signature(world, ca, citizen)
    client = citizen_client(citizen)
    page = client.get(qr_path(dossier)).content.decode()
    assert "Kết quả điện tử có chữ ký số" in page
    assert download_url(dossier, signed) in page
    response = client.get(download_url(dossier, signed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == stored_bytes(signed)
    row = ReadLog.objects.get()
    assert (row.user_id, row.dossier_id, row.what) == (
        citizen.user.pk,
        dossier.pk,
        ReadLog.What.FILE_VIEW,
    )
    assert row.dossier_code == dossier.code


def test_anyone_else_gets_404_and_nothing_is_logged(media, ca):
    world = build_world()
    dossier, _, signed = approved_with_signature(world, ca, make_citizen())
    stranger = citizen_client(make_citizen(full_name="Trần Văn Bảo"))
    officer = Client()
    officer.force_login(world.reception)
    for client in (stranger, Client(), officer):
        assert client.get(download_url(dossier, signed)).status_code == 404
    stranger_page = stranger.get(qr_path(dossier)).content.decode()
    assert "Chỉ người nộp hồ sơ tải được kết quả điện tử" in stranger_page
    assert download_url(dossier, signed) not in stranger_page
    assert "/cong-dan/dang-nhap/?next=" in stranger_page
    assert not ReadLog.objects.exists()


def test_a_draft_or_an_unfinished_result_is_never_offered(media, ca):
    world = build_world()
    citizen = make_citizen()
    dossier, draft, signed = approved_with_signature(world, ca, citizen, finish=False)
    client = citizen_client(citizen)
    assert client.get(download_url(dossier, signed)).status_code == 404  # not ready
    services.dossier_finish(world.reception, dossier)
    assert client.get(download_url(dossier, draft)).status_code == 404  # unsigned
    assert client.get(download_url(dossier, signed)).status_code == 200


def test_a_file_of_another_dossier_is_not_reachable_through_this_token(media, ca):
    world = build_world()
    citizen = make_citizen()
    dossier, _, signed = approved_with_signature(world, ca, citizen)
    with world.at(MON):
        own_other = services.dossier_submit_online(
            citizen.user, world.input(channel="online")
        )
        link_dossier(citizen, own_other)
    url = f"/tra-cuu/ket-qua/{token_for(own_other)}/{signed.pk}/"
    assert citizen_client(citizen).get(url).status_code == 404
    forged = download_url(dossier, signed).replace(token_for(dossier)[-5:], "AAAAA")
    assert citizen_client(citizen).get(forged).status_code == 404
