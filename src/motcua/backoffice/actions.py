"""The dossier page's actions: for each lifecycle action, its form, its label and
the service call. The service is the judge; this only reads the form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Membership, Role
from motcua.core.errors import Conflict
from motcua.dossiers import permissions, services
from motcua.dossiers.models import Dossier, DossierFile, Step
from motcua.dossiers.workflow import Action

from . import forms as f

Run = Callable[[Any, Dossier, dict[str, Any], int | None], Dossier]


@dataclass(frozen=True)
class ActionSpec:
    label: Any
    form: type[forms.Form] | None
    run: Run
    slip: str | None = None  # slip kind to print afterwards
    danger: bool = False


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _approve(actor: Any, d: Dossier, data: dict[str, Any], v: int | None) -> Dossier:
    """Approve; with a result PDF, store it and sign it in the same transaction."""
    upload = data.get("result_file")
    if upload is None:
        return services.dossier_approve(
            actor, d, note=data.get("note", ""), expected_version=v
        )
    from motcua.dossiers.files import dossier_file_upload
    from motcua.signing.services import approve_and_sign

    with transaction.atomic():
        current = Dossier.objects.select_for_update().get(pk=d.pk)
        if v is not None and current.lock_version != v:
            raise Conflict(
                "dossier.changed",
                "Hồ sơ vừa được người khác cập nhật. "
                "Vui lòng tải lại rồi thực hiện lại.",
            )
        result = dossier_file_upload(
            actor, current, upload=upload, kind=DossierFile.Kind.RESULT
        )
        approve_and_sign(
            actor,
            current,
            result_file=result,
            password=data.get("password") or None,
            note=data.get("note", ""),
        )
    d.refresh_from_db()
    return d


def _datetime(value: datetime) -> datetime:
    from motcua.deadlines.engine import VN_TZ

    return value if value.tzinfo else value.replace(tzinfo=VN_TZ)


S = services
SPECS: dict[str, ActionSpec] = {
    Action.RECEIVE: ActionSpec(
        _("Tiếp nhận"),
        None,
        lambda a, d, x, v: S.dossier_receive(a, d, expected_version=v),
        slip="receipt",
    ),
    Action.REQUEST_SUPPLEMENT: ActionSpec(
        _("Yêu cầu bổ sung"),
        f.SupplementForm,
        lambda a, d, x, v: S.dossier_request_supplement(
            a, d, reason=x["reason"], items=_lines(x["items"]), expected_version=v
        ),
        slip="supplement",
    ),
    Action.RESUBMIT: ActionSpec(
        _("Ghi nhận đã bổ sung"),
        f.NoteForm,
        lambda a, d, x, v: S.dossier_resubmit(a, d, note=x["note"], expected_version=v),
    ),
    Action.REFUSE: ActionSpec(
        _("Từ chối"),
        f.ReasonForm,
        lambda a, d, x, v: S.dossier_refuse(
            a, d, reason=x["reason"], expected_version=v
        ),
        slip="refusal",
        danger=True,
    ),
    Action.ASSIGN: ActionSpec(
        _("Phân công"),
        f.AssignForm,
        lambda a, d, x, v: S.dossier_assign(
            a, d, assignee=x["assignee"], step_id=x["step_id"], expected_version=v
        ),
    ),
    Action.FORWARD: ActionSpec(
        _("Chuyển bước tiếp theo"),
        f.ForwardForm,
        lambda a, d, x, v: S.dossier_forward(
            a, d, step_id=x.get("step_id"), note=x["note"], expected_version=v
        ),
    ),
    Action.CONSULT: ActionSpec(
        _("Lấy ý kiến cơ quan khác"),
        f.ConsultForm,
        lambda a, d, x, v: S.dossier_consult(
            a,
            d,
            agency=x["agency"],
            question=x["question"],
            working_days=x["working_days"],
            expected_version=v,
        ),
    ),
    Action.ANSWER_CONSULT: ActionSpec(
        _("Trả lời ý kiến"),
        f.AnswerForm,
        lambda a, d, x, v: S.dossier_answer_consult(
            a,
            d,
            consultation_id=x["consultation_id"],
            answer=x["answer"],
            expected_version=v,
        ),
    ),
    Action.SUBMIT: ActionSpec(
        _("Trình lãnh đạo"),
        f.ForwardForm,
        lambda a, d, x, v: S.dossier_submit(
            a, d, step_id=x.get("step_id"), note=x["note"], expected_version=v
        ),
    ),
    Action.APPROVE: ActionSpec(_("Phê duyệt"), f.ApproveForm, _approve),
    Action.SEND_BACK: ActionSpec(
        _("Trả lại để xử lý lại"),
        f.ReasonForm,
        lambda a, d, x, v: S.dossier_send_back(
            a, d, reason=x["reason"], expected_version=v
        ),
    ),
    Action.REQUEST_PAYMENT: ActionSpec(
        _("Yêu cầu nộp phí, lệ phí"),
        f.PaymentForm,
        lambda a, d, x, v: S.dossier_request_payment(
            a, d, amount=x["amount"], expected_version=v
        ),
    ),
    Action.RECORD_PAYMENT: ActionSpec(
        _("Ghi nhận đã nộp phí"),
        None,
        lambda a, d, x, v: S.dossier_record_payment(a, d, expected_version=v),
    ),
    Action.FINISH: ActionSpec(
        _("Có kết quả"),
        f.FinishForm,
        lambda a, d, x, v: S.dossier_finish(
            a, d, result_summary=x["result_summary"], expected_version=v
        ),
    ),
    Action.RETURN_RESULT: ActionSpec(
        _("Trả kết quả"),
        f.ReturnForm,
        lambda a, d, x, v: S.dossier_return_result(
            a,
            d,
            method=x["method"],
            is_applicant=x["is_applicant"],
            to_name=x["to_name"],
            to_id_number=x["to_id_number"],
            expected_version=v,
        ),
    ),
    Action.WITHDRAW: ActionSpec(
        _("Rút hồ sơ"),
        f.NoteForm,
        lambda a, d, x, v: S.dossier_withdraw(
            a, d, reason=x["note"], expected_version=v
        ),
        danger=True,
    ),
    Action.STOP: ActionSpec(
        _("Dừng xử lý"),
        f.ReasonForm,
        lambda a, d, x, v: S.dossier_stop(a, d, reason=x["reason"], expected_version=v),
        danger=True,
    ),
    Action.REMIND: ActionSpec(
        _("Nhắc nhở"),
        f.RemindForm,
        lambda a, d, x, v: S.dossier_remind(a, d, note=x["note"], expected_version=v),
    ),
    Action.EXTEND: ActionSpec(
        _("Gia hạn (xin lỗi, hẹn lại)"),
        f.ExtendForm,
        lambda a, d, x, v: S.dossier_extend(
            a,
            d,
            new_due_at=_datetime(x["new_due_at"]),
            reason=x["reason"],
            override=bool(x.get("override")),
            expected_version=v,
        ),
        slip="apology",
    ),
}


def staff_for(agency: Agency, role: str, field_id: int | None) -> QuerySet[Any]:
    """Active people holding ``role`` in ``agency`` (a specialist limited to
    fields only for this dossier's field)."""
    rows = Membership.objects.filter(agency=agency, role=role, is_active=True)
    if role == Role.SPECIALIST and field_id is not None:
        rows = rows.filter(fields__isnull=True) | rows.filter(fields__id=field_id)
    users = get_user_model().objects.filter(
        is_active=True, pk__in=rows.values("user_id")
    )
    return permissions.people_only(users).order_by(  # never a system's account
        "last_name", "first_name", "username"
    )


def _tailor_assign(form: forms.Form, dossier: Dossier, desk: Any) -> None:
    active = [s for s in dossier.steps.all() if s.state == Step.State.ACTIVE]
    field = form.fields["assignee"]
    assert isinstance(field, forms.ModelChoiceField)
    if active:
        field.queryset = staff_for(active[0].agency, active[0].role, dossier.field_id)
        form.fields["step_id"].initial = active[0].pk


def _tailor_step(form: forms.Form, dossier: Dossier, desk: Any) -> None:
    active = [s for s in dossier.steps.all() if s.state == Step.State.ACTIVE]
    if len(active) == 1:
        form.fields["step_id"].initial = active[0].pk


def _tailor_consult(form: forms.Form, dossier: Dossier, desk: Any) -> None:
    field = form.fields["agency"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = Agency.objects.filter(is_active=True).exclude(pk=dossier.agency_id)


def _tailor_answer(form: forms.Form, dossier: Dossier, desk: Any) -> None:
    pending = [c for c in dossier.consultations.all() if c.answered_at is None]
    if pending:
        form.fields["consultation_id"].initial = pending[0].pk


def _tailor_payment(form: forms.Form, dossier: Dossier, desk: Any) -> None:
    form.fields["amount"].initial = dossier.fee_amount or None


def _tailor_extend(form: forms.Form, dossier: Dossier, desk: Any) -> None:
    if not desk.has(Role.AGENCY_ADMIN):  # the override is the admin's alone
        del form.fields["override"]


def _tailor_approve(form: forms.Form, dossier: Dossier, desk: Any) -> None:
    from motcua.signing.services import active_certificate

    certificate = active_certificate(desk.user, dossier.agency)
    if certificate is None:  # approve without signing: no certificate uploaded
        del form.fields["result_file"]
        del form.fields["password"]
    elif not certificate.ask_password_each_time:
        del form.fields["password"]


TAILORS: dict[str, Callable[[forms.Form, Dossier, Any], None]] = {
    Action.ASSIGN: _tailor_assign,
    Action.FORWARD: _tailor_step,
    Action.SUBMIT: _tailor_step,
    Action.CONSULT: _tailor_consult,
    Action.ANSWER_CONSULT: _tailor_answer,
    Action.REQUEST_PAYMENT: _tailor_payment,
    Action.EXTEND: _tailor_extend,
    Action.APPROVE: _tailor_approve,
}


def build_form(
    action: str,
    dossier: Dossier,
    desk: Any,
    data: Any = None,
    files: Any = None,
) -> forms.Form | None:
    """The action's form, its choices limited to what the dossier allows."""
    spec = SPECS[action]
    if spec.form is None:
        return None
    form = spec.form(data, files, prefix=action)
    tailor = TAILORS.get(action)
    if tailor is not None:
        tailor(form, dossier, desk)
    return form
