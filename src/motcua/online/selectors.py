"""Reads of online submission: the e-form of a version, the version and the
agencies a citizen submits to, drafts (their owner's only), the answers of a
dossier, and the citizen a desk officer helps."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from motcua.agencies.models import Agency
from motcua.catalog.models import Component, ProcedureVersion
from motcua.catalog.selectors import version_in_force_by_code
from motcua.citizens.models import Citizen
from motcua.core.errors import NotFound
from motcua.dossiers.applicants import lookup_forms
from motcua.dossiers.models import Dossier
from motcua.portal.catalogue import agencies_offering

from .models import Draft, EFormSchema, OnlineSubmission


def schema_for(version: ProcedureVersion) -> EFormSchema | None:
    """The e-form of ``version``: its own, else its procedure's general one."""
    own = EFormSchema.objects.filter(version=version).first()
    if own is not None:
        return own
    return EFormSchema.objects.filter(
        procedure_code=version.procedure.code, version__isnull=True
    ).first()


def version_for(code: str, at: date | None = None) -> ProcedureVersion:
    """The version in force today of the active procedure ``code`` (404 else):
    the catalogue's one rule (``version_in_force_by_code``)."""
    return version_in_force_by_code(code, at)


def agencies_for(version: ProcedureVersion) -> list[Agency]:
    """Where a citizen may submit ``version``'s procedure: the agencies the
    public catalogue lists as performing it."""
    return agencies_offering(version)


def components_of(version: ProcedureVersion) -> list[Component]:
    return list(version.components.all())


def not_found() -> NotFound:
    return NotFound(
        "online.draft_not_found",
        "Không tìm thấy hồ sơ đang soạn này, hoặc hồ sơ đã được nộp.",
    )


def drafts_of(owner: Any) -> QuerySet[Draft]:
    """``owner``'s drafts not yet submitted, newest first."""
    return (
        Draft.objects.filter(owner=owner, dossier__isnull=True)
        .select_related("version__procedure", "agency")
        .order_by("-updated_at", "-pk")
    )


def draft_of(owner: Any, draft_id: int | str) -> Draft:
    """``owner``'s draft ``draft_id``, or 404 — for anyone else, whoever they
    are, and once it has been submitted."""
    try:
        pk = int(draft_id)
    except (TypeError, ValueError):
        raise not_found() from None
    draft = (
        drafts_of(owner)
        .select_related("citizen")
        .prefetch_related("files")
        .filter(pk=pk)
    ).first()
    if draft is None:
        raise not_found()
    return draft


def own_draft(owner: Any, draft_id: int | str) -> Draft | None:
    """``owner``'s draft ``draft_id``, submitted or not (``None`` for anyone
    else): submitting twice leads to the dossier of the first time."""
    try:
        pk = int(draft_id)
    except (TypeError, ValueError):
        return None
    return Draft.objects.filter(owner=owner, pk=pk).select_related("version").first()


def submission_of(dossier: Dossier) -> OnlineSubmission | None:
    """What the applicant gave online with ``dossier`` (e-form, wishes)."""
    return OnlineSubmission.objects.filter(dossier=dossier).first()


def verified_citizen(identity_number: str) -> Citizen | None:
    """The citizen account whose identity the identity provider (VNeID)
    verified with this personal identification number, if exactly one."""
    forms = lookup_forms(identity_number)
    if not forms:
        return None
    found = list(
        Citizen.objects.filter(
            identity_number__in=forms,
            verified_by=Citizen.VerifiedBy.VNEID,
            user__is_active=True,
        )[:2]
    )
    return found[0] if len(found) == 1 else None
