from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from .receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with (
        Receiver() as fake,
        override_settings(
            MOTCUA_WEBHOOK_ALLOW_LOCAL_HTTP=True,
            MOTCUA_NOTIFY_CHANNELS="",
        ),
    ):
        yield fake
