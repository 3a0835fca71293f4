from __future__ import annotations

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
