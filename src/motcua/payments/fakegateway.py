"""A fake VNPay-style gateway for tests and the demo (``motcua
demo_payment_gateway``): the gateway's side of the redirect + signed callback
pattern, on 127.0.0.1 only.

* ``GET /paymentv2/vpcpay.html?…`` checks the request's merchant code and
  signature and shows a payment page with three buttons: pay, cancel, and a
  bank failure;
* ``POST /paymentv2/pay`` makes the signed callback, calls the IPN URL server
  to server (as the real gateway does, whatever the browser does next) and
  sends the browser to the order's return URL with the same fields;
* ``POST /merchant_webapi/api/transaction`` answers ``querydr`` queries.

``outcome`` forces what the pay button does (``fail``, ``cancel``). It keeps
the transactions in memory and writes no payer data anywhere: there is none.
"""

from __future__ import annotations

import html
import itertools
import json
import secrets
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from . import vnpay

MAX_BODY = 64 * 1024
RESPONSES = {  # outcome → (vnp_ResponseCode, vnp_TransactionStatus)
    "pay": ("00", "00"),
    "cancel": (vnpay.CANCELLED_BY_PAYER, "02"),
    "fail": ("51", "02"),  # not enough money in the account
}
PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cổng thanh toán thử nghiệm</title>
<style>
body {{ font-family: sans-serif; margin: 0; background: #eef3f8; color: #102a43; }}
main {{ max-width: 28rem; margin: 0 auto; padding: 1rem; }}
.card {{ background: #fff; border-radius: 8px; padding: 1rem; }}
.amount {{ font-size: 1.8rem; font-weight: bold; color: #0b5394;
  margin: .25rem 0 1rem; }}
button {{ display: block; width: 100%; min-height: 2.75rem; margin: .5rem 0;
  font-size: 1.05rem; border-radius: 6px; border: 1px solid #0b5394; }}
#gateway-pay {{ background: #0b5394; color: #fff; }}
#gateway-cancel, #gateway-fail {{ background: #fff; color: #0b5394; }}
</style></head>
<body><main><div class="card">
<h1>Cổng thanh toán thử nghiệm</h1>
<p>Đơn vị nhận tiền: {merchant}</p>
<p>Nội dung: {info}</p>
<p>Số tiền</p><p class="amount" id="gateway-amount">{amount} VND</p>
<form method="post" action="/paymentv2/pay">
<input type="hidden" name="vnp_TxnRef" value="{reference}">
<button type="submit" name="outcome" value="pay" id="gateway-pay">Thanh toán</button>
<button type="submit" name="outcome" value="cancel" id="gateway-cancel">
Hủy giao dịch</button>
<button type="submit" name="outcome" value="fail" id="gateway-fail">
Giả lập lỗi ngân hàng</button>
</form>
<p><small>Trang thử nghiệm, không trừ tiền thật.</small></p>
</div></main></body></html>
"""


class FakeGateway(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        port: int,
        *,
        tmn_code: str,
        secret: str,
        ipn_url: str = "",
        outcome: str = "",
        out: Any = None,
    ) -> None:
        self.tmn_code = tmn_code
        self.secret = secret
        self.ipn_url = ipn_url
        self.outcome = outcome  # "", "fail" or "cancel": forces the pay button
        self.out = out
        self.lock = threading.Lock()
        self.orders: dict[str, dict[str, str]] = {}  # TxnRef → the request
        self.callbacks: dict[str, dict[str, str]] = {}  # TxnRef → signed fields
        self.ipn_answers: list[dict[str, Any]] = []
        self.numbers = itertools.count(10_000_000 + secrets.randbelow(80_000_000))
        super().__init__(("127.0.0.1", port), FakeGatewayHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def say(self, line: str) -> None:
        if self.out is not None:
            self.out.write(f"demo_payment_gateway: {line}")
            self.out.flush()

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    # --------------------------------------------------------- the gateway
    def callback_for(self, reference: str, outcome: str) -> dict[str, str] | None:
        """The signed callback of an order (the first one made stays: the
        same transaction is reported the same way every time)."""
        with self.lock:
            if reference in self.callbacks:
                return self.callbacks[reference]
            order = self.orders.get(reference)
            if order is None:
                return None
            code, status = RESPONSES[self.outcome or outcome]
            fields = {
                "vnp_Amount": order["vnp_Amount"],
                "vnp_BankCode": "NCB",
                "vnp_BankTranNo": f"VNP{next(self.numbers)}",
                "vnp_CardType": "ATM",
                "vnp_OrderInfo": order.get("vnp_OrderInfo", ""),
                "vnp_PayDate": vnpay.gateway_time(_now()),
                "vnp_ResponseCode": code,
                "vnp_TmnCode": self.tmn_code,
                "vnp_TransactionNo": str(next(self.numbers)) if code == "00" else "0",
                "vnp_TransactionStatus": status,
                "vnp_TxnRef": reference,
            }
            signed = vnpay.with_signature(fields, self.secret)
            self.callbacks[reference] = signed
            return signed

    def notify(self, fields: dict[str, str]) -> dict[str, Any]:
        """Call the merchant's IPN URL with the signed fields."""
        if not self.ipn_url:
            return {"skipped": True}
        url = f"{self.ipn_url}?{urlencode(fields)}"
        try:
            with urllib.request.urlopen(url, timeout=15) as answer:
                body = json.loads(answer.read(4096) or b"{}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            body = {"error": type(exc).__name__}
        with self.lock:
            self.ipn_answers.append({"reference": fields["vnp_TxnRef"], **body})
        self.say(f"IPN {fields['vnp_TxnRef']} → {body}")
        return body

    def query(self, body: dict[str, str]) -> dict[str, str]:
        expected = vnpay.pipe_signature(body, vnpay.QUERY_SIGNED, self.secret)
        base = {
            "vnp_ResponseId": secrets.token_hex(8),
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": str(body.get("vnp_TxnRef", "")),
        }
        if expected != str(body.get("vnp_SecureHash", "")).lower():
            answer = base | {
                "vnp_ResponseCode": "97",
                "vnp_Message": "Invalid checksum",
            }
        else:
            answer = base | self._query_fields(base["vnp_TxnRef"])
        answer["vnp_SecureHash"] = vnpay.pipe_signature(
            answer, vnpay.QUERY_ANSWER_SIGNED, self.secret
        )
        return answer

    def _query_fields(self, reference: str) -> dict[str, str]:
        with self.lock:
            callback = self.callbacks.get(reference)
            order = self.orders.get(reference)
        if order is None:
            return {
                "vnp_ResponseCode": vnpay.QUERY_NOT_FOUND,
                "vnp_Message": "Not found",
            }
        fields = {
            "vnp_ResponseCode": "00",
            "vnp_Message": "QueryDR Success",
            "vnp_Amount": order["vnp_Amount"],
            "vnp_OrderInfo": order.get("vnp_OrderInfo", ""),
            "vnp_TransactionType": "01",
            "vnp_TransactionStatus": "01",
        }
        if callback is not None:
            for name in ("vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo"):
                fields[name] = callback[name]
            fields["vnp_TransactionStatus"] = callback["vnp_TransactionStatus"]
        return fields


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


class FakeGatewayHandler(BaseHTTPRequestHandler):
    server: FakeGateway
    server_version = "MotCuaFakePaymentGateway/1"

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != "/paymentv2/vpcpay.html":
            self.text(200, "motcua fake payment gateway")
            return
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        if not self._genuine(params):
            self.text(400, "Sai chữ ký hoặc mã đơn vị (vnp_SecureHash, vnp_TmnCode).")
            return
        reference = params.get("vnp_TxnRef", "")
        with self.server.lock:
            self.server.orders.setdefault(reference, params)
        amount = vnpay.amount_from(params.get("vnp_Amount", ""))
        page = PAGE.format(
            merchant=html.escape(self.server.tmn_code),
            info=html.escape(params.get("vnp_OrderInfo", "")),
            amount=f"{amount:,}".replace(",", "."),
            reference=html.escape(reference),
        )
        self.send(200, page.encode(), "text/html; charset=utf-8")

    def _genuine(self, params: dict[str, str]) -> bool:
        return (
            vnpay.signature_ok(params, self.server.secret)
            and params.get("vnp_TmnCode") == self.server.tmn_code
            and params.get("vnp_Command") == "pay"
        )

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.text(413, "too large")
            return
        raw = self.rfile.read(length)
        path = urlsplit(self.path).path
        if path == "/paymentv2/pay":
            self._pay(dict(parse_qsl(raw.decode("utf-8", "replace"))))
        elif path == "/merchant_webapi/api/transaction":
            self._query(raw)
        else:
            self.text(404, "not found")

    def _pay(self, form: dict[str, str]) -> None:
        outcome = form.get("outcome", "pay")
        reference = form.get("vnp_TxnRef", "")
        fields = self.server.callback_for(
            reference, outcome if outcome in RESPONSES else "fail"
        )
        if fields is None:
            self.text(404, "Không có đơn thanh toán này.")
            return
        self.server.notify(fields)
        order = self.server.orders[reference]
        self.send_response(303)
        self.send_header("Location", f"{order['vnp_ReturnUrl']}?{urlencode(fields)}")
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.server.say(f"{reference} {fields['vnp_ResponseCode']}")

    def _query(self, raw: bytes) -> None:
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self.text(400, "invalid JSON")
            return
        answer = self.server.query({str(k): str(v) for k, v in body.items()})
        self.send(200, json.dumps(answer).encode(), "application/json")

    def text(self, status: int, message: str) -> None:
        self.send(status, message.encode(), "text/plain; charset=utf-8")

    def send(self, status: int, payload: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass
