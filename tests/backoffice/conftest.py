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
    """A client signed in as ``user`` as a person would be: through allauth
    with a real TOTP code when two factors are required of them (issue 8)."""
    from motcua.security import twofactor
    from tests.security.helpers import mfa_client

    if twofactor.required_for(user):
        return mfa_client(user)
    return password_only_client(user)


def password_only_client(user: Any) -> Client:
    """A session that never passed a second factor (``force_login``)."""
    client = Client()
    client.force_login(user)
    return client


def activate_totp(user: Any) -> None:
    """Give ``user`` an activated authenticator app, as allauth does."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
