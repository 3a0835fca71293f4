"""What the citizen pages and API show of a dossier and of the account.

A row says what the public tracking page says (``portal.tracking.status_words``:
the plain Vietnamese status, the next step; the due date) and links to that page by the
dossier's signed link (``portal.qr``). Every list read is logged in the
personal-data read log (``privacy.record_reads``), one row per agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpRequest

from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import is_applicant_of
from motcua.dossiers.workflow import Status
from motcua.evaluation.online import online_rated_ids, rating_link
from motcua.letters.selectors import letters_for
from motcua.letters.templatetags.letters import letter_link
from motcua.portal.qr import qr_path
from motcua.portal.tracking import status_words
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
    letter: dict[str, str] | None = None  # {"url", "label"} of the letter (PDF)


def dossier_rows(
    request: HttpRequest, citizen: Citizen, *, detail: str, what: str = "queue_list"
) -> list[DossierRow]:
    dossiers = list(dossiers_of(citizen))
    if dossiers:
        record_reads(request.user, dossiers, what=what, detail=detail)
    rated = online_rated_ids(dossiers)  # one query for the whole list
    letters = _letters(request, dossiers)  # one query too
    listed = []
    for dossier in dossiers:
        status, next_step = status_words(dossier)
        rating = rating_link(dossier, rated=dossier.pk in rated)
        listed.append(
            DossierRow(
                code=dossier.code,
                procedure=dossier.procedure_version.name,
                agency=dossier.agency.name,
                status=status,
                next_step=next_step,
                received_at=dossier.received_at,
                due_at=dossier.due_at,
                tracking_path=qr_path(dossier),
                rating_path=rating or "",
                letter=letters.get(dossier.pk),
            )
        )
    return listed


def _letters(
    request: HttpRequest, dossiers: list[Dossier]
) -> dict[int, dict[str, str]]:
    """The letter of each of the citizen's own returned dossiers (submitted by
    or for their account: ``is_applicant_of``)."""
    own = [
        d
        for d in dossiers
        if d.status == Status.RETURNED and is_applicant_of(request.user, d)
    ]
    links = {}
    for pk, letter in letters_for(own).items():
        dossier = next(d for d in own if d.pk == pk)
        link = letter_link("letters:citizen_pdf", dossier, letter)
        if link is not None:
            links[pk] = link
    return links


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
