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
