"""A real streaming replica of the test suite's PostgreSQL, for the router tests.

``pg_basebackup -R`` copies the throwaway primary started by
``tools/pg-test-cluster.sh`` (trust authentication on 127.0.0.1, replication
allowed) into a temporary folder; a second ``postgres`` serves it on another
free port of 127.0.0.1 as a hot standby. As root (CI), the server runs as the
``postgres`` system user, like the primary. Every wait is bounded.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

WAIT_SECONDS = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin(major: int) -> Path:
    for candidate in (
        os.environ.get("PG_BIN", ""),
        f"/usr/lib/postgresql/{major}/bin",
    ):
        if candidate and (Path(candidate) / "pg_basebackup").exists():
            return Path(candidate)
    found = shutil.which("pg_basebackup")
    if found:
        return Path(found).resolve().parent
    raise RuntimeError(f"no pg_basebackup for PostgreSQL {major}")


def wait_for(what: str, check: Callable[[], bool]) -> None:
    """Poll ``check`` until true; fail after WAIT_SECONDS (never hang)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"replica: {what} not reached in {WAIT_SECONDS:.0f} s")
        time.sleep(0.05)


class StreamingReplica:
    def __init__(self, primary: dict[str, Any]) -> None:
        self.primary = {
            "host": primary["HOST"] or "127.0.0.1",
            "port": int(primary["PORT"]),
            "user": primary["USER"],
            "dbname": primary["NAME"],
        }
        self.port = _free_port()
        self.as_pg: list[str] = []
        if os.geteuid() == 0:  # initdb/postgres refuse root: same as the primary
            self.as_pg = ["runuser", "-u", os.environ.get("PG_USER", "postgres"), "--"]
        self.base = Path(tempfile.mkdtemp(prefix="motcua-replica-", dir="/tmp"))
        if self.as_pg:
            shutil.chown(self.base, self.as_pg[2])
        self.data = self.base / "data"
        with self.connect_primary() as conn:
            row = conn.execute("SHOW server_version_num").fetchone()
        self.bin = _pg_bin(int(row[0]) // 10000 if row else 15)

    def connect_primary(self) -> psycopg.Connection[Any]:
        return psycopg.connect(**self.primary, autocommit=True, connect_timeout=5)

    def connect(self) -> psycopg.Connection[Any]:
        params = {**self.primary, "port": self.port}
        return psycopg.connect(**params, autocommit=True, connect_timeout=5)

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.as_pg, *args], check=True, capture_output=True, timeout=120
        )

    def create(self) -> None:
        host, port, user = (str(self.primary[k]) for k in ("host", "port", "user"))
        self._run(
            str(self.bin / "pg_basebackup"),
            *("-h", host, "-p", port, "-U", user, "-D", str(self.data)),
            *("-R", "-X", "stream", "--no-sync", "--checkpoint=fast"),
        )
        self.start()

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.base} -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            *("-D", str(self.data), "-l", str(self.base / "server.log")),
            *("-w", "-t", "60", "-o", options, "start"),
        )
        wait_for("streaming", self.streaming)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "fast",
                "-w",
                "stop",
            )

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def streaming(self) -> bool:
        try:
            with self.connect() as conn:
                row = conn.execute(
                    "SELECT pg_is_in_recovery() AND status = 'streaming' "
                    "FROM pg_stat_wal_receiver"
                ).fetchone()
        except psycopg.OperationalError:
            return False
        return bool(row and row[0])

    def primary_lsn(self) -> str:
        with self.connect_primary() as conn:
            # the insert position: the test cluster commits asynchronously
            # (synchronous_commit=off), so a commit may not be written yet
            row = conn.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()
        assert row is not None
        return str(row[0])

    def _reached(self, function: str, lsn: str) -> bool:
        with self.connect() as conn:
            row = conn.execute(f"SELECT {function}() >= %s::pg_lsn", [lsn]).fetchone()
        return bool(row and row[0])

    def wait_replayed(self) -> None:
        """Until the replica has applied everything the primary wrote so far."""
        lsn = self.primary_lsn()
        wait_for("replay", lambda: self._reached("pg_last_wal_replay_lsn", lsn))

    def wait_received(self) -> None:
        """Until the replica has received (not necessarily applied) it all."""
        lsn = self.primary_lsn()
        wait_for("receipt", lambda: self._reached("pg_last_wal_receive_lsn", lsn))

    def pause_replay(self) -> None:
        with self.connect() as conn:
            conn.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        with self.connect() as conn:
            conn.execute("SELECT pg_wal_replay_resume()")
