"""axe-core inside the browser on the main pages: no critical violation. Each
page is also kept as a screenshot (1280 px; the desk also at 390 px, a phone)
for docs/guide-officers.md. Serious findings are written to
test-artifacts/axe/ and listed in the test's output."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from motcua.core import clock
from motcua.dossiers import services
from motcua.portal.qr import qr_path

from .conftest import PHONE
from .helpers import (
    AXE_REPORT,
    SCREENSHOTS,
    check_accessibility,
    login,
    open_action,
    shot,
)

pytestmark = pytest.mark.e2e


def some_work(world) -> dict[str, object]:
    now = clock.now()
    processing = world.processing(now - timedelta(days=1))
    submitted = world.processing(now - timedelta(hours=3))
    ready = world.processing(now - timedelta(hours=2))
    with world.at(now - timedelta(hours=1)):
        submitted = services.dossier_submit(world.specialist, submitted)
        ready = services.dossier_finish(world.specialist, ready, result_summary="Xong")
    return {"processing": processing, "submitted": submitted, "ready": ready}


def test_the_main_pages_have_no_critical_accessibility_violation(world, new_page):
    made = some_work(world)
    serious: dict[str, list] = {}

    def check(page, name: str, screenshot: str | None = None) -> None:
        found = check_accessibility(page, name)
        if found:
            serious[name] = found
        if screenshot:
            shot(page, screenshot)

    visitor = new_page()
    visitor.goto("/")
    check(visitor, "home")
    visitor.goto("/lich-lam-viec/")
    check(visitor, "calendar")
    code = made["processing"].code
    visitor.goto(qr_path(made["processing"]))  # the slip's QR code
    expect(visitor.locator(".track-status")).to_have_text("Đang xử lý")
    check(visitor, "tracking")
    visitor.goto("/accounts/login/")
    check(visitor, "login", "login")

    desk = new_page()
    login(desk, world.reception)
    check(desk, "staff-home-signed-in")  # with the "signed in" message
    desk.reload()
    check(desk, "staff-home", "staff-home")
    desk.goto(f"/can-bo/quay/?thu_tuc={world.procedure.code}")
    check(desk, "desk")
    for link in desk.locator(".bo-nav__queues a").all():
        slug = link.get_attribute("id").removeprefix("nav-queue-")
        desk.goto(link.get_attribute("href"))
        check(desk, f"queue-{slug}")
    desk.goto(f"/can-bo/ho-so/{code}/")
    check(desk, "dossier")
    desk.goto(f"/can-bo/tra-ket-qua/?ma={made['ready'].code}")
    expect(desk.locator("#form-return_result")).to_be_visible()
    check(desk, "returns")

    leader = new_page()
    login(leader, world.leader)
    leader.goto("/can-bo/lanh-dao/")
    expect(leader.locator(".dossier-table")).to_contain_text(made["submitted"].code)
    check(leader, "leader")
    leader.goto("/can-bo/hang-doi/cho-duyet/")
    check(leader, "queue-cho-duyet")
    leader.goto(f"/can-bo/ho-so/{code}/")
    open_action(leader, "extend")  # the apology and new date, folded open
    expect(leader.locator("#id_extend-new_due_at")).to_be_visible()
    check(leader, "dossier-extend")
    leader.locator("#action-extend").screenshot(path=str(SCREENSHOTS / "extend.png"))

    # An agency administrator without an authenticator app is sent to set one up.
    admin = new_page()
    admin.goto("/accounts/login/")
    admin.fill("#id_login", world.admin.get_username())
    admin.fill("#id_password", "pw-" + world.admin.get_username())
    admin.click("#login-submit")
    # the sign-in has landed before the next page is asked for
    expect(admin).not_to_have_url(re.compile(r"/accounts/login/"))
    admin.goto("/can-bo/")  # just signed in: no second password for a first app
    admin.wait_for_url(re.compile(r"/2fa/totp/activate/"))
    check(admin, "totp-activate", "totp")
    admin.goto("/accounts/reauthenticate/")  # asked before sensitive changes
    expect(admin.locator("h1")).to_have_text("Xác nhận truy cập")
    check(admin, "reauthenticate")

    phone = new_page(viewport=PHONE)
    login(phone, world.reception)
    phone.goto(f"/can-bo/quay/?thu_tuc={world.procedure.code}")
    check(phone, "desk-phone", "desk-phone")

    (AXE_REPORT / "serious.json").write_text(
        json.dumps(serious, indent=2, ensure_ascii=False) + "\n"
    )
    for name, found in serious.items():
        for v in found:
            print(f"axe serious on {name}: {v['id']} — {v['help']} {v['targets']}")
