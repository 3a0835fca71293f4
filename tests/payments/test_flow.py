"""The whole path over HTTP: our pages on the live server, the fake gateway on
its own port of 127.0.0.1 — the citizen pays, the gateway calls the IPN and
sends the citizen back, the dossier resumes, the receipt is a PDF. Also the
cancelled and failed tries, the query of an order whose IPN never came, the
status API and the OpenAPI schema."""

from __future__ import annotations

import io
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from pypdf import PdfReader

from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.payments import services
from motcua.payments.models import PaymentOrder

from .helpers import FEE, configure, running_gateway, waiting_for_fees

pytestmark = pytest.mark.django_db(transaction=True)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Answer:
    status: int
    headers: Any
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers["Location"]


class Browser:
    """Cookies, no automatic redirects: each hop is checked."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

    def get(self, url: str) -> Answer:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, data: dict[str, str]) -> Answer:
        body = urlencode(data).encode()
        return self._open(urllib.request.Request(url, data=body, method="POST"))

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as answer:
            return Answer(answer.code, answer.headers, answer.read())


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", "".join(p.extract_text() or "" for p in reader.pages))


@pytest.fixture
def gateway(live_server, settings):
    with running_gateway(f"{live_server.url}/api/v1/payments/ipn/vnpay/") as running:
        configure(settings, running.url)
        yield running


def to_gateway(browser: Browser, site: str, token: str) -> Answer:
    """Open the pay page, press the button, land on the gateway's page."""
    page = browser.get(f"{site}/thanh-toan/{token}/")
    assert page.status == 200
    assert "50.000 đ" in page.text and "Thanh toán trực tuyến" in page.text
    csrf = CSRF.search(page.text)
    assert csrf is not None
    sent = browser.post(f"{site}/thanh-toan/{token}/", {"csrfmiddlewaretoken": csrf[1]})
    assert sent.status == 302, sent.text[:500]
    return browser.get(sent.location)


def test_a_citizen_pays_through_the_gateway_and_gets_the_receipt(live_server, gateway):
    waiting = waiting_for_fees()
    site, browser = live_server.url, Browser()
    page = browser.get(f"{site}/thanh-toan/{waiting.token}/")
    policy = page.headers["Content-Security-Policy"]
    assert f"form-action 'self' {gateway.url}" in policy  # the redirect may go there
    assert "no-store" in page.headers["Cache-Control"]
    on_gateway = to_gateway(browser, site, waiting.token)
    assert on_gateway.status == 200 and "50.000 VND" in on_gateway.text
    reference = re.search(r'name="vnp_TxnRef" value="([^"]+)"', on_gateway.text)[1]

    paid = browser.post(
        f"{gateway.url}/paymentv2/pay", {"vnp_TxnRef": reference, "outcome": "pay"}
    )
    assert paid.status == 303
    assert gateway.ipn_answers == [
        {"reference": reference, "RspCode": "00", "Message": "Confirm Success"}
    ]
    back = browser.get(paid.location)  # the return URL, with the signed fields
    assert back.status == 302
    assert urlsplit(back.location).path == (
        f"/thanh-toan/{waiting.token}/ket-qua/{reference}/"
    )
    result = browser.get(f"{site}{urlsplit(back.location).path}")
    assert result.status == 200 and "Thanh toán thành công" in result.text

    dossier = waiting.fresh()
    assert dossier.status == Status.PROCESSING
    assert dossier.payment_status == Dossier.Payment.PAID
    order = PaymentOrder.objects.get(reference=reference)
    assert order.state == PaymentOrder.State.PAID and order.applied

    receipt = browser.get(f"{site}/thanh-toan/{waiting.token}/bien-lai.pdf")
    assert receipt.status == 200
    assert receipt.headers["Content-Type"] == "application/pdf"
    text = pdf_text(receipt.body)
    for expected in (
        "BIÊN LAI THANH TOÁN TRỰC TUYẾN",
        dossier.code,
        "50.000 đ",
        "Năm mươi nghìn đồng",
        order.transaction_no,
        "UBND phường Hòa Cường Nam",
        "N. V. A.",
    ):
        assert expected in text, expected
    assert "Nguyễn Văn An" not in text

    status = json.loads(browser.get(f"{site}/api/v1/payments/{waiting.token}/").body)
    assert status["payment_status"] == "paid" and status["fee_amount"] == FEE
    assert status["receipt_url"] == f"/thanh-toan/{waiting.token}/bien-lai.pdf"
    assert status["orders"][0]["reference"] == reference
    assert status["orders"][0]["state"] == "paid"


