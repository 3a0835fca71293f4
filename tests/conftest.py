"""Shared fixtures: agencies, the ``postgres`` marker, a fresh calendar cache."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Tests marked ``postgres`` need PostgreSQL: skip them on other databases."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL, running on {connection.vendor}")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    """Calendars are cached per process; no test sees another test's."""
    from motcua.deadlines import services

    services._cache.clear()
    yield
    services._cache.clear()


@pytest.fixture
def agency(db: None) -> Callable[..., Any]:
    """Factory: ``agency(code=..., working_hours=..., ...)`` saves a valid Agency.

    Unspecified fields get defaults (a fresh QCVN 102 code, a department)."""
    from motcua.agencies.models import Agency
    from motcua.agencies.services import agency_create

    numbers = itertools.count(1)

    def make(**fields: Any) -> Agency:
        n = next(numbers)
        fields.setdefault("code", f"000.00.{n:02d}.H12")
        fields.setdefault("name", f"Sở thử nghiệm số {n}")
        fields.setdefault("level", Agency.Level.DEPARTMENT)
        return agency_create(**fields)

    return make


@pytest.fixture
def admin_client(db: None, admin_user: Any) -> Any:
    """pytest-django's ``admin_client``, signed in as the admin site now asks:
    through allauth with the password and a real TOTP code (issue 8)."""
    from django.test import Client

    from tests.security.helpers import sign_in_with_mfa

    return sign_in_with_mfa(Client(), admin_user, password="password")
