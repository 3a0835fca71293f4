"""Reads: certificates, trusted roots, the duty rota, who may manage what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import memberships

from .models import DutyRota, LeaderCertificate, Signature, TrustedRoot

SESSION_ORDER: dict[str, int] = {"morning": 0, "afternoon": 1}


def is_system_admin(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_superuser", False)
    )


def agencies_where(user: Any, roles: Iterable[str]) -> QuerySet[Agency]:
    """Agencies in which ``user`` holds one of ``roles`` (all, for a system
    admin). One query."""
    if is_system_admin(user):
        return Agency.objects.filter(is_active=True)
    agency_ids = memberships(user).filter(role__in=list(roles)).values("agency_id")
    return Agency.objects.filter(id__in=agency_ids)


def leaders_of(agency: Agency) -> QuerySet[Any]:
    """Active users holding the leader role in ``agency``."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__agency=agency,
            memberships__role=Role.LEADER,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def active_certificate(user: Any, agency: Agency) -> LeaderCertificate | None:
    """The certificate ``user`` signs with for ``agency``, if any."""
    if not getattr(user, "pk", None):
        return None
    return LeaderCertificate.objects.filter(
        user=user, agency=agency, is_active=True
    ).first()


def certificates_of(agency: Agency) -> QuerySet[LeaderCertificate]:
    return (
        LeaderCertificate.objects.filter(agency=agency)
        .select_related("user", "uploaded_by")
        .defer("p12_sealed", "password_sealed")
        .order_by("-is_active", "-uploaded_at", "-id")
    )


def trusted_roots() -> QuerySet[TrustedRoot]:
    return TrustedRoot.objects.order_by("name", "id")


def signature_of(file_id: int) -> Signature | None:
    """The record of a signature made here, for a dossier file (cheap: no PDF
    parsing)."""
    return (
        Signature.objects.filter(file_id=file_id)
        .select_related("signer", "certificate")
        .first()
    )


def _ordered(rows: Iterable[DutyRota]) -> list[DutyRota]:
    return sorted(rows, key=lambda r: (r.date, SESSION_ORDER.get(r.session, 9)))


def duty_for(agency: Agency, date: dt.date) -> list[DutyRota]:
    """Who holds the signing duty at ``agency`` on ``date``, morning first."""
    rows = DutyRota.objects.filter(agency=agency, date=date).select_related("leader")
    return _ordered(rows)


def week_of(date: dt.date) -> list[dt.date]:
    monday = date - dt.timedelta(days=date.weekday())
    return [monday + dt.timedelta(days=i) for i in range(7)]


def duty_week(agency: Agency, date: dt.date) -> list[DutyRota]:
    """The rota of the week (Monday–Sunday) containing ``date``."""
    days = week_of(date)
    rows = DutyRota.objects.filter(
        agency=agency, date__gte=days[0], date__lte=days[-1]
    ).select_related("leader")
    return _ordered(rows)
