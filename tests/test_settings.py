"""Settings come from the environment; the ``motcua`` command runs."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from motcua.config import settings as settings_module

_DUMP = """
import json
from motcua.config import settings as s
print(json.dumps({
    "SECRET_KEY": s.SECRET_KEY,
    "DEBUG": s.DEBUG,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "DB_ENGINE": s.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(s.DATABASES["default"]["NAME"]),
    "VAR_DIR": str(s.VAR_DIR),
    "STATIC_ROOT": str(s.STATIC_ROOT),
    "MEDIA_ROOT": str(s.MEDIA_ROOT),
}))
"""

_CLEARED = (
    "DATABASE_URL",
    "MOTCUA_SECRET_KEY",
    "MOTCUA_DEBUG",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
)


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env["MOTCUA_VAR_DIR"] = str(var_dir)
    env.update(extra)
    return env


def fresh_settings(var_dir: Path, **extra: str) -> dict[str, Any]:
    """The settings module as a new process with this environment sees it."""
    result = subprocess.run(
        [sys.executable, "-c", _DUMP],
        env=_env(var_dir, **extra),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_keep_state_under_var_dir(tmp_path: Path) -> None:
    var = tmp_path / "var"
    s = fresh_settings(var)
    assert var.is_dir()
    assert s["VAR_DIR"] == str(var)
    assert s["DB_ENGINE"] == "django.db.backends.sqlite3"
    assert s["DB_NAME"] == str(var / "motcua.sqlite3")
    assert s["STATIC_ROOT"] == str(var / "static")
    assert s["MEDIA_ROOT"] == str(var / "media")
    assert s["DEBUG"] is False
    assert s["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]


def test_secret_key_is_generated_once_and_reused(tmp_path: Path) -> None:
    first = fresh_settings(tmp_path)["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert fresh_settings(tmp_path)["SECRET_KEY"] == first
    other = tmp_path / "other"
    assert fresh_settings(other)["SECRET_KEY"] != first


def test_secret_key_from_environment_wins(tmp_path: Path) -> None:
    s = fresh_settings(tmp_path, MOTCUA_SECRET_KEY="from-the-environment")
    assert s["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_environment_overrides(tmp_path: Path) -> None:
    s = fresh_settings(
        tmp_path,
        MOTCUA_DEBUG="true",
        ALLOWED_HOSTS=" motcua.example.gov.vn, 10.0.0.5 ,,",
        DATABASE_URL="postgres://motcua:pw@db.example:5433/motcua",
    )
    assert s["DEBUG"] is True
    assert s["ALLOWED_HOSTS"] == ["motcua.example.gov.vn", "10.0.0.5"]
    assert s["DB_ENGINE"] == "django.db.backends.postgresql"
    assert s["DB_NAME"] == "motcua"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("True", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("off", False),
        ("", False),
        ("bật", False),
    ],
)
def test_debug_parsing(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv("MOTCUA_DEBUG", value)
    assert settings_module._env_bool("MOTCUA_DEBUG") is expected


def test_debug_unset_uses_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTCUA_DEBUG", raising=False)
    assert settings_module._env_bool("MOTCUA_DEBUG") is False
    assert settings_module._env_bool("MOTCUA_DEBUG", default=True) is True


def test_locale_and_time_zone() -> None:
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.USE_TZ is True
    assert {code for code, _ in settings.LANGUAGES} >= {"vi", "en"}


def test_tests_do_not_use_the_developers_var_dir() -> None:
    repo_var = Path(__file__).resolve().parent.parent / "var"
    assert Path(settings.VAR_DIR).resolve() != repo_var.resolve()


def test_motcua_command_runs_check(tmp_path: Path) -> None:
    command = shutil.which("motcua", path=str(Path(sys.executable).parent))
    assert command is not None, "the motcua console script is not installed"
    result = subprocess.run(
        [command, "check"],
        env=_env(tmp_path, MOTCUA_SECRET_KEY="check"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_python_dash_m_motcua_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "motcua", "help", "migrate"],
        env=_env(tmp_path, MOTCUA_SECRET_KEY="check"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "migrate" in result.stdout


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_runs_really_use_postgresql() -> None:
    from django.db import connection

    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (name,) = cursor.fetchone()
    assert name.startswith("test_")
