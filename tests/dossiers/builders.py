"""Builders so a lifecycle test states only what matters.

``build_world()`` makes a small city: two wards and a district, a field, a
procedure with a four-step workflow (desk → specialist → leader → desk), and one
staff member per role. Times are Vietnam local time; the clock is frozen with
``clock.frozen_at`` by ``World.at``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from motcua.agencies.models import Agency, Membership, Role
from motcua.agencies.services import agency_create
from motcua.catalog.models import Field, Procedure, ProcedureVersion, StepTemplate
from motcua.core import clock
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantInput, DossierInput

_numbers = itertools.count(1)


def vn(y: int, m: int, d: int, h: int = 9, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=VN_TZ)


def make_user(
    username: str, agency: Agency | None = None, *roles: str, fields=()
) -> Any:
    user = get_user_model().objects.create_user(username, password="pw-" + username)
    for role in roles:
        membership = Membership.objects.create(user=user, agency=agency, role=role)
        if fields:
            membership.fields.set(fields)
    return user


@dataclass
class World:
    city: Agency
    district: Agency
    ward: Agency
    other_ward: Agency
    field: Field
    procedure: Procedure
    version: ProcedureVersion
    reception: Any
    specialist: Any
    leader: Any
    admin: Any
    district_specialist: Any
    other_reception: Any

    @contextmanager
    def at(self, when: datetime) -> Iterator[None]:
        with clock.frozen_at(when):
            yield

    def input(self, **overrides: Any) -> DossierInput:
        values: dict[str, Any] = {
            "agency": self.ward,
            "procedure": self.procedure,
            "channel": "direct",
            "applicant": ApplicantInput(
                name="Nguyễn Văn An", id_number="048090001234", phone="0905123456"
            ),
        }
        values.update(overrides)
        return DossierInput(**values)

    def receive(self, when: datetime, actor: Any = None, **overrides: Any) -> Dossier:
        with self.at(when):
            return services.dossier_receive(
                actor or self.reception, data=self.input(**overrides)
            )

    def processing(self, when: datetime) -> Dossier:
        """Received at ``when`` and assigned to the specialist."""
        dossier = self.receive(when)
        with self.at(when):
            return services.dossier_assign(
                self.leader, dossier, assignee=self.specialist
            )


def build_world(
    *,
    unit: str = "working_days",
    value: int | str = 3,
    policy: str = "restart",
    fee: int = 0,
    liên_thông: bool = False,
) -> World:
    n = next(_numbers)
    city = agency_create(
        code=f"000.00.00.{n % 1000:03d}", name="UBND thành phố", level="province"
    )
    district = agency_create(
        code=f"000.00.01.{n % 1000:03d}",
        name="UBND quận Hải Châu",
        level="district",
        parent=city,
    )
    ward = agency_create(
        code=f"000.01.01.{n % 1000:03d}",
        name="UBND phường Hòa Cường Nam",
        level="commune",
        parent=district,
        supplement_policy=policy,
    )
    other_ward = agency_create(
        code=f"000.02.01.{n % 1000:03d}",
        name="UBND phường Hòa Hiệp Bắc",
        level="commune",
        parent=district,
    )
    field = Field.objects.create(code=f"HT{n}", name="Hộ tịch")
    procedure = Procedure.objects.create(code=f"1.{n:06d}", field=field)
    procedure.agencies.set([ward, other_ward])
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        effective_from=date(2020, 1, 1),
        name="Đăng ký thay đổi, cải chính thông tin hộ tịch",
        time_value=Decimal(str(value)),
        time_unit=unit,
        fee_amount=fee,
    )
    steps = [
        (1, "Tiếp nhận hồ sơ", "reception", None, "0.5"),
        (2, "Thụ lý, thẩm định", "specialist", None, "14"),
    ]
    if liên_thông:
        steps.append((3, "Xác minh tại quận", "specialist", district, "4"))
    steps += [
        (4, "Phê duyệt, ký", "leader", None, "4"),
        (5, "Trả kết quả", "reception", None, "0"),
    ]
    for position, name, role, unit_agency, budget in steps:
        StepTemplate.objects.create(
            version=version,
            position=position,
            name=name,
            role=role,
            unit=unit_agency,
            budget_hours=Decimal(budget),
        )
    return World(
        city=city,
        district=district,
        ward=ward,
        other_ward=other_ward,
        field=field,
        procedure=procedure,
        version=version,
        reception=make_user(f"mc{n}", ward, Role.RECEPTION),
        specialist=make_user(f"cv{n}", ward, Role.SPECIALIST),
        leader=make_user(f"ld{n}", ward, Role.LEADER),
        admin=make_user(f"qt{n}", ward, Role.AGENCY_ADMIN),
        district_specialist=make_user(f"cvq{n}", district, Role.SPECIALIST),
        other_reception=make_user(f"mc2_{n}", other_ward, Role.RECEPTION),
    )
