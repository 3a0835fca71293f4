"""What each slip says, derived from the dossier, its components, steps and
events only (ARCHITECTURE principle 2: the history is the truth).

Each builder returns the template context of one slip, or raises
``DomainError("slip.not_applicable")`` when the dossier never reached the state
the slip documents (no apology for a dossier never extended, …).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from motcua.agencies.selectors import name_on
from motcua.catalog.models import Component
from motcua.core import clock
from motcua.core.dates import local
from motcua.core.errors import DomainError
from motcua.dossiers import timing
from motcua.dossiers.models import Channel, Dossier, Event, Step
from motcua.dossiers.selectors import agency_at
from motcua.dossiers.workflow import Action, Status

from . import formatting as fmt
from .forms import APOLOGY, CONTROL, RECEIPT, REFUSAL, STOP, SUPPLEMENT
from .numbering import register_entry

Context = dict[str, Any]


def _not_applicable(message: str) -> DomainError:
    return DomainError("slip.not_applicable", message)


def _last_event(dossier: Dossier, action: str) -> Event | None:
    return (
        Event.objects.filter(dossier=dossier, action=action)
        .select_related("actor")
        .order_by("-seq")
        .first()
    )


def _kind_label(kind: str) -> str:
    try:
        return str(Component.Kind(kind).label)
    except ValueError:
        return kind


def collect_at(dossier: Dossier) -> str:
    """Where and how the applicant collects the result ("" = at the desk, which
    the slip names in the wording of its period)."""
    if dossier.return_method:
        return str(Dossier.ReturnMethod(dossier.return_method).label)
    if dossier.channel == Channel.ONLINE:
        return "Trực tuyến, trên Cổng dịch vụ công"
    return ""  # at the desk: the template names it in its set's wording


def _legal_time(dossier: Dossier) -> str:
    received = _last_event(dossier, Action.RECEIVE)
    recorded = (received.payload or {}).get("legal_time") if received else None
    if recorded:
        return fmt.legal_time(str(recorded["unit"]), Decimal(str(recorded["value"])))
    unit, value = dossier.procedure_version.time_for(dossier.channel)
    return fmt.legal_time(unit.value, value)


def _appointment(dossier: Dossier) -> datetime | None:
    """The date first promised to the applicant (kept by an extension)."""
    return dossier.original_due_at or dossier.due_at


def _require_received(dossier: Dossier, what: str) -> None:
    if dossier.received_at is None:
        raise _not_applicable(f"Hồ sơ {dossier.code} chưa được tiếp nhận nên {what}.")


# ----------------------------------------------------------------- builders
def receipt(dossier: Dossier) -> Context:
    """Form 01: code, components, legal time, received and due (Art. 17(3))."""
    _require_received(dossier, "không có giấy tiếp nhận và hẹn trả kết quả")
    assert dossier.received_at is not None
    components = [
        {"name": c.name, "kind": _kind_label(c.kind), "count": c.count}
        for c in dossier.components.all()
        if c.received
    ]
    return {
        "issued_at": dossier.received_at,
        "entry": register_entry(dossier),
        "components": components,
        "sets": 1,
        "legal_time": _legal_time(dossier),
        "appointment": _appointment(dossier),
        "collect_at": collect_at(dossier),
        "officer": fmt.person_name(dossier.received_by),
        "received_place": received_place(dossier),
    }


def received_place(dossier: Dossier) -> str:
    """Nơi tiếp nhận as named on the reception day, when a centre other than the
    competent agency received the dossier (Decree 118/2025), else ""."""
    place, at = dossier.received_by_agency, dossier.received_at
    if place is None or at is None or place.pk == agency_at(dossier, at).pk:
        return ""
    return name_on(place, local(at).date())


def supplement(dossier: Dossier) -> Context:
    """Form 02: everything to supplement, once and completely (Art. 17(2))."""
    event = _last_event(dossier, Action.REQUEST_SUPPLEMENT)
    if event is None:
        raise _not_applicable(
            f"Hồ sơ {dossier.code} chưa có yêu cầu bổ sung, hoàn thiện."
        )
    items = [str(i) for i in (event.payload or {}).get("items", [])]
    return {
        "issued_at": event.at,
        "items": items or [event.reason],
        "reason": event.reason,
        "after_reception": (event.payload or {}).get("stage") == "processing",
        "officer": fmt.person_name(event.actor) or event.actor_name,
        "appointment": _appointment(dossier),
    }


def refusal(dossier: Dossier) -> Context:
    """Form 03: the specific reason of the refusal (Art. 17(2), 19(3))."""
    event = _last_event(dossier, Action.REFUSE)
    if event is None:
        raise _not_applicable(f"Hồ sơ {dossier.code} không bị từ chối.")
    return {
        "issued_at": event.at,
        "reason": event.reason,
        "at_reception": (event.payload or {}).get("stage") != "processing",
        "officer": fmt.person_name(event.actor) or event.actor_name,
        "appointment": _appointment(dossier),
    }


def apology(dossier: Dossier) -> Context:
    """Form 04: apology and the one new date (Art. 19(8)(c))."""
    event = _last_event(dossier, Action.EXTEND)
    if event is None or not dossier.extended:
        raise _not_applicable(
            f"Hồ sơ {dossier.code} chưa được gia hạn nên không có phiếu xin lỗi "
            "và hẹn lại ngày trả kết quả."
        )
    return {
        "issued_at": event.at,
        "reason": event.reason,
        "original_due": dossier.original_due_at,
        "new_due": dossier.due_at,
        "signer": fmt.person_name(event.actor) or event.actor_name,
        "appointment": dossier.due_at,
    }


def stop(dossier: Dossier) -> Context:
    """2025 form 05: processing stops, with the reason; from 01/07/2025 at the
    applicant's request (Decree 118 Art. 21, recorded on the stop event)."""
    event = _last_event(dossier, Action.STOP)
    if event is None or dossier.status != Status.STOPPED:
        raise _not_applicable(f"Hồ sơ {dossier.code} không bị dừng giải quyết.")
    return {
        "issued_at": event.at,
        "reason": event.reason,
        "at_request": (event.payload or {}).get("at_request") == "applicant",
        "signer": fmt.person_name(event.actor) or event.actor_name,
        "appointment": _appointment(dossier),
    }


