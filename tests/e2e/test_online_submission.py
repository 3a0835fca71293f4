"""Online submission on a cheap phone (360 × 740): a mother signed in with her
VNeID account fills birth registration — prefilled from the account — with the
birth certificate as a file, reviews and submits it, and sees the tracking
page at once; the desk finds it in the «Trực tuyến» queue and receives it
(official code and due date). axe-core: no serious or critical violation on
the form, the review and the error page; no page is wider than the phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from tests.citizens.factories import browser_sign_in
from tests.online.builders import BIRTH, ensure_eforms, mother_citizen

from .helpers import check_accessibility, login, open_action, shot, status_is

pytestmark = pytest.mark.e2e
PHONE_360 = {"width": 360, "height": 740}


def no_serious_violation(page, name: str) -> None:
    serious = check_accessibility(page, name)  # fails on a critical one itself
    assert not serious, f"{name}: serious accessibility violations: {serious}"


def fits_the_phone(page) -> None:
    wide = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 1, f"{page.url}: {wide}px wider than the screen"


def birth_registration(world) -> None:
    ensure_eforms()
    world.procedure.code = BIRTH
    world.procedure.save(update_fields=["code"])


def fill_the_child_and_parents(page) -> None:
    page.check("#id_ef__child__sex_1")  # Nữ
    for name, value in {
        "child__full_name": "Nguyễn Ngọc Hà",
        "child__birth_date": "2025-05-20",
        "child__birth_place": "Bệnh viện Phụ sản – Nhi Đà Nẵng",
        "child__ethnicity": "Kinh",
        "child__nationality": "Việt Nam",
        "mother__full_name": "Trần Thị Bình",
        "mother__birth_date": "1990-05-12",
        "mother__id_number": "048190001234",
        "mother__residence": "12 Lê Lợi, phường Hòa Cường Nam",
        "declarant__relationship": "mẹ",
    }.items():
        page.fill(f"#id_ef__{name}", value)


def test_a_mother_submits_birth_registration_online_and_the_desk_receives_it(
    world, new_page, live_server, scan_pdf
):
    birth_registration(world)
    citizen = mother_citizen()
    certificate = world.version.components.get(position=2)
    page = new_page(viewport=PHONE_360)
    browser_sign_in(page.context, live_server.url, citizen)

    page.goto(f"/nop-ho-so/{BIRTH}/")
    expect(page.locator("#id_a_name")).to_have_value("Trần Thị Bình")
    expect(page.locator("#id_a_id_number")).to_have_value("048190001234")
    fits_the_phone(page)
    no_serious_violation(page, "online-form")
    shot(page, "online-01-form")

    # Forgetting the child's name and the certificate: told once, completely.
    page.select_option("#id_agency", str(world.ward.pk))
    page.click("#go-review")
    page.wait_for_url(re.compile(r"/nop-ho-so/ban-nhap/\d+/xem-lai/$"))
    expect(page.locator("#form-errors")).to_contain_text("Cần nhập «Họ, chữ đệm, tên»")
    expect(page.locator("#form-errors")).to_contain_text("Giấy chứng sinh")
    no_serious_violation(page, "online-form-errors")
    fits_the_phone(page)

    fill_the_child_and_parents(page)
    page.set_input_files(f"#file_{certificate.pk}", str(scan_pdf))
    page.check("#id_notify_channels_0")  # SMS: the account's phone
    page.click("#go-review")
    page.wait_for_url(re.compile(r"/xem-lai/$"))
    expect(page.locator("#submit-dossier")).to_be_visible()
    expect(page.locator("#review-file-list")).to_contain_text(scan_pdf.name)
    fits_the_phone(page)
    no_serious_violation(page, "online-review")
    shot(page, "online-02-review")

    page.click("#submit-dossier")
    page.wait_for_url(re.compile(r"/tra-cuu/qr/"))
    dossier = Dossier.objects.get(procedure=world.procedure)
    assert dossier.status == Status.SUBMITTED
    assert dossier.files.count() == 1
    expect(page.locator("main")).to_contain_text(dossier.code)
    shot(page, "online-03-tracking")

    # The desk receives it from the online queue.
    desk = new_page()
    login(desk, world.reception)
    desk.goto("/can-bo/hang-doi/truc-tuyen/")
    desk.click(f"text={dossier.code}")
    status_is(desk, "Chờ tiếp nhận")
    open_action(desk, "receive")
    desk.click("#submit-receive")
    desk.wait_for_url(re.compile(r"\?phieu=receipt$"))
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.due_at is not None

    page.reload()
    expect(page.locator("main")).to_contain_text("Đã tiếp nhận")


def test_the_drafts_and_the_desks_helping_pages_pass_axe(world, new_page, live_server):
    birth_registration(world)
    citizen = mother_citizen()
    page = new_page(viewport=PHONE_360)
    browser_sign_in(page.context, live_server.url, citizen)
    page.goto(f"/nop-ho-so/{BIRTH}/")
    page.fill("#id_ef__child__full_name", "Nguyễn Ngọc Hà")
    page.click("#save-draft")
    page.wait_for_url(re.compile(r"/nop-ho-so/ban-nhap/\d+/$"))
    expect(page.locator("#id_ef__child__full_name")).to_have_value("Nguyễn Ngọc Hà")
    page.goto("/nop-ho-so/ban-nhap/")
    expect(page.locator("#draft-list")).to_contain_text("Đăng ký khai sinh")
    fits_the_phone(page)
    no_serious_violation(page, "online-drafts")

    desk = new_page(viewport=PHONE_360)
    login(desk, world.reception)
    desk.goto("/nop-ho-so/ho-tro/?q=khai+sinh")
    no_serious_violation(desk, "online-helped-search")
    desk.click(f"#helped-results a[href='/nop-ho-so/ho-tro/{BIRTH}/']")
    desk.fill("#id_identity_number", citizen.identity_number)
    no_serious_violation(desk, "online-helped-start")
    desk.click("#start-helped")
    desk.wait_for_url(re.compile(r"/nop-ho-so/ho-tro/ban-nhap/\d+/$"))
    expect(desk.locator("#id_a_name")).to_have_value("Trần Thị Bình")
    expect(desk.locator("#helped-who")).to_contain_text("VNeID")
    fits_the_phone(desk)
    no_serious_violation(desk, "online-helped-form")
