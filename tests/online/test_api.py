"""The citizen API of online submission: the e-form of a procedure, own
drafts only, files checked by content, submission once per Idempotency-Key,
errors in the house body."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.citizens.models import CitizenDossier
from motcua.dossiers.models import Dossier
from motcua.online.models import Draft, DraftFile
from tests.citizens.factories import citizen_client, make_citizen

from .builders import BIRTH_ANSWERS, MON, build_online, fake_pdf, mother_citizen, pdf

API = "/api/v1/citizen/online"


@pytest.fixture
def online(db: None) -> Any:
    return build_online()


def _create(client: Client, online: Any, **body: Any) -> Any:
    payload = {
        "procedure": online.code,
        "agency": online.world.ward.code,
        "answers": BIRTH_ANSWERS,
        "notify_channels": ["sms"],
        **body,
    }
    return client.post(f"{API}/drafts/", payload, content_type="application/json")


def test_the_eform_of_birth_registration(online: Any) -> None:
    client = citizen_client(mother_citizen())
    body = client.get(f"{API}/procedures/{online.code}/eform/").json()
    keys = [s["key"] for s in body["schema"]["sections"]]
    assert keys == ["child", "mother", "father", "declarant"]
    filled = {c["name"]: c["filled_by_eform"] for c in body["components"]}
    assert filled[online.declaration.name] is True
    assert filled[online.birth_certificate.name] is False
    assert {a["code"] for a in body["agencies"]} == {
        online.world.ward.code,
        online.world.other_ward.code,
    }


def test_a_draft_is_created_prefilled_uploaded_to_and_submitted_once(
    online: Any,
) -> None:
    citizen = mother_citizen()
    client = citizen_client(citizen)
    with online.world.at(MON):
        created = _create(client, online)
        assert created.status_code == 201, created.json()
        draft = created.json()
        assert draft["applicant"]["name"] == "Trần Thị Bình"
        assert draft["applicant"]["id_number"] == "048190001234"
        assert f"component.{online.birth_certificate.pk}" in draft["problems"]
        upload = client.post(
            f"{API}/drafts/{draft['id']}/files/",
            {"component": online.birth_certificate.pk, "file": pdf()},
        )
        assert upload.status_code == 201
        read = client.get(f"{API}/drafts/{draft['id']}/").json()
        assert read["problems"] == {}
        first = client.post(
            f"{API}/drafts/{draft['id']}/submit/", HTTP_IDEMPOTENCY_KEY="abc-1"
        )
        second = client.post(
            f"{API}/drafts/{draft['id']}/submit/", HTTP_IDEMPOTENCY_KEY="abc-1"
        )
    assert first.status_code == 201 and second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert first.json()["code"] == second.json()["code"]
    assert first.json()["status"] == "submitted"
    assert "/tra-cuu/qr/" in first.json()["tracking_url"]
    dossier = Dossier.objects.get()
    assert dossier.files.count() == 1
    assert CitizenDossier.objects.get(dossier=dossier).citizen == citizen
    # the submitted draft is gone from the list
    assert client.get(f"{API}/drafts/").json() == []


def test_submitting_needs_a_key_and_a_complete_draft(online: Any) -> None:
    client = citizen_client(mother_citizen())
    with online.world.at(MON):
        draft = _create(client, online).json()
        no_key = client.post(f"{API}/drafts/{draft['id']}/submit/")
        incomplete = client.post(
            f"{API}/drafts/{draft['id']}/submit/", HTTP_IDEMPOTENCY_KEY="k"
        )
    assert no_key.status_code == 400
    assert no_key.json()["code"] == "idempotency.invalid_key"
    assert incomplete.status_code == 400
    body = incomplete.json()
    assert body["code"] == "online.invalid" and body["message"]
    assert f"component.{online.birth_certificate.pk}" in body["fields"]
    assert not Dossier.objects.exists()


def test_a_wrong_file_type_is_refused_and_nothing_saved(online: Any) -> None:
    client = citizen_client(mother_citizen())
    with online.world.at(MON):
        draft = _create(client, online).json()
        refused = client.post(
            f"{API}/drafts/{draft['id']}/files/",
            {"component": online.birth_certificate.pk, "file": fake_pdf()},
        )
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "file.invalid_type"
    assert "PDF, JPEG hoặc PNG" in body["message"]
    assert list(body["fields"]) == [f"component.{online.birth_certificate.pk}"]
    assert not DraftFile.objects.exists()


def test_drafts_are_private(online: Any) -> None:
    owner = citizen_client(mother_citizen())
    with online.world.at(MON):
        draft = _create(owner, online).json()
    other = citizen_client(make_citizen(full_name="Lê Văn Khác"))
    url = f"{API}/drafts/{draft['id']}/"
    assert other.get(url).status_code == 404
    assert other.get(url).json()["code"] == "online.draft_not_found"
    assert (
        other.patch(url, {"answers": {}}, content_type="application/json").status_code
        == 404
    )
    assert other.delete(url).status_code == 404
    assert other.post(f"{url}submit/", HTTP_IDEMPOTENCY_KEY="x").status_code == 404
    assert other.get(f"{API}/drafts/").json() == []
    staff = Client()
    staff.force_login(online.world.reception)
    assert staff.get(url).status_code in (401, 403)
    assert Client().get(url).status_code in (401, 403)
    assert Draft.objects.filter(pk=draft["id"]).exists()
    assert owner.delete(url).status_code == 204
    assert not Draft.objects.exists()


def test_an_update_changes_only_what_is_sent(online: Any) -> None:
    client = citizen_client(mother_citizen())
    with online.world.at(MON):
        draft = _create(client, online).json()
        changed = client.patch(
            f"{API}/drafts/{draft['id']}/",
            {"return_method": "post"},
            content_type="application/json",
        )
    assert changed.status_code == 200
    body = changed.json()
    assert body["return_method"] == "post"
    assert body["answers"]["child"]["full_name"] == "Nguyễn Minh Khang"
    assert body["notify_channels"] == ["sms"]


def test_an_agency_that_does_not_offer_the_procedure_is_refused(
    online: Any,
) -> None:
    client = citizen_client(mother_citizen())
    refused = _create(client, online, agency=online.world.district.code)
    assert refused.status_code == 400
    assert refused.json()["code"] == "online.agency_not_offering"
    assert not Draft.objects.exists()


def test_the_api_is_in_the_openapi_schema(online: Any) -> None:
    schema = Client().get("/api/schema/").content.decode()
    assert "/api/v1/citizen/online/drafts/{draft_id}/submit/" in schema
    assert "citizen_online_eform" in schema


def test_a_draft_without_an_agency_says_so(online: Any) -> None:
    client = citizen_client(mother_citizen())
    created = client.post(
        f"{API}/drafts/", {"procedure": online.code}, content_type="application/json"
    )
    assert created.status_code == 201
    body = created.json()
    assert body["agency"] is None
    assert body["problems"]["agency"] == "Cần chọn cơ quan giải quyết."


def test_an_unknown_procedure_is_404(online: Any) -> None:
    client = citizen_client(mother_citizen())
    missing = client.get(f"{API}/procedures/9.999999/eform/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "catalog.unknown_procedure"
