"""The whole path of a dossier as the officers walk it in the browser:
reception at the desk (keyboard only) → assignment → processing with a
consultation of the district → approval with a digital signature → return.
Decree 61/2018/NĐ-CP Art. 17–20."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from .helpers import (
    DATE,
    check_accessibility,
    login,
    open_action,
    pdf_text,
    shot,
    status_is,
    tab_to,
)

pytestmark = pytest.mark.e2e
APPLICANT = {"id_id_number": "048090001234", "id_name": "Nguyễn Văn An"}


def choose_file_with_the_keyboard(page, path) -> None:
    """Enter on the focused file input opens the system's file dialog. Headless
    chromium now and then does not report the dialog (more often on a busy
    machine, when focus may also have moved); the file is then set on that input
    directly, found by its id — never with the mouse."""
    try:
        with page.expect_file_chooser(timeout=3_000) as chooser:
            page.keyboard.press("Enter")
        chooser.value.set_files(path)
    except PlaywrightTimeoutError:
        page.locator("#scan-files").set_input_files(path)


def receive_at_the_desk_with_the_keyboard(page, world, scan_pdf) -> str:
    """The desk officer never touches the mouse: Tab, typing, Space, Enter."""
    login(page, world.reception, keyboard=True)
    tab_to(page, "nav-desk")
    page.keyboard.press("Enter")
    page.wait_for_url("**/can-bo/quay/")
    expect(page.locator("#procedure-search")).to_be_focused()  # autofocus
    page.keyboard.type("khai sinh")  # no accents needed
    first = page.locator("#procedure-results a").first
    expect(first).to_have_text("Đăng ký khai sinh")
    shot(page, "desk-search")
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"thu_tuc="))
    expect(page.locator("#chosen-procedure")).to_have_text("Đăng ký khai sinh")

    for field, value in APPLICANT.items():
        tab_to(page, field)
        page.keyboard.type(value)
    tab_to(page, "id_phone")
    page.keyboard.type("0905123456")
    boxes = page.locator(".received-box")
    expect(boxes).to_have_count(3)
    for i in range(3):  # the whole checklist was handed in
        expect(boxes.nth(i)).to_be_checked()

    tab_to(page, "scan-files")
    choose_file_with_the_keyboard(page, scan_pdf)
    expect(page.locator("#scan-previews")).to_contain_text("to-khai.pdf")

    due = page.locator("#due-preview")
    expect(due).to_have_text(DATE)
    live = page.evaluate(
        "fetch(document.getElementById('due-preview').dataset.json).then(r => r.json())"
    )
    assert live["text"][:10] == due.inner_text()[:10]  # same day as shown
    assert live["legal"] == "3 ngày làm việc"
    shot(page, "desk")

    tab_to(page, "outcome-receive")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/can-bo/quay/xong/.+\?phieu=receipt"))
    expect(page.locator("#done-title")).to_have_text("Đã tiếp nhận hồ sơ")
    code = page.locator("#done-code").inner_text()
    expect(page.locator("#print-slip")).to_be_focused()  # Enter prints
    shot(page, "desk-done")
    slip = pdf_text(page, page.locator("#print-slip").get_attribute("href"))
    assert code in slip and "GIẤYTIẾPNHẬN" in slip.upper()
    return code


def test_a_dossier_from_the_desk_to_the_returned_result(
    world, new_page, scan_pdf, result_pdf
):
    desk = new_page()
    code = receive_at_the_desk_with_the_keyboard(desk, world, scan_pdf)
    url = f"/can-bo/ho-so/{code}/"
    desk.goto(url)
    status_is(desk, "Đã tiếp nhận")
    expect(desk.locator(".previews")).to_contain_text("to-khai.pdf")

    # The leader assigns the specialist.
    leader = new_page()
    login(leader, world.leader)
    leader.goto(url)
    open_action(leader, "assign")
    leader.select_option("#id_assign-assignee", value=str(world.specialist.pk))
    leader.click("#submit-assign")
    status_is(leader, "Đang xử lý")
    expect(leader.locator("#steps-table")).to_contain_text("Phạm Văn Minh")

    # The specialist finds it in "my work" and asks the district's opinion.
    specialist = new_page()
    login(specialist, world.specialist)
    expect(specialist.locator("#nav-queue-cua-toi .count")).to_have_text("1")
    specialist.click("#nav-queue-cua-toi")
    specialist.click(f"text={code}")
    specialist.wait_for_url(f"**{url}")
    open_action(specialist, "consult")
    specialist.select_option("#id_consult-agency", value=str(world.district.pk))
    specialist.fill("#id_consult-question", "Đề nghị xác minh nơi cư trú của mẹ.")
    specialist.fill("#id_consult-working_days", "2")
    specialist.click("#submit-consult")
    expect(specialist.locator(".consultations")).to_contain_text("Chờ trả lời")

    # The district specialist answers.
    district = new_page()
    login(district, world.district_specialist)
    district.goto(url)
    open_action(district, "answer_consult")
    district.fill("#id_answer_consult-answer", "Đã xác minh: cư trú tại phường.")
    district.click("#submit-answer_consult")
    expect(district.locator(".consultations")).to_contain_text("Đã trả lời")

    # The specialist submits to the leader.
    specialist.reload()
    expect(specialist.locator(".consultations")).to_contain_text("Đã xác minh")
    open_action(specialist, "submit")
    specialist.fill("#id_submit-note", "Đủ điều kiện, đề nghị phê duyệt.")
    specialist.click("#submit-submit")
    expect(specialist.locator("#steps-table")).to_contain_text("Phê duyệt, ký")

    # The leader approves and signs the result from the board.
    leader.click("#nav-leader")
    expect(leader.locator("h1")).to_have_text("Bảng lãnh đạo")
    expect(leader.locator(".dossier-table")).to_contain_text(code)
    shot(leader, "leader")
    leader.click(f".dossier-table >> text={code}")
    open_action(leader, "approve")
    leader.set_input_files("#id_approve-result_file", str(result_pdf))
    leader.click("#submit-approve")
    signatures = leader.locator("#signatures")
    expect(signatures).to_contain_text("Chữ ký hợp lệ")
    expect(signatures).to_contain_text("Trần Thị Bình")

    # Back at the desk: the result is ready, then handed to the applicant.
    desk.goto(url)
    expect(desk.locator("#signatures")).to_contain_text("Chữ ký hợp lệ")
    open_action(desk, "finish")
    desk.fill("#id_finish-result_summary", "Giấy khai sinh bản chính")
    desk.click("#submit-finish")
    status_is(desk, "Có kết quả, chờ trả")
    shot(desk, "dossier")
    desk.click("#nav-returns")
    desk.fill("#return-code", code)
    desk.press("#return-code", "Enter")
    form = desk.locator("#form-return_result")
    expect(form).to_be_visible()
    expect(desk.locator("#early-table")).to_contain_text(code)
    expect(
        form.locator("input[name='return_result-is_applicant'][value='1']")
    ).to_be_checked()
    shot(desk, "returns")
    form.locator("#id_return_result-id_checked").check()
    desk.click("#submit-return_result")
    desk.wait_for_url("**/can-bo/tra-ket-qua/")
    desk.goto(url)
    status_is(desk, "Đã trả kết quả")
    check_accessibility(desk, "dossier-returned")
