"""The rules: the answer's deadline in working days (weekends and holidays
skipped, from the deadline engine), the outbox messages in the transaction of
the action, the suggestion-box entry, the public list, the masking helper and
the on-time figure of Circular 01/2018 indicator 8 — with hand-computed values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.deadlines.engine import VN_TZ
from motcua.feedback import services
from motcua.feedback.masking import mask_personal_data
from motcua.feedback.models import Feedback, State
from motcua.feedback.selectors import feedback_on_time
from motcua.feedback.services import Submission, feedback_answer
from motcua.notifications.models import Message
from tests.backoffice.conftest import client_for

from .builders import submit

pytestmark = pytest.mark.django_db


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


# --------------------------------------------------------------- deadline
def test_ten_working_days_skip_the_weekend_and_30_4_and_1_5(world: Any) -> None:
    # Tue 28/04/2026 10:00. Working hours 08–12, 13–17. Tue 6 h, Wed 29 8 h;
    # Thu 30/4 and Fri 1/5 are holidays, 2–3/5 a weekend; Mon 4 → Wed 13/5 add
    # 8 × 8 = 64 h (78 in all); the last 2 h end Thu 14/05 at 10:00.
    with clock.frozen_at(at(2026, 4, 28, 10, 0)):
        item = submit(world.ward)
    assert item.due_at == at(2026, 5, 14, 10, 0)


def test_sent_on_a_sunday_the_clock_starts_monday_morning(world: Any) -> None:
    # Sun 10/05/2026 → Mon 11/05 08:00 + 80 h → the 10th working day, Fri
    # 22/05, at 17:00 (no holiday between).
    with clock.frozen_at(at(2026, 5, 10, 20, 30)):
        item = submit(world.ward)
    assert item.due_at == at(2026, 5, 22, 17, 0)


def test_the_number_of_days_is_a_setting(world: Any, settings: Any) -> None:
    settings.MOTCUA_FEEDBACK_ANSWER_DAYS = 2
    with clock.frozen_at(at(2026, 5, 8, 16, 0)):  # Friday 16:00
        item = submit(world.ward)
    assert item.due_at == at(2026, 5, 12, 16, 0)  # Tuesday: Mon 8 h + Tue 7 h
    settings.MOTCUA_FEEDBACK_ANSWER_DAYS = "mười"
    with pytest.raises(DomainError) as error:
        submit(world.ward)
    assert error.value.code == "feedback.bad_setting"


# --------------------------------------------------------------- outbox
def test_the_answer_message_is_written_with_the_answer(world: Any) -> None:
    item = submit(world.ward, contact_phone="0905123456", contact_email="an@x.vn")
    feedback_answer(world.leader, item, "Cơ quan đã kiểm tra và chấn chỉnh.")
    answered = Message.objects.filter(template_key="feedback_answered")
    assert sorted(answered.values_list("channel", "recipient")) == [
        ("email", "an@x.vn"),
        ("sms", "0905123456"),
    ]
    event = item.events.get(action="answer")
    assert {m.idempotency_key for m in answered} == {
        f"feedback:{item.pk}:answer:{event.pk}:sms:feedback_answered",
        f"feedback:{item.pk}:answer:{event.pk}:email:feedback_answered",
    }
    assert answered.first().variables == {
        "code": item.code,
        "agency": world.ward.name,
        "lookup_url": "http://127.0.0.1:8000/phan-anh/tra-cuu/",
    }


def test_a_rolled_back_answer_writes_no_message(world: Any) -> None:
    item = submit(world.ward, contact_phone="0905123456")
    with pytest.raises(RuntimeError), transaction.atomic():
        feedback_answer(world.leader, item, "Cơ quan đã kiểm tra và chấn chỉnh.")
        assert Message.objects.filter(template_key="feedback_answered").count() == 1
        raise RuntimeError("the request failed after the answer")
    item.refresh_from_db()
    assert item.state == State.RECEIVED and item.answer == ""
    assert not Message.objects.filter(template_key="feedback_answered").exists()


def test_messages_are_idempotent(world: Any) -> None:
    from motcua.feedback import notify

    item = submit(world.ward, contact_phone="0905123456")
    assert Message.objects.filter(template_key="feedback_received").count() == 1
    assert notify.acknowledge(item) == 0  # the same acknowledgement again: none
    feedback_answer(world.leader, item, "Cơ quan đã kiểm tra và chấn chỉnh.")
    event = item.events.get(action="answer")
    assert notify.answered(item, event.pk) == 0
    assert Message.objects.count() == 2


def test_the_message_text_renders_from_the_seeded_template(world: Any) -> None:
    from motcua.notifications import texts

    item = submit(world.ward, contact_phone="0905123456")
    message = Message.objects.get()
    text = texts.render(
        texts.exact("feedback_received", "sms", 1).body, message.variables
    )
    assert item.code in text and "/phan-anh/tra-cuu/" in text
    assert (
        texts.unknown_placeholders(
            "feedback_answered", texts.current("feedback_answered", "email").body
        )
        == []
    )


# --------------------------------------------------------------- hòm thư
def box_letter(world: Any) -> Submission:
    return Submission(
        agency=world.ward,
        category="facilities",
        title="Thiếu ghế chờ",
        content="Nơi chờ của bộ phận một cửa thiếu ghế ngồi cho người cao tuổi.",
    )


def test_a_box_letter_starts_its_clock_the_day_the_box_was_opened(
    world: Any,
) -> None:
    with clock.frozen_at(at(2026, 5, 6, 15, 0)):
        item = services.feedback_enter_from_box(
            world.reception, box_letter(world), opened_on=date(2026, 5, 4)
        )
    assert item.channel == "box" and item.entered_by == world.reception
    assert item.received_at == at(2026, 5, 4, 8, 0)
    # Mon 04/05 08:00 + 10 working days → Fri 15/05 17:00
    assert item.due_at == at(2026, 5, 15, 17, 0)
    assert list(item.events.values_list("action", flat=True)) == ["enter"]


def test_box_entry_through_the_page(world: Any) -> None:
    client = client_for(world.reception)
    assert client.get("/can-bo/phan-anh/hom-thu/").status_code == 200
    response = client.post(
        "/can-bo/phan-anh/hom-thu/",
        {
            "opened_on": clock.today().strftime("%d/%m/%Y"),
            "category": "other",
            "title": "Góp ý giờ làm việc",
            "content": "Đề nghị mở cửa sáng thứ bảy.",
        },
    )
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.agency == world.ward and item.box_opened_on == clock.today()
    future = client.post(
        "/can-bo/phan-anh/hom-thu/",
        {
            "opened_on": "01/01/2099",
            "category": "other",
            "title": "x",
            "content": "y",
        },
    )
    assert future.status_code == 400
    assert "không được sau hôm nay" in future.content.decode()
    assert Feedback.objects.count() == 1
    assert (
        client_for(world.specialist).get("/can-bo/phan-anh/hom-thu/").status_code == 403
    )


# --------------------------------------------------------------- public list
def test_the_public_list_shows_only_published_public_texts(world: Any) -> None:
    shown = submit(world.ward, content="Nội dung gốc có số 0905123456 của tôi.")
    hidden = submit(world.other_ward, title="Chưa công khai")
    for item in (shown, hidden):
        feedback_answer(
            world.leader if item is shown else _leader(world),
            item,
            "Trả lời gốc gửi riêng người dân.",
        )
    services.feedback_publish(
        world.leader,
        shown,
        question="Câu hỏi công khai.",
        answer="Câu trả lời công khai.",
    )
    body = Client().get("/phan-anh/da-tra-loi/").content.decode()
    assert "Câu hỏi công khai." in body and "Câu trả lời công khai." in body
    assert "0905123456" not in body and "Trả lời gốc" not in body
    assert shown.code not in body and "Chưa công khai" not in body
    # the filter offers the agencies that have published something
    assert f'value="{world.ward.code}"' in body
    assert f'value="{world.other_ward.code}"' not in body
    other = Client().get(f"/phan-anh/da-tra-loi/?co_quan={world.other_ward.code}")
    assert "Câu hỏi công khai." not in other.content.decode()
    services.feedback_unpublish(world.leader, shown)
    assert (
        "Câu hỏi công khai."
        not in Client().get("/phan-anh/da-tra-loi/").content.decode()
    )


def _leader(world: Any) -> Any:
    from tests.dossiers.builders import make_user

    return make_user("ld-hhb", world.other_ward, "leader")


# --------------------------------------------------------------- masking
def test_masking_proposes_a_text_without_numbers_addresses_or_the_name() -> None:
    text = (
        "Tôi là Nguyễn  Văn An (CCCD 079 201 000 123, CMND 201234567), số "
        "+84 905 123 456 hoặc 0905.123.456, thư an.nguyen@example.vn. Lệ phí "
        "100.000.000 đồng, hồ sơ ngày 12/03/2026, nguyễn văn an nhắc lại."
    )
    assert mask_personal_data(text, ("Nguyễn Văn An",)) == (
        "Tôi là [họ tên] (CCCD [số giấy tờ], CMND [số giấy tờ]), số "
        "[số điện thoại] hoặc [số điện thoại], thư [thư điện tử]. Lệ phí "
        "100.000.000 đồng, hồ sơ ngày 12/03/2026, [họ tên] nhắc lại."
    )


# --------------------------------------------------------------- indicator 8
def test_feedback_on_time_counts_items_due_in_the_period(world: Any) -> None:
    def item_due(due: datetime, answered: datetime | None, agency: Any = None):
        row = submit(agency or world.ward)
        Feedback.objects.filter(pk=row.pk).update(
            due_at=due,
            answered_at=answered,
            state=State.ANSWERED if answered else State.ASSIGNED,
        )

    item_due(at(2026, 4, 10, 17, 0), at(2026, 4, 9, 9, 0))  # early: on time
    item_due(at(2026, 4, 10, 10, 0), at(2026, 4, 10, 16, 0))  # same day: on time
    item_due(at(2026, 4, 10, 17, 0), at(2026, 4, 13, 8, 0))  # late
    item_due(at(2026, 4, 20, 17, 0), None)  # due in the period, unanswered
    item_due(at(2026, 6, 30, 17, 0), at(2026, 4, 1, 9, 0))  # on the last day
    item_due(at(2026, 7, 1, 8, 0), None)  # due after the period
    item_due(at(2026, 3, 31, 17, 0), at(2026, 3, 31, 9, 0))  # due before
    item_due(at(2026, 4, 15, 17, 0), at(2026, 4, 15, 9, 0), world.other_ward)
    start, end = at(2026, 4, 1, 0, 0), at(2026, 7, 1, 0, 0)
    assert feedback_on_time([world.ward.pk], start, end) == (3, 5)
    assert feedback_on_time([world.ward.pk, world.other_ward.pk], start, end) == (4, 6)
    assert feedback_on_time([], start, end) == (0, 0)
