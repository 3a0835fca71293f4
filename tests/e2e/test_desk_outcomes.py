"""The other two outcomes at the desk (Decree 61/2018 Art. 17): ask to
supplement — slip 02, and later receive the completed dossier — or refuse —
slip 03. Each prints its slip, which carries the dossier code."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import login, open_action, pdf_text, squeeze, status_is

pytestmark = pytest.mark.e2e


def fill_the_applicant(page, world) -> None:
    page.goto(f"/can-bo/quay/?thu_tuc={world.procedure.code}")
    page.fill("#id_id_number", "048190000111")
    page.fill("#id_name", "Nguyễn Thị Bình")
    page.fill("#id_phone", "0905000111")


def test_asking_to_supplement_prints_slip_02_then_the_dossier_is_received(world, page):
    login(page, world.reception)
    fill_the_applicant(page, world)
    missing = world.version.components.get(position=2)  # Giấy chứng sinh
    page.uncheck(f"#comp-{missing.pk}-received")
    page.fill("#id_reason", "Thiếu giấy chứng sinh bản chính.")
    page.click("#outcome-supplement")
    page.wait_for_url(re.compile(r"\?phieu=supplement$"))
    expect(page.locator("#done-title")).to_have_text("Đã yêu cầu bổ sung hồ sơ")
    code = page.locator("#done-code").inner_text()
    slip = pdf_text(page, page.locator("#print-slip").get_attribute("href"))
    assert code in slip
    assert squeeze("Giấy chứng sinh") in slip  # what is missing, said once

    # The applicant comes back with the missing paper.
    page.click("#open-dossier")
    status_is(page, "Chờ bổ sung")
    open_action(page, "resubmit")
    page.fill("#id_resubmit-note", "Đã nộp giấy chứng sinh bản chính.")
    page.click("#submit-resubmit")
    open_action(page, "receive")
    page.click("#submit-receive")
    page.wait_for_url(re.compile(r"\?phieu=receipt$"))
    expect(page.locator("#done-title")).to_have_text("Đã tiếp nhận hồ sơ")
    assert page.locator("#done-code").inner_text() == code
    page.click("#open-dossier")
    status_is(page, "Đã tiếp nhận")


def test_refusing_prints_slip_03_with_the_reason(world, page):
    login(page, world.reception)
    fill_the_applicant(page, world)
    page.fill("#id_reason", "Thủ tục không thuộc thẩm quyền của phường.")
    page.click("#outcome-refuse")
    page.wait_for_url(re.compile(r"\?phieu=refusal$"))
    expect(page.locator("#done-title")).to_have_text("Đã từ chối tiếp nhận hồ sơ")
    code = page.locator("#done-code").inner_text()
    slip = pdf_text(page, page.locator("#print-slip").get_attribute("href"))
    assert code in slip
    assert squeeze("không thuộc thẩm quyền") in slip
    page.click("#open-dossier")
    status_is(page, "Không tiếp nhận")
