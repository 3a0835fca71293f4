"""The JSON bodies of the exchange protocol (docs/exchange.md), built here and
read back by the receiving side's serializers (``serializers.py``).

A body is built once, when its delivery is written to the outbox, so every
retry sends the same bytes (the receiver compares them under the idempotency
key); only the files' bytes are read at sending time, by their id, and their
SHA-256 is checked against the one recorded then.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

from motcua.dossiers.models import Dossier, DossierFile, Step
from motcua.dossiers.workflow import DVCQG_STATUS, Status

from .models import InboundTransfer, OutboundTransfer

PROTOCOL = "motcua-exchange/1"
TRANSFERS_PATH = "/api/v1/exchange/transfers/"


def updates_path(transfer_id: str) -> str:
    return f"{TRANSFERS_PATH}{transfer_id}/updates/"


def cancel_path(transfer_id: str) -> str:
    return f"{TRANSFERS_PATH}{transfer_id}/cancel/"


def cancel_body(
    transfer: OutboundTransfer, at: datetime, reason: str
) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL,
        "transfer_id": str(transfer.transfer_id),
        "at": at.isoformat(),
        "reason": reason,
    }


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _file_refs(files: list[DossierFile], components: list[int]) -> list[dict[str, Any]]:
    """Files by id (their bytes are added when sent, ``with_contents``)."""
    return [
        {
            "file_id": f.pk,
            "name": f.original_name,
            "content_type": f.content_type,
            "size": f.size,
            "sha256": f.sha256,
            "component": (
                components.index(f.component_id)
                if f.component_id in components
                else None
            ),
        }
        for f in files
    ]


def transfer_body(transfer: OutboundTransfer) -> dict[str, Any]:
    """What the remote step needs: the procedure, the step and its deadline,
    the dossier's dates, the applicant's identity (not their contacts: the
    one-stop that received the dossier keeps talking to them), the components
    and their scans."""
    dossier: Dossier = transfer.dossier
    step: Step = transfer.step
    applicant = dossier.applicant
    components = list(dossier.components.order_by("id"))
    component_ids = [c.pk for c in components]
    scans = list(dossier.files.filter(kind=DossierFile.Kind.SCAN).order_by("id"))
    return {
        "protocol": PROTOCOL,
        "transfer_id": str(transfer.transfer_id),
        "to_agency": transfer.remote_code,
        "origin": {
            "agency_code": dossier.agency.code,
            "agency_name": dossier.agency.name,
            "dossier_code": dossier.code,
        },
        "procedure": {
            "code": dossier.procedure.code,
            "name": dossier.procedure_version.name,
        },
        "step": {
            "name": step.name,
            "started_at": _when(step.started_at),
            "due_at": _when(step.due_at),
            "budget_hours": str(step.budget_hours),
        },
        "dossier": {
            "channel": dossier.channel,
            "received_at": _when(dossier.received_at),
            "due_at": _when(dossier.due_at),
        },
        "applicant": {
            "kind": applicant.kind,
            "name": applicant.name,
            "id_kind": applicant.id_kind,
            "id_number": applicant.id_number,
            "birth_date": (
                applicant.birth_date.isoformat() if applicant.birth_date else None
            ),
            "address": applicant.address,
        },
        "components": [
            {"name": c.name, "kind": c.kind, "count": c.count} for c in components
        ],
        "files": _file_refs(scans, component_ids),
    }


def status_of(status: str) -> dict[str, Any]:
    """A status as exchanged: ours, with the national portal's code."""
    code, name = DVCQG_STATUS[Status(status)]
    return {"status": status, "dvcqg_status": code, "dvcqg_name": name}


def update_body(
    inbound: InboundTransfer,
    sequence: int,
    status: str,
    at: datetime,
    note: str,
) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL,
        "transfer_id": str(inbound.transfer_id),
        "sequence": sequence,
        "type": "status",
        **status_of(status),
        "at": at.isoformat(),
        "note": note,
    }


def result_body(
    inbound: InboundTransfer, sequence: int, at: datetime
) -> dict[str, Any]:
    dossier = inbound.dossier
    results = list(dossier.files.filter(kind=DossierFile.Kind.RESULT).order_by("id"))
    return {
        "protocol": PROTOCOL,
        "transfer_id": str(inbound.transfer_id),
        "sequence": sequence,
        "type": "result",
        **status_of(dossier.status),
        "at": at.isoformat(),
        "outcome": dossier.outcome or "",
        "reference": dossier.code,
        "summary": dossier.result_summary,
        "files": _file_refs(results, []),
    }


class FileChanged(Exception):
    """A file's stored bytes no longer match the SHA-256 recorded when the
    delivery was written: nothing is sent."""


def with_contents(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with each file's bytes in ``content`` (base64) instead of its id."""
    refs = body.get("files") or []
    if not refs:
        return body
    rows = DossierFile.objects.in_bulk([ref["file_id"] for ref in refs])
    files = []
    for ref in refs:
        item = rows.get(ref["file_id"])
        if item is None:
            raise FileChanged(f"file {ref['file_id']} is gone")
        with item.file.open("rb") as stream:
            raw = stream.read()
        if hashlib.sha256(raw).hexdigest() != ref["sha256"]:
            raise FileChanged(f"file {ref['file_id']} changed")
        entry = {k: v for k, v in ref.items() if k != "file_id"}
        entry["content"] = base64.b64encode(raw).decode("ascii")
        files.append(entry)
    return {**body, "files": files}
