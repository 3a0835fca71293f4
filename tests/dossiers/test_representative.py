"""The authorised person (người được ủy quyền) who hands a dossier in for the
applicant: checked once, kept with the applicant as received, covered by the
history's fingerprint, printed on the 2025 receipt (Circular 03/2025 Form 01),
shown to officers, carried by the API, the import and the export, and erased by
anonymisation."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest
from django.urls import reverse

from motcua.core.errors import DomainError
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers import services
from motcua.dossiers.applicants import ApplicantInput, clean_applicant
from motcua.dossiers.exporting import export_lines
from motcua.dossiers.history import verify_dossier
from motcua.dossiers.importing import import_lines
from motcua.dossiers.models import Applicant, Dossier
from motcua.slips.services import render_slip
from tests.slips.pdfs import text

from .builders import build_world, vn

pytestmark = pytest.mark.django_db
SEPT = datetime(2025, 9, 16, 9, tzinfo=VN_TZ)  # Circular 03/2025 forms in force
ANH = ApplicantInput(
    name="Nguyễn Văn An",
    id_number="048090001234",
    phone="0905123456",
    representative_name="Lê Thị Hoa",
    representative_id_number="0480 9100 5678",
    representative_phone="0905 777 888",
    representative_address="45 Nguyễn Văn Linh, phường Hòa Cường, Đà Nẵng",
    representative_document="Giấy ủy quyền số 12/2025 ngày 10/9/2025",
)


def received(when: datetime = SEPT, applicant: ApplicantInput = ANH) -> Dossier:
    world = build_world()
    return world.receive(when, applicant=applicant)


BAD_ID = "applicant.invalid_representative_id"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"representative_name": ""}, "applicant.representative_name_required"),
        ({"representative_id_number": ""}, "applicant.representative_id_required"),
        (
            {"representative_id_number": "201234567"},
            "applicant.invalid_representative_id",
        ),
        ({"representative_id_number": "0123"}, "applicant.invalid_representative_id"),
        ({"representative_phone": "12ab"}, "applicant.invalid_representative_phone"),
        ({"representative_email": "hoa@"}, "applicant.invalid_representative_email"),
    ],
)
def test_an_incomplete_or_wrong_authorised_person_is_refused(changes, code):
    with pytest.raises(DomainError) as refused:
        clean_applicant(replace(ANH, **changes))
    assert refused.value.code == code
    assert "ủy quyền" in refused.value.message


def test_the_authorised_person_is_tidied_and_none_means_all_empty():
    cleaned = clean_applicant(replace(ANH, representative_email=" hoa@example.vn "))
    assert cleaned.representative_id_number == "048091005678"
    assert cleaned.representative_phone == "0905777888"
    assert cleaned.representative_email == "hoa@example.vn"
    passport = clean_applicant(replace(ANH, representative_id_number="B1234567"))
    assert passport.representative_id_number == "B1234567"
    alone = clean_applicant(ApplicantInput(name="Trần Bình", phone="0905000111"))
    assert alone.representative_name == alone.representative_id_number == ""


def test_a_desk_refusal_leaves_nothing_behind():
    world = build_world()
    bad = replace(ANH, representative_id_number="12")
    with pytest.raises(DomainError):
        world.receive(SEPT, applicant=bad)
    assert not Dossier.objects.exists() and not Applicant.objects.exists()


def test_kept_with_the_applicant_and_printed_on_the_2025_receipt():
    dossier = received()
    applicant = dossier.applicant
    assert applicant.representative_name == "Lê Thị Hoa"
    assert applicant.representative_id_number == "048091005678"
    receipt = " ".join(
        text(render_slip(dossier, "receipt", base_url="https://x.vn/")).split()
    )
    assert "Lê Thị Hoa" in receipt
    assert "048091005678" in receipt
    assert "Giấy ủy quyền số 12/2025 ngày 10/9/2025" in receipt


def test_without_one_the_receipt_keeps_the_blank_to_fill_in():
    dossier = received(applicant=ApplicantInput(name="Trần Bình", phone="0905000111"))
    receipt = text(render_slip(dossier, "receipt", base_url="https://x.vn/"))
    assert "giấy tờ ủy quyền): …………" in " ".join(receipt.split())


def test_an_edited_authorised_person_breaks_the_history():
    dossier = received()
    assert verify_dossier(dossier) == []
    Applicant.objects.filter(pk=dossier.applicant_id).update(
        representative_name="Người khác"
    )
    dossier = Dossier.objects.select_related("applicant").get(pk=dossier.pk)
    problems = [p.message for p in verify_dossier(dossier)]
    assert problems == ["thông tin người nộp hồ sơ đã bị sửa"]


def test_anonymisation_erases_the_authorised_person_too():
    world = build_world()
    dossier = world.receive(SEPT, applicant=ANH)
    with world.at(SEPT):
        dossier = services.dossier_withdraw(
            world.reception, dossier, reason="Người nộp xin rút hồ sơ"
        )
        services.dossier_anonymise_applicant(dossier, reason="Hết thời hạn lưu trữ")
    applicant = Applicant.objects.get(pk=dossier.applicant_id)
    assert applicant.representative_name == applicant.representative_id_number == ""
    assert applicant.representative_document == applicant.representative_address == ""


def test_the_export_and_import_carry_it():
    dossier = received(when=vn(2025, 6, 2))
    line = json.loads(next(iter(export_lines())))
    assert line["applicant"]["representative_name"] == "Lê Thị Hoa"
    assert line["applicant"]["representative_id_number"] == "048091005678"
    Dossier.objects.filter(pk=dossier.pk).update(code="OTHER-1")
    line["code"] = "IMPORTED-1"
    report = import_lines([json.dumps(line, ensure_ascii=False)])
    assert report.imported == 1, report.rejections
    again = Dossier.objects.get(code="IMPORTED-1").applicant
    assert again.representative_document == "Giấy ủy quyền số 12/2025 ngày 10/9/2025"


def test_the_api_takes_it_and_shows_it_and_the_officers_page_too():
    from rest_framework.test import APIClient

    from tests.backoffice.conftest import client_for

    world = build_world()
    api = APIClient()
    api.force_authenticate(world.reception)
    applicant = {
        "name": "Nguyễn Văn An",
        "id_number": "048090001234",
        "representative_name": "Lê Thị Hoa",
        "representative_id_number": "048091005678",
        "representative_document": "Giấy ủy quyền số 12/2025",
    }
    body = {
        "agency": world.ward.code,
        "procedure": world.procedure.code,
        "channel": "direct",
        "applicant": applicant,
    }
    with world.at(SEPT):
        created = api.post("/api/v1/dossiers/", body, format="json")
        assert created.status_code == 201, created.content
        code = created.json()["code"]
        detail = api.get(f"/api/v1/dossiers/{code}/")
        assert detail.status_code == 200
        shown = detail.json()["applicant"]
        assert shown["representative_name"] == "Lê Thị Hoa"
        assert shown["representative_document"] == "Giấy ủy quyền số 12/2025"
        wrong = api.post(
            "/api/v1/dossiers/",
            body | {"applicant": applicant | {"representative_id_number": ""}},
            format="json",
        )
        assert wrong.status_code == 400
        assert wrong.json()["code"] == "applicant.representative_id_required"
        page = client_for(world.reception).get(
            reverse("backoffice:dossier", args=[code])
        )
    assert page.status_code == 200
    assert "Lê Thị Hoa" in page.content.decode()
    assert Dossier.objects.count() == 1


def test_the_api_takes_the_applicants_channels_and_shows_them():
    from rest_framework.test import APIClient

    world = build_world()
    api = APIClient()
    api.force_authenticate(world.reception)
    body = {
        "agency": world.ward.code,
        "procedure": world.procedure.code,
        "channel": "direct",
        "applicant": {
            "name": "Nguyễn Văn An",
            "phone": "0905123456",
            "notify_channels": ["sms", "zalo"],
        },
    }
    with world.at(SEPT):
        created = api.post("/api/v1/dossiers/", body, format="json")
        assert created.status_code == 201, created.content
        code = created.json()["code"]
        shown = api.get(f"/api/v1/dossiers/{code}/").json()["applicant"]
    assert shown["notify_channels"] == ["sms", "zalo"]
