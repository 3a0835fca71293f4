"""Backups and restores of the database and the uploaded files.

SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies a
consistent snapshot while the site keeps running, and copies it back on
restore. PostgreSQL: ``pg_dump -Fc`` and ``pg_restore --clean --if-exists``
(found on PATH or in /usr/lib/postgresql/*/bin). The uploaded files go into a
``.media.tar.gz`` beside the database file: the media folder, or, when files
are kept in an S3-compatible bucket, every object under the storage's prefix,
read and written back through the storage (the same archive layout either
way). Every file is created 0600 in a
0700 folder: a backup holds all the personal data of the deployment.

A small manifest (``.json``) lists the rows of every table in the backup, so
a restore can prove it brought every row back (docs/privacy.md).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connections

from motcua.core import clock
from motcua.core.downloads import is_folder
from motcua.core.errors import DomainError

log = logging.getLogger("motcua.privacy")
MEDIA_SUFFIX = ".media.tar.gz"
MANIFEST_SUFFIX = ".json"


class BackupError(DomainError):
    pass


@dataclass(frozen=True)
class BackupFiles:
    database: Path
    media: Path
    manifest: Path

    @classmethod
    def beside(cls, database: Path) -> BackupFiles:
        return cls(
            database,
            database.with_name(database.name + MEDIA_SUFFIX),
            database.with_name(database.name + MANIFEST_SUFFIX),
        )


def _db() -> dict[str, Any]:
    return connections["default"].settings_dict


def vendor() -> str:
    return str(connections["default"].vendor)


def default_output() -> Path:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    extension = "sqlite3" if vendor() == "sqlite" else "dump"
    return Path(settings.MOTCUA_BACKUP_DIR) / f"motcua-{stamp}.{extension}"


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


def _private_file(path: Path) -> None:
    """Create ``path`` empty with 0600 permissions (refuse to overwrite)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise BackupError(
            "backup.exists", f"Tệp {path} đã có; chọn tên khác để không ghi đè."
        ) from None


def table_counts_sqlite(path: Path) -> dict[str, int]:
    """Rows of every model's table in a SQLite file."""
    with closing(sqlite3.connect(path)) as con:
        present = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        return {
            table: con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in _tables()
            if table in present
        }


def table_counts() -> dict[str, int]:
    """Rows of every model's table in the live database."""
    existing = set(connections["default"].introspection.table_names())
    counts = {}
    with connections["default"].cursor() as cursor:
        for table in _tables():
            if table in existing:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    return counts


def _tables() -> list[str]:
    return sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    )


# ------------------------------------------------------------------ tools
def pg_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: on PATH, else the newest Debian one."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    if not candidates:
        raise BackupError(
            "backup.pg_tool_missing",
            f"Không tìm thấy {name}: cài gói postgresql-client cùng phiên bản máy chủ.",
        )
    return candidates[-1]


def _pg_env() -> dict[str, str]:
    """Connection settings for the PostgreSQL tools, through the environment
    (a password never appears on a command line)."""
    db = _db()
    env = dict(os.environ)
    pairs = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({k: str(v) for k, v in pairs.items() if v})
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(
            "backup.tool_failed",
            f"{Path(command[0]).name} lỗi (mã {done.returncode}): "
            f"{done.stderr.strip()[-500:]}",
        )


