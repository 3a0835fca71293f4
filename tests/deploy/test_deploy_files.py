"""The files of deploy/ stay in step with the settings and the commands they
name (the running stack itself is checked by `make prod-check`)."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _documented_variables() -> set[str]:
    """Every variable of the settings table in docs/deployment.md."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    rows = re.findall(r"^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|", text, re.M)
    return {name for row in rows for name in re.findall(r"`([A-Z_]+)`", row)}


def test_the_environment_template_names_every_documented_variable() -> None:
    template = (DEPLOY / "motcua.env.example").read_text()
    documented = _documented_variables()
    assert "MOTCUA_X_ACCEL_REDIRECT_PREFIX" in documented
    missing = sorted(
        name for name in documented if not re.search(rf"^#?{name}=", template, re.M)
    )
    assert missing == []


def test_the_environment_template_holds_no_real_secret() -> None:
    template = (DEPLOY / "motcua.env.example").read_text()
    for line in template.splitlines():
        if re.match(r"#?[A-Z_]*(SECRET|TOKEN|PASSWORD)[A-Z_]*=", line):
            value = line.split("=", 1)[1]
            assert value in ("", "CHANGE-ME") or value.startswith("CHANGE-ME"), line


def test_gunicorn_starts_one_worker_per_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTCUA_WEB_WORKERS", raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 6)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["workers"] == 6
    assert "%(q)s" not in config["access_log_format"]  # never the query string


def test_the_units_run_commands_that_exist() -> None:
    commands = get_commands()
    for unit in (DEPLOY / "systemd").glob("*.service"):
        for name in re.findall(r"/bin/motcua (\w+)", unit.read_text()):
            assert name in commands, (unit.name, name)
    target = (DEPLOY / "systemd" / "motcua.target").read_text()
    for wanted in re.findall(r"(motcua-[\w@-]+)\.service", target):
        template = re.sub(r"@\w+$", "@", wanted)
        assert (DEPLOY / "systemd" / f"{template}.service").exists(), wanted


def test_nginx_serves_internal_files_from_the_prefix_the_app_names() -> None:
    locations = (DEPLOY / "nginx" / "motcua-locations.conf").read_text()
    template = (DEPLOY / "motcua.env.example").read_text()
    prefix = re.search(r"^MOTCUA_X_ACCEL_REDIRECT_PREFIX=(\S+)", template, re.M)
    assert prefix is not None
    block = re.search(
        rf"location {re.escape(prefix.group(1))}/ \{{(.*?)\}}", locations, re.S
    )
    assert block is not None and "internal;" in block.group(1)
    assert "alias @VAR_DIR@/media/;" in block.group(1)
    # the access log never records the query string nor the referrer
    site = (DEPLOY / "nginx" / "motcua.conf").read_text()
    for text in (locations, site):
        assert not re.search(r"\$(request|args|query_string|http_referer)\b", text)
