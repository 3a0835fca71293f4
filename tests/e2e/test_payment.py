"""Paying fees online on a cheap phone (360 × 740): the citizen opens the
payment page of the dossier (the tracking page's signed link), pays on the
fake gateway, comes back to "Thanh toán thành công", downloads the receipt —
with the keyboard where it matters, and without a CSP violation on the way to
the gateway (the form's redirect leaves our origin)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.workflow import Status
from motcua.portal.qr import token_for
from tests.payments.helpers import configure, running_gateway

from .helpers import check_accessibility, shot, tab_to

pytestmark = pytest.mark.e2e
SMALL_PHONE = {"width": 360, "height": 740}


def fits_the_screen(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def test_a_citizen_pays_the_fees_on_a_phone_and_downloads_the_receipt(
    world, new_page, live_server, settings
):
    dossier = world.processing(clock.now() - timedelta(hours=2))
    dossier = services.dossier_request_payment(world.specialist, dossier, amount=75_000)
    ipn_url = f"{live_server.url}/api/v1/payments/ipn/vnpay/"
    with running_gateway(ipn_url) as gateway:
        configure(settings, gateway.url)
        page = new_page(viewport=SMALL_PHONE)
        violations: list[str] = []
        page.on(
            "console",
            lambda m: (
                violations.append(m.text)
                if "Content Security Policy" in m.text or "Refused to" in m.text
                else None
            ),
        )
        page.goto(f"/thanh-toan/{token_for(dossier)}/")
        expect(page.locator("#pay-amount")).to_have_text("75.000 đ")
        expect(page.get_by_text("Bảy mươi lăm nghìn đồng")).to_be_visible()
        assert fits_the_screen(page)
        check_accessibility(page, "payment-page")
        shot(page, "payment-page-phone")

        tab_to(page, "pay-online")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(re.escape(gateway.url) + r"/paymentv2/.*"))
        expect(page.locator("#gateway-amount")).to_have_text("75.000 VND")
        page.click("#gateway-pay")

        page.wait_for_url(re.compile(r".*/thanh-toan/.*/ket-qua/TT.*"))
        expect(page.locator("#pay-result")).to_have_text("Thanh toán thành công")
        expect(page.locator("#dossier-status")).to_have_text("Đang xử lý")
        assert fits_the_screen(page)
        check_accessibility(page, "payment-result")
        shot(page, "payment-result-phone")

        with page.expect_download() as download_info:
            page.click("#receipt-link")
        download = download_info.value
        assert download.suggested_filename.startswith("bien-lai-")
        with open(download.path(), "rb") as pdf:
            reader = PdfReader(io.BytesIO(pdf.read()))
        text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in reader.pages))
        assert "75.000 đ" in text and "Bảy mươi lăm nghìn đồng" in text
        assert dossier.code in text
        assert gateway.ipn_answers[0]["RspCode"] in ("00", "02")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert not violations, violations
