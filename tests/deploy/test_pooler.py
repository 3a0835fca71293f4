"""MotCua behind a connection pooler in transaction mode (docs/deploy.md: a
province's web machines may share PostgreSQL through PgBouncer).

A real PgBouncer (Debian's, installed by ``tools/system-deps.sh test``) is
started in front of the suite's throwaway PostgreSQL, in transaction mode, with
two server connections handed out in turn: each transaction may run on another
server session, as under load. The application runs in a fresh interpreter
whose ``DATABASE_URL`` names the pooler, as a deployment configures it, and
reads what the busiest pages read: a dossier's detail (its parts sent together
in one pipeline, ADR 0035), the API's list page (kept statements, ADR 0036) and
the read log's row (a kept INSERT, ADR 0034).

With ``MOTCUA_PG_PREPARED=0`` (what docs/deploy.md asks for behind a pooler
that cannot keep prepared statements, such as this PgBouncer 1.18) every answer
equals the one read directly, pipelines included. (With statements prepared,
such a pooler fails now and then, when a statement prepared in one server
session is run in the other: too irregular for a test.)
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from motcua.agencies.selectors import roles_read_once
from motcua.dossiers import selectors
from tests.dossiers.builders import World, build_world, vn

from .replica import _free_port

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: run with TEST_DBS=postgres tools/run-tests.sh",
    ),
    pytest.mark.django_db(transaction=True),  # the other process must see the rows
]

ROUNDS = 12  # each read again and again, on both server sessions in turn

PROBE = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from motcua.agencies.selectors import roles_read_once
from motcua.dossiers import selectors
from motcua.privacy.models import ReadLog
from motcua.privacy.services import record_read

username, code = sys.argv[1], sys.argv[2]
user = get_user_model().objects.get(username=username)
answers = []
for _ in range(int(sys.argv[3])):
    with roles_read_once():
        dossier = selectors.dossier_for(user, code)
        page = selectors.dossier_row_page(user, selectors.parse_filters({}))
    record_read(user, dossier=dossier, what="api_detail")
    answers.append({
        "detail": [dossier.code, len(dossier.steps.all()), len(dossier.events.all())],
        "page": [row.code for row in page.items],
    })
# Receptions: each action's last writes (figures, outbox) in one pipeline
# (ADR 0038), through the pooler.
from datetime import datetime, timedelta, timezone
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.applicants import ApplicantInput
from motcua.dossiers.history import verify_dossier
from motcua.notifications.models import Message
from motcua.reports.models import DossierFact
desk = get_user_model().objects.get(username=sys.argv[4])
data = services.DossierInput(
    agency=Agency.objects.get(code=sys.argv[5]),
    procedure=Procedure.objects.get(code=sys.argv[6]),
    channel="direct",
    applicant=ApplicantInput(
        name="Lê Thị Hoa", id_number="048090001234", phone="0905123456"
    ),
)
received = []
with clock.frozen_at(datetime(2026, 7, 6, 9, tzinfo=timezone(timedelta(hours=7)))):
    for _ in range(int(sys.argv[3])):
        received.append(services.dossier_receive(desk, data=data))
print(json.dumps({
    "answers": answers,
    "logged": ReadLog.objects.filter(dossier_code=code).count(),
    "received": len(received),
    "facts": DossierFact.objects.filter(dossier__in=received).count(),
    "messages": Message.objects.filter(dossier__in=received).count(),
    "broken": [d.code for d in received if verify_dossier(d)],
}))
"""


class PgBouncer:
    """PgBouncer on 127.0.0.1 in front of the test database (transaction
    mode, two server sessions, handed out in turn)."""

    def __init__(self, database: dict[str, Any]) -> None:
        binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        if not Path(binary).exists():
            pytest.fail("PgBouncer is missing: tools/system-deps.sh test installs it")
        self.port = _free_port()
        self.base = Path(tempfile.mkdtemp(prefix="motcua-pgbouncer-", dir="/tmp"))
        run_as: list[str] = []
        if os.geteuid() == 0:  # PgBouncer refuses root, as PostgreSQL does
            user = os.environ.get("PG_USER", "postgres")
            run_as = ["runuser", "-u", user, "--"]
            shutil.chown(self.base, user)
        host, port = database["HOST"] or "127.0.0.1", database["PORT"]
        config = self.base / "pgbouncer.ini"
        config.write_text(
            "[databases]\n"
            f"* = host={host} port={port} user={database['USER']}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\n"
            "unix_socket_dir =\n"
            "auth_type = any\n"
            "pool_mode = transaction\n"
            "default_pool_size = 2\nmin_pool_size = 2\n"
            "server_round_robin = 1\n"
            f"logfile = {self.base / 'pgbouncer.log'}\n"
            f"pidfile = {self.base / 'pgbouncer.pid'}\n",
            encoding="utf-8",
        )
        os.chmod(config, 0o644)
        self.process = subprocess.Popen(
            [*run_as, binary, str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while not self._listening():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = self.base / "pgbouncer.log"
                raise RuntimeError(
                    "PgBouncer did not start: "
                    + (log.read_text() if log.exists() else "no log")
                )
            time.sleep(0.05)

    def _listening(self) -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def logins(self) -> int:
        """Client logins PgBouncer has logged (the probe came through it)."""
        log = self.base / "pgbouncer.log"
        return log.read_text(errors="replace").count("login attempt")

    def url(self, database: dict[str, Any]) -> str:
        return f"postgres://{database['USER']}@127.0.0.1:{self.port}/{database['NAME']}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def pooler() -> Iterator[tuple[PgBouncer, dict[str, Any]]]:
    database = connection.settings_dict
    bouncer = PgBouncer(database)
    try:
        yield bouncer, database
    finally:
        bouncer.stop()


def _world() -> tuple[World, Any]:
    from tests.feedback.conftest import seed_texts

    seed_texts()  # the messages' texts (another test's flush may have gone)
    w = build_world()
    for day in (2, 3, 4):
        w.receive(vn(2025, 6, day))
    return w, w.processing(vn(2025, 6, 5))


def _probe(url: str, username: str, code: str, w: World) -> Any:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MOTCUA_PG_PREPARED": "0",
        "MOTCUA_PG_PIPELINE": "1",
        "MOTCUA_SECRET_KEY": os.environ.get("MOTCUA_SECRET_KEY", "t"),
        "DJANGO_SETTINGS_MODULE": "motcua.config.settings",
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            username,
            code,
            str(ROUNDS),
            w.reception.username,
            w.ward.code,
            w.procedure.code,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_behind_pgbouncer_without_prepared_statements_every_answer_is_right(pooler):
    bouncer, database = pooler
    w, dossier = _world()
    user = w.specialist
    with roles_read_once():
        found = selectors.dossier_for(user, dossier.code)
        page = selectors.dossier_row_page(user, selectors.parse_filters({}))
    assert found is not None
    expected = {
        "detail": [found.code, len(found.steps.all()), len(found.events.all())],
        "page": [row.code for row in page.items],
    }
    assert len(expected["page"]) == 4 and expected["detail"][2] >= 2
    done = _probe(bouncer.url(database), user.username, dossier.code, w)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["answers"] == [expected] * ROUNDS
    assert out["logged"] == ROUNDS  # every read logged, through the pooler
    # Every reception's held writes arrived: its fact and its SMS.
    assert out["received"] == out["facts"] == out["messages"] == ROUNDS
    assert out["broken"] == []
    assert bouncer.logins() >= 1
