"""Who may see and do what, by agency and role (ARCHITECTURE principle 7).

Every check is set-based: ``visible_agencies(user)`` is one subquery that a list
filters on, whatever the number of agencies or roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Agency, Membership, Role


def _is_system_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def memberships(user: Any) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user, is_active=True)


def user_roles(user: Any, agency: Agency) -> set[str]:
    """The roles ``user`` holds in ``agency`` (a system admin holds them all)."""
    if _is_system_admin(user):
        return {r.value for r in Role}
    return set(memberships(user).filter(agency=agency).values_list("role", flat=True))


def has_role(
    user: Any, agency: Agency, roles: Iterable[str], *, field_id: int | None = None
) -> bool:
    """Whether ``user`` holds one of ``roles`` in ``agency``. A specialist limited
    to some fields holds the role only for dossiers of those fields."""
    if _is_system_admin(user):
        return True
    rows = memberships(user).filter(agency=agency, role__in=list(roles))
    if field_id is None:
        return rows.exists()
    unrestricted = ~Q(role=Role.SPECIALIST) | ~Exists(
        Membership.fields.through.objects.filter(membership_id=OuterRef("pk"))
    )
    return rows.filter(unrestricted | Q(fields__id=field_id)).exists()


def visible_agencies(user: Any) -> QuerySet[Agency]:
    """Agencies whose dossiers ``user`` may read: those where they hold a role,
    plus the subtrees of monitors who cover them."""
    if _is_system_admin(user):
        return Agency.objects.all()
    mine = memberships(user)
    direct = Q(id__in=mine.values("agency_id"))
    subtree = Exists(
        mine.filter(role=Role.MONITOR, covers_subtree=True)
        .filter(agency__path__isnull=False)
        .filter(_path_prefix_of_outer())
    )
    return Agency.objects.filter(direct | subtree)


def _path_prefix_of_outer() -> Q:
    # The outer agency's path starts with the monitor's agency path.
    from django.db.models import F
    from django.db.models.functions import Length, Substr

    return Q(agency__path=Substr(OuterRef("path"), 1, Length(F("agency__path"))))


def subtree(agency: Agency) -> QuerySet[Agency]:
    """The agency and every agency below it."""
    return Agency.objects.filter(path__startswith=agency.path)
