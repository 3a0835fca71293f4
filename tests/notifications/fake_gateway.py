"""A small fake brand-name SMS gateway on 127.0.0.1 that records what it
receives (issue 11: external services only as local fake servers).

It answers with ``status`` (changeable while running), waits ``delay`` seconds
per request when asked, and sends a reference it already accepted only once,
as real gateways do with an idempotency key.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeGateway:
    def __init__(self, status: int = 200, delay: float = 0.0) -> None:
        self.status = status
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.sent: dict[str, int] = {}  # reference → times actually sent
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if gateway.delay:
                    time.sleep(gateway.delay)
                with gateway.lock:
                    status = gateway.status
                    gateway.requests.append(
                        {"body": body, "headers": dict(self.headers), "status": status}
                    )
                    reference = body.get("reference", "")
                    if status == 200 and reference not in gateway.sent:
                        gateway.sent[reference] = 1
                    n = len(gateway.requests)
                answer = (
                    {"status": "accepted", "id": f"r-{n}"}
                    if status == 200
                    else {"error": "gateway says no"}
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/sms"

    def __enter__(self) -> FakeGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
