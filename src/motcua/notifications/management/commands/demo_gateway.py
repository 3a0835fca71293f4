"""``motcua demo_gateway``: a small fake SMS / Zalo gateway for the demo.

It listens on 127.0.0.1 only, accepts the POST requests of the SMS and Zalo
adapters (any path, any JSON body) and answers like a brand-name gateway:
``{"status": "accepted", "id": "<receipt>"}``. A reference (idempotency key)
it has seen already gets the same receipt again, as real gateways do. It keeps
nothing on disk and writes no number, address or text to its log: one line
per request with the path, the receipt and the body's size.
"""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.core.management.base import BaseCommand, CommandError

MAX_BODY = 64 * 1024


class DemoGateway(ThreadingHTTPServer):
    """The server; ``receipts`` maps a reference to the receipt it was given."""

    daemon_threads = True

    def __init__(self, port: int, out: Any = None) -> None:
        self.receipts: dict[str, str] = {}
        self.lock = threading.Lock()
        self.numbers = itertools.count(1)
        self.out = out
        super().__init__(("127.0.0.1", port), DemoGatewayHandler)

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
        receipt, new = self.server.receipt_for(_reference(body, self.headers))
        self.answer(200, {"status": "accepted", "id": receipt})
        if self.server.out is not None:
            self.server.out.write(
                f"demo_gateway: {self.path} accepted receipt={receipt}"
                f"{'' if new else ' (again)'} bytes={len(raw)}"
            )
            self.server.out.flush()

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

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            server = DemoGateway(options["port"], out=self.stdout)
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
