"""Export dossiers in the historical-import format (``docs/import.md``).

Each line is built from the stored history (ARCHITECTURE principle 2): the
reception event gives ``received_at``, ``due_at`` and ``by``; each later event
its ``action``, ``at``, ``by``, text and the details its payload recorded, so
importing the file replays the same history. Dossiers are read in batches by
id, never all at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet

from motcua.deadlines.engine import VN_TZ, DeadlineError
from motcua.deadlines.services import calendar_for

from .applicants import REPRESENTATIVE_FIELDS
from .importing import EVENT_FIELDS, IMPORT_USERNAME
from .models import Applicant, Consultation, Dossier, Event, Step
from .workflow import Action

A = Action
DEFAULT_CONSULT_DAYS = 5  # dossier_consult's default
# The event text is written as "reason", except for these actions.
TEXT_KEY: dict[str, str] = {A.CONSULT: "question", A.ANSWER_CONSULT: "answer"}


@dataclass
class ExportReport:
    written: int = 0
    not_received: int = 0  # no reception event: the format cannot hold them
    trimmed: int = 0  # events before reception (online submission…) left out

    def summary(self) -> str:
        text = f"Đã xuất {self.written} hồ sơ."
        if self.not_received:
            text += f" Bỏ qua {self.not_received} hồ sơ chưa được tiếp nhận."
        if self.trimmed:
            text += (
                f" {self.trimmed} hồ sơ có bước trước tiếp nhận (nộp trực tuyến, "
                "bổ sung tại bộ phận một cửa) — các bước đó không được xuất."
            )
        return text


# Not replayed: the seal of older histories and the anonymisation, whose result
# (the applicant's placeholders) is already in the exported applicant.
SYSTEM = frozenset({A.SEAL, A.ANONYMISE})


def iso(value: datetime) -> str:
    """An instant as the file writes it: Vietnam time with its offset."""
    return value.astimezone(VN_TZ).isoformat()


def _actor(event: Event) -> str:
    name = event.actor.username if event.actor is not None else event.actor_name
    return "" if name == IMPORT_USERNAME else name


def _applicant(applicant: Applicant) -> dict[str, Any]:
    row: dict[str, Any] = {"name": applicant.name}
    if applicant.kind != Applicant.Kind.PERSON:
        row["kind"] = applicant.kind
    keys = (
        "id_kind",
        "id_number",
        "phone",
        "email",
        "address",
        "no_contact_reason",
        *REPRESENTATIVE_FIELDS,
        "notify_channels",
    )
    for key in keys:
        if value := getattr(applicant, key):
            row[key] = value
    if applicant.birth_date:
        row["birth_date"] = applicant.birth_date.isoformat()
    return row


def _consult_days(consultation: Consultation | None) -> int | None:
    """The working days asked for, found again from the stored due date (the
    event payload does not record them)."""
    if consultation is None or consultation.due_at is None:
        return None
    calendar = calendar_for(consultation.agency)
    for days in range(1, 61):
        try:
            due = calendar.due(consultation.requested_at, "working_days", days)
        except DeadlineError:
            return None
        if due == consultation.due_at:
            return days
    return None


class _Batch:
    """What a batch of dossiers' events refer to: steps, consultations."""

    def __init__(self, dossier_ids: list[int], events: list[Event]) -> None:
        self.step_assignee = dict(
            Step.objects.filter(dossier_id__in=dossier_ids).values_list(
                "id", "assignee__username"
            )
        )
        self.consultations = {
            c.pk: c
            for c in Consultation.objects.filter(
                dossier_id__in=dossier_ids
            ).select_related("agency")
        }
        self.reassigned = {e.step_id for e in events if e.action == A.ASSIGN}


