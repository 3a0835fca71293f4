"""Fixtures of the signing tests: a throwaway CA, a leader's PKCS#12, a world."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from weasyprint import HTML

from motcua.dossiers import services as dossiers
from motcua.dossiers.files import dossier_file_upload
from motcua.dossiers.models import Dossier, DossierFile
from motcua.signing.models import LeaderCertificate, TrustedRoot
from motcua.signing.services import certificate_upload, trusted_root_upload
from tests.dossiers.builders import World, build_world, vn

from .ca import Issued, ThrowawayCA, make_ca


@pytest.fixture(scope="session")
def ca() -> ThrowawayCA:
    return make_ca()


@pytest.fixture(scope="session")
def leader_p12(ca: ThrowawayCA) -> Issued:
    return ca.issue("Trần Thị Bình")


@pytest.fixture(scope="session")
def result_pdf() -> bytes:
    return make_pdf("Quyết định cải chính hộ tịch số 12/QĐ-UBND")


def make_pdf(title: str) -> bytes:
    html = (
        "<html lang='vi'><body><h1>" + title + "</h1>"
        "<p>Ủy ban nhân dân phường Hòa Cường Nam quyết định: cho phép cải chính "
        "thông tin hộ tịch của ông Nguyễn Văn An.</p></body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def system_admin(db: None) -> Any:
    return get_user_model().objects.create_superuser("root", password="x")


@pytest.fixture
def trusted(ca: ThrowawayCA, system_admin: Any) -> TrustedRoot:
    return trusted_root_upload(system_admin, name="CA thử nghiệm", data=ca.pem.encode())


@pytest.fixture
def certificate(world: World, leader_p12: Issued) -> LeaderCertificate:
    return certificate_upload(
        world.admin,
        user=world.leader,
        agency=world.ward,
        p12_bytes=leader_p12.p12,
        password=leader_p12.password,
    )


@pytest.fixture
def awaiting_approval(
    world: World, media: Path, result_pdf: bytes
) -> tuple[Dossier, DossierFile]:
    """Received Mon 02/06/2025, assigned, a result drafted, and submitted to the
    leader on Tue 03/06 10:00."""
    monday = vn(2025, 6, 2)
    dossier = world.receive(monday)
    with world.at(monday + timedelta(hours=1)):
        dossier = dossiers.dossier_assign(
            world.leader, dossier, assignee=world.specialist
        )
        draft = dossier_file_upload(
            world.specialist,
            dossier,
            upload=ContentFile(result_pdf, name="quyet-dinh.pdf"),
            kind=DossierFile.Kind.RESULT,
        )
    with world.at(vn(2025, 6, 3, 10)):
        dossier = dossiers.dossier_submit(world.specialist, dossier)
    return dossier, draft
