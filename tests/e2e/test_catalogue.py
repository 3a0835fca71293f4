"""A citizen on a cheap phone (360 × 740) finds a procedure in the public
catalogue by the words they use, with and without diacritics, opens it, sees
what to bring, where and when to go and how to submit online; the poster's QR
code, decoded from the PDF, lands on that page. axe-core finds no serious or
critical violation on the catalogue pages."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.portal.test_catalogue import BIRTH, DEATH, Catalogue, build_catalogue
from tests.portal.test_catalogue_posters import qr_links

from .helpers import check_accessibility, shot, tab_to

pytestmark = pytest.mark.e2e
PHONE_360 = {"width": 360, "height": 740}


@pytest.fixture
def catalogue(transactional_db: None, live_server: Any, settings: Any) -> Catalogue:
    settings.MOTCUA_PUBLIC_URL = live_server.url
    return build_catalogue()


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_360["width"], f"{page.url} is {width}px wide"


def _accessible(page: Any, name: str) -> None:
    serious = check_accessibility(page, name)  # fails on a critical one
    assert serious == [], f"{name}: serious accessibility violations: {serious}"


def test_a_citizen_searches_without_diacritics_and_opens_birth_registration(
    catalogue, new_page
):
    page = new_page(viewport=PHONE_360)
    page.goto("/thu-tuc/")
    expect(page.locator("h1")).to_have_text("Thủ tục hành chính")
    _fits(page)
    _accessible(page, "catalogue-index")

    tab_to(page, "id_q")  # with the keyboard, as on a phone with a keypad
    page.keyboard.type("lam giay khai sinh cho con")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thu-tuc/?q=*")
    first = page.locator(".procedure-item__name").first
    expect(first).to_have_text("Đăng ký khai sinh")
    _fits(page)
    _accessible(page, "catalogue-results")
    shot(page, "catalogue-search-360")

    first.click()
    page.wait_for_url(f"**/thu-tuc/{BIRTH}/")
    expect(page.locator("#procedure-name")).to_have_text("Đăng ký khai sinh")
    expect(page.locator("#procedure-facts")).to_contain_text("Trong ngày")
    expect(page.locator("#where")).to_contain_text("135 Núi Thành")
    expect(page.locator("#where")).to_contain_text("07:30-11:30, 13:30-17:00")
    expect(page.locator("#submit-online")).to_have_attribute(
        "href", f"/nop-ho-so/{BIRTH}/"
    )
    _fits(page)
    _accessible(page, "catalogue-procedure")
    shot(page, "catalogue-procedure-360")


def test_a_search_with_diacritics_and_an_alias_finds_death_registration(
    catalogue, new_page
):
    page = new_page(viewport=PHONE_360)
    page.goto("/thu-tuc/")
    page.fill("#id_q", "báo tử")
    page.click("#catalogue-search-submit")
    expect(page.locator(".procedure-item__name").first).to_have_text("Đăng ký khai tử")
    page.goto("/thu-tuc/?q=xyzzy")
    expect(page.locator("#no-results")).to_be_visible()
    _accessible(page, "catalogue-no-results")
    page.goto("/thu-tuc/?field=XX")
    expect(page.locator("#form-errors")).to_contain_text(
        "Không có lĩnh vực này trong danh mục."
    )
    _accessible(page, "catalogue-bad-filter")


def test_the_posters_qr_opens_the_procedure_page(catalogue, new_page):
    import io

    from pypdf import PdfReader

    page = new_page(viewport=PHONE_360)
    response = page.request.get(f"/thu-tuc/{DEATH}/ma-qr.pdf")
    assert response.ok
    [link] = qr_links(PdfReader(io.BytesIO(response.body())))
    page.goto(link)  # what a phone's camera opens
    expect(page.locator("#procedure-name")).to_have_text("Đăng ký khai tử")
    _fits(page)
