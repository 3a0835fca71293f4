"""The payment pages refuse what cannot be paid with a clear Vietnamese
message and change nothing; they show no personal data and are never stored
or indexed."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.payments.models import PaymentOrder
from motcua.portal.qr import token_for

from .helpers import configure, waiting_for_fees

pytestmark = pytest.mark.django_db
PERSONAL = ("Nguyễn Văn An", "048090001234", "0905123456")


def test_the_page_shows_the_fee_and_the_button_without_personal_data(settings):
    configure(settings)
    waiting = waiting_for_fees()
    page = Client().get(f"/thanh-toan/{waiting.token}/")
    html = page.content.decode()
    assert page.status_code == 200
    for expected in (
        "50.000 đ",
        "Năm mươi nghìn đồng",
        "Thanh toán trực tuyến",
        "Chờ thực hiện nghĩa vụ tài chính",
        waiting.dossier.code,
        "N. V. A.",
    ):
        assert expected in html, expected
    for personal in PERSONAL:
        assert personal not in html
    assert "no-store" in page["Cache-Control"]
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert page["Referrer-Policy"] == "same-origin"


def test_a_dossier_not_waiting_for_fees_cannot_start_an_order(settings):
    configure(settings)
    waiting = waiting_for_fees()
    processing = waiting.world.processing(waiting.dossier.received_at)
    token = token_for(processing)
    html = Client().get(f"/thanh-toan/{token}/").content.decode()
    assert "Hồ sơ hiện không có yêu cầu nộp phí, lệ phí." in html
    assert 'id="pay-online"' not in html
    refused = Client().post(f"/thanh-toan/{token}/")
    assert refused.status_code == 409
    assert "Hồ sơ hiện không có yêu cầu nộp phí, lệ phí." in refused.content.decode()
    assert not PaymentOrder.objects.exists()


def test_without_a_provider_the_page_says_to_pay_at_the_desk(settings):
    configure(settings)
    settings.MOTCUA_PAYMENT_PROVIDER = ""
    waiting = waiting_for_fees()
    page = Client().get(f"/thanh-toan/{waiting.token}/")
    assert "nộp phí tại Bộ phận Một cửa" in page.content.decode()
    assert "form-action 'self';" in page["Content-Security-Policy"] + ";"
    refused = Client().post(f"/thanh-toan/{waiting.token}/")
    assert refused.status_code == 409
    assert not PaymentOrder.objects.exists()


def test_a_forged_token_opens_nothing(settings):
    configure(settings)
    waiting = waiting_for_fees()
    dossier_id, signature = waiting.token.split(".")
    flip = "A" if signature[3] != "A" else "B"
    forged = f"{dossier_id}.{signature[:3]}{flip}{signature[4:]}"
    for path in (
        f"/thanh-toan/{forged}/",
        f"/thanh-toan/{forged}/bien-lai.pdf",
        f"/thanh-toan/{forged}/ket-qua/TT250603XAAAAAAAA/",
    ):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert waiting.dossier.code not in response.content.decode()
    assert Client().post(f"/thanh-toan/{forged}/").status_code == 404
    api = Client().get(f"/api/v1/payments/{forged}/")
    assert api.status_code == 404 and api.json()["code"] == "payment.not_found"
    assert not PaymentOrder.objects.exists()


def test_an_order_of_another_dossier_is_not_shown_under_this_token(settings):
    from .helpers import start

    configure(settings)
    mine = waiting_for_fees()
    theirs = waiting_for_fees()
    order, _url = start(theirs)
    response = Client().get(f"/thanh-toan/{mine.token}/ket-qua/{order.reference}/")
    assert response.status_code == 404


def test_a_provider_without_its_merchant_code_or_secret_is_off(settings, caplog):
    configure(settings)
    settings.MOTCUA_VNPAY_HASH_SECRET = ""
    waiting = waiting_for_fees()
    page = Client().get(f"/thanh-toan/{waiting.token}/")
    assert "nộp phí tại Bộ phận Một cửa" in page.content.decode()
    assert Client().post(f"/thanh-toan/{waiting.token}/").status_code == 409
    assert "payment.not_configured provider=vnpay" in caplog.text
    assert not PaymentOrder.objects.exists()
