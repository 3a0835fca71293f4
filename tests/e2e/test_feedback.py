"""The feedback box end to end (issue 13 item 3): an anonymous sender on a
cheap phone (360 × 740) sends an item with a photo, keeps the code, an officer
answers and publishes it, and the sender reads the answer by code; axe-core
finds no serious or critical violation on the public pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from motcua.feedback.models import Feedback, State
from motcua.notifications.models import Message

from .helpers import check_accessibility, login, shot, tab_to

pytestmark = pytest.mark.e2e
PHONE_360 = {"width": 360, "height": 740}
CONTENT = (
    "Ngày 02/11 tôi đến nộp hồ sơ khai sinh, cán bộ yêu cầu nộp thêm giấy tờ "
    "không có trong danh mục. Số của tôi là 0905 123 456."
)
ANSWER = "Cơ quan đã kiểm tra, nhắc nhở cán bộ và hướng dẫn lại đúng danh mục."


def _seed_texts() -> None:
    from tests.feedback.conftest import seed_texts

    seed_texts()  # a flush by an earlier transactional test empties them


def _accessible(page: Page, name: str) -> None:
    serious = check_accessibility(page, name)
    assert not serious, f"{name}: serious accessibility violations: {serious}"


def _fits_the_phone(page: Page) -> None:
    overflow = page.evaluate(
        "() => { const m = document.querySelector('main');"
        " return m.scrollWidth - m.clientWidth; }"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"


def _send(phone: Page, world: Any, photo: Path) -> str:
    phone.goto("/phan-anh/")
    _fits_the_phone(phone)
    _accessible(phone, "feedback-send")
    phone.select_option("#id_agency", str(world.ward.pk))
    phone.select_option("#id_category", "procedure")
    phone.set_input_files("#id_attachments", str(photo))
    # the text fields and the button are reached and used with the keyboard
    phone.locator("#id_category").focus()
    for field, text in (
        ("id_title", "Yêu cầu nộp thêm giấy tờ không có trong danh mục"),
        ("id_content", CONTENT),
        ("id_contact_phone", "0905 123 456"),
    ):
        tab_to(phone, field)
        phone.keyboard.type(text)
    tab_to(phone, "feedback-submit")
    phone.keyboard.press("Enter")
    code = phone.locator("#feedback-code")
    expect(code).to_have_text(re.compile(r"^PA-[2-9A-Z]{8}$"))
    shot(phone, "feedback-sent-phone")
    _accessible(phone, "feedback-sent")
    return code.inner_text()


def _answer_and_publish(officer: Page, world: Any, item: Feedback) -> None:
    login(officer, world.leader)
    officer.goto("/can-bo/phan-anh/")
    officer.click(f"#phan-anh-{item.pk} a")
    expect(officer.locator("#feedback-content")).to_contain_text("0905 123 456")
    officer.fill("#id_answer", ANSWER)
    officer.click("#feedback-answer-submit")
    expect(officer.locator("#feedback-state")).to_have_text("Đã trả lời")
    question = officer.locator("#id_public_question")
    expect(question).to_have_value(re.compile(r"\[số điện thoại\]"))
    assert "0905 123 456" not in question.input_value()
    shot(officer, "feedback-staff-detail")
    officer.click("#feedback-publish-submit")
    expect(officer.locator(".messages")).to_contain_text("Đã công khai")


def test_anonymous_feedback_answered_published_and_read_by_code(
    world: Any, new_page: Any, tmp_path: Path
) -> None:
    _seed_texts()
    photo = tmp_path / "anh-chup.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 128)

    phone = new_page(viewport=PHONE_360)
    code = _send(phone, world, photo)
    item = Feedback.objects.get(code=code)
    assert item.attachments.count() == 1 and item.submitted_by is None
    assert Message.objects.filter(template_key="feedback_received").count() == 1

    _answer_and_publish(new_page(), world, item)
    item.refresh_from_db()
    assert item.state == State.ANSWERED and item.published
    assert Message.objects.filter(template_key="feedback_answered").count() == 1

    phone.goto("/phan-anh/tra-cuu/")
    phone.fill("#id_code", code.lower())
    phone.locator("#id_code").press("Enter")
    expect(phone.locator("#feedback-state")).to_have_text("Đã trả lời")
    expect(phone.locator("#feedback-answer")).to_have_text(ANSWER)
    _fits_the_phone(phone)
    shot(phone, "feedback-lookup-phone")
    _accessible(phone, "feedback-lookup")

    phone.goto("/phan-anh/da-tra-loi/")
    expect(phone.locator("#answered-list")).to_contain_text("[số điện thoại]")
    expect(phone.locator("#answered-list")).not_to_contain_text("0905 123 456")
    expect(phone.locator("#answered-list")).not_to_contain_text(code)
    _fits_the_phone(phone)
    _accessible(phone, "feedback-answered")
