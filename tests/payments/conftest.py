from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime

import pytest

from motcua.core import clock


@pytest.fixture
def world_clock() -> Callable[[datetime], AbstractContextManager[None]]:
    return clock.frozen_at
