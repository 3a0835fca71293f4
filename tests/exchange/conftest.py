from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client, override_settings

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.exchange import services as exchange
from motcua.exchange import signing
from motcua.exchange.models import Peer
from tests.dossiers.builders import World, build_world, vn

PDF = b"%PDF-1.4\n% exchange unit test\n%%EOF\n"
NOW = vn(2026, 3, 10, 9)
TRANSFERS = "/api/v1/exchange/transfers/"


def file_entry(raw: bytes = PDF, name: str = "to-khai.pdf", **extra: Any) -> dict:
    return {
        "name": name,
        "content_type": "application/pdf",
        "size": len(raw),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "component": 0,
        "content": base64.b64encode(raw).decode(),
        **extra,
    }


@dataclass
class Receiving:
    """This system as the receiving side: a district that accepts steps from
    peer ``peer`` (reception role of its account there)."""

    world: World
    peer: Peer
    client: Client

    def package(self, transfer_id: str, **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "protocol": "motcua-exchange/1",
            "transfer_id": transfer_id,
            "to_agency": self.world.district.code,
            "origin": {
                "agency_code": "000.01.01.B01",
                "agency_name": "UBND phường X (tỉnh B)",
                "dossier_code": "000.01.01.B01-260310-0001",
            },
            "procedure": {"code": self.world.procedure.code, "name": "Hộ tịch"},
            "step": {
                "name": "Xác minh tại quận",
                "started_at": NOW.isoformat(),
                "due_at": vn(2026, 3, 12, 9).isoformat(),
                "budget_hours": "16.00",
            },
            "dossier": {
                "channel": "direct",
                "received_at": NOW.isoformat(),
                "due_at": vn(2026, 3, 13, 9).isoformat(),
            },
            "applicant": {
                "kind": "person",
                "name": "Lê Văn Cường",
                "id_kind": "",
                "id_number": "048090001234",
                "birth_date": None,
                "address": "",
            },
            "components": [{"name": "Tờ khai", "kind": "original", "count": 1}],
            "files": [file_entry()],
        }
        body.update(overrides)
        return body

    def post(
        self,
        path: str,
        body: bytes | dict[str, Any],
        *,
        key: str,
        at: datetime = NOW,
        headers: dict[str, str] | None = None,
        secret: str | None = None,
    ) -> Any:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        signed = headers or signing.headers(
            key_id=self.peer.key_id,
            secret=secret or self.peer.secret,
            method="POST",
            path=path,
            timestamp=int(at.timestamp()),
            key=key,
            body=raw,
        )
        return self.client.post(
            path, data=raw, content_type="application/json", headers=signed
        )


@pytest.fixture
def receiving(db: Any) -> Receiving:
    world = build_world()
    world.procedure.agencies.add(world.district)
    peer = exchange.peer_prepare(
        Peer(
            code="tinh-b",
            name="Một cửa tỉnh B",
            base_url="https://motcua.tinh-b.example",
            key_id="b-to-a",
        )
    )
    exchange.peer_allow_delivery(peer, world.district)
    return Receiving(world, peer, Client())


@pytest.fixture
def local_http() -> Any:
    with override_settings(
        MOTCUA_WEBHOOK_ALLOW_LOCAL_HTTP=True, MOTCUA_NOTIFY_CHANNELS=""
    ):
        yield


class PeerServer:
    """The other system, as far as this test needs: it checks the signature
    with the shared secret and answers with the status it is told to."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.answers: list[tuple[int, dict[str, Any]]] = []
        self.seen: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                signed = signing.read(dict(self.headers.items()))
                good = signing.signature(
                    server.secret, "POST", self.path, signed.timestamp, signed.key, raw
                )
                server.seen.append(
                    {
                        "path": self.path,
                        "ok": good == signed.signature,
                        "key": signed.key,
                        "body": json.loads(raw),
                    }
                )
                status, answer = server.answers.pop(0)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def __enter__(self) -> PeerServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def sending(local_http: None) -> Iterator[tuple[World, Peer, PeerServer]]:
    world = build_world(liên_thông=True)  # step 3 at the district
    with PeerServer("exsec_shared") as server:
        yield world, link_peer(world, server), server


def link_peer(world: World, server: PeerServer) -> Peer:
    """Province B's system at ``server``, serving the district of ``world``."""
    peer = exchange.peer_prepare(
        Peer(
            code="tinh-b",
            name="Một cửa tỉnh B",
            base_url=server.url,
            key_id="a-to-b",
            secret="exsec_shared",
        )
    )
    exchange.remote_agency_link(world.district, peer, "000.00.01.B01")
    return peer


def to_the_district(world: World) -> Dossier:
    dossier = world.processing(NOW)
    with world.at(NOW):
        return services.dossier_forward(world.specialist, dossier)
