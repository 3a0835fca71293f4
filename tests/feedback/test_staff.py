"""The back office: who sees what, assignment, answer, publication with the
masked public text, agency isolation, and the logs (state changes, reads of
personal data)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.feedback.models import Feedback, FeedbackEvent, LogImmutable, State
from motcua.notifications.models import Message
from motcua.privacy.models import ReadLog
from tests.backoffice.conftest import client_for
from tests.dossiers.builders import make_user

from .builders import submit
from .conftest import pdf

pytestmark = pytest.mark.django_db


def detail(item: Feedback) -> str:
    return f"/can-bo/phan-anh/{item.pk}/"


def test_leader_assigns_specialist_answers_leader_publishes(world: Any) -> None:
    item = submit(
        world.ward,
        contact_name="Nguyễn Văn An",
        contact_phone="0905123456",
        content="Tôi là Nguyễn Văn An, CCCD 079201000123, gọi 0905 123 456 "
        "hoặc an@example.vn. Cán bộ không hướng dẫn rõ.",
        uploads=[pdf()],
    )
    leader, specialist = client_for(world.leader), client_for(world.specialist)

    assert specialist.get(detail(item)).status_code == 404  # not theirs yet
    page = leader.get(detail(item))
    assert page.status_code == 200 and "0905123456" in page.content.decode()

    response = leader.post(
        detail(item) + "phan-cong/",
        {"assignee": world.specialist.pk, "note": "Xử lý gấp"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.ASSIGNED and item.assigned_to == world.specialist

    assert specialist.get("/can-bo/phan-anh/").content.decode().count(item.title) == 1
    response = specialist.post(
        detail(item) + "tra-loi/",
        {"answer": "Cơ quan đã nhắc nhở cán bộ Nguyễn Văn An liên hệ lại."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.ANSWERED
    assert item.answered_by == world.specialist and item.answered_at is not None

    proposed = leader.get(detail(item)).content.decode()
    assert "[số giấy tờ]" in proposed and "[số điện thoại]" in proposed
    assert "[thư điện tử]" in proposed and "[họ tên]" in proposed
    assert "079201000123" in proposed  # the original, for the officer only

    # The specialist may not publish; the leader publishes the reviewed text.
    refused = specialist.post(
        detail(item) + "cong-khai/", {"public_question": "x", "public_answer": "y"}
    )
    assert refused.status_code == 403
    leader.post(
        detail(item) + "cong-khai/",
        {
            "public_question": "Người dân phản ánh cán bộ không hướng dẫn rõ.",
            "public_answer": "Cơ quan đã nhắc nhở cán bộ.",
        },
    )
    item.refresh_from_db()
    assert item.published and item.published_at is not None

    actions = list(item.events.values_list("action", "actor_name"))
    assert [a for a, _ in actions] == ["submit", "assign", "answer", "publish"]
    assert actions[0][1] == ""  # the anonymous sender
    assert all(name for _, name in actions[1:])


def test_another_agencys_officer_gets_404_everywhere(world: Any) -> None:
    item = submit(world.ward, uploads=[pdf()])
    other_leader = make_user("ld-other", world.other_ward, "leader")
    client = client_for(other_leader)
    file_id = item.attachments.get().pk
    for url in ("", f"tep/{file_id}/"):
        assert client.get(detail(item) + url).status_code == 404
    for action in ("phan-cong/", "tra-loi/", "cong-khai/", "thoi-cong-khai/"):
        assert (
            client.post(detail(item) + action, {"answer": "x" * 20}).status_code == 404
        )
    assert item.title not in client.get("/can-bo/phan-anh/").content.decode()
    item.refresh_from_db()
    assert item.state == State.RECEIVED


def test_reception_sees_unassigned_items_and_specialists_only_theirs(
    world: Any,
) -> None:
    waiting = submit(world.ward, title="Chờ phân công")
    theirs = submit(world.ward, title="Đã giao cho chuyên viên")
    from motcua.feedback.services import feedback_assign

    feedback_assign(world.leader, theirs, world.specialist)
    desk = client_for(world.reception).get("/can-bo/phan-anh/").content.decode()
    assert "Chờ phân công" in desk and "Đã giao cho chuyên viên" not in desk
    mine = client_for(world.specialist).get("/can-bo/phan-anh/").content.decode()
    assert "Chờ phân công" not in mine and "Đã giao cho chuyên viên" in mine
    assert client_for(world.reception).get(detail(theirs)).status_code == 404
    assert client_for(world.reception).get(detail(waiting)).status_code == 200


def test_reading_an_item_is_written_in_the_read_log(world: Any) -> None:
    item = submit(world.ward, contact_phone="0905123456", uploads=[pdf()])
    client = client_for(world.leader)
    client.get("/can-bo/phan-anh/")
    client.get(detail(item))
    client.get(detail(item) + f"tep/{item.attachments.get().pk}/")
    rows = list(ReadLog.objects.order_by("id").values_list("what", "detail", "agency"))
    assert rows == [
        ("queue_list", "phan-anh trang 1", world.ward.pk),
        ("applicant_lookup", f"phan-anh {item.pk}", world.ward.pk),
        (
            "file_view",
            f"phan-anh {item.pk} tep {item.attachments.get().pk}",
            world.ward.pk,
        ),
    ]


def test_an_answer_needs_text_and_a_second_answer_is_refused(world: Any) -> None:
    item = submit(world.ward)
    client = client_for(world.leader)
    short = client.post(detail(item) + "tra-loi/", {"answer": "ok"})
    assert short.status_code == 400
    assert "ít nhất 10 ký tự" in short.content.decode()
    item.refresh_from_db()
    assert item.state == State.RECEIVED and not item.events.filter(action="answer")
    client.post(detail(item) + "tra-loi/", {"answer": "Đã kiểm tra và chấn chỉnh."})
    again = client.post(detail(item) + "tra-loi/", {"answer": "Trả lời lần hai."})
    assert again.status_code == 409
    item.refresh_from_db()
    assert item.answer == "Đã kiểm tra và chấn chỉnh."


def test_assigning_to_someone_outside_the_agency_is_refused(world: Any) -> None:
    item = submit(world.ward)
    response = client_for(world.leader).post(
        detail(item) + "phan-cong/", {"assignee": world.other_reception.pk}
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.assigned_to is None


def test_publishing_needs_an_answer(world: Any) -> None:
    item = submit(world.ward)
    response = client_for(world.leader).post(
        detail(item) + "cong-khai/", {"public_question": "a", "public_answer": "b"}
    )
    assert response.status_code == 409
    item.refresh_from_db()
    assert not item.published


def test_the_log_is_append_only(world: Any) -> None:
    item = submit(world.ward)
    event = item.events.get()
    with pytest.raises(LogImmutable):
        event.save()
    with pytest.raises(LogImmutable):
        FeedbackEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(LogImmutable):
        FeedbackEvent.objects.all().delete()


def test_overdue_items_are_marked_and_filtered(world: Any) -> None:
    from datetime import datetime

    from motcua.core import clock
    from motcua.deadlines.engine import VN_TZ

    with clock.frozen_at(datetime(2026, 4, 1, 9, 0, tzinfo=VN_TZ)):
        old = submit(world.ward, title="Phản ánh cũ")
    submit(world.ward, title="Phản ánh mới")
    client = client_for(world.leader)
    body = client.get("/can-bo/phan-anh/?qua_han=1").content.decode()
    assert "Phản ánh cũ" in body and "Phản ánh mới" not in body
    assert f'id="phan-anh-{old.pk}" data-state="received" data-overdue="1"' in body


def test_anonymous_and_non_staff_are_kept_out(world: Any) -> None:
    item = submit(world.ward)
    assert Client().get(detail(item)).status_code == 302
    assert not Message.objects.exists()


def test_a_related_dossier_of_the_agency_is_linked(world: Any) -> None:
    from motcua.core import clock

    dossier = world.receive(clock.now())
    linked = submit(world.ward, dossier_code=dossier.code)
    unknown = submit(world.ward, dossier_code="000.00.00.H00-260101-9999")
    client = client_for(world.leader)
    body = client.get(detail(linked)).content.decode()
    assert f'href="/can-bo/ho-so/{dossier.code}/"' in body
    body = client.get(detail(unknown)).content.decode()
    assert "không có hồ sơ này tại cơ quan" in body


def test_may_contact_without_a_phone_or_email_is_refused(world: Any) -> None:
    response = Client().post(
        "/phan-anh/",
        {
            "agency": world.ward.pk,
            "category": "other",
            "title": "Góp ý",
            "content": "Đề nghị bố trí thêm quầy vào buổi sáng thứ hai.",
            "contact_name": "Trần Thị Mai",
            "may_contact": "on",
        },
    )
    assert response.status_code == 400
    assert "nhập số điện thoại hoặc thư điện tử" in response.content.decode()
    assert not Feedback.objects.exists()