def control(dossier: Dossier) -> Context:
    """Form 05 (2018) / 06 (2025): one row per hand-off, with its timing."""
    _require_received(dossier, "không có phiếu kiểm soát quá trình giải quyết")
    return {
        "issued_at": dossier.received_at,
        "rows": control_rows(dossier),
        "lead_agency": dossier.agency.name,
        "partners": sorted(
            {
                s.agency.name
                for s in dossier.steps.all()
                if s.agency_id != dossier.agency_id
            }
        ),
        "appointment": dossier.due_at,
    }


BUILDERS: dict[str, Callable[[Dossier], Context]] = {
    RECEIPT: receipt,
    SUPPLEMENT: supplement,
    REFUSAL: refusal,
    APOLOGY: apology,
    STOP: stop,
    CONTROL: control,
}


# ---------------------------------------------------------- the control table
@dataclass(frozen=True)
class ControlRow:
    number: int
    step: str
    giver: str
    receiver: str
    handed_at: datetime
    due_at: datetime | None
    ended_at: datetime | None
    result: str
    note: str


EARLY, ON_TIME, LATE = "Trước hạn", "Đúng hạn", "Quá hạn"


def step_timing(step: Step) -> str:
    """Early / on time / late against the step's own budget
    (:func:`motcua.dossiers.timing.step_timing`); a step without a budget of its
    own (the hand-over of the result) has no timing — left blank."""
    if step.state == Step.State.CANCELLED:
        return "Đã hủy"
    if step.ended_at is None:
        return "Đang xử lý"
    return _STEP_RESULT[timing.step_timing(step)]


_STEP_RESULT = {timing.EARLY: EARLY, timing.ON_TIME: ON_TIME, timing.LATE: LATE, "": ""}


def _handler(step: Step) -> str:
    who = fmt.person_name(step.assignee)
    return f"{step.agency.name}" + (f" – {who}" if who else "")


def control_rows(dossier: Dossier) -> list[ControlRow]:
    steps = list(
        dossier.steps.select_related("agency", "assignee", "ended_by").order_by(
            "started_at", "id"
        )
    )
    rows = []
    for number, step in enumerate(steps, start=1):
        before = [
            s
            for s in steps[: number - 1]
            if s.ended_at and s.ended_at <= step.started_at
        ]
        if before:
            previous = before[-1]
            who = fmt.person_name(previous.ended_by)
            giver = previous.agency.name + (f" – {who}" if who else "")
        else:
            giver = f"Người nộp hồ sơ – {dossier.applicant.name}"
        note = step.note
        if step.state == Step.State.SENT_BACK:
            note = ("Bị trả lại. " + note).strip()
        rows.append(
            ControlRow(
                number=number,
                step=step.name,
                giver=giver,
                receiver=_handler(step),
                handed_at=step.started_at,
                due_at=step.due_at,
                ended_at=step.ended_at,
                result=step_timing(step),
                note=note,
            )
        )
    return rows


def common(dossier: Dossier) -> Context:
    """What every slip shows about the dossier."""
    applicant = dossier.applicant
    agency = dossier.agency
    return {
        "dossier": dossier,
        "code": dossier.code,
        "agency_name": agency.name,
        "parent_name": agency.parent.name if agency.parent_id and agency.parent else "",
        "agency_address": agency.address,
        "agency_hotline": agency.hotline,
        "place": fmt.place_of(agency.name),
        "applicant": applicant,
        "procedure_name": dossier.procedure_version.name,
        "procedure_code": dossier.procedure.code,
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "status_label": str(Status(dossier.status).label),
        "printed_at": clock.now(),
    }
