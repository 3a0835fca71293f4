"""The public pages: send an item with or without files and contact, read it
back by its code, the throttles, and the list of published answers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from motcua.feedback.codes import ALPHABET, normalise
from motcua.feedback.models import Feedback, FeedbackAttachment, FeedbackEvent, State
from motcua.feedback.selectors import LOOKUP_CODE
from motcua.feedback.services import SUBMIT_ADDRESS
from motcua.notifications.models import Message

from .conftest import fake_pdf, pdf

pytestmark = pytest.mark.django_db

CODE = re.compile(r"PA-[" + ALPHABET + r"]{8}")


def form(world: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "agency": world.ward.pk,
        "category": "delay",
        "title": "Hồ sơ khai sinh trễ hẹn",
        "content": "Hồ sơ của tôi hẹn trả ngày 10 nhưng đến nay chưa có kết quả.",
    }
    data.update(extra)
    return data


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_anonymous_sender_gets_a_code_shown_once_with_a_pdf_kept(world: Any) -> None:
    response = Client().post("/phan-anh/", form(world, attachments=[pdf()]))
    assert response.status_code == 200
    item = Feedback.objects.get()
    assert CODE.fullmatch(item.code)
    assert item.code in response.content.decode()
    assert item.submitted_by is None and item.channel == "online"
    assert item.state == State.RECEIVED
    attachment = FeedbackAttachment.objects.get(feedback=item)
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "anh-chup.pdf"
    assert [p.name for p in stored_files()] == [Path(attachment.file.name).name]
    assert list(item.events.values_list("action", flat=True)) == ["submit"]
    assert response["Cache-Control"].startswith("max-age=0")
    # no contact, no message
    assert not Message.objects.exists()


def test_a_renamed_file_is_refused_by_content_and_nothing_is_saved(world: Any) -> None:
    response = Client().post("/phan-anh/", form(world, attachments=[pdf(), fake_pdf()]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "chỉ nhận tệp PDF, JPEG hoặc PNG" in body
    assert "hoa-don.pdf" in body
    assert not Feedback.objects.exists()
    assert not FeedbackEvent.objects.exists()
    assert stored_files() == []


def test_bad_input_gets_vietnamese_errors_and_saves_nothing(world: Any) -> None:
    response = Client().post(
        "/phan-anh/",
        form(world, title="", content="ngắn", contact_phone="12ab", may_contact="on"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nhập tiêu đề." in body
    assert "Nội dung quá ngắn" in body
    assert "Số điện thoại chưa đúng" in body
    assert not Feedback.objects.exists()


def test_an_inactive_agency_cannot_be_chosen(world: Any) -> None:
    world.other_ward.is_active = False
    world.other_ward.save(update_fields=["is_active"])
    response = Client().post("/phan-anh/", form(world, agency=world.other_ward.pk))
    assert response.status_code == 400
    assert "Cơ quan này không có trong danh sách" in response.content.decode()
    assert world.other_ward.name not in Client().get("/phan-anh/").content.decode()


def test_the_form_preselects_an_agency_from_its_code(world: Any) -> None:
    body = Client().get(f"/phan-anh/?co_quan={world.ward.code}").content.decode()
    assert f'<option value="{world.ward.pk}" selected>' in body


def test_contact_given_means_the_code_is_sent_through_the_outbox(world: Any) -> None:
    Client().post(
        "/phan-anh/",
        form(
            world,
            contact_name="Nguyễn Văn An",
            contact_phone="0905 123 456",
            contact_email="an@example.vn",
        ),
    )
    item = Feedback.objects.get()
    assert item.contact_phone == "0905123456"
    rows = Message.objects.order_by("channel")
    assert [(m.channel, m.recipient, m.template_key) for m in rows] == [
        ("email", "an@example.vn", "feedback_received"),
        ("sms", "0905123456", "feedback_received"),
    ]
    assert rows[0].variables["code"] == item.code
    assert rows[0].variables["lookup_url"].endswith("/phan-anh/tra-cuu/")
    assert rows[0].agency_id == world.ward.pk and rows[0].dossier_id is None


def test_lookup_by_code_shows_state_dates_and_answer_but_no_contact(
    world: Any,
) -> None:
    Client().post(
        "/phan-anh/",
        form(world, contact_name="Nguyễn Văn An", contact_phone="0905123456"),
    )
    item = Feedback.objects.get()
    typed = item.code.lower().replace("-", " ")  # as typed on a phone
    response = Client().post("/phan-anh/tra-cuu/", {"code": typed})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đã tiếp nhận, chờ phân công" in body
    assert world.ward.name in body
    assert "Nguyễn Văn An" not in body and "0905123456" not in body
    assert item.content not in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_get_never_looks_anything_up(world: Any) -> None:
    response = Client().get("/phan-anh/tra-cuu/?code=PA-23456789")
    assert response.status_code == 200
    assert "Không tìm thấy" not in response.content.decode()


def test_unknown_and_malformed_codes_are_not_found(world: Any) -> None:
    for code in ("PA-22222222", "xyz", "PA-0000OOOO"):
        response = Client().post("/phan-anh/tra-cuu/", {"code": code})
        assert response.status_code == 404
        assert "Không tìm thấy phản ánh có mã này." in response.content.decode()


def test_code_normalisation() -> None:
    assert normalise("pa-7k3m 9qxt") == "PA-7K3M9QXT"
    assert normalise("7K3M9QXT") == "PA-7K3M9QXT"
    assert normalise("PA-7K3M9QX0") == ""  # 0 is never in a code
    assert normalise("PA-7K3M9QX") == ""


def test_lookups_of_one_code_are_throttled(world: Any) -> None:
    client = Client()
    for n in range(LOOKUP_CODE.free):
        assert (
            client.post(
                "/phan-anh/tra-cuu/", {"code": "PA-22222222"}, REMOTE_ADDR=f"10.0.0.{n}"
            ).status_code
            == 404
        )
    refused = client.post(
        "/phan-anh/tra-cuu/", {"code": "PA-22222222"}, REMOTE_ADDR="10.0.1.1"
    )
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "thử quá nhiều lần" in refused.content.decode()


def test_sending_is_throttled_per_address_and_nothing_is_saved(world: Any) -> None:
    client = Client()
    for _ in range(SUBMIT_ADDRESS.free):
        assert client.post("/phan-anh/", form(world)).status_code == 200
    refused = client.post("/phan-anh/", form(world))
    assert refused.status_code == 429
    assert "Vui lòng chờ" in refused.content.decode()
    assert Feedback.objects.count() == SUBMIT_ADDRESS.free
    other = client.post("/phan-anh/", form(world), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


def test_a_signed_in_person_is_linked_to_the_item(world: Any) -> None:
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.create_user("citizen-1", password="x")
    client = Client()
    client.force_login(person)
    assert client.post("/phan-anh/", form(world)).status_code == 200
    assert Feedback.objects.get().submitted_by == person
