"""The VNPay-style provider: the redirect carries every required field, the
amount ×100, and a HMAC-SHA512 signature over the sorted, URL-encoded fields;
a callback is read only when its signature and merchant code are ours."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from motcua.payments import providers, vnpay
from motcua.payments.providers import InvalidCallback, OrderRequest

from .helpers import SECRET, TMN_CODE

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    from .helpers import configure

    configure(settings)
    found = providers.get("vnpay")
    assert found is not None
    return found


def order() -> OrderRequest:
    at = datetime(2025, 6, 3, 6, 0, tzinfo=UTC)  # 13:00 in Vietnam
    return OrderRequest(
        reference="TT250603XABCDEFGH",
        amount=50_000,
        description="Thanh toan phi, le phi ho so 000.01.01.H12-250602-0001",
        return_url="https://motcua.example.vn/thanh-toan/ket-qua/vnpay/",
        client_ip="203.0.113.9",
        created_at=at,
        expires_at=at + timedelta(minutes=15),
    )


def test_the_registry_knows_the_provider():
    assert "vnpay" in providers.names()
    assert providers.get("no-such-gateway") is None


def test_the_redirect_carries_the_order_signed_over_sorted_encoded_fields(provider):
    url = provider.redirect_url(order())
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://gateway.invalid/paymentv2/vpcpay.html"
    )
    fields = dict(parse_qsl(parts.query))
    assert fields["vnp_Amount"] == "5000000"  # ×100
    assert fields["vnp_TmnCode"] == TMN_CODE
    assert fields["vnp_TxnRef"] == "TT250603XABCDEFGH"
    assert fields["vnp_CreateDate"] == "20250603130000"  # GMT+7
    assert fields["vnp_ExpireDate"] == "20250603131500"
    assert fields["vnp_Version"] == "2.1.0" and fields["vnp_Command"] == "pay"
    assert fields["vnp_CurrCode"] == "VND" and fields["vnp_Locale"] == "vn"
    signed = "&".join(
        f"{k}={v}"
        for k, v in [
            (k, urlencode({"": v})[1:])
            for k, v in sorted(fields.items())
            if k != "vnp_SecureHash"
        ]
    )
    expected = hmac.new(SECRET.encode(), signed.encode(), hashlib.sha512).hexdigest()
    assert fields["vnp_SecureHash"] == expected
    assert "+" in signed  # spaces encoded as the gateway's samples do


def signed_callback(**changes: str) -> dict[str, str]:
    fields = {
        "vnp_Amount": "5000000",
        "vnp_BankCode": "NCB",
        "vnp_PayDate": "20250603130512",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": TMN_CODE,
        "vnp_TransactionNo": "14831393",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "TT250603XABCDEFGH",
        "vnp_OrderInfo": "Thanh toan phi",
    }
    return vnpay.with_signature(fields | changes, SECRET)


def test_a_genuine_callback_is_read(provider):
    read = provider.verify(signed_callback())
    assert read.reference == "TT250603XABCDEFGH"
    assert read.amount == 50_000
    assert read.outcome == providers.SUCCEEDED
    assert read.transaction_no == "14831393"
    assert read.paid_at == datetime(2025, 6, 3, 6, 5, 12, tzinfo=UTC)
    assert "vnp_SecureHash" not in read.stored


@pytest.mark.parametrize(
    ("code", "status", "outcome"),
    [
        ("24", "02", providers.CANCELLED),
        ("51", "02", providers.FAILED),
        ("00", "01", providers.PENDING),
        ("00", "02", providers.FAILED),
        ("07", "07", providers.FAILED),
    ],
)
def test_the_response_code_and_transaction_status_decide_the_outcome(
    provider, code, status, outcome
):
    fields = signed_callback(vnp_ResponseCode=code, vnp_TransactionStatus=status)
    assert provider.verify(fields).outcome == outcome


def test_a_changed_field_or_another_secret_is_refused(provider):
    tampered = signed_callback() | {"vnp_Amount": "500000000"}
    other_secret = vnpay.with_signature(
        {k: v for k, v in signed_callback().items() if k != "vnp_SecureHash"},
        "another-merchant-secret",
    )
    no_signature = {k: v for k, v in signed_callback().items() if k != "vnp_SecureHash"}
    for forged in (tampered, other_secret, no_signature):
        with pytest.raises(InvalidCallback):
            provider.verify(forged)


def test_another_merchants_genuine_callback_is_refused(provider):
    with pytest.raises(InvalidCallback):
        provider.verify(signed_callback(vnp_TmnCode="OTHER001"))


def test_the_answers_are_the_gateways_codes(provider):
    assert provider.answer(providers.CONFIRMED) == {
        "RspCode": "00",
        "Message": "Confirm Success",
    }
    codes = {
        v: provider.answer(v)["RspCode"]
        for v in (
            providers.ALREADY_CONFIRMED,
            providers.UNKNOWN_ORDER,
            providers.WRONG_AMOUNT,
            providers.BAD_SIGNATURE,
            providers.REPLAYED,
        )
    }
    assert codes == {
        providers.ALREADY_CONFIRMED: "02",
        providers.UNKNOWN_ORDER: "01",
        providers.WRONG_AMOUNT: "04",
        providers.BAD_SIGNATURE: "97",
        providers.REPLAYED: "99",
    }


def test_amounts_that_are_not_whole_dong_are_never_an_orders():
    assert vnpay.amount_from("5000000") == 50_000
    for bad in ("5000050", "-5000000", "5e6", "", "٥٠٠٠٠٠٠"):
        assert vnpay.amount_from(bad) == -1