class _DossierExport:
    def __init__(self, dossier: Dossier, batch: _Batch) -> None:
        self.dossier = dossier
        self.batch = batch
        self.consults: list[int] = []
        self.answered: set[int] = set()

    def line(self, events: list[Event]) -> dict[str, Any]:
        d, receive = self.dossier, events[0]
        row: dict[str, Any] = {
            "agency": d.agency.code,
            "procedure": d.procedure.code,
            "channel": d.channel,
            "code": d.code,
            "applicant": _applicant(d.applicant),
            "received_at": iso(receive.at),
        }
        due_at = receive.payload.get("snapshot", {}).get("due_at")
        if due_at:
            row["due_at"] = iso(datetime.fromisoformat(due_at))
        if by := _actor(receive):
            row["by"] = by
        row["events"] = [self.event(e) for e in events[1:] if e.action not in SYSTEM]
        return row

    def event(self, event: Event) -> dict[str, Any]:
        row: dict[str, Any] = {"action": event.action, "at": iso(event.at)}
        if by := _actor(event):
            row["by"] = by
        row.update(self.details(event))
        text_key = TEXT_KEY.get(event.action, "reason")
        if event.reason and text_key in EVENT_FIELDS.get(event.action, {}):
            row[text_key] = event.reason
        return row

    def details(self, event: Event) -> dict[str, Any]:
        action, payload = event.action, event.payload
        if action == A.REQUEST_SUPPLEMENT and payload.get("items"):
            return {"items": payload["items"]}
        if action == A.ASSIGN:
            return {"assignee": payload["assignee"]}
        if action in (A.FORWARD, A.SUBMIT):
            return self.forwarded_to(payload)
        if action == A.CONSULT:
            return self.consult(payload)
        if action == A.ANSWER_CONSULT:
            return self.answer(payload["consultation"])
        if action == A.REQUEST_PAYMENT:
            return {"amount": payload["amount"]}
        if action == A.FINISH and self.dossier.result_summary:
            return {"result_summary": self.dossier.result_summary}
        if action == A.RETURN_RESULT:
            return self.returned(payload)
        if action == A.EXTEND:
            extra = {"new_due_at": iso(datetime.fromisoformat(payload["new_due_at"]))}
            return extra | ({"override": True} if payload.get("override") else {})
        return {}

    def forwarded_to(self, payload: dict[str, Any]) -> dict[str, Any]:
        if "assignee" in payload:  # recorded by the service since 0.1
            return {"assignee": payload["assignee"]} if payload["assignee"] else {}
        return self.opened_for(payload.get("opened") or [])

    def opened_for(self, opened: list[int]) -> dict[str, Any]:
        """The assignee given when forwarding: the opened step's, unless an
        ``assign`` event changed it later (the history does not say)."""
        if len(opened) != 1 or opened[0] in self.batch.reassigned:
            return {}
        assignee = self.batch.step_assignee.get(opened[0])
        return {"assignee": assignee} if assignee else {}

    def consult(self, payload: dict[str, Any]) -> dict[str, Any]:
        pk = payload["consultation"]
        self.consults.append(pk)
        days = payload.get("working_days") or _consult_days(
            self.batch.consultations.get(pk)
        )
        extra = {"agency": payload["agency"]}
        if days and days != DEFAULT_CONSULT_DAYS:
            extra["working_days"] = days
        return extra

    def answer(self, pk: int) -> dict[str, Any]:
        still_open = [c for c in self.consults if c not in self.answered]
        self.answered.add(pk)
        if still_open and still_open[-1] == pk:
            return {}  # the importer's default: the latest open consultation
        return {"consultation": self.consults.index(pk) + 1}

    def returned(self, payload: dict[str, Any]) -> dict[str, Any]:
        extra: dict[str, Any] = {"method": payload.get("method", "desk")}
        if payload.get("is_applicant", True) is False:
            extra["is_applicant"] = False
            extra["to_name"] = self.dossier.returned_to_name
            extra["to_id_number"] = self.dossier.returned_to_id_number
        return extra


def _selection(
    agency_code: str | None, received_from: date | None, received_to: date | None
) -> QuerySet[Dossier]:
    dossiers = Dossier.objects.select_related("agency", "procedure", "applicant")
    if agency_code:
        dossiers = dossiers.filter(agency__code=agency_code)
    if received_from:
        start = datetime.combine(received_from, time(0), tzinfo=VN_TZ)
        dossiers = dossiers.filter(received_at__gte=start)
    if received_to:
        end = datetime.combine(received_to + timedelta(days=1), time(0), tzinfo=VN_TZ)
        dossiers = dossiers.filter(received_at__lt=end)
    return dossiers.order_by("id")


def export_dossiers(
    *,
    agency_code: str | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    batch_size: int = 500,
    report: ExportReport | None = None,
) -> Iterator[dict[str, Any]]:
    """One import line (as a dict) per received dossier, in id order; filters:
    the agency, the reception date (Vietnam time, both ends included)."""
    report = report if report is not None else ExportReport()
    selection = _selection(agency_code, received_from, received_to)
    last_id = 0
    while chunk := list(selection.filter(id__gt=last_id)[:batch_size]):
        last_id = chunk[-1].pk
        events = list(
            Event.objects.filter(dossier_id__in=[d.pk for d in chunk])
            .select_related("actor")
            .order_by("dossier_id", "seq")
        )
        batch = _Batch([d.pk for d in chunk], events)
        by_dossier: dict[int, list[Event]] = {d.pk: [] for d in chunk}
        for event in events:
            by_dossier[event.dossier_id].append(event)
        for dossier in chunk:
            history = by_dossier[dossier.pk]
            start = next(
                (i for i, e in enumerate(history) if e.action == A.RECEIVE), None
            )
            if start is None:
                report.not_received += 1
                continue
            report.trimmed += int(start > 0)
            report.written += 1
            yield _DossierExport(dossier, batch).line(history[start:])


def export_lines(**filters: Any) -> Iterator[str]:
    """The lines of the file (without the newline)."""
    for row in export_dossiers(**filters):
        yield json.dumps(row, ensure_ascii=False)
