"""The dossier history: append-only events, hash-chained per dossier.

Each event's hash covers its own content and the previous event's hash, so
editing, deleting or reordering any event breaks the chain from there on. Each
event also carries a snapshot of the dossier's dates and state after the action;
``verify_dossier`` checks the chain *and* that the dossier row still equals the
last snapshot — a quietly edited due date or finish date (a known way of faking
on-time figures) is caught either way. The snapshot also holds a salted
fingerprint of the applicant as received (and of whoever collected the result),
so an edited name, ID number or phone is caught too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from . import unit
from .applicants import REPRESENTATIVE_FIELDS
from .models import Applicant, Dossier, Event

GENESIS = "0" * 64
NO_EVENTS = (0, GENESIS)  # the tail of a dossier created in this transaction
SNAPSHOT_FIELDS = (
    "status",
    "received_at",
    "clock_started_at",
    "due_at",
    "original_due_at",
    "extended",
    "paused_at",
    "finished_at",
    "ended_at",
    "returned_at",
    "outcome",
    "timing",
    "payment_status",
    "agency_id",
    "procedure_version_id",
    "code",
)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):  # one form whatever zone it was built in
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


APPLICANT_FIELDS = (
    "agency_id",
    "kind",
    "name",
    "id_kind",
    "id_number",
    "birth_date",
    "phone",
    "email",
    "address",
    "no_contact_reason",
)
RECEIVER_FIELDS = ("returned_to_name", "returned_to_id_number")


def applicant_fingerprint(dossier: Dossier) -> str:
    """A salted hash of the personal data the dossier holds. The salt lives on
    the applicant row: once it is replaced (anonymisation) the fingerprints in
    older events can no longer be used to confirm a guessed identity."""
    applicant: Applicant = dossier.applicant
    body = {name: getattr(applicant, name) for name in APPLICANT_FIELDS}
    # The authorised person is covered when there is one; a dossier without one
    # keeps the fingerprint it had before the fields existed.
    body |= {
        name: value
        for name in REPRESENTATIVE_FIELDS
        if (value := getattr(applicant, name, ""))
    }
    body["birth_date"] = (
        applicant.birth_date.isoformat() if applicant.birth_date else None
    )
    body |= {name: getattr(dossier, name) for name in RECEIVER_FIELDS}
    text = applicant.fingerprint_salt + _canonical(body)
    return hashlib.sha256(text.encode()).hexdigest()


def snapshot(dossier: Dossier) -> dict[str, Any]:
    """The dossier's state and dates, and the applicant's fingerprint, as
    recorded in each event."""
    data = {name: _json_value(getattr(dossier, name)) for name in SNAPSHOT_FIELDS}
    data["applicant"] = applicant_fingerprint(dossier)
    # Where it was received, when that is not the agency that settles it (a
    # centre receiving for another agency; a ward merged since): covered like
    # the rest. Absent otherwise, so older histories keep their snapshots.
    place = getattr(dossier, "received_by_agency_id", None)
    if place is not None and place != dossier.agency_id:
        data["received_by_agency_id"] = place
    return data


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(event: Event, dossier_code: str) -> str:
    body = {
        "dossier": dossier_code,
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "at": _json_value(event.at),
        "from": event.from_status,
        "to": event.to_status,
        "step": event.step_id,
        "reason": event.reason,
        "payload": event.payload,
        "prev": event.prev_hash,
    }
    return hashlib.sha256(_canonical(body).encode()).hexdigest()


def append_event(
    dossier: Dossier,
    *,
    action: str,
    actor: Any,
    at: datetime,
    from_status: str,
    step_id: int | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    tail: tuple[int, str] | None = None,
) -> Event:
    """Append the next event of ``dossier`` (call inside the action's transaction,
    with the dossier row locked, after the dossier was saved). ``tail``: the
    number and hash of its last event when the caller knows them for certain
    (a replay that appended it); otherwise they are read."""
    last = tail
    held = None if last else unit.events_of(dossier)
    if held:
        last = (held[-1].seq, held[-1].hash)
    elif not last and held is None:
        last = (
            Event.objects.filter(dossier=dossier)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    data = dict(payload or {})
    data["snapshot"] = snapshot(dossier)
    event = Event(
        dossier=dossier,
        agency_id=dossier.agency_id,
        seq=seq,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "",
        at=at,
        from_status=from_status,
        to_status=dossier.status,
        step_id=step_id,
        reason=reason,
        payload=json.loads(_canonical(data)),
        prev_hash=prev,
    )
    event.hash = event_hash(event, dossier.code)
    return unit.insert(event)


@dataclass(frozen=True)
class Problem:
    dossier_code: str
    seq: int | None
    message: str


def last_event(dossier: Dossier, action: str) -> Event | None:
    """The dossier's latest event of ``action`` (from the replay unit of work
    when it holds the dossier)."""
    held = unit.events_of(dossier)
    if held is None:
        events = Event.objects.filter(dossier=dossier, action=action)
        return events.order_by("-seq").first()
    return next((e for e in reversed(held) if e.action == action), None)


def verify_dossier(
    dossier: Dossier, events: list[Event] | None = None
) -> list[Problem]:
    """Problems in one dossier's history (empty when intact)."""
    if events is None:
        events = list(Event.objects.filter(dossier=dossier).order_by("seq"))
    problems: list[Problem] = []
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            problems.append(
                Problem(dossier.code, event.seq, f"thiếu sự kiện số {expected_seq}")
            )
        if event.prev_hash != prev:
            problems.append(
                Problem(dossier.code, event.seq, "liên kết với sự kiện trước bị sai")
            )
        if event_hash(event, dossier.code) != event.hash:
            problems.append(
                Problem(dossier.code, event.seq, "nội dung sự kiện đã bị sửa")
            )
        prev = event.hash
    if not events:
        problems.append(Problem(dossier.code, None, "hồ sơ không có lịch sử"))
    else:
        problems.extend(_compare_snapshot(dossier, events[-1]))
    return problems


def _compare_snapshot(dossier: Dossier, last: Event) -> list[Problem]:
    recorded = dict(last.payload.get("snapshot") or {})
    current = json.loads(_canonical(snapshot(dossier)))
    problems = []
    if recorded.pop("applicant", None) != current.pop("applicant"):
        problems.append(
            Problem(dossier.code, last.seq, "thông tin người nộp hồ sơ đã bị sửa")
        )
    if recorded != current:
        problems.append(
            Problem(
                dossier.code,
                last.seq,
                "dữ liệu hồ sơ khác với lịch sử (ngày, trạng thái đã bị sửa)",
            )
        )
    return problems


def verify_all(
    agency_code: str | None = None, batch: int = 2000
) -> tuple[int, list[Problem]]:
    """Verify every dossier (optionally of one agency), in batches by id."""
    dossiers = Dossier.objects.select_related("applicant").order_by("id")
    if agency_code:
        dossiers = dossiers.filter(agency__code=agency_code)
    checked, last_id = 0, 0
    problems: list[Problem] = []
    while True:
        chunk = list(dossiers.filter(id__gt=last_id)[:batch])
        if not chunk:
            return checked, problems
        events: dict[int, list[Event]] = {d.pk: [] for d in chunk}
        for event in Event.objects.filter(dossier_id__in=events).order_by(
            "dossier_id", "seq"
        ):
            events[event.dossier_id].append(event)
        for dossier in chunk:
            problems.extend(verify_dossier(dossier, events[dossier.pk]))
        checked += len(chunk)
        last_id = chunk[-1].pk
