"""Fixtures of the citizen tests: the test identity provider on 127.0.0.1
and its app registered in allauth (a SocialApp, as an administrator adds it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from allauth.socialaccount.models import SocialApp

from motcua.citizens.devidp import IdentityProvider, IdentityServer

from .oidc import CALLBACK, register_app


@pytest.fixture
def idp() -> Iterator[IdentityServer]:
    provider = IdentityProvider(redirect_uris=(CALLBACK,), require_pkce=True)
    server = IdentityServer(provider).start()
    yield server
    server.stop()


@pytest.fixture
def oidc_app(db: None, idp: IdentityServer) -> SocialApp:
    return register_app(idp)


@pytest.fixture(autouse=True)
def _code_texts(request: pytest.FixtureRequest) -> None:
    """The one-time code texts of migration notifications 0007, again: a
    transactional test run before flushes the tables migrations filled."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    import importlib

    from django.apps import apps

    module = importlib.import_module(
        "motcua.notifications.migrations.0007_citizen_code_template"
    )
    module.seed(apps, None)
