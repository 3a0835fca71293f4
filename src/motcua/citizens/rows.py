"""What the citizen pages and API show of a dossier and of the account.

A row says what the public tracking page says (``portal.tracking``: the plain
Vietnamese status, the next step, the due date) and links to that page by the
dossier's signed link (``portal.qr``). Every list read is logged in the
personal-data read log (``privacy.record_reads``), one row per agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpRequest

from motcua.evaluation.online import rating_link
from motcua.portal.qr import qr_path
from motcua.portal.tracking import public_status
from motcua.privacy.services import record_reads

from .codes import Address
from .models import Citizen
from .selectors import dossiers_of


@dataclass(frozen=True)
class DossierRow:
    code: str
    procedure: str
    agency: str
    status: str
    next_step: str
    received_at: datetime | None
    due_at: datetime | None
    tracking_path: str
    rating_path: str = ""  # the online rating, once the result is handed over


def dossier_rows(
    request: HttpRequest, citizen: Citizen, *, detail: str, what: str = "queue_list"
) -> list[DossierRow]:
    dossiers = list(dossiers_of(citizen))
    if dossiers:
        record_reads(request.user, dossiers, what=what, detail=detail)
    listed = []
    for dossier in dossiers:
        shown = public_status(dossier)
        listed.append(
            DossierRow(
                code=shown.code,
                procedure=shown.procedure,
                agency=shown.agency,
                status=shown.status,
                next_step=shown.next_step,
                received_at=shown.received_at,
                due_at=shown.due_at,
                tracking_path=qr_path(dossier),
                rating_path=rating_link(dossier) or "",
            )
        )
    return listed


def profile_facts(citizen: Citizen) -> dict[str, str | date | None]:
    """What the identity provider (or the code) proved, by field."""
    return {
        "verified_by": str(Citizen.VerifiedBy(citizen.verified_by).label),
        "identity_number": citizen.identity_number,
        "full_name": citizen.full_name,
        "birth_date": citizen.birth_date,
        "phone": citizen.phone,
        "email": citizen.email,
    }


def mask_address(address: Address) -> str:
    """``0905***456`` / ``a***@example.vn`` for the "code sent to" line."""
    value = address.value
    if address.channel == "email":
        local, _, domain = value.rpartition("@")
        return f"{local[:1]}***@{domain}"
    return f"{value[:4]}***{value[-3:]}"
