"""Transfer: the unfinished dossiers of agencies merged into a successor go on
there (arrangement of administrative units, 07/2025). No national text on
handing over pending dossiers was found (LAW-2025.md Part 3): each dossier keeps
its code, dates and state, and its history records the move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q

from motcua.agencies.models import Agency
from motcua.agencies.services import MergerRecord, agency_merge
from motcua.core.dates import vn_date

from ..models import Consultation, Dossier, Step
from ..workflow import TRANSITIONS
from ._common import A, _begin, service_action

# The states a transfer starts from (the transition table's): every dossier not
# yet ended (submitted, working, paused). Ended ones stay with the former agency.
UNFINISHED = TRANSITIONS[A.TRANSFER].sources


@service_action
def dossier_transfer(
    actor: Any,
    dossier: Dossier,
    *,
    formers: Sequence[Agency],
    successor: Agency,
    on: date,
) -> Dossier | None:
    """Move what ``dossier`` has at the ``formers`` to ``successor``: the dossier
    itself when one of them holds it (and its applicant row), its active steps
    there and the consultations they have not answered. One ``transfer`` event;
    ``None`` (no event) when nothing of it was at a former agency. ``actor``
    None: the system (the merger command); an officer needs the agency admin
    role."""
    act = _begin(A.TRANSFER, actor, dossier, None, check_roles=actor is not None)
    d = act.dossier
    former_ids = [a.pk for a in formers]
    steps = Step.objects.filter(
        dossier=d, state=Step.State.ACTIVE, agency_id__in=former_ids
    )
    step_ids = list(steps.values_list("pk", flat=True))
    consultations = Consultation.objects.filter(
        dossier=d, agency_id__in=former_ids, answered_at__isnull=True
    )
    consultation_ids = list(consultations.values_list("pk", flat=True))
    moves_dossier = d.agency_id in former_ids
    if not (moves_dossier or step_ids or consultation_ids):
        return None
    from_code = d.agency.code
    steps.update(agency=successor)
    consultations.update(agency=successor)
    if moves_dossier:
        d.agency = successor
        d.applicant.agency = successor
        d.applicant.save(update_fields=["agency"])
    names = ", ".join(a.name for a in formers)
    return act.commit(
        reason=f"Sáp nhập {names} vào {successor.name} từ ngày {vn_date(on)}.",
        payload={
            "from": from_code if moves_dossier else None,
            "formers": [a.code for a in formers],
            "to": successor.code,
            "merged_on": on.isoformat(),
            "steps": step_ids,
            "consultations": consultation_ids,
        },
    )


@dataclass
class MergerSummary:
    """What a merger did: the agencies' record and the dossiers moved."""

    record: MergerRecord
    dossiers: int = 0  # dossiers of the former agencies now at the successor
    touched: int = 0  # other agencies' dossiers whose steps or consultations moved
    stayed: int = 0  # ended dossiers kept by the former agencies
    codes: list[str] = field(default_factory=list)


def _touching(former_ids: list[int]) -> Q:
    at_former = Q(agency_id__in=former_ids)
    with_step = Q(steps__state=Step.State.ACTIVE, steps__agency_id__in=former_ids)
    asked = Q(
        consultations__agency_id__in=former_ids,
        consultations__answered_at__isnull=True,
    )
    return at_former | with_step | asked


@service_action
def agencies_merge(
    actor: Any, formers: Sequence[Agency], successor: Agency, *, on: date
) -> MergerSummary:
    """Merge ``formers`` into ``successor`` from ``on`` (``agency_merge``) and
    move their unfinished dossiers there (``dossier_transfer``, one event
    each), in one transaction: a refusal leaves everything as it was. Each
    transfer event moves its dossier's figures to the successor (the figures
    observer), so they always equal a recompute from the history."""
    record = agency_merge(list(formers), successor, on=on)
    former_ids = [a.pk for a in record.formers]
    summary = MergerSummary(record=record)
    ids = (
        Dossier.objects.filter(status__in=UNFINISHED)
        .filter(_touching(former_ids))
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    for pk in list(ids):
        dossier = Dossier.objects.get(pk=pk)
        owned = dossier.agency_id in former_ids
        moved = dossier_transfer(
            actor, dossier, formers=record.formers, successor=successor, on=on
        )
        if moved is None:
            continue
        if owned:
            summary.dossiers += 1
            summary.codes.append(moved.code)
        else:
            summary.touched += 1
    summary.stayed = (
        Dossier.objects.filter(agency_id__in=former_ids)
        .exclude(status__in=UNFINISHED)
        .count()
    )
    return summary
