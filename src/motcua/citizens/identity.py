"""The identity provider's claims → :class:`Citizen` (the VNeID way).

The provider (an OpenID Connect server configured by an administrator as an
allauth ``SocialApp``, or by environment variables — docs/admin-identity.md)
asserts the personal identification number (số định danh cá nhân, 12 digits),
the full name, the birth date and the phone. Claim names are configurable:
``MOTCUA_OIDC_CLAIMS`` in the settings, overridden per provider by the app's
settings key ``"claims"``.

Rules (the social-account adapter, :mod:`motcua.core.accounts`, calls these):

* only a sign-in ("login") may use this path — never connecting a provider
  account to an existing user;
* a staff account (:func:`motcua.citizens.access.is_staff_account`) is never
  reached: not signed in, not connected, not created;
* the same provider account must keep its identity number; a different one is
  refused (``citizens.identity_changed``) and nothing changes;
* every other claim updates the citizen at each sign-in.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.crypto import get_random_string

from motcua.core.dates import parse_date
from motcua.core.errors import DomainError

from .access import is_staff_account
from .models import Citizen

log = logging.getLogger(__name__)

DEFAULT_CLAIMS = {
    "identity_number": "identity_number",
    "full_name": "name",
    "birth_date": "birthdate",
    "phone": "phone_number",
    "email": "email",
}
IDENTITY_RE = re.compile(r"^[0-9]{12}$")
USERNAME_PREFIX = "vneid-"


class IdentityRefused(DomainError):
    """The provider's sign-in cannot become a citizen session."""


@dataclass(frozen=True)
class Asserted:
    identity_number: str
    full_name: str
    birth_date: date | None
    phone: str
    email: str


def claim_names(app_settings: dict[str, Any] | None = None) -> dict[str, str]:
    names = dict(DEFAULT_CLAIMS)
    names.update(getattr(settings, "MOTCUA_OIDC_CLAIMS", {}) or {})
    names.update((app_settings or {}).get("claims") or {})
    return names


def claims_of(extra_data: dict[str, Any]) -> dict[str, Any]:
    """The claims allauth kept: the ID token's, with userinfo's on top."""
    claims: dict[str, Any] = {}
    for part in ("id_token", "userinfo"):
        value = extra_data.get(part)
        if isinstance(value, dict):
            claims.update(value)
    if not claims:  # an older layout: the claims themselves
        claims = dict(extra_data)
    return claims


def _text(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _birth_date(value: Any) -> date | None:
    text = _text(value, 32)
    if not text:
        return None
    try:
        return date.fromisoformat(text)  # OpenID Connect "birthdate": YYYY-MM-DD
    except ValueError:
        return parse_date(text)  # dd/mm/yyyy, as Vietnamese systems write it


def asserted(extra_data: dict[str, Any], app_settings: dict[str, Any]) -> Asserted:
    """What the provider asserted; refuses a missing or malformed number."""
    claims = claims_of(extra_data)
    names = claim_names(app_settings)
    number = _text(claims.get(names["identity_number"]), 32)
    if not IDENTITY_RE.match(number):
        raise IdentityRefused(
            "citizens.no_identity_number",
            "Tài khoản định danh điện tử không cung cấp số định danh cá nhân hợp "
            "lệ (12 chữ số). Vui lòng thử lại hoặc đăng nhập bằng mã xác thực.",
        )
    return Asserted(
        identity_number=number,
        full_name=_text(claims.get(names["full_name"]), 255),
        birth_date=_birth_date(claims.get(names["birth_date"])),
        phone=_text(claims.get(names["phone"]), 32),
        email=_text(claims.get(names["email"]), 254),
    )


STAFF_REFUSAL = (
    "citizens.staff_account",
    "Tài khoản này là tài khoản cán bộ, không dùng để đăng nhập cổng công dân. "
    "Cán bộ đăng nhập tại trang đăng nhập dành cho cán bộ.",
)


def provider_error(*, cancelled: bool) -> IdentityRefused:
    """The sign-in at the provider did not complete."""
    if cancelled:
        return IdentityRefused(
            "citizens.oidc_cancelled",
            "Bạn đã huỷ đăng nhập bằng tài khoản định danh điện tử.",
        )
    return IdentityRefused(
        "citizens.oidc_failed",
        "Chưa đăng nhập được bằng tài khoản định danh điện tử (phiên đăng nhập đã "
        "hết hạn hoặc nhà cung cấp định danh không phản hồi). Vui lòng thử lại "
        "hoặc đăng nhập bằng mã xác thực.",
    )


def refuse_staff(user: Any) -> None:
    if is_staff_account(user):
        raise IdentityRefused(*STAFF_REFUSAL, status=403)


def check_same_person(citizen: Citizen | None, facts: Asserted) -> None:
    """A provider account keeps its identity number for good."""
    if citizen is None or not citizen.identity_number:
        return
    if citizen.identity_number != facts.identity_number:
        log.warning("citizens.identity_changed citizen=%s", citizen.pk)
        raise IdentityRefused(
            "citizens.identity_changed",
            "Số định danh cá nhân do nhà cung cấp định danh gửi về khác với số đã "
            "gắn với tài khoản này, nên không thể đăng nhập. Vui lòng liên hệ "
            "Bộ phận Một cửa để được hỗ trợ.",
            status=403,
        )


def citizen_by_identity(number: str) -> Citizen | None:
    """The VNeID-verified citizen holding ``number`` (one per number)."""
    return (
        Citizen.objects.filter(
            identity_number=number, verified_by=Citizen.VerifiedBy.VNEID
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )


def new_username() -> str:
    """A user name no staff member has: a prefix and random letters."""
    model = get_user_model()
    while True:
        name = USERNAME_PREFIX + get_random_string(12).lower()
        if not model.objects.filter(username=name).exists():
            return name


def _apply(citizen: Citizen, facts: Asserted) -> None:
    citizen.verified_by = Citizen.VerifiedBy.VNEID
    citizen.identity_number = facts.identity_number
    citizen.full_name = facts.full_name or citizen.full_name
    citizen.birth_date = facts.birth_date or citizen.birth_date
    citizen.phone = facts.phone or citizen.phone
    citizen.email = facts.email or citizen.email


@transaction.atomic
def citizen_sign_in(user: Any, facts: Asserted) -> Citizen:
    """Create or update ``user``'s citizen row from the provider's claims."""
    refuse_staff(user)
    citizen = Citizen.objects.select_for_update().filter(user=user).first()
    check_same_person(citizen, facts)
    if citizen is None:
        citizen = Citizen(user=user)
    _apply(citizen, facts)
    citizen.save()
    name = facts.full_name[:150]
    if name and (user.first_name != name or user.last_name):
        user.first_name, user.last_name = name, ""
        user.save(update_fields=["first_name", "last_name"])
    return citizen
