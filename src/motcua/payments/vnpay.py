"""The VNPay-style provider (payment page version 2.1.0): redirect, signed
callback, signed query.

The request and every callback carry ``vnp_SecureHash``: HMAC-SHA512, keyed
with the merchant's secret, over the ``vnp_*`` parameters sorted by name and
URL-encoded (``key=value&…``, spaces as ``+``), the hash fields themselves
left out. Amounts travel in hundredths of a đồng (×100). The citizen comes back
through the return URL and the gateway calls the IPN URL server to server; both
carry the same signed fields and are read by :meth:`VnpayProvider.verify`. The
IPN answer is JSON ``{"RspCode", "Message"}``: ``00`` taken, ``02`` already
taken (the gateway stops retrying), ``01`` unknown order, ``04`` wrong amount,
``97`` bad signature, ``99`` anything else.

The signing functions are plain Python: the fake gateway
(:mod:`motcua.payments.fakegateway`) signs with them as the real one does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlencode, urlsplit

from motcua.deadlines.engine import VN_TZ

from . import conf
from . import providers as p

VERSION = "2.1.0"
HASH_FIELDS = ("vnp_SecureHash", "vnp_SecureHashType")
DATE_FORMAT = "%Y%m%d%H%M%S"  # GMT+7
# Callback fields kept with the order: none of them names the payer.
STORED_FIELDS = (
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_BankTranNo",
    "vnp_CardType",
    "vnp_OrderInfo",
    "vnp_PayDate",
    "vnp_ResponseCode",
    "vnp_TmnCode",
    "vnp_TransactionNo",
    "vnp_TransactionStatus",
    "vnp_TxnRef",
)
ANSWERS = {
    p.CONFIRMED: ("00", "Confirm Success"),
    p.ALREADY_CONFIRMED: ("02", "Order already confirmed"),
    p.UNKNOWN_ORDER: ("01", "Order not found"),
    p.WRONG_AMOUNT: ("04", "Invalid amount"),
    p.BAD_SIGNATURE: ("97", "Invalid signature"),
    p.REPLAYED: ("99", "Unknown error"),
    p.ERROR: ("99", "Unknown error"),
}
CANCELLED_BY_PAYER = "24"
# querydr: the fields each checksum covers, in this order, joined by "|"
QUERY_SIGNED = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERY_ANSWER_SIGNED = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)
QUERY_NOT_FOUND = "91"


# ------------------------------------------------------------------ signing
def hmac_sha512(secret: str, data: str) -> str:
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def signed_data(params: Mapping[str, str]) -> str:
    """The string the signature covers: ``vnp_*`` fields but the hash ones,
    sorted, URL-encoded."""
    fields = sorted(
        (k, str(v))
        for k, v in params.items()
        if k.startswith("vnp_") and k not in HASH_FIELDS
    )
    return urlencode(fields)


def sign(params: Mapping[str, str], secret: str) -> str:
    return hmac_sha512(secret, signed_data(params))


def signature_ok(params: Mapping[str, str], secret: str) -> bool:
    given = str(params.get("vnp_SecureHash", "")).lower()
    if not secret or not given:
        return False
    return hmac.compare_digest(given, sign(params, secret))


def with_signature(params: Mapping[str, str], secret: str) -> dict[str, str]:
    signed = {k: str(v) for k, v in params.items() if k not in HASH_FIELDS}
    signed["vnp_SecureHash"] = sign(signed, secret)
    return signed


def pipe_signature(
    values: Mapping[str, str], names: tuple[str, ...], secret: str
) -> str:
    return hmac_sha512(secret, "|".join(str(values.get(n, "")) for n in names))


def gateway_time(value: datetime) -> str:
    return value.astimezone(VN_TZ).strftime(DATE_FORMAT)


def parse_gateway_time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text or "", DATE_FORMAT).replace(tzinfo=VN_TZ)
    except ValueError:
        return None


def amount_from(text: str) -> int:
    """Đồng from the gateway's hundredths; ``-1`` when it is not a whole
    number of đồng (which no order of ours has)."""
    raw = str(text or "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 15 or int(raw) % 100:
        return -1
    return int(raw) // 100


def transaction_number(fields: Mapping[str, str]) -> str:
    """The gateway's transaction number; ``0`` (a try that never reached a
    bank: cancelled on the gateway's page) is no number."""
    number = str(fields.get("vnp_TransactionNo", "")).strip()[:64]
    return "" if number.strip("0") == "" else number


def outcome_of(response_code: str, transaction_status: str) -> str:
    if response_code == "00" and transaction_status == "00":
        return p.SUCCEEDED
    if response_code == "00" and transaction_status == "01":
        return p.PENDING
    if response_code == CANCELLED_BY_PAYER:
        return p.CANCELLED
    return p.FAILED


