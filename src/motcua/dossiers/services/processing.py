"""Processing: the steps of the workflow (assign, forward, submit, approve,
send back) and the extension of the due date (Art. 18–19).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from motcua.agencies.models import Role
from motcua.agencies.selectors import has_role
from motcua.core.dates import vn_time_date
from motcua.core.errors import Conflict
from motcua.deadlines.engine import Deadline, DeadlineError
from motcua.deadlines.services import calendar_for
from motcua.law.procedure import extension_notice_days, extension_once

from .. import permissions, unit
from .. import steps as step_ops
from ..models import Dossier, Step
from ._common import (
    A,
    _Act,
    _begin,
    _check,
    _invalid,
    _require_role,
    _require_text,
    _trusted,
    service_action,
)


# ------------------------------------------------------------ steps
def _pick_step(dossier: Dossier, actor: Any, step_id: int | None) -> Step:
    active = step_ops.active_list(dossier)
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
    if (
        not getattr(assignee, "is_active", False)
        or permissions.is_integration_account(assignee)
        or not has_role(assignee, step.agency, [step.role], field_id=dossier.field_id)
    ):
        raise _invalid(
            "dossier.invalid_assignee",
            f"{assignee} không có vai trò phù hợp tại {step.agency.name} "
            "để xử lý bước này.",
        )


@service_action
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
    unit.save(step, ["assignee"])
    return act.commit(step=step, payload={"assignee": assignee.username})


def _advance(act: _Act, step: Step, *, assignee: Any = None) -> list[Step]:
    """Close ``step``; when its position is complete, open the next one."""
    d = act.dossier
    step_ops.close(step, act.now, act.actor)
    if any(s.position == step.position for s in step_ops.active_list(d)):
        return []
    specs = step_ops.workflow_of(d.procedure_version)
    following = step_ops.next_position(specs, step.position)
    if following is None or following == step_ops.return_position(specs):
        return []
    opened = step_ops.open_position(d, specs, following, act.now)
    if assignee is not None and len(opened) == 1:
        _check_assignee(assignee, opened[0], d)
        opened[0].assignee = assignee
        unit.save(opened[0], ["assignee"])
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


@service_action
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


@service_action
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


@service_action
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


@service_action
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


# ------------------------------------------------------------ extension
@service_action
def dossier_extend(
    actor: Any,
    dossier: Dossier,
    *,
    new_due_at: datetime,
    reason: str,
    override: bool = False,
    expected_version: int | None = None,
) -> Dossier:
    """Apologise and set a new date (Form 04): at least the notice of the
    dossier's period before the due date, and once only if its period says so
    (law rules ``extension.notice`` / ``extension.limit``: 1 working day, once,
    Decree 61/2018 Art. 19(8)(c); kept unverified from 01/07/2025). An agency
    administrator may waive the notice (recorded). The original due date is
    kept: the dossier still counts as late if it is."""
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
            current,
            new_due_at,
            now=act.now,
            override=override,
            notice_days=extension_notice_days(d),
            once=extension_once(d),
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


@service_action
def dossier_remind(
    actor: Any,
    dossier: Dossier,
    *,
    note: str,
    step_id: int | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """A leader reminds whoever holds a step of a dossier in progress — its
    officer, or its unit when nobody is assigned — with a note. The reminder is
    an event of the history (nothing else changes); by default it names the
    active step due first (the slowest)."""
    note = _require_text(note, "dossier.note_required", "nội dung nhắc nhở")
    act = _begin(A.REMIND, actor, dossier, expected_version)
    active = sorted(
        step_ops.active_steps(act.dossier).select_related("assignee"),
        key=lambda s: (s.due_at is None, s.due_at or act.now, s.pk),
    )
    if step_id is not None:
        active = [s for s in active if s.pk == step_id]
    if not active:
        raise Conflict(
            "dossier.nothing_to_remind",
            "Hồ sơ không có bước nào đang xử lý để nhắc nhở.",
        )
    step = active[0]
    payload = {
        "to": step.assignee.username if step.assignee is not None else "",
        "unit": step.agency.code,
        "step_name": step.name,
    }
    return act.commit(step=step, reason=note, payload=payload)


@service_action
def dossier_remind_automatically(dossier: Dossier, step: Step, *, percent: int) -> bool:
    """The agency's standing reminder (``Agency.auto_remind_percent``): ``step``
    has used ``percent`` % of its budget, so whoever holds it is reminded, once
    per step — an event of the history without an actor, like a leader's
    reminder otherwise. The authority is the leaders' setting, not a person;
    returns whether a reminder was written (not twice, not for a step that has
    ended or a dossier no longer worked on)."""
    act = _begin(A.REMIND, None, dossier, None, check_roles=False)
    step = Step.objects.select_related("assignee", "agency").get(pk=step.pk)
    if step.state != Step.State.ACTIVE or step.ended_at is not None:
        return False
    if act.dossier.events.filter(
        action=A.REMIND, step_id=step.pk, actor__isnull=True
    ).exists():
        return False
    note = (
        f"Bước «{step.name}» đã dùng {percent}% thời gian được giao "
        f"(hạn {vn_time_date(step.due_at)}); đề nghị hoàn thành đúng hạn."
    )
    payload = {
        "to": step.assignee.username if step.assignee is not None else "",
        "unit": step.agency.code,
        "step_name": step.name,
        "automatic": True,
        "percent": percent,
    }
    act.commit(step=step, reason=note, payload=payload)
    return True
