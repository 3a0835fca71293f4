"""Fixtures of the back-office tests: a small city (``build_world``), clients
signed in as each officer, and a temporary media folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.dossiers.builders import World, build_world


@pytest.fixture
def world(db: None) -> World:
    from motcua.catalog.services import refresh_search_text

    built = build_world()
    refresh_search_text(built.version)
    return built


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def activate_totp(user: Any) -> None:
    """Give ``user`` an activated authenticator app, as allauth does."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
