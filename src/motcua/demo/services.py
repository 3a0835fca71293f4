"""The demo city: a few agencies of Đà Nẵng named after our source articles, and a
demo administrator. Idempotent: running it again changes nothing.

Agency codes follow the QCVN 102:2016 *form*; the numbers are demo values, not the
official registry's.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.agencies.models import Agency
from motcua.agencies.services import agency_create, agency_save
from motcua.catalog.services import load_reference_catalogue
from motcua.core import clock
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import bulk_work
from motcua.dossiers.workflow import Status
from motcua.evaluation.demo import add_demo_ratings

from .generator import generate
from .staff import other_staff, ward_staff

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


@dataclass(frozen=True)
class DemoSummary:
    agencies_created: int
    admin: DemoAccount
    procedures: int
    dossiers_created: int
    actions: int
    skipped: list[str]


CITY_CODE = DEMO_AGENCIES[0][0]
DISTRICT_SLUGS = {"000.00.01.H17": "haichau", "000.00.02.H17": "lienchieu"}
WARD_SLUGS = {"000.01.01.H17": "hoacuongnam", "000.02.02.H17": "hoahiepbac"}


@transaction.atomic
def _load_city() -> tuple[int, DemoAccount]:
    """The demo agencies and the demo administrator, when missing."""
    created = 0
    for code, name, level, parent_code in DEMO_AGENCIES:
        parent = Agency.objects.get(code=parent_code) if parent_code else None
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            agency_create(code=code, name=name, level=level, parent=parent)
            created += 1
        elif not agency.path:  # loaded before tree paths were kept
            agency_save(agency)
    user_model = get_user_model()
    password = demo_password()
    admin_created = False
    if not user_model.objects.filter(username=DEMO_ADMIN).exists():
        user_model.objects.create_superuser(DEMO_ADMIN, "", password)
        admin_created = True
    return created, DemoAccount(DEMO_ADMIN, password, admin_created)


def load_demo(
    *, with_dossiers: bool = True, days: int = 365, per_day: float = 6.0
) -> DemoSummary:
    """The demo city, its staff, the reference catalogue and — once, when there are
    no dossiers yet — about a year of dossiers ending now."""
    created, admin = _load_city()
    password = demo_password()
    wards = [Agency.objects.get(code=code) for code in WARD_SLUGS]
    catalogue = load_reference_catalogue(wards)
    staff = [ward_staff(w, WARD_SLUGS[w.code], password) for w in wards]
    districts = {
        DISTRICT_SLUGS[w.parent.code]: w.parent for w in wards if w.parent is not None
    }
    others = other_staff(Agency.objects.get(code=CITY_CODE), districts, password)
    dossiers = actions = 0
    skipped: list[str] = []
    if with_dossiers and not Dossier.objects.exists():
        end = clock.now()
        start = end.astimezone(VN_TZ).date() - timedelta(days=days)
        district = wards[0].parent
        assert district is not None
        with transaction.atomic(), bulk_work():
            report = generate(
                staff,
                district=district,
                district_specialist=others[f"specialist:{district.code}"],
                start=start,
                end=end,
                per_day=per_day,
            )
            add_demo_ratings(
                random.Random(2015),
                Dossier.objects.filter(status=Status.RETURNED).order_by("id"),
            )
        dossiers, actions, skipped = report.dossiers, report.actions, report.skipped
    return DemoSummary(
        agencies_created=created,
        admin=admin,
        procedures=len(catalogue.procedure_codes),
        dossiers_created=dossiers,
        actions=actions,
        skipped=skipped,
    )
