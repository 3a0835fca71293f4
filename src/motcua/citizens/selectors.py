"""Reads of the citizen app: "Hồ sơ của tôi" (the page and the API call
:func:`dossiers_of`, nothing else).

A citizen's dossiers are

* every dossier tied to them by a :class:`CitizenDossier` row (submitted online
  by them, or for them by a desk officer), in any agency; and
* for a citizen whose identity was verified by the identity provider (VNeID),
  the dossiers received at a desk for a *person* whose identity number equals
  that verified number **and** whose name, accent-folded, equals the verified
  name. Two facts must agree, so one mistyped digit at the desk does not show a
  stranger's dossier to someone else. Local accounts (phone or e-mail) never
  get this: a phone number proves no identity.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.core.text import fold
from motcua.dossiers.models import Applicant, Dossier

from .models import Citizen

# Identity documents whose number is the 12-digit personal identification
# number (an empty kind: the desk typed the number without choosing a kind).
PERSONAL_ID_KINDS = (Applicant.IdKind.CCCD, Applicant.IdKind.NONE)


def _desk_dossier_ids(citizen: Citizen) -> list[int]:
    """Desk dossiers whose applicant is this VNeID-verified person."""
    number = citizen.identity_number
    name = fold(citizen.full_name)
    verified = citizen.verified_by == Citizen.VerifiedBy.VNEID
    if not verified or len(number) != 12 or not name:
        return []
    rows = Dossier.objects.filter(
        applicant__id_number=number,
        applicant__kind=Applicant.Kind.PERSON,
        applicant__id_kind__in=PERSONAL_ID_KINDS,
    ).values_list("pk", "applicant__name")
    return [pk for pk, applicant in rows if fold(applicant) == name]


def dossiers_of(citizen: Citizen) -> QuerySet[Dossier]:
    """The citizen's dossiers, newest first, with what a row shows."""
    mine = Q(citizen_link__citizen=citizen)
    desk = _desk_dossier_ids(citizen)
    if desk:
        mine |= Q(pk__in=desk)
    return (
        Dossier.objects.filter(mine)
        .select_related(
            "agency", "procedure", "procedure_version", "citizen_link__citizen"
        )
        .prefetch_related("steps")
        .order_by("-pk")
    )
