"""``motcua demo_gateway``: a small fake SMS / Zalo gateway for the demo.

It listens on 127.0.0.1 only, accepts the POST requests of the SMS and Zalo
adapters (any path, any JSON body) and answers like a brand-name gateway:
``{"status": "accepted", "id": "<receipt>"}``. A reference (idempotency key)
it has seen already gets the same receipt again, as real gateways do. It keeps
nothing on disk and writes no number, address or text to its log: one line
per request with the path, the receipt and the body's size.

Like a real gateway it later reports delivery: given ``--receipts-url`` (our
``/api/v1/notifications/receipts/``) and a token (``--receipt-token`` or
``MOTCUA_RECEIPT_TOKEN``), it posts ``{"reference", "receipt_id", "status":
"delivered"}`` for each new message a moment (``--receipt-delay``) after
accepting it, so the staff page shows the message delivered.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.core.management.base import BaseCommand, CommandError

MAX_BODY = 64 * 1024


class DemoGateway(ThreadingHTTPServer):
    """The server; ``receipts`` maps a reference to the receipt it was given."""

    daemon_threads = True

    def __init__(
        self,
        port: int,
        out: Any = None,
        *,
        receipts_url: str = "",
        receipt_token: str = "",
        receipt_delay: float = 1.0,
    ) -> None:
        self.receipts: dict[str, str] = {}
        self.lock = threading.Lock()
        self.numbers = itertools.count(1)
        self.out = out
        self.receipts_url = receipts_url
        self.receipt_token = receipt_token
        self.receipt_delay = receipt_delay
        super().__init__(("127.0.0.1", port), DemoGatewayHandler)

    def say(self, line: str) -> None:
        if self.out is not None:
            with self.lock:
                self.out.write(line)
                self.out.flush()

    def report_later(self, reference: str, receipt: str) -> None:
        """Post the delivery receipt of a new message after the delay."""
        if not self.receipts_url:
            return
        timer = threading.Timer(
            self.receipt_delay, self.report, args=(reference, receipt)
        )
        timer.daemon = True
        timer.start()

    def report(self, reference: str, receipt: str) -> None:
        body = {"receipt_id": receipt, "status": "delivered"}
        if reference:
            body["reference"] = reference
        request = urllib.request.Request(
            self.receipts_url,
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.receipt_token}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                status = str(answer.status)
        except urllib.error.HTTPError as exc:
            status = f"HTTP {exc.code}"
        except OSError as exc:
            status = f"unreachable ({type(exc).__name__})"
        self.say(f"demo_gateway: receipt={receipt} reported delivered: {status}")

    def receipt_for(self, reference: str) -> tuple[str, bool]:
        """The receipt for ``reference`` and whether it is new."""
        with self.lock:
            if reference and reference in self.receipts:
                return self.receipts[reference], False
            receipt = f"demo-{next(self.numbers)}"
            if reference:
                self.receipts[reference] = receipt
            return receipt, True


def _reference(body: Any, headers: Any) -> str:
    if isinstance(body, dict):
        for key in ("reference", "tracking_id"):
            if body.get(key):
                return str(body[key])
    return str(headers.get("Idempotency-Key", ""))


class DemoGatewayHandler(BaseHTTPRequestHandler):
    server: DemoGateway
    server_version = "MotCuaDemoGateway/1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.answer(413, {"status": "rejected", "error": "body too large"})
            return
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self.answer(400, {"status": "rejected", "error": "invalid JSON"})
            return
        reference = _reference(body, self.headers)
        receipt, new = self.server.receipt_for(reference)
        self.answer(200, {"status": "accepted", "id": receipt})
        self.server.say(
            f"demo_gateway: {self.path} accepted receipt={receipt}"
            f"{'' if new else ' (again)'} bytes={len(raw)}"
        )
        if new:
            self.server.report_later(reference, receipt)

    def do_GET(self) -> None:
        self.answer(200, {"status": "ok", "gateway": "motcua-demo"})

    def answer(self, status: int, data: dict[str, str]) -> None:
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the default log would print the client and request line only


class Command(BaseCommand):
    help = (
        "Cổng SMS / Zalo giả cho bản trình diễn: nhận yêu cầu của các kênh tại "
        "127.0.0.1 và trả mã biên nhận, không ghi dữ liệu cá nhân."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--port", type=int, default=8099, help="Cổng lắng nghe (mặc định 8099)."
        )
        parser.add_argument(
            "--receipts-url",
            default="",
            help="Địa chỉ nhận báo cáo gửi tin của MotCua "
            "(…/api/v1/notifications/receipts/); trống: không báo cáo.",
        )
        parser.add_argument(
            "--receipt-token",
            default=os.environ.get("MOTCUA_RECEIPT_TOKEN", ""),
            help="Mã xác thực gửi kèm báo cáo (mặc định MOTCUA_RECEIPT_TOKEN).",
        )
        parser.add_argument(
            "--receipt-delay",
            type=float,
            default=1.0,
            help="Số giây sau khi nhận tin thì báo đã đến máy (mặc định 1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            server = DemoGateway(
                options["port"],
                out=self.stdout,
                receipts_url=options["receipts_url"],
                receipt_token=options["receipt_token"],
                receipt_delay=options["receipt_delay"],
            )
        except OSError as exc:
            raise CommandError(
                f"Không mở được cổng {options['port']} trên 127.0.0.1: {exc}"
            ) from None
        port = server.server_address[1]
        self.stdout.write(f"demo_gateway: listening on http://127.0.0.1:{port}/")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
