"""The desk submits online for a citizen it helps ("tổ hướng dẫn nộp hồ sơ
trực tuyến"), then receives the dossier like any online one: official code
and due date."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.agencies.models import Role
from motcua.citizens.models import Citizen, CitizenDossier
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.workflow import Status
from motcua.online.models import Draft
from motcua.privacy.models import ReadLog
from tests.citizens.factories import citizen_client, make_citizen
from tests.dossiers.builders import make_user

from .builders import BIRTH_ANSWERS, MON, build_online, mother_citizen, pdf


@pytest.fixture
def online(db: None) -> Any:
    return build_online()


def _officer(online: Any) -> Client:
    client = Client()
    client.force_login(online.world.reception)
    return client


def _fill(online: Any, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": str(online.world.ward.pk),
        "return_method": "desk",
        "action": "review",
        f"file_{online.birth_certificate.pk}": pdf(),
    }
    for section, values in BIRTH_ANSWERS.items():
        for field, value in values.items():
            data[f"ef__{section}__{field}"] = value
    data.update(extra)
    return data


def _submit(client: Client, online: Any, identity: str, **extra: Any) -> Any:
    start = client.post(
        f"/nop-ho-so/ho-tro/{online.code}/", {"identity_number": identity}
    )
    assert start.status_code == 302, start.content.decode()[:2000]
    draft = Draft.objects.filter(owner=online.world.reception).latest("pk")
    saved = client.post(start["Location"], _fill(online, **extra))
    assert saved.status_code == 302, saved.content.decode()[:3000]
    review = client.get(saved["Location"])
    assert review.status_code == 200
    return client.post(
        f"/nop-ho-so/ho-tro/ban-nhap/{draft.pk}/nop/", {"key": review.context["key"]}
    )


def test_the_desk_submits_for_a_verified_citizen_who_then_sees_it(
    online: Any,
) -> None:
    citizen = mother_citizen()
    client = _officer(online)
    with online.world.at(MON):
        sent = _submit(client, online, "0481 9000 1234")
    dossier = Dossier.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    assert dossier.status == Status.SUBMITTED and dossier.channel == "online"
    # the applicant is the verified account, whatever the officer might type
    assert dossier.applicant.name == "Trần Thị Bình"
    assert dossier.applicant.id_number == "048190001234"
    link = CitizenDossier.objects.get(dossier=dossier)
    assert link.citizen == citizen and link.via == CitizenDossier.Via.HELPED
    assert link.helped_by == online.world.reception
    assert dossier.events.get(action="submit_online").actor == online.world.reception
    assert DossierFile.objects.get(dossier=dossier).uploaded_by == (
        online.world.reception
    )
    assert ReadLog.objects.filter(
        user=online.world.reception, what="applicant_lookup"
    ).exists()
    mine = citizen_client(citizen).get("/cong-dan/ho-so/")
    assert dossier.code in mine.content.decode()


def test_a_citizen_without_an_account_is_typed_in_and_not_linked(
    online: Any,
) -> None:
    client = _officer(online)
    with online.world.at(MON):
        sent = _submit(
            client,
            online,
            "",
            a_name="Phạm Thị Dung",
            a_id_number="048195007777",
            a_phone="0911222333",
        )
    assert sent.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.applicant.name == "Phạm Thị Dung"
    assert not CitizenDossier.objects.exists()


def test_only_a_verified_account_is_found_by_its_number(online: Any) -> None:
    make_citizen(full_name="Tài khoản địa phương", verified_by=Citizen.VerifiedBy.PHONE)
    client = _officer(online)
    page = client.post(
        f"/nop-ho-so/ho-tro/{online.code}/", {"identity_number": "048190009999"}
    )
    assert page.status_code == 400
    assert "Không có tài khoản công dân đã xác thực VNeID" in page.content.decode()
    assert not Draft.objects.exists()


def test_the_helped_pages_need_the_reception_role(online: Any) -> None:
    specialist = Client()
    specialist.force_login(online.world.specialist)
    page = specialist.get(f"/nop-ho-so/ho-tro/{online.code}/")
    assert page.status_code == 403
    citizen = citizen_client(mother_citizen())
    assert citizen.get(f"/nop-ho-so/ho-tro/{online.code}/").status_code in (302, 403)


def test_another_officers_helped_draft_is_404(online: Any) -> None:
    client = _officer(online)
    client.post(f"/nop-ho-so/ho-tro/{online.code}/", {"identity_number": ""})
    draft = Draft.objects.get()
    colleague = make_user("mc-colleague", online.world.ward, Role.RECEPTION)
    other = Client()
    other.force_login(colleague)
    assert other.get(f"/nop-ho-so/ho-tro/ban-nhap/{draft.pk}/").status_code == 404


def test_the_desk_receives_an_online_dossier_with_its_code_and_due_date(
    online: Any,
) -> None:
    citizen = mother_citizen()
    client = citizen_client(citizen)
    with online.world.at(MON):
        start = client.post(
            f"/nop-ho-so/{online.code}/",
            {
                **_fill(online),
                "a_email": "binh@example.vn",
                "return_method": "online",
            },
        )
        review = client.get(start["Location"])
        draft = Draft.objects.get()
        client.post(
            f"/nop-ho-so/ban-nhap/{draft.pk}/nop/", {"key": review.context["key"]}
        )
    dossier = Dossier.objects.get()
    assert dossier.received_at is None and dossier.due_at is None
    with online.world.at(MON):
        received = dossier_services.dossier_receive(online.world.reception, dossier)
    assert received.status == Status.RECEIVED
    assert received.code.startswith(online.world.ward.code)
    assert received.due_at is not None and received.received_at is not None


def test_the_desk_finds_the_procedure_to_submit_for_a_citizen(online: Any) -> None:
    from motcua.catalog.services import refresh_search_text

    refresh_search_text(online.version)
    page = _officer(online).get("/nop-ho-so/ho-tro/", {"q": "khai sinh"})
    assert page.status_code == 200
    assert f"/nop-ho-so/ho-tro/{online.code}/" in page.content.decode()
