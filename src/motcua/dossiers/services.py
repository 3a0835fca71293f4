"""The dossier lifecycle: one service per action (Decree 61/2018/NĐ-CP Art. 15–22).

Every service runs in one transaction that locks the dossier row, checks the
caller's role, the transition table (``workflow.py``) and the action's own
guards, changes the dossier and appends its hash-chained event. A refused action
raises a ``DomainError`` (Vietnamese message, stable code) and changes nothing.
Time comes from ``motcua.core.clock``; every deadline from the deadline engine.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from motcua.agencies.models import Agency, Counter, Role
from motcua.agencies.selectors import has_role
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import version_in_force
from motcua.core import clock
from motcua.core.errors import Conflict, DomainError
from motcua.core.text import fold
from motcua.deadlines.engine import VN_TZ, Deadline, DeadlineError
from motcua.deadlines.services import calendar_for, pinned_calendars

from . import observers, permissions, timing
from . import steps as step_ops
from .applicants import ANONYMOUS_NAME, ApplicantInput, clean_applicant
from .codes import next_code, reserve_code
from .history import append_event
from .models import (
    Applicant,
    Channel,
    Consultation,
    Dossier,
    DossierComponent,
    Event,
    Step,
)
from .workflow import NEW, TRANSITIONS, Action, Status

A, S = Action, Status
_trusted: ContextVar[bool] = ContextVar("motcua_trusted_replay", default=False)
SUPPLEMENT_WINDOW = timedelta(hours=3 * 8)  # 3 working days (Art. 19(4))


@contextmanager
def trusted_replay() -> Iterator[None]:
    """Role checks off, for the historical import only: it replays what older
    systems already decided, attributed to the people named in the file (who may
    have left or changed role since). Calendars and workflows are read once."""
    token = _trusted.set(True)
    try:
        with bulk_work():
            yield
    finally:
        _trusted.reset(token)


@contextmanager
def bulk_work() -> Iterator[None]:
    """Many actions in a row (import, demo): reuse calendars and workflows."""
    with pinned_calendars(), step_ops.cached_workflows():
        yield


# ----------------------------------------------------------------- inputs
@dataclass(frozen=True)
class ComponentInput:
    name: str
    kind: str = "original"
    count: int = 1
    received: bool = True
    template_id: int | None = None


@dataclass(frozen=True)
class DossierInput:
    agency: Agency
    procedure: Procedure
    channel: str
    applicant: ApplicantInput
    components: Sequence[ComponentInput] = field(default_factory=tuple)
    counter: Counter | None = None
    code: str | None = None  # historical import: keep the older system's code
    due_at: datetime | None = None  # historical import: keep the recorded due date


# ----------------------------------------------------------------- errors
def _invalid(code: str, message: str) -> DomainError:
    return DomainError(code, message)


def _require_role(
    actor: Any,
    agency: Agency,
    roles: Sequence[str] | frozenset[str],
    field_id: int | None,
) -> None:
    """Before a dossier exists (creation) or for an input-dependent power (the
    administrator's override); everything else goes through ``_check``."""
    if _trusted.get():
        return
    if actor is None or not has_role(actor, agency, roles, field_id=field_id):
        raise permissions.forbidden(agency)


def _require_text(value: str, code: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _invalid(code, f"Cần nhập {what}.")
    return value


# ------------------------------------------------------------- the runner
@dataclass
class _Act:
    action: str
    actor: Any
    dossier: Dossier
    now: datetime
    from_status: str

    def commit(
        self,
        *,
        target: str | None = None,
        step: Step | None = None,
        reason: str = "",
        payload: dict[str, Any] | None = None,
    ) -> Dossier:
        new_status = target or TRANSITIONS[self.action].target
        if new_status:
            self.dossier.status = new_status
        self.dossier.lock_version += 1
        self.dossier.save()
        event = append_event(
            self.dossier,
            action=self.action,
            actor=self.actor,
            at=self.now,
            from_status=self.from_status,
            step_id=step.pk if step else None,
            reason=reason,
            payload=payload,
        )
        observers.notify(self.dossier, event)
        return self.dossier


def _begin(
    action: str,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None,
    *,
    check_roles: bool = True,
) -> _Act:
    """Lock the dossier, then check the version and ``permissions.check_action``
    (role, then the transition table). Step actions pass ``check_roles=False``:
    the table is checked here, the person once the step is known (``_check``)."""
    locked = (
        Dossier.objects.select_for_update()
        .select_related("agency", "procedure_version", "applicant")
        .get(pk=dossier.pk)
    )
    if expected_version is not None and locked.lock_version != expected_version:
        raise Conflict(
            "dossier.changed",
            "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại rồi thực hiện lại.",
        )
    if check_roles:
        _check(actor, locked, action)
    if locked.status not in TRANSITIONS[action].sources:
        raise permissions.invalid_transition(action, locked.status)
    return _Act(action, actor, locked, clock.now(), locked.status)


def _check(actor: Any, dossier: Dossier, action: str, **where: Any) -> None:
    """The one rule of who may act (``permissions.check_action``); a trusted
    replay of history is not checked."""
    if not _trusted.get():
        permissions.check_action(actor, dossier, action, **where)


# ------------------------------------------------------------ creation
def _clean_applicant(data: ApplicantInput) -> ApplicantInput:
    """The one check of an applicant's details (desk, API, online, import):
    the historical import keeps older ID formats rather than refusing them."""
    return clean_applicant(data, legacy=_trusted.get())


def _applicant(data: ApplicantInput, agency: Agency) -> Applicant:
    """The applicant as received with this dossier: always a new row of the
    dossier's agency. Another dossier's row, even with the same ID number, is
    neither read nor changed (ARCHITECTURE principle 7)."""
    return Applicant.objects.create(
        agency=agency,
        kind=data.kind,
        name=data.name,
        id_kind=data.id_kind,
        id_number=data.id_number,
        birth_date=data.birth_date,
        phone=data.phone,
        email=data.email,
        address=data.address,
        no_contact_reason=data.no_contact_reason,
        fingerprint_salt=secrets.token_hex(16),
    )


def _create(data: DossierInput, actor: Any, now: datetime, status: str) -> Dossier:
    if data.channel not in Channel.values:
        raise _invalid("dossier.invalid_channel", "Kênh nộp hồ sơ không hợp lệ.")
    procedure = data.procedure
    if not procedure.agencies.filter(pk=data.agency.pk).exists():
        raise _invalid(
            "dossier.procedure_not_offered",
            f"Thủ tục {procedure.code} không được thực hiện tại {data.agency.name}.",
        )
    local_day = now.astimezone(VN_TZ).date()
    version = version_in_force(procedure, local_day)
    applicant = _applicant(_clean_applicant(data.applicant), data.agency)
    if data.code:
        if Dossier.objects.filter(code=data.code).exists():
            raise Conflict("dossier.code_taken", f"Mã hồ sơ {data.code} đã tồn tại.")
        reserve_code(data.agency, data.code)
        code = data.code
    else:
        code = next_code(data.agency, local_day)
    dossier = Dossier.objects.create(
        agency=data.agency,
        code=code,
        procedure_version=version,
        procedure=procedure,
        field_id=procedure.field_id,
        applicant=applicant,
        channel=data.channel,
        status=status,
        counter=data.counter,
        submitted_at=now,
        fee_amount=version.fee_amount,
        payment_status=(
            Dossier.Payment.UNPAID
            if version.fee_amount
            else Dossier.Payment.NOT_REQUIRED
        ),
        search_text=fold(f"{code} {applicant.name}")[:600],
    )
    _add_components(dossier, data.components, version)
    return dossier


def _add_components(
    dossier: Dossier, given: Sequence[ComponentInput], version: ProcedureVersion
) -> None:
    if given:
        rows = [
            DossierComponent(
                dossier=dossier,
                template_id=c.template_id,
                name=_require_text(c.name, "component.name_required", "tên giấy tờ"),
                kind=c.kind,
                count=max(int(c.count), 0),
                received=c.received,
            )
            for c in given
        ]
    else:
        rows = [
            DossierComponent(
                dossier=dossier, template=c, name=c.name, kind=c.kind, count=c.count
            )
            for c in version.components.all()
        ]
    DossierComponent.objects.bulk_create(rows)


def _created_event(dossier: Dossier, action: str, actor: Any, now: datetime) -> _Act:
    """The runner for an action that creates the dossier (from state "new")."""
    transition = TRANSITIONS[action]
    if NEW not in transition.sources:  # pragma: no cover - table invariant
        raise AssertionError(action)
    return _Act(action, actor, dossier, now, "")


def _start_new(
    action: str,
    actor: Any,
    data: DossierInput,
    status: str,
    roles: Sequence[str] = (Role.RECEPTION,),
) -> _Act:
    """Create the dossier for an action taken at the desk (or online)."""
    if actor is not None or action != A.SUBMIT_ONLINE:
        _require_role(actor, data.agency, roles, data.procedure.field_id)
    now = clock.now()
    return _created_event(_create(data, actor, now, status), action, actor, now)


# ------------------------------------------------------------ reception
def _receive_now(act: _Act, due_at: datetime | None = None) -> None:
    dossier, now = act.dossier, act.now
    version = dossier.procedure_version
    unit, value = version.time_for(dossier.channel)
    calendar = calendar_for(dossier.agency)
    try:
        due = due_at if due_at is not None else calendar.due(now, unit, value)
    except DeadlineError as exc:
        raise _invalid(exc.code, exc.message) from None
    dossier.received_at = dossier.clock_started_at = now
    dossier.due_at = dossier.original_due_at = due
    dossier.received_by = act.actor if getattr(act.actor, "pk", None) else None
    dossier.paused_at = None
    specs = step_ops.workflow_of(version)
    order = step_ops.positions(specs)
    if not order:
        return
    first = order[0]
    if {s.role for s in specs if s.position == first} == {Role.RECEPTION}:
        for step in step_ops.open_position(
            dossier, specs, first, now, assignee=act.actor
        ):
            step_ops.close(step, now, act.actor)
        following = step_ops.next_position(specs, first)
        if following is not None and following != step_ops.return_position(specs):
            step_ops.open_position(dossier, specs, following, now)
    else:
        step_ops.open_position(dossier, specs, first, now)


@transaction.atomic
def dossier_submit_online(actor: Any, data: DossierInput) -> Dossier:
    """An online (or postal) submission waiting for the desk (Decree 61 Art. 14)."""
    act = _start_new(A.SUBMIT_ONLINE, actor, data, S.SUBMITTED)
    return act.commit()


@transaction.atomic
def dossier_receive(
    actor: Any,
    dossier: Dossier | None = None,
    *,
    data: DossierInput | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Receive a complete dossier: code, due date, first step (Art. 17(3))."""
    if dossier is None:
        if data is None:
            raise _invalid("dossier.data_required", "Thiếu thông tin hồ sơ.")
        act = _start_new(A.RECEIVE, actor, data, S.RECEIVED)
        _receive_now(act, data.due_at)
        return act.commit(payload=_receive_payload(act.dossier))
    act = _begin(A.RECEIVE, actor, dossier, expected_version)
    _receive_now(act)
    return act.commit(payload=_receive_payload(act.dossier))


def _receive_payload(dossier: Dossier) -> dict[str, Any]:
    unit, value = dossier.procedure_version.time_for(dossier.channel)
    return {"legal_time": {"unit": unit.value, "value": str(value)}}


# ------------------------------------------------------------ supplement
@transaction.atomic
def dossier_request_supplement(
    actor: Any,
    dossier: Dossier | None = None,
    *,
    reason: str,
    items: Sequence[str] = (),
    data: DossierInput | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Ask the applicant to complete the dossier, once and completely: at the desk
    (slip 02, Art. 17(2)) or by the specialist within 3 working days of reception
    (Art. 19(4)); after reception the legal clock pauses."""
    reason = _require_text(
        reason, "dossier.reason_required", "lý do, nội dung cần bổ sung"
    )
    payload = {"items": [str(i).strip() for i in items if str(i).strip()]}
    if dossier is None:
        if data is None:
            raise _invalid("dossier.data_required", "Thiếu thông tin hồ sơ.")
        act = _start_new(A.REQUEST_SUPPLEMENT, actor, data, S.WAITING_SUPPLEMENT)
        return act.commit(reason=reason, payload=payload | {"stage": "reception"})
    act = _begin(A.REQUEST_SUPPLEMENT, actor, dossier, expected_version)
    d = act.dossier
    if d.received_at is None:
        return act.commit(reason=reason, payload=payload | {"stage": "reception"})
    started = d.clock_started_at or d.received_at
    if calendar_for(d.agency).elapsed(started, act.now) > SUPPLEMENT_WINDOW:
        raise _invalid(
            "dossier.supplement_too_late",
            "Chỉ được yêu cầu bổ sung trong 03 ngày làm việc kể từ ngày tiếp nhận "
            "(Điều 19 Nghị định 61/2018/NĐ-CP).",
        )
    d.paused_at = act.now
    d.supplement_count += 1
    return act.commit(reason=reason, payload=payload | {"stage": "processing"})


def _status_before_pause(dossier: Dossier, action: str) -> str:
    event = (
        Event.objects.filter(dossier=dossier, action=action).order_by("-seq").first()
    )
    return event.from_status if event else S.PROCESSING


@transaction.atomic
def dossier_resubmit(
    actor: Any, dossier: Dossier, *, note: str = "", expected_version: int | None = None
) -> Dossier:
    """The applicant completed the dossier. Before reception it goes back to the
    desk; after reception the time runs again in full (Art. 19(4), policy
    ``restart``) or the due date moves by the time waited (policy ``shift``)."""
    act = _begin(A.RESUBMIT, actor, dossier, expected_version)
    d = act.dossier
    if d.received_at is None:
        return act.commit(target=S.SUBMITTED, reason=note)
    paused_at = d.paused_at or act.now
    calendar = calendar_for(d.agency)
    unit, value = d.procedure_version.time_for(d.channel)
    policy = d.agency.supplement_policy
    try:
        due = calendar.due_after_supplement(
            policy=policy,
            unit=unit,
            duration=value,
            due_at=d.due_at,
            paused_at=paused_at,
            resumed_at=act.now,
        )
    except DeadlineError as exc:
        raise _invalid(exc.code, exc.message) from None
    waited = calendar.elapsed(paused_at, act.now)
    if policy == "restart":
        d.original_due_at = due
        d.clock_started_at = act.now
        step_ops.move_due_dates(d, restart_at=act.now, shift=timedelta(0))
    else:
        if d.original_due_at is not None:
            d.original_due_at = calendar.add_working_time(d.original_due_at, waited)
        step_ops.move_due_dates(d, restart_at=None, shift=waited)
    d.due_at = due
    d.paused_at = None
    target = _status_before_pause(d, A.REQUEST_SUPPLEMENT)
    return act.commit(
        target=target,
        reason=note,
        payload={"policy": policy, "waited_seconds": int(waited.total_seconds())},
    )


# ------------------------------------------------------------ refusal
@transaction.atomic
def dossier_refuse(
    actor: Any,
    dossier: Dossier | None = None,
    *,
    reason: str,
    data: DossierInput | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Refuse with the specific reason: at reception → not received (slip 03,
    Art. 17(2)); after appraisal → a refusal is the result (Art. 19(3))."""
    reason = _require_text(reason, "dossier.reason_required", "lý do từ chối")
    if dossier is None:
        if data is None:
            raise _invalid("dossier.data_required", "Thiếu thông tin hồ sơ.")
        act = _start_new(A.REFUSE, actor, data, S.NOT_RECEIVED)
        act.dossier.ended_at = act.now
        return act.commit(
            target=S.NOT_RECEIVED, reason=reason, payload={"stage": "reception"}
        )
    act = _begin(A.REFUSE, actor, dossier, expected_version)
    d = act.dossier
    if d.received_at is None:
        d.ended_at = act.now
        return act.commit(
            target=S.NOT_RECEIVED, reason=reason, payload={"stage": "reception"}
        )
    _settle(act, Dossier.Outcome.REFUSED)
    return act.commit(
        target=S.RESULT_READY, reason=reason, payload={"stage": "processing"}
    )


# ------------------------------------------------------------ settlement
def timing_of(finished_at: datetime, due_at: datetime | None) -> str:
    """Early / on time / late of a settled dossier against its original due
    date: :func:`motcua.dossiers.timing.timing` (the one definition)."""
    return timing.timing(finished_at, due_at)


def _settle(act: _Act, outcome: str) -> None:
    d, now = act.dossier, act.now
    step_ops.close_all(d, now, act.actor, Step.State.DONE)
    specs = step_ops.workflow_of(d.procedure_version)
    hand_over = step_ops.return_position(specs)
    if hand_over is not None and not d.steps.filter(position=hand_over).exists():
        step_ops.open_position(d, specs, hand_over, now)
    d.outcome = outcome
    d.finished_at = d.ended_at = now
    d.paused_at = None
    d.timing = timing_of(now, d.original_due_at)


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
    """The agency stops processing (dừng giải quyết), with the reason."""
    reason = _require_text(reason, "dossier.reason_required", "lý do dừng xử lý")
    act = _begin(A.STOP, actor, dossier, expected_version)
    step_ops.close_all(act.dossier, act.now, actor, Step.State.CANCELLED)
    act.dossier.ended_at = act.now
    act.dossier.paused_at = None
    return act.commit(reason=reason)


# ------------------------------------------------------------ steps
def _pick_step(dossier: Dossier, actor: Any, step_id: int | None) -> Step:
    active = list(step_ops.active_steps(dossier))
    if step_id is not None:
        chosen = [s for s in active if s.pk == step_id]
    else:
        chosen = [s for s in active if s.assignee_id == getattr(actor, "pk", None)]
        if not chosen and len(active) == 1:
            chosen = active
    if len(chosen) != 1:
        raise _invalid(
            "dossier.step_required",
            "Không xác định được bước xử lý; hãy chọn bước đang xử lý của hồ sơ.",
        )
    return chosen[0]


def _check_assignee(assignee: Any, step: Step, dossier: Dossier) -> None:
    if assignee is None or _trusted.get():  # history may name people who left
        return
    if not getattr(assignee, "is_active", False) or not has_role(
        assignee, step.agency, [step.role], field_id=dossier.field_id
    ):
        raise _invalid(
            "dossier.invalid_assignee",
            f"{assignee} không có vai trò phù hợp tại {step.agency.name} "
            "để xử lý bước này.",
        )


@transaction.atomic
def dossier_assign(
    actor: Any,
    dossier: Dossier,
    *,
    assignee: Any,
    step_id: int | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Assign the active step to an officer (Art. 19(1)): the leader assigns a
    specialist, or the desk transfers to the unit."""
    act = _begin(A.ASSIGN, actor, dossier, expected_version, check_roles=False)
    d = act.dossier
    step = _pick_step(d, actor, step_id)
    _check(actor, d, A.ASSIGN, step=step)
    if assignee is None:
        raise _invalid("dossier.assignee_required", "Cần chọn cán bộ được phân công.")
    _check_assignee(assignee, step, d)
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    return act.commit(step=step, payload={"assignee": assignee.username})


def _advance(act: _Act, step: Step, *, assignee: Any = None) -> list[Step]:
    """Close ``step``; when its position is complete, open the next one."""
    d = act.dossier
    step_ops.close(step, act.now, act.actor)
    if step_ops.active_steps(d).filter(position=step.position).exists():
        return []
    specs = step_ops.workflow_of(d.procedure_version)
    following = step_ops.next_position(specs, step.position)
    if following is None or following == step_ops.return_position(specs):
        return []
    opened = step_ops.open_position(d, specs, following, act.now)
    if assignee is not None and len(opened) == 1:
        _check_assignee(assignee, opened[0], d)
        opened[0].assignee = assignee
        opened[0].save(update_fields=["assignee"])
    return opened


def _step_action(
    action: str, actor: Any, dossier: Dossier, step_id: int | None, expected: int | None
) -> tuple[_Act, Step]:
    act = _begin(action, actor, dossier, expected, check_roles=False)
    step = _pick_step(act.dossier, actor, step_id)
    _check(actor, act.dossier, action, step=step)
    return act, step


def _opened(opened: list[Step], assignee: Any) -> dict[str, Any]:
    return {
        "opened": [s.pk for s in opened],
        "assignee": getattr(assignee, "username", None),
    }


@transaction.atomic
def dossier_forward(
    actor: Any,
    dossier: Dossier,
    *,
    step_id: int | None = None,
    assignee: Any = None,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Finish the current step and hand the dossier to the next (Art. 18–19)."""
    act, step = _step_action(A.FORWARD, actor, dossier, step_id, expected_version)
    opened = _advance(act, step, assignee=assignee)
    return act.commit(
        step=step,
        reason=(note or "").strip(),
        payload=_opened(opened, assignee),
    )


@transaction.atomic
def dossier_submit(
    actor: Any,
    dossier: Dossier,
    *,
    step_id: int | None = None,
    assignee: Any = None,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The specialist submits the draft result to the leader (Art. 19(2))."""
    act, step = _step_action(A.SUBMIT, actor, dossier, step_id, expected_version)
    opened = _advance(act, step, assignee=assignee)
    return act.commit(
        step=step,
        reason=(note or "").strip(),
        payload=_opened(opened, assignee),
    )


@transaction.atomic
def dossier_approve(
    actor: Any,
    dossier: Dossier,
    *,
    step_id: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The leader approves and signs the result (Art. 19(2))."""
    act, step = _step_action(A.APPROVE, actor, dossier, step_id, expected_version)
    opened = _advance(act, step)
    act.dossier.signed_by = actor if getattr(actor, "pk", None) else None
    act.dossier.signed_at = act.now
    return act.commit(
        step=step,
        reason=(note or "").strip(),
        payload={"opened": [s.pk for s in opened]},
    )


@transaction.atomic
def dossier_send_back(
    actor: Any,
    dossier: Dossier,
    *,
    reason: str,
    step_id: int | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """The leader sends the draft back to the specialist to process again."""
    reason = _require_text(reason, "dossier.reason_required", "lý do trả lại")
    act, step = _step_action(A.SEND_BACK, actor, dossier, step_id, expected_version)
    step_ops.close(step, act.now, actor, Step.State.SENT_BACK)
    previous = (
        act.dossier.steps.filter(position__lt=step.position, state=Step.State.DONE)
        .exclude(role=Role.RECEPTION)
        .order_by("-ended_at", "-id")
        .first()
    )
    if previous is None:
        raise Conflict(
            "dossier.nothing_to_send_back", "Không có bước xử lý để trả lại."
        )
    reopened = Step.objects.create(
        dossier=act.dossier,
        agency=previous.agency,
        template_id=previous.template_id,
        position=previous.position,
        name=previous.name,
        role=previous.role,
        assignee=previous.assignee,
        state=Step.State.ACTIVE,
        budget_hours=previous.budget_hours,
        started_at=act.now,
        due_at=step_ops.step_due(previous.agency, act.now, previous.budget_hours),
    )
    return act.commit(step=step, reason=reason, payload={"reopened": reopened.pk})


# ------------------------------------------------------------ consultation
@transaction.atomic
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
    consultation = Consultation.objects.create(
        dossier=act.dossier,
        agency=agency,
        question=question,
        requested_by=actor,
        requested_at=act.now,
        due_at=due,
    )
    return act.commit(
        reason=question,
        payload={
            "consultation": consultation.pk,
            "agency": agency.code,
            "working_days": working_days,
        },
    )


@transaction.atomic
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


# ------------------------------------------------------------ fees
@transaction.atomic
def dossier_request_payment(
    actor: Any,
    dossier: Dossier,
    *,
    amount: int | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Ask the applicant to pay fees or meet a financial obligation (Art. 22).
    The waiting time is not counted in the processing time."""
    act = _begin(A.REQUEST_PAYMENT, actor, dossier, expected_version)
    d = act.dossier
    amount = d.fee_amount if amount is None else amount
    if not isinstance(amount, int) or amount <= 0:
        raise _invalid(
            "dossier.invalid_amount", "Số tiền phải là số nguyên dương (đồng)."
        )
    d.fee_amount = amount
    d.payment_status = Dossier.Payment.UNPAID
    d.paused_at = act.now
    return act.commit(payload={"amount": amount})


@transaction.atomic
def dossier_record_payment(
    actor: Any, dossier: Dossier, *, expected_version: int | None = None
) -> Dossier:
    """Record that the fees were paid; a dossier waiting for payment resumes, its
    due date moved by the working time waited."""
    act = _begin(A.RECORD_PAYMENT, actor, dossier, expected_version)
    d = act.dossier
    d.payment_status = Dossier.Payment.PAID
    target = None
    waited = timedelta(0)
    if d.status == S.WAITING_PAYMENT and d.paused_at is not None:
        calendar = calendar_for(d.agency)
        waited = calendar.elapsed(d.paused_at, act.now)
        for name in ("due_at", "original_due_at"):
            value = getattr(d, name)
            if value is not None:
                setattr(d, name, calendar.add_working_time(value, waited))
        step_ops.move_due_dates(d, restart_at=None, shift=waited)
        d.paused_at = None
        target = _status_before_pause(d, A.REQUEST_PAYMENT)
    return act.commit(
        target=target, payload={"waited_seconds": int(waited.total_seconds())}
    )


# ------------------------------------------------------------ extension
@transaction.atomic
def dossier_extend(
    actor: Any,
    dossier: Dossier,
    *,
    new_due_at: datetime,
    reason: str,
    override: bool = False,
    expected_version: int | None = None,
) -> Dossier:
    """Apologise and set a new date, once, at least 1 working day before the due
    date (Art. 19(8)(c)); an agency administrator may waive the notice (recorded).
    The original due date is kept: the dossier still counts as late if it is."""
    reason = _require_text(reason, "dossier.reason_required", "lý do gia hạn")
    if not isinstance(new_due_at, datetime) or new_due_at.tzinfo is None:
        raise _invalid("dossier.invalid_new_due", "Ngày hẹn mới phải có ngày và giờ.")
    act = _begin(A.EXTEND, actor, dossier, expected_version)
    d = act.dossier
    if override:
        _require_role(actor, d.agency, [Role.AGENCY_ADMIN], d.field_id)
    current = Deadline(d.due_at, d.original_due_at, d.extended)
    try:
        extended = calendar_for(d.agency).extend(
            current, new_due_at, now=act.now, override=override
        )
    except DeadlineError as exc:
        raise _invalid(exc.code, exc.message) from None
    d.due_at = extended.due_at
    d.original_due_at = extended.original_due_at
    d.extended = True
    return act.commit(
        reason=reason,
        payload={"new_due_at": new_due_at.isoformat(), "override": bool(override)},
    )


# ------------------------------------------------------------ files
@transaction.atomic
def dossier_record_file(actor: Any, dossier: Dossier, *, dossier_file: Any) -> Dossier:
    """Record in the history that a file was attached (its name, kind and
    SHA-256), in the transaction that stores it: a later swap of the bytes shows
    up against the recorded hash."""
    act = _begin(A.ATTACH_FILE, actor, dossier, None)
    return act.commit(
        payload={
            "file": dossier_file.pk,
            "name": dossier_file.original_name,
            "kind": dossier_file.kind,
            "sha256": dossier_file.sha256,
            "size": dossier_file.size,
        }
    )


# ------------------------------------------------------------ privacy
@transaction.atomic
def dossier_anonymise_applicant(
    dossier: Dossier,
    *,
    actor: Any = None,
    now: datetime | None = None,
    reason: str,
) -> Dossier:
    """Replace the applicant's personal data of a closed dossier with neutral
    placeholders once it is no longer needed (Decree 13/2023/NĐ-CP Art. 16);
    the figures (status, dates, timing, outcome) stay. ``actor`` None: the
    system (the retention purge); an officer needs the agency admin role.
    Idempotent: a dossier already anonymised is returned unchanged, no event."""
    reason = _require_text(reason, "dossier.reason_required", "lý do ẩn danh")
    act = _begin(A.ANONYMISE, actor, dossier, None, check_roles=actor is not None)
    if act.dossier.events.filter(action=A.ANONYMISE).exists():
        return act.dossier
    if now is not None:
        act.now = now
    d, applicant = act.dossier, act.dossier.applicant
    applicant.name = ANONYMOUS_NAME
    applicant.id_kind = applicant.id_number = ""
    applicant.phone = applicant.email = applicant.address = ""
    applicant.birth_date = None
    applicant.no_contact_reason = ANONYMOUS_NAME
    applicant.fingerprint_salt = secrets.token_hex(16)  # old fingerprints unlinkable
    applicant.save()
    d.returned_to_name = d.returned_to_id_number = ""
    d.search_text = fold(d.code)[:600]
    return act.commit(reason=reason)
