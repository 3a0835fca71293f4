"""Two real MotCua instances on 127.0.0.1 exchange a dossier end to end.

Each instance is its own ``motcua runserver`` process with its own SQLite file
and media folder, migrated and seeded (``tests/exchange/instance.py``); each
one's worker runs as ``motcua worker --once``. The origin hands a step to the
remote while the remote is down (a temporary failure, retried), then once it
is up (delivered once); a retry of the same package creates nothing more; a
tampered signature and a replayed request are refused; the remote finishes
the step and the origin sees its status, its result file and the step done.
Every wait is bounded.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from motcua.exchange import signing

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MOTCUA = str(BIN / "motcua")
KEY_ID = "tinh-a~tinh-b"
TIMEOUT = 120  # seconds, for any one command or wait


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Instance:
    def __init__(self, name: str, root: Path, port: int) -> None:
        self.name, self.port = name, port
        self.url = f"http://127.0.0.1:{port}"
        var = root / name
        var.mkdir()
        self.database = var / "db.sqlite3"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "motcua.config.settings",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "MOTCUA_VAR_DIR": str(var),
            "MOTCUA_DEBUG": "1",  # plain http to 127.0.0.1 between the two
            "MOTCUA_NOTIFY_CHANNELS": "",
            "MOTCUA_NOTIFY_BACKOFF": "1",  # a retry is due a second later
            "MOTCUA_NOTIFY_TIMEOUT": "20",
            "PYTHONPATH": str(REPO),
        }
        self.env.pop("TEST_DBS", None)
        self.log = var / "web.log"
        self.web: subprocess.Popen[bytes] | None = None

    def run(self, *args: str) -> str:
        done = subprocess.run(
            args, cwd=REPO, env=self.env, capture_output=True, timeout=TIMEOUT
        )
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return done.stdout.decode()

    def drive(self, command: str, **arguments: Any) -> dict[str, Any]:
        out = self.run(
            sys.executable,
            "-m",
            "tests.exchange.instance",
            command,
            json.dumps(arguments),
        )
        return dict(json.loads(out.strip().splitlines()[-1]))

    def copy_database_to(self, other: Instance) -> None:
        for suffix in ("", "-wal", "-shm"):
            source = self.database.with_name(self.database.name + suffix)
            if source.exists():
                target = other.database.with_name(other.database.name + suffix)
                shutil.copyfile(source, target)

    def worker(self) -> str:
        return self.run(MOTCUA, "worker", "--once")

    def deliver(self, count: int) -> dict[str, Any]:
        """Worker passes until ``count`` exchange messages are settled (the
        backoff is one second); the state then."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            self.worker()
            now = self.drive("state")
            states = [m["state"] for m in now["messages"]]
            if states.count("delivered") >= count or time.monotonic() > deadline:
                return now
            time.sleep(0.5)

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.web = subprocess.Popen(
                [MOTCUA, "runserver", "--noreload", f"127.0.0.1:{self.port}"],
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.web.poll() is None, self.log.read_text()[-3000:]
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"{self.name} did not start: {self.log.read_text()}")

    def stop(self) -> None:
        if self.web is not None and self.web.poll() is None:
            self.web.terminate()
            try:
                self.web.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.web.kill()
                self.web.wait(timeout=20)
        self.web = None


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Instance, Instance, str]]:
    origin = Instance("a", tmp_path, free_port())
    remote = Instance("b", tmp_path, free_port())
    secret = "exsec_" + secrets.token_urlsafe(32)
    common = {"key_id": KEY_ID, "secret": secret}
    try:
        origin.run(MOTCUA, "migrate", "--noinput")
        origin.copy_database_to(remote)  # the same migrations, run once
        origin.drive("seed-origin", peer_url=remote.url, **common)
        remote.drive("seed-remote", peer_url=origin.url, **common)
        yield origin, remote, secret
    finally:
        origin.stop()
        remote.stop()


