"""What an applicant or an attacker does on the public tracking page."""

from __future__ import annotations

import itertools
import re
from typing import Any

from django.test import Client

ID_LAST4, PHONE_LAST4 = "1234", "3456"  # 048090001234, 0905123456
_addresses = itertools.count(1)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def new_address() -> str:
    """A fresh client address (an attacker with many machines)."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def check(code: str, factor: str, address: str = "203.0.113.7") -> Any:
    """A typed look-up, posted from ``address``."""
    return Client().post(
        "/tra-cuu/", {"code": code, "factor": factor}, REMOTE_ADDR=address
    )


def body(response: Any) -> str:
    """The page without its per-request CSRF token."""
    return _CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())
