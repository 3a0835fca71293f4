"""After submission, on a cheap phone (360 × 740): the citizen follows the
dossier on the tracking page, answers a supplement request online with a
scan, and — once the leader approved and signed the result — downloads it and
verifies its signature on the public verification page. axe-core finds no
serious or critical violation on the tracking, supplement and verification
pages; no page is wider than the phone."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.base import ContentFile
from django.db import connections
from playwright.sync_api import expect

from motcua.dossiers import services
from motcua.dossiers.files import dossier_file_upload
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.workflow import Status
from motcua.portal.qr import qr_path
from motcua.signing.services import approve_and_sign
from tests.citizens.factories import browser_sign_in, link_dossier, make_citizen

from .helpers import check_accessibility, shot, tab_to

pytestmark = pytest.mark.e2e
PHONE_360 = {"width": 360, "height": 740}
MISSING = ["Giấy chứng sinh (bản chính)", "Giấy xác nhận thông tin cư trú"]


def no_serious_violation(page, name: str) -> None:
    serious = check_accessibility(page, name)  # fails on a critical one itself
    assert not serious, f"{name}: serious accessibility violations: {serious}"


def fits_the_phone(page) -> None:
    wide = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 1, f"{page.url}: {wide}px wider than the screen"


def waiting_for_a_supplement(world, citizen) -> Dossier:
    """Submitted online by the citizen, received at the desk, then the
    specialist asks for two missing papers."""
    dossier = services.dossier_submit_online(
        citizen.user, world.input(channel="online")
    )
    link_dossier(citizen, dossier)
    dossier = services.dossier_receive(world.reception, dossier)
    dossier = services.dossier_assign(world.leader, dossier, assignee=world.specialist)
    return services.dossier_request_supplement(
        world.specialist,
        dossier,
        reason="Hồ sơ thiếu giấy tờ bắt buộc",
        items=MISSING,
    )


def approve_with_signature(world, dossier: Dossier, result_pdf) -> None:
    """The specialist drafts the result, the leader approves and signs, the
    desk marks it ready — in a thread of its own: pyHanko runs an asyncio loop,
    which the sync Playwright's loop in this thread does not allow."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_approve_with_signature, world, dossier, result_pdf).result()


def _approve_with_signature(world, dossier: Dossier, result_pdf) -> None:
    try:
        _sign(world, dossier, result_pdf)
    finally:
        connections.close_all()


def _sign(world, dossier: Dossier, result_pdf) -> None:
    dossier = Dossier.objects.get(pk=dossier.pk)
    draft = dossier_file_upload(
        world.specialist,
        dossier,
        upload=ContentFile(result_pdf.read_bytes(), name="giay-khai-sinh.pdf"),
        kind=DossierFile.Kind.RESULT,
    )
    dossier = services.dossier_submit(world.specialist, dossier)
    approve_and_sign(world.leader, dossier, result_file=draft)
    services.dossier_finish(world.reception, Dossier.objects.get(pk=dossier.pk))


def test_a_citizen_answers_a_supplement_then_downloads_and_verifies_the_result(
    world, new_page, live_server, scan_pdf, result_pdf, tmp_path
):
    citizen = make_citizen()
    dossier = waiting_for_a_supplement(world, citizen)
    page = new_page(viewport=PHONE_360)
    browser_sign_in(page.context, live_server.url, citizen)

    # The slip's QR link: the timeline says exactly what is missing.
    page.goto(qr_path(dossier))
    expect(page.locator("#timeline")).to_contain_text(
        "Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ"
    )
    for item in MISSING:
        expect(page.locator("#supplement-request")).to_contain_text(item)
    expect(page.locator("#expected-text")).to_contain_text("Bổ sung đủ các giấy tờ")
    no_serious_violation(page, "citizen-tracking-supplement")
    fits_the_phone(page)
    shot(page, "citizen-tracking-supplement")

    # Answer online: one scan for the first paper, a note, with the keyboard.
    tab_to(page, "supplement-online")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tra-cuu/bo-sung/"))
    expect(page.locator("#wanted-items")).to_contain_text(MISSING[0])
    no_serious_violation(page, "citizen-supplement")
    fits_the_phone(page)
    page.locator("#id_item_0").set_input_files(scan_pdf)
    tab_to(page, "id_note")
    page.keyboard.type("Gửi bản chụp giấy chứng sinh")
    shot(page, "citizen-supplement")
    tab_to(page, "supplement-submit")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tra-cuu/qr/"))
    expect(page.locator(".messages")).to_contain_text("Đã gửi 1 tệp bổ sung")
    expect(page.locator("#timeline")).to_contain_text("Hồ sơ đã được bổ sung")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.files.filter(kind=DossierFile.Kind.SCAN).count() == 1

    # The leader approves with a signature; the citizen downloads the result.
    approve_with_signature(world, dossier, result_pdf)
    page.reload()
    expect(page.locator("#timeline")).to_contain_text("Đã có kết quả giải quyết")
    no_serious_violation(page, "citizen-tracking-result")
    fits_the_phone(page)
    shot(page, "citizen-tracking-result")
    with page.expect_download() as download_info:
        page.locator("#download-result-1").click()
    downloaded = tmp_path / "ket-qua.pdf"
    download_info.value.save_as(downloaded)
    assert downloaded.read_bytes().startswith(b"%PDF-")

    # Anyone can verify it on the public page.
    page.goto("/tra-cuu/xac-thuc/")
    no_serious_violation(page, "verify-empty")
    page.locator("#id_document").set_input_files(downloaded)
    page.locator("#verify-submit").click()
    expect(page.locator("#verify-verdict")).to_have_text("Chữ ký số hợp lệ")
    expect(page.locator("#verify-signer")).to_have_text("Trần Thị Bình")
    expect(page.locator("#verify-code")).to_have_text(dossier.code)
    expect(page.locator("#verify-agency")).to_have_text(world.ward.name)
    no_serious_violation(page, "verify-result")
    fits_the_phone(page)
    shot(page, "citizen-verify-result")
