"""Demo staff: one account per role in each demo ward, specialists of the former
districts and of a department for inter-agency work, and a city monitor.
Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from motcua.agencies.models import Agency, Membership, Role
from motcua.agencies.selectors import former_on
from motcua.catalog.models import Field
from motcua.core import clock

# Field codes of the reference catalogue handled by each ward specialist.
CIVIL_FIELDS = ("HT", "CT")  # hộ tịch, chứng thực
SOCIAL_FIELDS = ("BTXH", "NCC", "DD")  # bảo trợ xã hội, người có công, đất đai


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    agency: Agency
    role: str
    fields: tuple[str, ...] = ()
    covers_subtree: bool = False


@dataclass
class WardStaff:
    agency: Agency
    reception: list[Any]
    civil_specialist: Any
    social_specialist: Any
    leader: Any
    admin: Any

    def specialist_for(self, field_code: str) -> Any:
        if field_code in CIVIL_FIELDS:
            return self.civil_specialist
        return self.social_specialist


# Each ward's team has its own people (reception ×2, civil and social
# specialists, leader, administrator); a ward not listed takes the first team.
TEAMS: dict[str, tuple[str, str, str, str, str, str]] = {
    "hoacuong": (
        "Trần Thị Thu",
        "Lê Văn Hùng",
        "Nguyễn Thị Mai",
        "Phạm Minh Tuấn",
        "Trần Quốc Bình",
        "Võ Thị Lan",
    ),
    "haivan": (
        "Huỳnh Thị Ngọc",
        "Đặng Văn Phúc",
        "Lê Thị Hạnh",
        "Ngô Quang Vinh",
        "Nguyễn Đức Thắng",
        "Phan Thị Yến",
    ),
}


def _accounts(ward: Agency, slug: str) -> list[Account]:
    thu, hung, mai, tuan, binh, lan = TEAMS.get(slug, TEAMS["hoacuong"])
    return [
        Account(f"tiepnhan.{slug}", thu, ward, Role.RECEPTION),
        Account(f"tiepnhan2.{slug}", hung, ward, Role.RECEPTION),
        Account(f"chuyenvien.{slug}", mai, ward, Role.SPECIALIST, CIVIL_FIELDS),
        Account(f"chuyenvien2.{slug}", tuan, ward, Role.SPECIALIST, SOCIAL_FIELDS),
        Account(f"lanhdao.{slug}", binh, ward, Role.LEADER),
        Account(f"quantri.{slug}", lan, ward, Role.AGENCY_ADMIN),
    ]


@cache
def hashed_password(password: str) -> str:
    """The demo password, hashed once for all the demo accounts: they share the
    password anyway, and each Argon2 hash takes a good part of a second."""
    return make_password(password)


def _ensure(account: Account, password: str) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username=account.username).first()
    if user is None:
        last, _, first = account.full_name.rpartition(" ")
        user = user_model.objects.create(
            username=account.username,
            password=hashed_password(password),
            first_name=first,
            last_name=last,
        )
    membership, _ = Membership.objects.get_or_create(
        user=user,
        agency=account.agency,
        role=account.role,
        defaults={"covers_subtree": account.covers_subtree},
    )
    if account.fields:
        membership.fields.set(Field.objects.filter(code__in=account.fields))
    return user


def ward_staff(ward: Agency, slug: str, password: str) -> WardStaff:
    users = {a.username: _ensure(a, password) for a in _accounts(ward, slug)}
    return WardStaff(
        agency=ward,
        reception=[users[f"tiepnhan.{slug}"], users[f"tiepnhan2.{slug}"]],
        civil_specialist=users[f"chuyenvien.{slug}"],
        social_specialist=users[f"chuyenvien2.{slug}"],
        leader=users[f"lanhdao.{slug}"],
        admin=users[f"quantri.{slug}"],
    )


def other_staff(
    city: Agency, districts: dict[str, Agency], department: Agency, password: str
) -> dict[str, Any]:
    """A specialist in each former district (consultations before 01/07/2025)
    and in a department (consultations since), and a monitor of the whole
    city."""
    users = {
        "monitor": _ensure(
            Account(
                "giamsat.danang",
                "Đặng Văn Minh",
                city,
                Role.MONITOR,
                covers_subtree=True,
            ),
            password,
        )
    }
    for slug, district in districts.items():
        users[f"specialist:{district.code}"] = _ensure(
            Account(f"chuyenvien.{slug}", "Hoàng Thị Hạnh", district, Role.SPECIALIST),
            password,
        )
    users[f"specialist:{department.code}"] = _ensure(
        Account("chuyenvien.sonnmt", "Ngô Thanh Tùng", department, Role.SPECIALIST),
        password,
    )
    return users


def accounts_for_display(password: str) -> list[tuple[str, str, str]]:
    """(username, role label, agency) of every demo account in an agency working
    today, for the start-up banner: the roles the officers held in the former
    wards and districts (history since 01/07/2025) are left out."""
    rows = (
        Membership.objects.select_related("user", "agency")
        .filter(user__username__contains=".", is_active=True, agency__is_active=True)
        .exclude(agency__in=Agency.objects.filter(former_on(clock.today())))
        .exclude(agency__level=Agency.Level.DISTRICT)
        .order_by("agency__code", "role", "user__username")
    )
    return [(m.user.username, str(Role(m.role).label), m.agency.name) for m in rows]