def signed_post(
    url: str, path: str, body: bytes, headers: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url + path,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def sign(
    secret: str, path: str, key: str, body: bytes, delay: int = 0
) -> dict[str, str]:
    return signing.headers(
        key_id=KEY_ID,
        secret=secret,
        method="POST",
        path=path,
        timestamp=int(time.time()) + delay,
        key=key,
        body=body,
    )


def test_a_dossier_goes_to_the_other_system_and_its_result_comes_back(
    pair: tuple[Instance, Instance, str],
) -> None:
    origin, remote, secret = pair
    origin.start()  # the remote is down

    code = origin.drive("start")["code"]
    origin.worker()
    first = origin.drive("state")
    assert [m["state"] for m in first["messages"]] == ["temporary-failure"]
    assert first["outbound"][0]["state"] == "sending"

    remote.start()
    sent = origin.deliver(1)  # the retry reaches it
    assert [(m["state"], m["attempts"]) for m in sent["messages"]] == [("delivered", 2)]
    received = remote.drive("state")
    assert len(received["dossiers"]) == 1
    assert received["inbound"][0]["origin"] == code
    theirs = received["dossiers"][0]
    assert sent["outbound"][0]["state"] == "accepted"
    assert sent["outbound"][0]["reference"] == theirs["code"]
    assert [f["name"] for f in theirs["files"]] == ["to-khai.pdf"]
    assert theirs["files"][0]["sha256"] == sent["dossiers"][0]["files"][0]["sha256"]
    # due at the step's deadline given by the origin
    step = next(s for s in sent["dossiers"][0]["steps"] if s["position"] == 3)
    assert theirs["due_at"] == step["due_at"]

    # a retry of the same package (its answer lost) creates nothing more
    again = origin.drive("resend")
    assert again["status"] == "delivered", again
    assert len(remote.drive("state")["dossiers"]) == 1

    # the very package, signed by hand: accepted once more (same answer),
    # refused when replayed as is, refused when tampered with or re-used
    # for another body
    raw = origin.drive("package")
    key, body = raw["key"], base64.b64decode(raw["body"])
    path = "/api/v1/exchange/transfers/"
    headers = sign(secret, path, key, body, delay=10)  # after any retry
    status, answer = signed_post(remote.url, path, body, headers)
    assert (status, answer["reference"]) == (200, theirs["code"])
    status, answer = signed_post(remote.url, path, body, headers)
    assert (status, answer["code"]) == (401, "exchange.replayed")
    later = sign(secret, path, key, body, delay=11)
    real = later[signing.SIGNATURE_HEADER]
    forged = real[:-1] + ("1" if real.endswith("0") else "0")
    status, answer = signed_post(
        remote.url, path, body, {**later, signing.SIGNATURE_HEADER: forged}
    )
    assert (status, answer["code"]) == (401, "exchange.bad_signature")
    other = body.replace(b"to-khai.pdf", b"to-khai-2.pdf")
    status, answer = signed_post(
        remote.url, path, other, sign(secret, path, key, other, delay=12)
    )
    assert (status, answer["code"]) == (409, "exchange.idempotency_mismatch")
    assert len(remote.drive("state")["dossiers"]) == 1

    # the district works on it and returns its result
    remote.drive("finish")
    back = remote.deliver(2)
    assert [m["state"] for m in back["messages"]] == ["delivered", "delivered"]
    final = origin.drive("state")
    ours = final["dossiers"][0]
    assert final["outbound"][0]["state"] == "completed"
    assert final["outbound"][0]["updates"] == [[1, "processing"], [2, "result_ready"]]
    step = next(s for s in ours["steps"] if s["position"] == 3)
    assert step["state"] == "done" and step["ended_by"] == "lienthong.tinh-b"
    assert [s["position"] for s in ours["steps"] if s["state"] == "active"] == [4]
    results = [f["name"] for f in ours["files"] if f["kind"] == "result"]
    assert results == ["ket-qua-xac-minh.pdf"]
    forward = ours["events"][-1]
    assert forward["action"] == "forward"
    assert "Kết quả liên thông từ Một cửa tỉnh B" in forward["reason"]
