"""Items made through the services, as the pages make them."""

from __future__ import annotations

import itertools
from typing import Any

from motcua.feedback.services import Submission, feedback_submit

_addresses = (f"10.1.{n // 250}.{n % 250}" for n in itertools.count(1))


def submit(agency: Any, *, address: str = "", **fields: Any) -> Any:
    """An item sent online (each from its own address: the per-address
    throttle has its own tests)."""
    data = {
        "agency": agency,
        "category": "attitude",
        "title": "Cán bộ hướng dẫn chưa rõ",
        "content": "Tôi đến nộp hồ sơ sáng thứ hai, cán bộ không hướng dẫn rõ.",
    }
    data.update(fields)
    return feedback_submit(Submission(**data), address=address or next(_addresses))
