"""The demo's citizens (issue 12): the three people of the demo identity
provider (``motcua demo_idp``, :data:`motcua.citizens.devidp.DEMO_PEOPLE`) have
VNeID-verified accounts, each with one dossier submitted online at phường Hòa
Cường through the real services, at a stage that shows one part of the portal:

* Nguyễn Văn An — birth registration waiting at the desk ("trực tuyến" queue);
* Trần Thị Bình — marriage-status certification the desk asked to complete:
  she answers the supplement request online;
* Lê Hoàng Cường — a copy of a civil-status extract received and waiting for its
  fee: he pays it online through the demo payment gateway.

Signing in at ``/cong-dan/dang-nhap/`` with the demo provider lands on the same
account (the identity number is the key), so "Hồ sơ của tôi" shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.citizens.devidp import DEMO_PEOPLE, DemoPerson
from motcua.citizens.identity import Asserted, citizen_sign_in, new_username
from motcua.citizens.models import Citizen, CitizenDossier
from motcua.citizens.services import citizen_dossier_link
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantInput, DossierInput


@dataclass(frozen=True)
class Story:
    person: str  # the demo person's ``sub``
    procedure: str
    stage: Callable[[Any, Dossier], Dossier]


def _waiting(reception: Any, dossier: Dossier) -> Dossier:
    return dossier


def _supplement(reception: Any, dossier: Dossier) -> Dossier:
    return services.dossier_request_supplement(
        reception,
        dossier,
        reason="Bản chụp căn cước của người yêu cầu bị mờ, không đọc được số.",
        items=["Bản chụp căn cước (rõ nét, đủ hai mặt)"],
    )


def _fee(reception: Any, dossier: Dossier) -> Dossier:
    dossier = services.dossier_receive(reception, dossier)
    fee = dossier.procedure_version.fee_amount or 8000
    return services.dossier_request_payment(reception, dossier, amount=fee)


STORIES = (
    Story("demo-an", "1.001193", _waiting),
    Story("demo-binh", "1.004873", _supplement),
    Story("demo-cuong", "2.000635", _fee),
)


def demo_citizen(person: DemoPerson) -> Citizen:
    """The person's VNeID-verified account (created once)."""
    found = Citizen.objects.filter(
        identity_number=person.identity_number,
        verified_by=Citizen.VerifiedBy.VNEID,
    ).first()
    if found is not None:
        return found
    user = get_user_model().objects.create_user(new_username())
    user.set_unusable_password()
    user.save()
    return citizen_sign_in(
        user,
        Asserted(
            identity_number=person.identity_number,
            full_name=person.name,
            birth_date=date.fromisoformat(person.birthdate),
            phone=person.phone_number,
            email="",
        ),
    )


def load_demo_citizens(
    ward: Agency, reception: Any, report: Callable[[str], None]
) -> int:
    """The demo people's accounts and their online dossiers (once)."""
    people = {p.sub: p for p in DEMO_PEOPLE}
    citizens = {sub: demo_citizen(person) for sub, person in people.items()}
    if CitizenDossier.objects.filter(citizen__in=citizens.values()).exists():
        return 0
    made = 0
    for story in STORIES:
        procedure = Procedure.objects.filter(code=story.procedure).first()
        if procedure is None or not procedure.agencies.filter(pk=ward.pk).exists():
            continue
        citizen, person = citizens[story.person], people[story.person]
        data = DossierInput(
            agency=ward,
            procedure=procedure,
            channel="online",
            applicant=ApplicantInput(
                name=person.name,
                id_kind="cccd",
                id_number=person.identity_number,
                birth_date=date.fromisoformat(person.birthdate),
                phone=person.phone_number,
            ),
        )
        dossier = services.dossier_submit_online(citizen.user, data)
        citizen_dossier_link(citizen, dossier)
        story.stage(reception, dossier)
        made += 1
    report(f"demo: {made} online dossiers of the demo citizens")
    return made