@pytest.mark.parametrize(
    ("button", "forced", "headline", "state"),
    [
        ("cancel", "", "Bạn đã hủy thanh toán", PaymentOrder.State.CANCELLED),
        ("pay", "fail", "Thanh toán không thành công", PaymentOrder.State.FAILED),
    ],
)
def test_a_cancelled_or_failed_try_leaves_the_dossier_waiting(
    live_server, gateway, button, forced, headline, state
):
    gateway.outcome = forced
    waiting = waiting_for_fees()
    browser = Browser()
    on_gateway = to_gateway(browser, live_server.url, waiting.token)
    reference = re.search(r'name="vnp_TxnRef" value="([^"]+)"', on_gateway.text)[1]
    came_back = browser.post(
        f"{gateway.url}/paymentv2/pay", {"vnp_TxnRef": reference, "outcome": button}
    )
    result = browser.get(f"{live_server.url}{browser.get(came_back.location).location}")
    assert headline in result.text and "Thanh toán lại" in result.text
    assert PaymentOrder.objects.get(reference=reference).state == state
    assert waiting.fresh().status == Status.WAITING_PAYMENT
    assert (
        browser.get(f"{live_server.url}/thanh-toan/{waiting.token}/bien-lai.pdf").status
        == 404
    )


def test_an_order_whose_ipn_never_came_is_settled_by_querying_the_gateway(
    live_server, gateway
):
    gateway.ipn_url = ""  # the gateway cannot reach us
    waiting = waiting_for_fees()
    browser = Browser()
    on_gateway = to_gateway(browser, live_server.url, waiting.token)
    reference = re.search(r'name="vnp_TxnRef" value="([^"]+)"', on_gateway.text)[1]
    browser.post(  # paid, and the citizen closes the tab before coming back
        f"{gateway.url}/paymentv2/pay", {"vnp_TxnRef": reference, "outcome": "pay"}
    )
    order = PaymentOrder.objects.get(reference=reference)
    assert order.state == PaymentOrder.State.PENDING
    order = services.order_reconcile(order)
    assert order.state == PaymentOrder.State.PAID and order.applied
    assert waiting.fresh().status == Status.PROCESSING


def test_the_gateway_refuses_a_request_we_did_not_sign(live_server, gateway):
    browser = Browser()
    forged = browser.get(
        f"{gateway.url}/paymentv2/vpcpay.html?vnp_TxnRef=X&vnp_Amount=100"
        "&vnp_TmnCode=MOTCUA01&vnp_Command=pay&vnp_SecureHash=00"
    )
    assert forged.status == 400


def test_the_payment_endpoints_are_in_the_openapi_schema(db):
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/payments/ipn/{provider}/" in schema["paths"]
    assert "/api/v1/payments/{token}/" in schema["paths"]


def test_the_reconcile_command_settles_lost_and_abandoned_orders(live_server, gateway):
    from datetime import timedelta

    from django.core.management import call_command

    from motcua.core import clock

    gateway.ipn_url = ""
    paid_elsewhere = waiting_for_fees()
    abandoned = waiting_for_fees()
    browser = Browser()
    on_gateway = to_gateway(browser, live_server.url, paid_elsewhere.token)
    reference = re.search(r'name="vnp_TxnRef" value="([^"]+)"', on_gateway.text)[1]
    browser.post(
        f"{gateway.url}/paymentv2/pay", {"vnp_TxnRef": reference, "outcome": "pay"}
    )
    page = browser.get(f"{live_server.url}/thanh-toan/{abandoned.token}/")
    csrf = CSRF.search(page.text)[1]
    browser.post(  # sent to the gateway, never opened its page
        f"{live_server.url}/thanh-toan/{abandoned.token}/",
        {"csrfmiddlewaretoken": csrf},
    )
    still_open = PaymentOrder.objects.get(dossier=abandoned.dossier)
    # not expired yet: left alone
    call_command("payments_reconcile", stdout=io.StringIO())
    assert PaymentOrder.objects.filter(state=PaymentOrder.State.PENDING).count() == 2
    PaymentOrder.objects.update(expires_at=clock.now() - timedelta(minutes=10))
    # the scheduler's watch runs the same reconciliation as the command
    from motcua.notifications import scheduler

    assert scheduler.run(["payments_reconcile"]) == {"payments_reconcile": 2}
    assert paid_elsewhere.fresh().status == Status.PROCESSING
    still_open.refresh_from_db()
    assert still_open.state == PaymentOrder.State.CANCELLED
    assert abandoned.fresh().status == Status.WAITING_PAYMENT
