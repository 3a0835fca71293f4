from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.test import override_settings

from .fake_gateway import FakeGateway


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with (
        FakeGateway() as fake,
        override_settings(
            MOTCUA_SMS_URL=fake.url,
            MOTCUA_SMS_TOKEN="test-token",
            MOTCUA_NOTIFY_CHANNELS="sms,email",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
    ):
        yield fake


@pytest.fixture(autouse=True)
def _seeded_texts(request: pytest.FixtureRequest) -> None:
    """The texts seeded by migration 0002, again: a transactional test run
    before (anywhere in the suite) flushes the tables migrations filled."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue(
        "transactional_db" if marker.kwargs.get("transaction") else "db"
    )
    from django.apps import apps

    for name in (
        "0002_seed_templates",
        "0003_reminder_template",
        "0005_staff_templates",
        "0006_assigned_template",
        "0007_citizen_code_template",
        "0008_returned_rating_link",
    ):
        module = importlib.import_module(f"motcua.notifications.migrations.{name}")
        module.seed(apps, None)
