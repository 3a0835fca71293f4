"""Backup then restore brings every row, every history chain and the files
back: the test runs ``motcua migrate``, ``backup`` and ``restore`` as separate
processes against a real database (a SQLite file in a temporary folder, or a
separate database of the PostgreSQL test cluster)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
MOTCUA = str(Path(sys.executable).with_name("motcua"))
TIMEOUT = 120


class Site:
    """One throwaway deployment: its database URL and var folder."""

    def __init__(self, database_url: str, var: Path) -> None:
        self.var = var
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "MOTCUA_VAR_DIR": str(var),
            "MOTCUA_SECRET_KEY": "motcua-tests-only-not-a-secret",
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)

    def motcua(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [MOTCUA, *args],
            env=self.env,
            cwd=self.var,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        return done

    def scenario(self, *steps: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "tests.privacy.restore_scenario", *steps],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        last = done.stdout.strip().splitlines()[-1] if "state" in steps else ""
        return json.loads(last) if last else None


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    if connection.vendor == "postgresql":
        yield from _postgres_site(tmp_path)
    else:
        yield Site(f"sqlite:///{tmp_path / 'site.sqlite3'}", tmp_path)


def _postgres_site(tmp_path: Path) -> Iterator[Site]:
    """A separate database in the test cluster, dropped afterwards."""
    import psycopg

    settings = connection.settings_dict
    name = f"motcua_restore_{uuid.uuid4().hex[:8]}"
    params = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    params = {k: v for k, v in params.items() if v is not None}
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = settings["USER"] + (
        f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    )
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    try:
        yield Site(f"postgres://{auth}@{host}/{name}", tmp_path)
    finally:
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_a_restore_brings_back_every_row_chain_and_file(site: Site) -> None:
    output = site.var / "backups" / "before-change.bak"
    original = site.scenario("migrate", "make", f"backup={output}", "state")
    assert original["verified"][1] == 0 and original["chains"]
    assert original["scan"] is not None
    for path in (output, Path(f"{output}.media.tar.gz"), Path(f"{output}.json")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(output.parent.stat().st_mode) == 0o700

    changed = site.scenario("change", "state")
    assert changed["counts"] != original["counts"]
    assert changed["verified"][1] > 0 and changed["scan"] is None

    restored = site.motcua("restore", str(output), "--yes")
    assert restored.returncode == 0, restored.stdout + restored.stderr[-3000:]
    assert "khớp bản sao lưu" in restored.stdout
    assert site.scenario("state") == original


@pytest.mark.django_db
def test_restore_asks_for_yes_and_refuses_missing_or_foreign_files(
    tmp_path: Path,
) -> None:
    """Refused before anything is touched, so safe on the test database."""
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.bak"))
    with pytest.raises(CommandError, match="Không có tệp sao lưu"):
        call_command("restore", str(tmp_path / "none.bak"), "--yes")
    if connection.vendor == "sqlite":
        junk = tmp_path / "junk.bak"
        junk.write_bytes(b"not a backup" * 100)
        with pytest.raises(CommandError, match="không phải bản sao lưu"):
            call_command("restore", str(junk), "--yes")


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    from django.core.management import CommandError, call_command

    taken = tmp_path / "taken.bak"
    taken.write_bytes(b"earlier backup")
    with pytest.raises(CommandError, match="đã có"):
        call_command("backup", "--output", str(taken))
    assert taken.read_bytes() == b"earlier backup"
