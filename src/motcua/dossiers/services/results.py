"""Results: the result is ready, handed over, or the dossier withdrawn or
stopped (Art. 19–20).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from motcua.core.dates import local, vn_date
from motcua.core.errors import Conflict
from motcua.law.procedure import stop_at_request

from .. import steps as step_ops
from ..models import Dossier, Step
from ._common import A, _begin, _invalid, _require_text, _settle


@transaction.atomic
def dossier_finish(
    actor: Any,
    dossier: Dossier,
    *,
    result_summary: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The result is ready at the desk (Art. 19(2)(d)); marked early, on time or
    late against the original due date."""
    act = _begin(A.FINISH, actor, dossier, expected_version)
    act.dossier.result_summary = (result_summary or "").strip()
    _settle(act, Dossier.Outcome.APPROVED)
    return act.commit(payload={"timing": act.dossier.timing})


@transaction.atomic
def dossier_return_result(
    actor: Any,
    dossier: Dossier,
    *,
    method: str = Dossier.ReturnMethod.DESK,
    to_name: str = "",
    to_id_number: str = "",
    is_applicant: bool = True,
    expected_version: int | None = None,
) -> Dossier:
    """Hand over the result (Art. 20): at the desk to the applicant or an
    authorised person whose ID was checked, by post, or online."""
    if method not in Dossier.ReturnMethod.values:
        raise _invalid(
            "dossier.invalid_return_method", "Hình thức trả kết quả không hợp lệ."
        )
    act = _begin(A.RETURN_RESULT, actor, dossier, expected_version)
    d = act.dossier
    if not is_applicant:
        to_name = _require_text(
            to_name, "dossier.receiver_required", "họ tên người nhận thay"
        )
        to_id_number = _require_text(
            to_id_number,
            "dossier.receiver_id_required",
            "số giấy tờ của người nhận thay",
        )
    step_ops.close_all(d, act.now, actor, Step.State.DONE)
    d.returned_at = act.now
    d.return_method = method
    d.returned_to_is_applicant = is_applicant
    d.returned_to_name = (to_name or d.applicant.name).strip()
    d.returned_to_id_number = (to_id_number or "").strip()
    return act.commit(payload={"method": method, "is_applicant": is_applicant})


@transaction.atomic
def dossier_withdraw(
    actor: Any,
    dossier: Dossier,
    *,
    reason: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The applicant withdraws the dossier (rút hồ sơ)."""
    act = _begin(A.WITHDRAW, actor, dossier, expected_version)
    step_ops.close_all(act.dossier, act.now, actor, Step.State.CANCELLED)
    act.dossier.ended_at = act.now
    act.dossier.paused_at = None
    return act.commit(reason=(reason or "").strip())


@transaction.atomic
def dossier_stop(
    actor: Any, dossier: Dossier, *, reason: str, expected_version: int | None = None
) -> Dossier:
    """Stop processing (dừng giải quyết), with the reason. The rule is the
    dossier's period's (law rule ``stop.rule``, ADR 0016): until 30/06/2025 the
    agency stops with its reason; from 01/07/2025 stopping is at the applicant's
    request, recorded by the desk, and only while no decision or result notice
    exists (Decree 118/2025 Art. 21; Circular 03/2025 Art. 7), i.e. before the
    leader signs the result."""
    reason = _require_text(reason, "dossier.reason_required", "lý do dừng xử lý")
    act = _begin(A.STOP, actor, dossier, expected_version)
    d = act.dossier
    at_request = stop_at_request(d)
    if at_request and d.signed_at is not None:
        raise Conflict(
            "dossier.stop_after_decision",
            "Hồ sơ đã có quyết định giải quyết (lãnh đạo ký ngày "
            f"{vn_date(local(d.signed_at).date())}) nên không dừng giải quyết theo "
            "đề nghị được: chỉ dừng khi chưa có quyết định hoặc thông báo kết quả "
            "giải quyết.",
        )
    step_ops.close_all(d, act.now, actor, Step.State.CANCELLED)
    d.ended_at = act.now
    d.paused_at = None
    payload = {"at_request": "applicant"} if at_request else {}
    return act.commit(reason=reason, payload=payload or None)
