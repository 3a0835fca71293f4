"""Reception: online submission, reception at the desk, supplements, refusal
(Decree 61/2018/NĐ-CP Art. 14–19 until 30/06/2025, then Decree 118/2025 — the
texts a dossier cites come from ``motcua.law``); creating the dossier and its
applicant.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import name_on, same_province, successor_on
from motcua.catalog.models import Component, ProcedureVersion
from motcua.catalog.selectors import received_anywhere, version_in_force
from motcua.core import clock, configstamp
from motcua.core.dates import vn_date
from motcua.core.errors import Conflict
from motcua.core.text import fold
from motcua.deadlines.engine import VN_TZ, DeadlineError
from motcua.deadlines.services import calendar_for, calendar_on
from motcua.law.procedure import check_supplement_window, supplement_policy

from .. import permissions, unit
from .. import steps as step_ops
from ..applicants import REPRESENTATIVE_FIELDS, ApplicantInput, clean_applicant
from ..codes import next_code, reserve_code
from ..history import NO_EVENTS
from ..models import Applicant, Channel, Dossier, DossierComponent
from ..workflow import NEW, TRANSITIONS
from ._common import (
    A,
    ComponentInput,
    DossierInput,
    S,
    _Act,
    _begin,
    _invalid,
    _require_role,
    _require_text,
    _settle,
    _status_before_pause,
    _trusted,
    replay_cached,
    service_action,
)


# ------------------------------------------------------------ creation
def _clean_applicant(data: ApplicantInput) -> ApplicantInput:
    """The one check of an applicant's details (desk, API, online, import):
    the historical import keeps older ID formats rather than refusing them."""
    return clean_applicant(data, legacy=_trusted.get())


def _applicant(data: ApplicantInput, agency: Agency) -> Applicant:
    """The applicant as received with this dossier: always a new row of the
    dossier's agency. Another dossier's row, even with the same ID number, is
    neither read nor changed (ARCHITECTURE principle 7)."""
    return unit.insert(
        Applicant(
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
            **{name: getattr(data, name) for name in REPRESENTATIVE_FIELDS},
            notify_channels=",".join(data.notify_channels),
            fingerprint_salt=secrets.token_hex(16),
        )
    )


# configuration kept between requests until it changes (ADR 0032)
_OFFERED_AT = configstamp.reader(
    "dossiers.offered_at", "catalog.Procedure_agencies", "agencies.Agency"
)
_COMPONENTS = configstamp.reader("dossiers.components", "catalog.Component")
_AGENCY = configstamp.reader("dossiers.agency_now", "agencies.Agency")


def _create(
    data: DossierInput, actor: Any, now: datetime, status: str, place: Agency
) -> tuple[Dossier, Callable[[], None] | None]:
    """The new dossier, and how it takes its number at commit (``None``: it
    has its code already)."""
    if data.channel not in Channel.values:
        raise _invalid("dossier.invalid_channel", "Kênh nộp hồ sơ không hợp lệ.")
    procedure = data.procedure
    offered_at = replay_cached(
        ("offered_at", procedure.pk),
        lambda: frozenset(procedure.agencies.values_list("pk", flat=True)),
        kept_as=_OFFERED_AT,
    )
    if data.agency.pk not in offered_at:
        raise _invalid(
            "dossier.procedure_not_offered",
            f"Thủ tục {procedure.code} không được thực hiện tại {data.agency.name}.",
        )
    local_day = now.astimezone(VN_TZ).date()
    version = data.version or version_in_force(procedure, local_day)
    applicant = _applicant(_clean_applicant(data.applicant), data.agency)
    number: Callable[[], None] | None = None
    if data.code:
        if unit.code_taken(data.code):
            raise Conflict("dossier.code_taken", f"Mã hồ sơ {data.code} đã tồn tại.")
        reserve_code(data.agency, data.code, procedure)
        code = data.code
    elif unit.current() is not None:  # a replay's unit finds its dossiers by code
        code = next_code(data.agency, local_day, procedure)
    else:
        # Live: a code of its own until the commit numbers it (``_Act.number``),
        # unique so that no other reception waits on it; nobody else sees it.
        code = PROVISIONAL + secrets.token_hex(16)

        def number() -> None:
            dossier.code = next_code(data.agency, local_day, procedure)
            dossier.search_text = _search_text(dossier.code, applicant.name)

    dossier = unit.insert(
        Dossier(
            agency=data.agency,
            code=code,
            procedure_version=version,
            procedure=procedure,
            field_id=procedure.field_id,
            applicant=applicant,
            channel=data.channel,
            status=status,
            counter=data.counter,
            received_by_agency=place,
            submitted_at=now,
            fee_amount=version.fee_amount,
            payment_status=(
                Dossier.Payment.UNPAID
                if version.fee_amount
                else Dossier.Payment.NOT_REQUIRED
            ),
            search_text=_search_text(code, applicant.name),
        )
    )
    _add_components(dossier, data.components, version)
    return dossier, number


PROVISIONAL = "~"  # no code of any form starts so


def _search_text(code: str, applicant_name: str) -> str:
    return fold(f"{code} {applicant_name}")[:600]


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
            for c in replay_cached(
                ("components", version.pk),
                lambda: tuple(Component.objects.filter(version=version.pk)),
                kept_as=_COMPONENTS,
            )
        ]
    unit.insert_all(DossierComponent, rows)


def _created_event(
    created: tuple[Dossier, Callable[[], None] | None],
    action: str,
    actor: Any,
    now: datetime,
) -> _Act:
    """The runner for an action that creates the dossier (from state "new")."""
    transition = TRANSITIONS[action]
    if NEW not in transition.sources:  # pragma: no cover - table invariant
        raise AssertionError(action)
    dossier, number = created
    return _Act(action, actor, dossier, now, "", tail=NO_EVENTS, number=number)


def _start_new(
    action: str,
    actor: Any,
    data: DossierInput,
    status: str,
    roles: Sequence[str] = (Role.RECEPTION,),
) -> _Act:
    """Create the dossier for an action taken at the desk (or online)."""
    now = clock.now()
    day = now.astimezone(VN_TZ).date()
    place = _reception_place(actor, data, day, roles)
    # A role at the competent agency — unless a centre of its province receives
    # a procedure the province lists (its role at the centre covers both).
    listed = place != data.agency and received_anywhere(data.procedure, place, day)
    # Online, the applicant submits for themselves (a citizen's account, or no
    # account through the API's trusted channel); anyone else needs a role.
    by_applicant = action == A.SUBMIT_ONLINE and (
        actor is None or permissions.is_citizen(actor)
    )
    if not (by_applicant or listed):
        _require_role(actor, data.agency, roles, data.procedure.field_id)
    _refuse_at_former(data.agency, day)
    return _created_event(_create(data, actor, now, status, place), action, actor, now)


def _reception_place(
    actor: Any, data: DossierInput, day: date, roles: Sequence[str]
) -> Agency:
    """Nơi tiếp nhận: the agency of the desk (counter) used, else the given
    place, else the competent agency. A centre may receive for another agency of
    the same province (Decree 118/2025: regardless of administrative boundary),
    for a procedure that agency offers (``_create`` checks it), when the officer
    holds the role at the centre and either at the competent agency too or the
    province lists the procedure (``_start_new``) — no write crosses agencies
    unless a role covers both."""
    desk = data.counter.agency if data.counter is not None else data.place
    if desk is None or desk.pk == data.agency.pk:
        return data.agency
    if not same_province(desk, data.agency):
        raise _invalid(
            "dossier.reception_outside_province",
            f"{desk.name} chỉ được tiếp nhận hồ sơ của các cơ quan trong cùng "
            f"tỉnh, thành phố; {data.agency.name} không thuộc tỉnh, thành phố này.",
        )
    _refuse_at_former(desk, day)
    _require_role(actor, desk, roles, data.procedure.field_id)
    return desk


def _refuse_at_former(agency: Agency, day: date) -> None:
    """From its merger date a former agency receives nothing: its successor
    does. A historical import replays at the line's date, so the older days
    still go in. Read afresh: the caller's copy may predate the merger (a
    trusted replay read it at the start of its run, so its copy is current)."""
    if not _trusted.get():
        agency = copy.copy(
            configstamp.kept(
                _AGENCY, agency.pk, lambda: Agency.objects.get(pk=agency.pk)
            )
        )
    successor = successor_on(agency, day)
    if successor is None:
        return
    raise Conflict(
        "agency.merged",
        f"Từ ngày {vn_date(agency.merged_on)}, {name_on(agency, day)} đã sáp nhập "
        f"vào {name_on(successor, day)}. Vui lòng tiếp nhận, nộp hồ sơ tại "
        f"{name_on(successor, day)}.",
    )


# ------------------------------------------------------------ reception
def out_of_hours(calendar: Any, instant: datetime) -> bool:
    """Whether ``instant`` is outside the calendar's working time: the engine's
    ``start_of`` moves an instant outside working time to the next opening and
    leaves one inside it as it is (evenings, lunch breaks, weekends, holidays)."""
    try:
        return bool(calendar.start_of(instant) != instant)
    except DeadlineError:  # outside the calendar's years: not claimed
        return False


def _receive_now(act: _Act, due_at: datetime | None = None) -> None:
    dossier, now = act.dossier, act.now
    version = dossier.procedure_version
    unit, value = version.time_for(dossier.channel)
    calendar = calendar_on(dossier.agency, now)  # the cut-off of this day's law
    try:
        due = due_at if due_at is not None else calendar.due(now, unit, value)
    except DeadlineError as exc:
        raise _invalid(exc.code, exc.message) from None
    dossier.received_at = dossier.clock_started_at = now
    dossier.received_out_of_hours = out_of_hours(calendar, now)
    dossier.due_at = dossier.original_due_at = due
    dossier.received_by = act.actor if getattr(act.actor, "pk", None) else None
    dossier.paused_at = None
    specs = step_ops.workflow_of(version)
    order = step_ops.positions(specs)
    if not order:
        return
    first = order[0]
    if {s.role for s in specs if s.position == first} == {Role.RECEPTION}:
        step_ops.open_position(
            dossier, specs, first, now, assignee=act.actor, done=True, done_by=act.actor
        )
        following = step_ops.next_position(specs, first)
        if following is not None and following != step_ops.return_position(specs):
            step_ops.open_position(dossier, specs, following, now)
    else:
        step_ops.open_position(dossier, specs, first, now)


@service_action
def dossier_submit_online(actor: Any, data: DossierInput) -> Dossier:
    """An online (or postal) submission waiting for the desk (Decree 61 Art. 14)."""
    act = _start_new(A.SUBMIT_ONLINE, actor, data, S.SUBMITTED)
    return act.commit()


@service_action
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
@service_action
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
    check_supplement_window(d, calendar_for(d.agency).elapsed(started, act.now))
    d.paused_at = act.now
    d.supplement_count += 1
    return act.commit(reason=reason, payload=payload | {"stage": "processing"})


@service_action
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
    calendar = calendar_on(d.agency, d)
    unit, value = d.procedure_version.time_for(d.channel)
    policy = supplement_policy(d, d.agency.supplement_policy)
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
@service_action
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
