"""Builders for the agency tests: a small city, staff with roles."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from motcua.agencies.models import Agency, Membership
from motcua.agencies.services import agency_create

_codes = itertools.count(1)


def new_agency(parent: Agency | None = None, **fields: Any) -> Agency:
    n = next(_codes)
    fields.setdefault("code", f"000.{n // 100:02d}.{n % 100:02d}.H99")
    fields.setdefault("name", f"Cơ quan thử nghiệm {n}")
    fields.setdefault("level", Agency.Level.COMMUNE)
    return agency_create(parent=parent, **fields)


@dataclass
class City:
    province: Agency
    district_1: Agency
    district_2: Agency
    ward_1a: Agency
    ward_1b: Agency
    ward_2: Agency


@pytest.fixture
def city(db: None) -> City:
    """Province → districts 1 and 2 → wards 1a, 1b (district 1) and 2."""
    province = new_agency(level=Agency.Level.PROVINCE, name="UBND thành phố")
    district_1 = new_agency(province, level=Agency.Level.DISTRICT, name="Quận 1")
    district_2 = new_agency(province, level=Agency.Level.DISTRICT, name="Quận 2")
    return City(
        province=province,
        district_1=district_1,
        district_2=district_2,
        ward_1a=new_agency(district_1, name="Phường 1A"),
        ward_1b=new_agency(district_1, name="Phường 1B"),
        ward_2=new_agency(district_2, name="Phường 2"),
    )


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """``make_user("an", password="…", is_active=…)``."""
    from django.contrib.auth import get_user_model

    def make(username: str, password: str = "mat-khau-dai-1", **extra: Any) -> Any:
        return get_user_model().objects.create_user(
            username=username, password=password, **extra
        )

    return make


def grant(user: Any, agency: Agency, role: str, **fields: Any) -> Membership:
    """Give ``user`` ``role`` in ``agency``."""
    field_list = fields.pop("fields", [])
    membership = Membership.objects.create(
        user=user, agency=agency, role=role, **fields
    )
    membership.fields.set(field_list)
    return membership
