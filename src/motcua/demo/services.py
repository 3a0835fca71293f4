"""The demo city: a few agencies of Đà Nẵng named after our source articles, and a
demo administrator. Idempotent: running it again changes nothing.

Agency codes follow the QCVN 102:2016 *form*; the numbers are demo values, not the
official registry's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.agencies.models import Agency

DEMO_ADMIN = "admin"
DEFAULT_DEMO_PASSWORD = "motcua-demo-2026"

# (code, name, level, parent code)
DEMO_AGENCIES: list[tuple[str, str, str, str | None]] = [
    ("000.00.00.H17", "UBND thành phố Đà Nẵng", Agency.Level.PROVINCE, None),
    ("000.00.01.H17", "UBND quận Hải Châu", Agency.Level.DISTRICT, "000.00.00.H17"),
    (
        "000.01.01.H17",
        "UBND phường Hòa Cường Nam",
        Agency.Level.COMMUNE,
        "000.00.01.H17",
    ),
    ("000.00.02.H17", "UBND quận Liên Chiểu", Agency.Level.DISTRICT, "000.00.00.H17"),
    (
        "000.02.02.H17",
        "UBND phường Hòa Hiệp Bắc",
        Agency.Level.COMMUNE,
        "000.00.02.H17",
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    created: bool


def demo_password() -> str:
    return os.environ.get("MOTCUA_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


@transaction.atomic
def load_demo() -> tuple[int, DemoAccount]:
    """Create the demo agencies and the demo administrator when missing."""
    created = 0
    for code, name, level, parent_code in DEMO_AGENCIES:
        parent = Agency.objects.get(code=parent_code) if parent_code else None
        _, was_created = Agency.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
        created += was_created
    user_model = get_user_model()
    password = demo_password()
    admin_created = False
    if not user_model.objects.filter(username=DEMO_ADMIN).exists():
        user_model.objects.create_superuser(DEMO_ADMIN, "", password)
        admin_created = True
    return created, DemoAccount(DEMO_ADMIN, password, admin_created)