# ------------------------------------------------------------------ provider
class VnpayProvider:
    name = "vnpay"
    label = "VNPay"

    def __init__(
        self,
        *,
        tmn_code: str,
        secret: str,
        payment_url: str,
        api_url: str,
        timeout: float = 10.0,
    ) -> None:
        self.tmn_code = tmn_code
        self.secret = secret
        self.payment_url = payment_url
        self.api_url = api_url
        self.timeout = timeout

    def configured(self) -> bool:
        return bool(self.tmn_code and self.secret and self.payment_url)

    def origin(self) -> str:
        parts = urlsplit(self.payment_url)
        return f"{parts.scheme}://{parts.netloc}"

    def redirect_url(self, order: p.OrderRequest) -> str:
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(order.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": order.reference,
            "vnp_OrderInfo": order.description,
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": order.return_url,
            "vnp_IpAddr": order.client_ip or "127.0.0.1",
            "vnp_CreateDate": gateway_time(order.created_at),
            "vnp_ExpireDate": gateway_time(order.expires_at),
        }
        signed = with_signature(params, self.secret)
        return f"{self.payment_url}?{urlencode(signed)}"

    def verify(self, params: Mapping[str, str]) -> p.Callback:
        if not signature_ok(params, self.secret):
            raise p.InvalidCallback(p.BAD_SIGNATURE)
        if not hmac.compare_digest(
            str(params.get("vnp_TmnCode", "")).encode(), self.tmn_code.encode()
        ):
            raise p.InvalidCallback(p.BAD_SIGNATURE)
        code = str(params.get("vnp_ResponseCode", ""))
        status = str(params.get("vnp_TransactionStatus", ""))
        return p.Callback(
            reference=str(params.get("vnp_TxnRef", "")),
            amount=amount_from(str(params.get("vnp_Amount", ""))),
            outcome=outcome_of(code, status),
            response_code=code,
            transaction_no=transaction_number(params),
            bank_code=str(params.get("vnp_BankCode", ""))[:32],
            paid_at=parse_gateway_time(str(params.get("vnp_PayDate", ""))),
            stored={k: str(params[k])[:255] for k in STORED_FIELDS if k in params},
        )

    def answer(self, verdict: str) -> dict[str, str]:
        code, message = ANSWERS.get(verdict, ANSWERS[p.ERROR])
        return {"RspCode": code, "Message": message}

    def query(
        self, reference: str, created_at: datetime, client_ip: str
    ) -> p.Transaction:
        request = self._query_request(reference, created_at, client_ip)
        answer = self._post(request)
        if (
            pipe_signature(answer, QUERY_ANSWER_SIGNED, self.secret)
            != str(answer.get("vnp_SecureHash", "")).lower()
        ):
            raise p.GatewayUnavailable("the query answer's signature is wrong")
        code = str(answer.get("vnp_ResponseCode", ""))
        if code == QUERY_NOT_FOUND:
            return p.Transaction(found=False, reference=reference, response_code=code)
        if code != "00" or answer.get("vnp_TxnRef") != reference:
            raise p.GatewayUnavailable(f"query refused: {code}")
        return p.Transaction(
            found=True,
            reference=reference,
            outcome=outcome_of(code, str(answer.get("vnp_TransactionStatus", ""))),
            amount=amount_from(str(answer.get("vnp_Amount", ""))),
            transaction_no=transaction_number(answer),
            bank_code=str(answer.get("vnp_BankCode", ""))[:32],
            paid_at=parse_gateway_time(str(answer.get("vnp_PayDate", ""))),
            response_code=code,
        )

    def _query_request(
        self, reference: str, created_at: datetime, client_ip: str
    ) -> dict[str, str]:
        from motcua.core import clock

        request = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": reference,
            "vnp_OrderInfo": f"Truy van giao dich {reference}",
            "vnp_TransactionDate": gateway_time(created_at),
            "vnp_CreateDate": gateway_time(clock.now()),
            "vnp_IpAddr": client_ip or "127.0.0.1",
        }
        request["vnp_SecureHash"] = pipe_signature(request, QUERY_SIGNED, self.secret)
        return request

    def _post(self, body: dict[str, str]) -> dict[str, str]:
        request = urllib.request.Request(
            self.api_url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                data = json.loads(answer.read(65536) or b"{}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise p.GatewayUnavailable(type(exc).__name__) from None
        if not isinstance(data, dict):
            raise p.GatewayUnavailable("the query answer is not an object")
        return {str(k): str(v) for k, v in data.items()}


def vnpay() -> p.Provider:
    return VnpayProvider(
        tmn_code=conf.get("MOTCUA_VNPAY_TMN_CODE"),
        secret=conf.get("MOTCUA_VNPAY_HASH_SECRET"),
        payment_url=conf.get("MOTCUA_VNPAY_PAYMENT_URL"),
        api_url=conf.get("MOTCUA_VNPAY_API_URL"),
        timeout=float(conf.number("MOTCUA_PAYMENT_TIMEOUT")),
    )


p.register("vnpay", vnpay)
