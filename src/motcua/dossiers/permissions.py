"""Who may write on a dossier at all — one rule for every screen and the API.

A monitor (Giám sát) reads only. Before a write looks at its data, it checks
that the actor holds a writing role (``WRITING_ROLES``) in an agency where the
dossier is worked on: the agency that received it, one that handled a step, or
one that was consulted. The service then applies the finer rule of the action
(which role, which step, which field)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from motcua.agencies.models import WRITING_ROLES, Agency
from motcua.agencies.selectors import has_role, memberships
from motcua.core.errors import DomainError

from .models import Dossier

READ_ONLY_CODE = "auth.forbidden"


def involved_agencies(dossier: Dossier) -> list[Agency]:
    agencies = {dossier.agency_id: dossier.agency}
    for step in dossier.steps.all():
        agencies.setdefault(step.agency_id, step.agency)
    for consultation in dossier.consultations.all():
        agencies.setdefault(consultation.agency_id, consultation.agency)
    return list(agencies.values())


def may_write_on(actor: Any, dossier: Dossier) -> bool:
    """Whether ``actor`` holds a writing role where ``dossier`` is worked on."""
    return any(
        has_role(actor, agency, WRITING_ROLES) for agency in involved_agencies(dossier)
    )


def writes_anywhere(actor: Any) -> bool:
    """Whether ``actor`` holds a writing role in some agency (a system
    administrator does); a pure monitor does not."""
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return True
    return memberships(actor).filter(role__in=list(WRITING_ROLES)).exists()


def _read_only() -> DomainError:
    return DomainError(
        READ_ONLY_CODE,
        _("Vai trò của bạn chỉ được xem, không được ghi vào hồ sơ này."),
        status=403,
    )


def require_write_on(actor: Any, dossier: Dossier) -> None:
    """Raise 403 ``auth.forbidden`` for a reader (a monitor) trying to write."""
    if not may_write_on(actor, dossier):
        raise _read_only()


def require_writer(actor: Any) -> None:
    """Raise 403 before reading a new dossier's data when ``actor`` may write
    nowhere (the agency is checked again by the service)."""
    if not writes_anywhere(actor):
        raise _read_only()
