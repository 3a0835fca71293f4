"""Inter-agency: asking another agency's opinion and its answer (Art. 19(2)(c))."""

from __future__ import annotations

from typing import Any

from motcua.agencies.models import Agency
from motcua.deadlines.services import calendar_for

from .. import unit
from ..models import Consultation, Dossier
from ._common import A, _begin, _check, _invalid, _require_text, service_action


# ------------------------------------------------------------ consultation
@service_action
def dossier_consult(
    actor: Any,
    dossier: Dossier,
    *,
    agency: Agency,
    question: str,
    working_days: int = 5,
    expected_version: int | None = None,
) -> Dossier:
    """Ask another agency's opinion, with its own deadline (Art. 19(2)(c))."""
    question = _require_text(
        question, "dossier.question_required", "nội dung xin ý kiến"
    )
    if not isinstance(working_days, int) or not 1 <= working_days <= 60:
        raise _invalid(
            "dossier.invalid_consult_time",
            "Thời hạn trả lời phải từ 1 đến 60 ngày làm việc.",
        )
    act = _begin(A.CONSULT, actor, dossier, expected_version)
    if agency.pk == act.dossier.agency_id:
        raise _invalid(
            "dossier.consult_same_agency", "Chỉ lấy ý kiến của cơ quan khác."
        )
    due = calendar_for(agency).due(act.now, "working_days", working_days)
    consultation = unit.insert(
        Consultation(
            dossier=act.dossier,
            agency=agency,
            question=question,
            requested_by=actor,
            requested_at=act.now,
            due_at=due,
        )
    )
    return act.commit(
        reason=question,
        payload={
            "consultation": consultation.pk,
            "agency": agency.code,
            "working_days": working_days,
        },
    )


@service_action
def dossier_answer_consult(
    actor: Any,
    dossier: Dossier,
    *,
    consultation_id: int,
    answer: str,
    expected_version: int | None = None,
) -> Dossier:
    """The consulted agency answers (its specialist or leader)."""
    answer = _require_text(answer, "dossier.answer_required", "nội dung trả lời")
    act = _begin(A.ANSWER_CONSULT, actor, dossier, expected_version, check_roles=False)
    consultation = (
        Consultation.objects.select_for_update()
        .filter(pk=consultation_id, dossier_id=act.dossier.pk)
        .select_related("agency")
        .first()
    )
    if consultation is None:
        raise _invalid(
            "dossier.unknown_consultation", "Không tìm thấy yêu cầu xin ý kiến."
        )
    _check(actor, act.dossier, A.ANSWER_CONSULT, consultation=consultation)
    consultation.answer = answer
    consultation.answered_by = actor if getattr(actor, "pk", None) else None
    consultation.answered_at = act.now
    consultation.save(update_fields=["answer", "answered_by", "answered_at"])
    return act.commit(reason=answer, payload={"consultation": consultation.pk})
