"""Results: the result is ready, handed over, or the dossier withdrawn or
stopped (Art. 19–20).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import File

from motcua.core import clock
from motcua.core.dates import local, vn_date
from motcua.core.errors import Conflict, DomainError
from motcua.law.procedure import stop_at_request

from .. import steps as step_ops
from .. import uploads
from ..models import Dossier, DossierFile, HomeVisit, Step
from ._common import A, _begin, _invalid, _require_text, _settle, service_action


@service_action
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


@dataclass
class HomeVisitInput:
    """The record of a result carried to the applicant's home."""

    officer_ids: list[int] = field(default_factory=list)
    visited_at: datetime | None = None
    address: str = ""
    received_by_name: str = ""
    reason: str = ""
    reason_note: str = ""
    receipt: Any = None  # the uploaded scan of the signed receipt


@service_action
def dossier_return_result(
    actor: Any,
    dossier: Dossier,
    *,
    method: str = Dossier.ReturnMethod.DESK,
    to_name: str = "",
    to_id_number: str = "",
    is_applicant: bool = True,
    home_visit: HomeVisitInput | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Hand over the result (Art. 20): at the desk to the applicant or an
    authorised person whose ID was checked, by post, online, or at the
    applicant's home with the visit record (``home_visit``, required then)."""
    if method not in Dossier.ReturnMethod.values:
        raise _invalid(
            "dossier.invalid_return_method", "Hình thức trả kết quả không hợp lệ."
        )
    visit = _check_home_visit(actor, dossier, method, home_visit)
    act = _begin(A.RETURN_RESULT, actor, dossier, expected_version)
    d = act.dossier
    if visit is not None:
        to_name = visit.received_by_name
        is_applicant = _folded(to_name) == _folded(d.applicant.name)
    elif not is_applicant:
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
    payload: dict[str, Any] = {"method": method, "is_applicant": is_applicant}
    if visit is None:
        return act.commit(payload=payload)
    stored: list[Any] = []
    try:
        payload["home_visit"] = _write_home_visit(act.actor, d, visit, act.now, stored)
        return act.commit(payload=payload)
    except Exception:
        for item in stored:  # storage is not transactional
            item.storage.delete(item.name)
        raise


def _folded(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _check_home_visit(
    actor: Any, dossier: Dossier, method: str, visit: HomeVisitInput | None
) -> HomeVisitInput | None:
    """Every check of the visit record, before anything is written."""
    if method != Dossier.ReturnMethod.HOME:
        if visit is not None:
            raise _invalid(
                "dossier.home_visit_unexpected",
                "Chỉ ghi biên bản trả tại nhà khi hình thức trả là «Tại nhà».",
            )
        return None
    if visit is None:
        raise _invalid(
            "dossier.home_visit_required",
            "Trả kết quả tại nhà phải kèm biên bản: cán bộ đi trả, thời gian, địa "
            "chỉ, người nhận và giấy biên nhận có chữ ký.",
        )
    _check_visit_people(actor, dossier, visit)
    _check_visit_facts(visit)
    _check_receipt(visit.receipt)
    return visit


def _check_visit_people(actor: Any, dossier: Dossier, visit: HomeVisitInput) -> None:
    from motcua.agencies.models import Membership

    ids = sorted({int(i) for i in visit.officer_ids})
    found = set(
        Membership.objects.filter(
            agency_id=dossier.agency_id, user_id__in=ids, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    if not ids or found != set(ids):
        raise _invalid(
            "dossier.home_visit_officers",
            "Chọn ít nhất một cán bộ đi trả kết quả, là cán bộ của cơ quan.",
        )
    visit.officer_ids = ids
    visit.received_by_name = _require_text(
        visit.received_by_name, "dossier.receiver_required", "họ tên người nhận"
    )
    visit.address = _require_text(
        visit.address, "dossier.home_visit_address", "địa chỉ đến trả kết quả"
    )


def _check_visit_facts(visit: HomeVisitInput) -> None:
    if visit.reason not in HomeVisit.Reason.values:
        raise _invalid("dossier.home_visit_reason", "Chọn lý do trả kết quả tại nhà.")
    if visit.reason == HomeVisit.Reason.OTHER:
        visit.reason_note = _require_text(
            visit.reason_note, "dossier.home_visit_reason", "lý do khác"
        )
    if visit.visited_at is None or visit.visited_at > clock.now():
        raise _invalid(
            "dossier.home_visit_time",
            "Thời gian trả tại nhà phải có và không được sau thời điểm hiện tại.",
        )


def _check_receipt(upload: Any) -> None:
    if upload is None:
        raise _invalid(
            "dossier.home_visit_receipt",
            "Cần tải lên bản chụp giấy biên nhận có chữ ký của người nhận.",
        )
    uploads.check_size(int(getattr(upload, "size", 0) or 0))
    upload.seek(0)
    if uploads.detect_type(upload.read(16)) is None:
        raise DomainError(
            "file.invalid_type",
            "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp).",
        )
    upload.seek(0)


def _write_home_visit(
    actor: Any,
    dossier: Dossier,
    visit: HomeVisitInput,
    now: datetime,
    stored: list[Any],
) -> dict[str, Any]:
    """The receipt file and the visit row; the history payload (no address or
    receiver's name: those stay on the row)."""

    upload = visit.receipt
    upload.seek(0)
    content_type, extension = uploads.detect_type(upload.read(16)) or ("", "")
    sha256, size = uploads.sha256_and_size(upload)
    uploads.check_size(size)
    receipt = DossierFile(
        dossier=dossier,
        kind=DossierFile.Kind.OTHER,
        original_name=uploads.clean_name(getattr(upload, "name", "")),
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
        uploaded_at=now,
    )
    receipt.file.save(f"{uuid.uuid4().hex}{extension}", File(upload), save=False)
    stored.append(receipt.file)
    receipt.save()
    assert visit.visited_at is not None  # _check_visit_facts
    row = HomeVisit.objects.create(
        dossier=dossier,
        visited_at=visit.visited_at,
        address=visit.address,
        received_by_name=visit.received_by_name,
        reason=visit.reason,
        reason_note=(visit.reason_note or "").strip(),
        receipt=receipt,
        recorded_by=actor,
        recorded_at=now,
    )
    officers = list(get_user_model().objects.filter(pk__in=visit.officer_ids))
    row.officers.set(officers)
    return {
        "officers": [o.pk for o in officers],
        "visited_at": local(row.visited_at).isoformat(),
        "reason": row.reason,
        "receipt_file": receipt.pk,
        "receipt_sha256": sha256,
    }


@service_action
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


@service_action
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