# ------------------------------------------------------------------ backup
def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy, page by page, while other
    connections keep reading and writing the source."""
    with (
        closing(sqlite3.connect(source)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def backup(output: Path | None = None) -> BackupFiles:
    """Back the database and the media folder up; returns the files written."""
    files = BackupFiles.beside(Path(output) if output else default_output())
    _private_dir(files.database.parent)
    for path in (files.database, files.media, files.manifest):
        _private_file(path)
    if vendor() == "sqlite":
        _sqlite_copy(Path(_db()["NAME"]), files.database)
        counts = table_counts_sqlite(files.database)
        exact = True
    elif vendor() == "postgresql":
        _run([pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(files.database)])
        counts, exact = table_counts(), False  # the dump has its own snapshot
    else:  # pragma: no cover - only the two supported databases
        raise BackupError("backup.unsupported", f"Chưa hỗ trợ CSDL {vendor()}.")
    with tarfile.open(files.media, "w:gz") as archive:
        _archive_media(archive)
    manifest = {
        "created_at": clock.now().isoformat(),
        "database": vendor(),
        "counts_exact": exact,
        "counts": counts,
    }
    files.manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    log.info(
        "privacy.backup database=%s file=%s tables=%d rows=%d",
        vendor(),
        files.database.name,
        len(counts),
        sum(counts.values()),
    )
    return files


# ------------------------------------------------------------------ restore
@contextmanager
def _closed_connections() -> Iterator[None]:
    connections.close_all()
    try:
        yield
    finally:
        connections.close_all()


def _check_sqlite_file(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
            ok = con.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError:
        ok = "not a database"
    if ok != "ok":
        raise BackupError(
            "restore.bad_file", f"{path} không phải bản sao lưu SQLite hợp lệ ({ok})."
        )


def restore(path: Path) -> dict[str, tuple[int, int]]:
    """Replace the database (and add back the media files) from a backup made
    by :func:`backup`. Returns the tables whose row count differs from the
    manifest: ``{table: (in backup, now)}`` (empty: every row is back)."""
    files = BackupFiles.beside(Path(path))
    if not files.database.is_file():
        raise BackupError("restore.missing", f"Không có tệp sao lưu {files.database}.")
    media_names = _media_names(files.media) if files.media.is_file() else []
    if vendor() == "sqlite":
        _check_sqlite_file(files.database)
        with _closed_connections():
            _sqlite_copy(files.database, Path(_db()["NAME"]))
    elif vendor() == "postgresql":
        with _closed_connections():
            _run(
                [
                    pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "-d",
                    str(_db()["NAME"]),
                    str(files.database),
                ]
            )
    else:  # pragma: no cover
        raise BackupError("backup.unsupported", f"Chưa hỗ trợ CSDL {vendor()}.")
    if media_names:
        _extract_media(files.media)
    log.info("privacy.restore database=%s file=%s", vendor(), files.database.name)
    return _differences(files)


def _archive_media(archive: tarfile.TarFile) -> None:
    if is_folder(default_storage):
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            archive.add(media, arcname="media")
        return
    for name in _stored_names(default_storage):
        info = tarfile.TarInfo(f"media/{name}")
        info.size = default_storage.size(name)
        info.mtime = int(default_storage.get_modified_time(name).timestamp())
        info.mode = 0o600
        with default_storage.open(name, "rb") as stored:
            archive.addfile(info, stored)


def _stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file of ``storage`` under ``folder``, depth first."""
    folders, names = storage.listdir(folder)
    for name in sorted(names):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _stored_names(storage, f"{folder}/{sub}" if folder else sub)


def _media_names(archive_path: Path) -> list[str]:
    """The stored names of the files in a media archive, every one checked
    before anything is restored: a name that is absolute or climbs out
    (``..``) refuses the whole restore, the database untouched."""
    names = []
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive.getmembers():
            if not member.name.startswith("media/") or not member.isfile():
                continue
            name = member.name[len("media/") :]
            if not name or name.startswith("/") or ".." in name.split("/"):
                raise BackupError(
                    "restore.bad_name",
                    f"Tên tệp trong bản sao lưu không hợp lệ: {member.name}",
                )
            names.append(name)
    return names


def _extract_media(archive_path: Path) -> None:
    """Put the backed-up files back (files added since the backup stay: they
    are orphans, not lost records)."""
    with tarfile.open(archive_path, "r:gz") as archive:
        members = [
            m
            for m in archive.getmembers()
            if m.name == "media" or m.name.startswith("media/")
        ]
        for member in members:
            member.name = member.name[len("media") :].lstrip("/") or "."
        if is_folder(default_storage):
            archive.extractall(
                Path(settings.MEDIA_ROOT), members=members, filter="data"
            )
            return
        for member in members:
            _put_back(archive, member)


def _put_back(archive: tarfile.TarFile, member: tarfile.TarInfo) -> None:
    """One archived file back into object storage under its own name (checked
    by :func:`_media_names`); an object already there is kept."""
    if not member.isfile() or default_storage.exists(member.name):
        return
    content = archive.extractfile(member)
    if content is None:  # pragma: no cover - isfile() above
        return
    saved = default_storage.save(member.name, File(content))
    if saved != member.name:  # pragma: no cover - exists() said it was free
        raise BackupError(
            "restore.name_taken", f"Không trả lại được tệp {member.name}."
        )


def _differences(files: BackupFiles) -> dict[str, tuple[int, int]]:
    if not files.manifest.is_file():
        return {}
    expected: dict[str, int] = json.loads(files.manifest.read_text())["counts"]
    now = table_counts()
    return {
        t: (n, now.get(t, 0)) for t, n in sorted(expected.items()) if now.get(t) != n
    }
