"""``/healthz/``: a load balancer's question "may this process take requests?"
(issue 15, ADR 0039) — the database answers and this code's migrations are
applied; nothing personal, no host name and no error text in the answer."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.core import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    health.forget()
    yield
    health.forget()


def test_a_ready_process_says_so() -> None:
    response = Client().get("/healthz/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "checks": {"database": {"status": "ok"}, "migrations": {"status": "ok"}},
    }  # no replica configured: not reported
    assert "sessionid" not in response.cookies


def test_head_is_answered_and_a_write_refused() -> None:
    client = Client()
    assert client.head("/healthz/").status_code == 200
    assert client.post("/healthz/").status_code == 405


def test_migrations_are_asked_until_seen_applied_then_never_again() -> None:
    client = Client()
    with CaptureQueriesContext(connection) as first:
        client.get("/healthz/")
    with CaptureQueriesContext(connection) as second:
        client.get("/healthz/")
    assert any("django_migrations" in q["sql"] for q in first.captured_queries)
    assert [q["sql"] for q in second.captured_queries] == ["SELECT 1"]


def test_a_release_started_before_migrate_is_not_ready() -> None:
    """The newest migration of an app not applied (as after a deploy of new
    code, before ``motcua migrate``): 503 with a stable code until it is."""
    from django.db.migrations.recorder import MigrationRecorder

    newest = MigrationRecorder.Migration.objects.filter(app="core").latest("id")
    newest.delete()  # undone with the test's transaction
    response = Client().get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["code"] == "health.migrations_pending"
    assert body["message"].startswith("Cơ sở dữ liệu chưa được cập nhật")
    assert body["checks"]["migrations"] == {"status": "pending", "pending": 1}
    MigrationRecorder.Migration.objects.create(app=newest.app, name=newest.name)
    assert Client().get("/healthz/").status_code == 200


def test_a_session_awaiting_its_second_factor_may_ask(db: None) -> None:
    from tests.backoffice.conftest import password_only_client
    from tests.dossiers.builders import build_world

    client = password_only_client(build_world().admin)
    assert client.get("/healthz/").status_code == 200


PROBE = """
import json
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()  # the test client's host name is allowed
response = Client().get("/healthz/")
print(response.status_code)
print(response.content.decode())
"""


def _in_process_of_its_own(code: str, env: dict[str, str]) -> str:
    """What ``code`` prints in a fresh interpreter started with ``env``."""
    run = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return run.stdout


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db(databases=[])
def test_without_its_database_the_process_is_not_ready() -> None:
    """A real process whose PostgreSQL is not there (a closed port): 503 with
    a stable code and a Vietnamese message; the answer names no host, port or
    user, and no error text."""
    port = _closed_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.config.settings",
        "MOTCUA_SECRET_KEY": "t",
        "DATABASE_URL": f"postgres://motcua_probe:secret@127.0.0.1:{port}/motcua",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    out = _in_process_of_its_own(PROBE, env).strip().splitlines()
    assert out[0] == "503"
    body = json.loads(out[1])
    assert body == {
        "status": "unavailable",
        "code": "health.database_unavailable",
        "message": "Không kết nối được cơ sở dữ liệu.",
        "checks": {"database": {"status": "unavailable"}},
    }
    for secret in (str(port), "motcua_probe", "secret", "127.0.0.1"):
        assert secret not in out[1]


REDIRECTS = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(HTTP_HOST="motcua.example.gov.vn")
print(client.get("/").status_code, client.get("/healthz/").status_code)
"""


@pytest.mark.django_db(databases=[])
def test_a_balancer_may_probe_over_plain_http_in_production() -> None:
    """The production profile sends every page to HTTPS — except the probe,
    which a balancer sends straight to a web machine's port."""
    from tests.security.test_hardening import _production_env

    env = _production_env(DJANGO_SETTINGS_MODULE="motcua.config.settings")
    out = _in_process_of_its_own(REDIRECTS, env).split()
    assert out[0] == "301"  # a page: to HTTPS
    assert out[1] in ("200", "503")  # answered here (ready or not), never sent away
