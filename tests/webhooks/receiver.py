"""An integration client's endpoint, written for the tests: it checks the
signature as docs/api.md tells a receiver to and records what it accepted."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOLERANCE = 300  # seconds


def verify(secret: str, header: str, body: bytes, now: float) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > TOLERANCE:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


class Receiver:
    def __init__(self) -> None:
        self.secret = ""
        self.status = 200
        self.now: float | None = None  # the receiver's clock (None: real time)
        self.accepted: list[dict[str, Any]] = []
        self.refused: list[dict[str, Any]] = []
        self.keys_seen: set[str] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                seen = {
                    "headers": self.headers,  # case-insensitive
                    "raw": raw,
                    "body": json.loads(raw),
                }
                if receiver.status != 200:
                    self._answer(receiver.status)
                    return
                now = time.time() if receiver.now is None else receiver.now
                header = self.headers.get("X-MotCua-Signature", "")
                if not verify(receiver.secret, header, raw, now):
                    receiver.refused.append(seen)
                    self._answer(400)
                    return
                key = self.headers["Idempotency-Key"]
                if key not in receiver.keys_seen:  # a repeat is acknowledged only
                    receiver.keys_seen.add(key)
                    receiver.accepted.append(seen)
                self._answer(200)

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/motcua"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
