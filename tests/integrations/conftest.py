"""Integration clients: a small city (tests.dossiers.builders), clients made
through the services, and the request-log middleware in the stack."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

MIDDLEWARE = "motcua.integrations.middleware.ClientRequestLogMiddleware"


@pytest.fixture(autouse=True)
def _request_log_middleware(settings: Any) -> Iterator[None]:
    """The request log is written by a middleware; until the project's
    settings list it, the tests add it (a no-op once it is listed)."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
    yield


@pytest.fixture
def make_client(db: None) -> Callable[..., Any]:
    from motcua.integrations import services

    def make(name: str = "Cổng DVC tỉnh", **options: Any) -> Any:
        agencies = options.pop("agencies", ())
        subtree = options.pop("subtree", False)
        scopes = [services.Scope(a, covers_subtree=subtree) for a in agencies]
        return services.client_create(name=name, scopes=scopes, **options)

    return make


def api(key: str | None = None) -> APIClient:
    client = APIClient()
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client
