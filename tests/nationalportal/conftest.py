from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from .fake_portal import FakePortal


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with (
        FakePortal() as fake,
        override_settings(
            MOTCUA_DVCQG_URL=fake.url,
            MOTCUA_DVCQG_TOKEN=fake.token,
            MOTCUA_DVCQG_ALLOW_LOCAL_HTTP=True,
            MOTCUA_NOTIFY_CHANNELS="",
        ),
    ):
        yield fake
