"""The reception desk: find the procedure, receive with scans, ask to supplement,
refuse — each leading to its slip; the live due date; returning applicants."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.models import Component
from motcua.core import clock
from motcua.deadlines.services import calendar_for
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.portal.qr import qr_path

from .conftest import client_for

pytestmark = pytest.mark.django_db
DESK = "/can-bo/quay/"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def components(world: Any) -> list[Component]:
    return [
        Component.objects.create(
            version=world.version, position=1, name="Tờ khai", kind="original"
        ),
        Component.objects.create(
            version=world.version, position=2, name="Giấy khai sinh", kind="copy"
        ),
    ]


def form_data(world: Any, components: list[Component], **extra: Any) -> dict:
    data = {
        "procedure": world.procedure.code,
        "desk_token": extra.pop("token", "t-1"),
        "name": "Nguyễn Thị Bình",
        "kind": "person",
        "id_number": "048190000111",
        "phone": "0905000111",
        "outcome": "receive",
    }
    for c in components:
        data[f"comp-{c.pk}-received"] = "on"
        data[f"comp-{c.pk}-count"] = "1"
    data.update(extra)
    return data


def test_typing_without_accents_finds_the_procedure(world):
    client = client_for(world.reception)
    found = client.get(reverse("backoffice:desk_procedures"), {"q": "cai chinh"})
    assert [r["code"] for r in found.json()["results"]] == [world.procedure.code]
    page = client.get(DESK, {"q": "thong tin ho tich"})
    assert world.version.name in page.content.decode()


def test_the_desk_shows_the_checklist_and_the_due_date_before_confirming(
    world, components
):
    page = client_for(world.reception).get(DESK, {"thu_tuc": world.procedure.code})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tờ khai" in html and "Giấy khai sinh" in html and "Bản sao" in html
    assert 'id="due-preview"' in html and 'id="outcome-receive"' in html


def test_the_due_date_endpoint_asks_the_engine(world):
    response = client_for(world.reception).get(
        reverse("backoffice:desk_due"), {"thu_tuc": world.procedure.code}
    )
    data = response.json()
    expected = calendar_for(world.ward).due(clock.now(), "working_days", 3)
    assert data["due_at"][:16] == expected.isoformat()[:16]
    assert data["legal"] == "3 ngày làm việc"


def test_receiving_with_scans_creates_the_dossier_and_prints_the_receipt(
    world, components
):
    data = form_data(world, components)
    data["files"] = [
        SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("cccd.png", PNG, "image/png"),
    ]
    response = client_for(world.reception).post(DESK, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RECEIVED
    assert dossier.received_by == world.reception
    assert sorted(f.original_name for f in dossier.files.all()) == [
        "cccd.png",
        "to-khai.pdf",
    ]
    assert response["Location"].endswith(f"/quay/xong/{dossier.code}/?phieu=receipt")
    done = client_for(world.reception).get(response["Location"])
    assert dossier.code in done.content.decode()


def test_sending_the_same_form_twice_receives_once(world, components):
    client = client_for(world.reception)
    first = client.post(DESK, form_data(world, components, token="same"))
    second = client.post(DESK, form_data(world, components, token="same"))
    assert Dossier.objects.count() == 1
    assert first["Location"].split("?")[0] == second["Location"]


def test_a_file_of_another_type_is_refused_and_nothing_is_created(world, components):
    data = form_data(world, components)
    data["files"] = [SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "image/png")]
    response = client_for(world.reception).post(DESK, data)
    assert response.status_code == 400
    assert "không phải PDF, JPEG hoặc PNG" in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_supplement_request_lists_the_missing_components(world, components):
    data = form_data(world, components, outcome="supplement", reason="Thiếu bản sao")
    del data[f"comp-{components[1].pk}-received"]
    response = client_for(world.reception).post(DESK, data)
    dossier = Dossier.objects.get()
    assert dossier.status == Status.WAITING_SUPPLEMENT
    assert response["Location"].endswith("?phieu=supplement")
    event = dossier.events.get()
    assert event.payload["items"] == ["Giấy khai sinh"]
    assert event.reason == "Thiếu bản sao"


def test_refusing_needs_a_reason_and_prints_the_refusal(world, components):
    client = client_for(world.reception)
    missing = client.post(DESK, form_data(world, components, outcome="refuse"))
    assert missing.status_code == 400
    assert not Dossier.objects.exists()
    response = client.post(
        DESK,
        form_data(world, components, outcome="refuse", reason="Không thuộc thẩm quyền"),
    )
    assert Dossier.objects.get().status == Status.NOT_RECEIVED
    assert response["Location"].endswith("?phieu=refusal")


def test_a_returning_applicant_is_found_by_id_number_by_post(world):
    world.receive(clock.now(), applicant=world.input().applicant)
    client = client_for(world.reception)
    found = client.post(
        reverse("backoffice:desk_applicant"), {"id_number": "048090001234"}
    ).json()
    assert found["found"] and found["name"] == "Nguyễn Văn An"
    page = client.post(
        DESK,
        {
            "procedure": world.procedure.code,
            "lookup": "1",
            "id_number": "048090001234",
        },
    )
    assert page.status_code == 200
    assert 'value="Nguyễn Văn An"' in page.content.decode()
    assert Dossier.objects.count() == 1  # a look-up only prefills the form


def test_another_wards_applicants_are_not_revealed(world):
    world.receive(clock.now())
    found = client_for(world.other_reception).post(
        reverse("backoffice:desk_applicant"), {"id_number": "048090001234"}
    )
    assert found.json() == {"found": False}


def test_the_global_search_box_opens_a_scanned_code_or_tracking_url(world):
    code = world.receive(clock.now()).code
    client = client_for(world.specialist)
    dossier = Dossier.objects.get(code=code)
    slip_qr = f"http://testserver{qr_path(dossier)}"
    for typed in (code, f" {code} ", f"http://testserver/tra-cuu/{code}", slip_qr):
        response = client.get(reverse("backoffice:search"), {"q": typed})
        assert response["Location"] == reverse("backoffice:dossier", args=[code])
    for typed in (code, slip_qr):  # the slip's QR link opens nothing elsewhere
        other = client_for(world.other_reception).get(
            reverse("backoffice:search"), {"q": typed}
        )
        assert other.status_code == 200
        html = other.content.decode()
        assert reverse("backoffice:dossier", args=[code]) not in html


def test_an_authorised_person_is_received_with_the_dossier(world, components):
    client = client_for(world.reception)
    page = client.get(DESK, {"thu_tuc": world.procedure.code})
    assert "Người nộp thay (được ủy quyền), nếu có" in page.content.decode()
    given = {
        "representative_name": "Lê Thị Hoa",
        "representative_id_number": "048091005678",
        "representative_document": "Giấy ủy quyền số 12/2025",
    }
    missing = client.post(
        DESK,
        form_data(world, components, **given | {"representative_id_number": ""}),
    )
    assert missing.status_code == 400  # the form again, with the message
    assert "số định danh cá nhân (hoặc số hộ chiếu) của người được ủy quyền" in (
        missing.content.decode()
    )
    assert not Dossier.objects.exists()
    response = client.post(DESK, form_data(world, components, token="t-2", **given))
    assert response.status_code == 302, response.content.decode()[:2000]
    applicant = Dossier.objects.get().applicant
    assert (applicant.representative_name, applicant.representative_id_number) == (
        "Lê Thị Hoa",
        "048091005678",
    )


def test_the_applicant_chooses_how_to_be_told(world, components):
    client = client_for(world.reception)
    page = client.get(DESK, {"thu_tuc": world.procedure.code})
    assert 'name="notify_channels"' in page.content.decode()
    response = client.post(
        DESK, form_data(world, components, token="t-3", notify_channels=["sms"])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Dossier.objects.get().applicant.notify_channels == "sms"
    refused = client.post(
        DESK,
        form_data(world, components, token="t-4", notify_channels=["email"]),
    )
    assert refused.status_code == 400  # no e-mail address given
    assert Dossier.objects.count() == 1
