"""Small shared helpers: the injected clock and accent folding."""

from datetime import UTC, datetime

import pytest

from motcua.core import clock
from motcua.core.text import fold


def test_frozen_clock_returns_the_given_instant_and_restores_after():
    instant = datetime(2025, 4, 25, 8, 30, tzinfo=UTC)
    with clock.frozen_at(instant):
        assert clock.now() == instant
    assert clock.now() != instant
    assert clock.now().tzinfo is not None


def test_frozen_clock_refuses_naive_datetimes():
    with pytest.raises(ValueError), clock.frozen_at(datetime(2025, 4, 25, 8, 30)):
        pass


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("  Kết   hôn ", "ket hon"),
        ("Chứng thực bản sao", "chung thuc ban sao"),
        ("SỔ ĐỎ", "so do"),
    ],
)
def test_fold_drops_diacritics_and_case(text, folded):
    assert fold(text) == folded
