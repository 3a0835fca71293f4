"""Real worker processes (``motcua worker``) against the fake gateway: killed
with SIGKILL mid-delivery and restarted, nothing is lost and nothing is sent
twice; SIGTERM stops a worker cleanly. 127.0.0.1 only, bounded in time.

The subprocess needs the test database: on PostgreSQL the test database itself;
on SQLite (in memory for the suite) a file copy, read back after the run.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.utils import timezone

from motcua.notifications.models import Message

from .fake_gateway import FakeGateway

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[2]
COUNT = 12


def outbox(count: int = COUNT) -> list[str]:
    now = timezone.now()
    keys = [f"test:kill:{i}" for i in range(count)]
    Message.objects.bulk_create(
        Message(
            channel="sms",
            recipient=f"09050000{i:02d}",
            template_key="received",
            template_version=1,
            variables={"code": f"HS-{i}", "due_date": "05/06/2025"},
            idempotency_key=key,
            next_attempt_at=now - timedelta(seconds=1),
            give_up_at=now + timedelta(hours=1),
            created_at=now,
        )
        for i, key in enumerate(keys)
    )
    return keys


def database_env(tmp_path: Path) -> tuple[dict[str, str], Path | None]:
    if connection.vendor == "postgresql":
        url = urlsplit(os.environ["DATABASE_URL"])
        name = connection.settings_dict["NAME"]
        return {"DATABASE_URL": urlunsplit(url._replace(path=f"/{name}"))}, None
    copy = tmp_path / "outbox.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return {"DATABASE_URL": f"sqlite:///{copy}"}, copy


def states(copy: Path | None) -> dict[str, str]:
    if copy is None:
        return dict(Message.objects.values_list("idempotency_key", "state"))
    with sqlite3.connect(copy) as db:
        rows = db.execute("select idempotency_key, state from notifications_message")
        return dict(rows.fetchall())


def worker_env(
    tmp_path: Path, gateway: FakeGateway
) -> tuple[dict[str, str], Path | None]:
    db, copy = database_env(tmp_path)
    env = {
        **os.environ,
        **db,
        "MOTCUA_VAR_DIR": str(tmp_path),
        "MOTCUA_SECRET_KEY": "notifications-worker-test",
        "MOTCUA_SMS_URL": gateway.url,
        "MOTCUA_SMS_QUIET_HOURS": "",  # the real clock may be at night
        "PYTHONPATH": str(REPO / "src"),
    }
    return env, copy


def worker(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "motcua", "worker", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def test_a_worker_killed_mid_delivery_and_restarted_loses_and_repeats_nothing(
    tmp_path,
):
    keys = outbox()
    with FakeGateway(delay=0.2) as gateway:
        env, copy = worker_env(tmp_path, gateway)
        first = worker(env, "--once", "--batch", "3")
        wait_for(lambda: len(gateway.requests) >= 4)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_after = len(gateway.requests)
        assert killed_after < COUNT  # it really died mid-run
        second = worker(env, "--once", "--lease", "0")
        _, err = second.communicate(timeout=120)
        assert second.returncode == 0, err
    assert states(copy) == {key: "delivered" for key in keys}
    assert gateway.sent == {key: 1 for key in keys}  # each sent exactly once
    references = [r["body"]["reference"] for r in gateway.requests]
    # at most the one in flight at the kill reached the gateway a second time,
    # and the gateway recognised its reference
    assert len(references) - len(set(references)) <= 1


def test_sigterm_stops_a_looping_worker_cleanly(tmp_path):
    keys = outbox(3)
    with FakeGateway() as gateway:
        env, copy = worker_env(tmp_path, gateway)
        running = worker(env, "--sleep", "0.2")
        try:
            wait_for(lambda: len(gateway.sent) == len(keys), timeout=30)
        finally:
            if running.poll() is not None:
                print(running.communicate())
        time.sleep(0.5)  # let it record the last attempt and go to sleep
        running.send_signal(signal.SIGTERM)
        assert running.wait(timeout=20) == 0
    assert states(copy) == {key: "delivered" for key in keys}


def test_two_workers_at_once_never_deliver_a_message_twice(tmp_path):
    keys = outbox(20)
    with FakeGateway(delay=0.05) as gateway:
        env, copy = worker_env(tmp_path, gateway)
        workers = [worker(env, "--once", "--batch", "2") for _ in range(2)]
        for running in workers:
            _, err = running.communicate(timeout=120)
            assert running.returncode == 0, err
    assert states(copy) == {key: "delivered" for key in keys}
    references = [r["body"]["reference"] for r in gateway.requests]
    assert sorted(references) == sorted(keys)  # no duplicates, none missing
