"""A citizen on a cheap phone (360 × 740) signs in with the VNeID-style
provider (the test provider started on 127.0.0.1, through allauth's real
OpenID Connect flow) and finds their dossier received at the desk in "Hồ sơ
của tôi"; another signs in with a one-time code sent by e-mail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.citizens.devidp import IdentityProvider, IdentityServer
from motcua.dossiers import services
from motcua.dossiers.applicants import ApplicantInput

from .helpers import check_accessibility, shot, tab_to

pytestmark = pytest.mark.e2e
PHONE_360 = {"width": 360, "height": 740}
CALLBACK = "/accounts/oidc/vneid/login/callback/"


@pytest.fixture
def idp(live_server: Any) -> Iterator[IdentityServer]:
    from allauth.socialaccount.models import SocialApp

    provider = IdentityProvider(
        redirect_uris=(live_server.url + CALLBACK,), require_pkce=True
    )
    server = IdentityServer(provider).start()
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="vneid",
        name="VNeID",
        client_id=provider.client_id,
        secret=provider.client_secret,
        settings={"server_url": server.url, "oauth_pkce_enabled": True},
    )
    yield server
    server.stop()


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_360["width"], f"{page.url} is {width}px wide"


def test_a_citizen_signs_in_with_vneid_and_sees_their_desk_dossier(
    world, idp, new_page
):
    # Trần Thị Bình (a demo person) handed a dossier in at the ward's desk
    dossier = services.dossier_receive(
        world.reception,
        data=world.input(
            applicant=ApplicantInput(
                name="Trần Thị Bình", id_number="048185000123", phone="0912345678"
            )
        ),
    )
    page = new_page(viewport=PHONE_360)
    page.goto("/cong-dan/ho-so/")
    expect(page.locator("h1")).to_have_text("Đăng nhập công dân")
    _fits(page)
    assert check_accessibility(page, "citizen-sign-in") == []
    shot(page, "citizen-sign-in-360")

    tab_to(page, "signin-vneid")  # by keyboard, as on a phone with a keypad
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("VNeID thử nghiệm")
    page.check("#person-demo-binh")
    page.click("#consent")

    page.wait_for_url("**/cong-dan/ho-so/")
    expect(page.locator("h1")).to_have_text("Hồ sơ của tôi")
    rows = page.locator("#my-dossiers li")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(dossier.code)
    expect(rows.first).to_contain_text(world.ward.name)
    _fits(page)
    assert check_accessibility(page, "citizen-dossiers") == []
    shot(page, "citizen-dossiers-360")

    page.click("#nav-profile")
    expect(page.locator("#profile-facts")).to_contain_text("048185000123")
    expect(page.locator("#profile-facts")).to_contain_text("Trần Thị Bình")
    _fits(page)
    assert check_accessibility(page, "citizen-profile") == []

    page.click("#nav-dossiers")
    page.locator("#my-dossiers a.code").first.click()
    expect(page.locator("main")).to_contain_text(dossier.code)  # tracking page

    page.goto("/cong-dan/ho-so/")
    page.click("#citizen-sign-out")
    # signed out: the redirect has landed
    expect(page.locator("h1")).to_have_text("Đăng nhập công dân")
    page.goto("/cong-dan/ho-so/")
    expect(page.locator("h1")).to_have_text("Đăng nhập công dân")


def test_a_citizen_signs_in_with_a_code_sent_by_e_mail(world, new_page):
    import importlib

    from django.apps import apps

    from motcua.notifications.models import Message

    importlib.import_module(
        "motcua.notifications.migrations.0007_citizen_code_template"
    ).seed(apps, None)
    page = new_page(viewport=PHONE_360)
    page.goto("/cong-dan/dang-nhap/")
    page.fill("#id_address", "an.nguyen@example.vn")
    page.fill("#id_full_name", "Nguyễn Văn An")
    page.click("#send-code")
    expect(page.locator("#code-sent-to")).to_contain_text("a***@example.vn")
    _fits(page)
    assert check_accessibility(page, "citizen-code") == []
    code = Message.objects.get(template_key="citizen_code").variables["code"]
    page.fill("#id_code", "000000" if code != "000000" else "111111")
    page.click("#check-code")
    expect(page.locator("#form-errors")).to_contain_text("Mã xác thực không đúng")
    page.fill("#id_code", code)
    page.click("#check-code")
    page.wait_for_url("**/cong-dan/ho-so/")
    expect(page.locator("#no-dossiers")).to_be_visible()
    _fits(page)
