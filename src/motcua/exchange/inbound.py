"""What this system does with a peer's requests, through the dossier services
(the peer's technical account is the actor, so who may act is decided where it
always is, ``dossiers.permissions``).

* A package (``transfer_receive``): the step becomes a dossier of ours at the
  named agency — received by the peer's account (it needs the reception role
  there), due at the step's deadline, with the components and scans sent.
* An update of a step we handed over (``transfer_record_update``): a status is
  kept on the transfer; a result attaches its files to our dossier and
  finishes the step at the stand-in agency (``dossier_forward``), so the
  history, slip 05 and the figures see the step end when the peer finished it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.core.errors import Conflict, DomainError, NotFound
from motcua.dossiers import files as dossier_files
from motcua.dossiers import services, uploads
from motcua.dossiers.models import DossierFile, Step
from motcua.dossiers.services import ApplicantInput, ComponentInput, DossierInput
from motcua.dossiers.workflow import OPEN, Status

from .models import InboundTransfer, OutboundTransfer, Peer, StatusUpdate

RECEIVED = "received"


def _account(peer: Peer) -> Any:
    if peer.account is None:
        raise DomainError(
            "exchange.peer_not_ready",
            "Hệ thống liên thông chưa có tài khoản kỹ thuật tại đây.",
            status=403,
        )
    return peer.account


def _decode(entry: dict[str, Any]) -> bytes:
    """A file's bytes, checked against its declared size and SHA-256 and the
    upload rules (size limit; the type is checked by content on storing)."""
    try:
        raw = base64.b64decode(entry["content"], validate=True)
    except (binascii.Error, ValueError):
        raise DomainError(
            "exchange.bad_file", f"Tệp «{entry['name']}» không phải base64 hợp lệ."
        ) from None
    uploads.check_size(len(raw))
    if len(raw) != entry["size"] or hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        raise DomainError(
            "exchange.file_mismatch",
            f"Tệp «{entry['name']}» không khớp kích thước hoặc mã băm SHA-256.",
        )
    return raw


def _attach(
    actor: Any, dossier: Any, entry: dict[str, Any], kind: str, component_id: Any
) -> DossierFile:
    upload = ContentFile(_decode(entry), name=uploads.clean_name(entry["name"]))
    return dossier_files.dossier_file_upload(
        actor, dossier, upload=upload, kind=kind, component_id=component_id
    )


# ------------------------------------------------------------ packages
@transaction.atomic
def transfer_receive(peer: Peer, data: dict[str, Any]) -> dict[str, Any]:
    """Receive a step handed over by ``peer`` as a dossier of ours; the answer
    names it. A transfer received once is never received twice."""
    actor = _account(peer)
    transfer_id = data["transfer_id"]
    if InboundTransfer.objects.filter(peer=peer, transfer_id=transfer_id).exists():
        raise Conflict(
            "exchange.duplicate_transfer",
            "Hồ sơ liên thông này đã được tiếp nhận (mã liên thông trùng).",
        )
    agency = Agency.objects.filter(code=data["to_agency"], remote__isnull=True).first()
    if agency is None:
        raise NotFound(
            "exchange.unknown_agency",
            f"Không có cơ quan mã {data['to_agency']} tại hệ thống này.",
        )
    procedure = Procedure.objects.filter(code=data["procedure"]["code"]).first()
    if procedure is None:
        raise NotFound(
            "exchange.unknown_procedure",
            f"Không có thủ tục mã {data['procedure']['code']} tại hệ thống này.",
        )
    origin = data["origin"]
    person = data["applicant"]
    applicant = ApplicantInput(
        name=person["name"],
        kind=person["kind"],
        id_kind=person.get("id_kind") or "",
        id_number=person.get("id_number") or "",
        birth_date=person.get("birth_date"),
        address=person.get("address") or "",
        no_contact_reason=(
            f"Hồ sơ liên thông từ {origin['agency_name']}: cơ quan tiếp nhận ban "
            "đầu liên hệ với người nộp."
        ),
    )
    dossier = services.dossier_receive(
        actor,
        data=DossierInput(
            agency=agency,
            procedure=procedure,
            channel=data["dossier"]["channel"],
            applicant=applicant,
            components=[
                ComponentInput(name=c["name"], kind=c["kind"], count=c["count"])
                for c in data["components"]
            ],
            due_at=data["step"].get("due_at"),
        ),
    )
    component_ids = list(dossier.components.order_by("id").values_list("pk", flat=True))
    for entry in data["files"]:
        index = entry.get("component")
        if index is not None and index >= len(component_ids):
            raise DomainError(
                "exchange.bad_file",
                f"Tệp «{entry['name']}» gắn với thành phần hồ sơ không tồn tại.",
            )
        component = component_ids[index] if index is not None else None
        _attach(actor, dossier, entry, DossierFile.Kind.SCAN, component)
    InboundTransfer.objects.create(
        peer=peer,
        transfer_id=transfer_id,
        dossier=dossier,
        origin_agency_code=origin["agency_code"],
        origin_agency_name=origin["agency_name"],
        origin_dossier_code=origin["dossier_code"],
        step_name=data["step"]["name"],
        step_due_at=data["step"].get("due_at"),
        created_at=clock.now(),
    )
    return {
        "transfer_id": str(transfer_id),
        "reference": dossier.code,
        "status": RECEIVED,
    }


# ------------------------------------------------------------ updates
@transaction.atomic
def transfer_record_update(
    peer: Peer, transfer_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Record a status or the result the peer reports for a step we handed
    over (each sequence number once)."""
    if str(data["transfer_id"]) != str(transfer_id):
        raise DomainError(
            "exchange.transfer_mismatch",
            "Mã liên thông trong nội dung khác mã trên địa chỉ yêu cầu.",
        )
    transfer = (
        OutboundTransfer.objects.select_for_update()
        .filter(peer=peer, transfer_id=transfer_id)
        .first()
    )
    if transfer is None:
        raise NotFound(
            "exchange.unknown_transfer", "Không tìm thấy hồ sơ đã gửi liên thông này."
        )
    sequence = data["sequence"]
    answer = {"transfer_id": str(transfer_id), "sequence": sequence, "recorded": True}
    if transfer.updates.filter(sequence=sequence).exists():
        return answer | {"recorded": False}
    now = clock.now()
    StatusUpdate.objects.create(
        transfer=transfer,
        sequence=sequence,
        status=data["status"],
        note=(data.get("note") or data.get("summary") or "")[:4000],
        at=data["at"],
        received_at=now,
    )
    newest = not transfer.updates.filter(sequence__gt=sequence).exists()
    if newest:
        transfer.remote_status = data["status"]
    if transfer.state == OutboundTransfer.State.SENDING:
        transfer.state = OutboundTransfer.State.ACCEPTED  # its answer was lost
        transfer.accepted_at = now
    if data["type"] == "result":
        _record_result(peer, transfer, data, now)
    transfer.save()
    return answer


def _record_result(
    peer: Peer, transfer: OutboundTransfer, data: dict[str, Any], now: datetime
) -> None:
    actor = _account(peer)
    if transfer.state == OutboundTransfer.State.COMPLETED:
        return
    dossier = transfer.dossier
    step = Step.objects.get(pk=transfer.step_id)
    if step.state != Step.State.ACTIVE:
        raise Conflict(
            "exchange.step_closed",
            "Bước liên thông của hồ sơ đã kết thúc tại hệ thống gửi; không nhận "
            "thêm kết quả.",
        )
    for entry in data.get("files") or []:
        _attach(actor, dossier, entry, DossierFile.Kind.RESULT, None)
    services.dossier_forward(
        actor, dossier, step_id=step.pk, note=_result_note(transfer, data)
    )
    transfer.state = OutboundTransfer.State.COMPLETED
    transfer.completed_at = now
    transfer.remote_reference = (
        transfer.remote_reference or str(data.get("reference") or "")[:100]
    )


def _result_note(transfer: OutboundTransfer, data: dict[str, Any]) -> str:
    outcome = (
        "từ chối giải quyết" if data.get("outcome") == "refused" else "đã giải quyết"
    )
    summary = (data.get("summary") or "").strip()
    status = Status(data["status"]).label
    text = (
        f"Kết quả liên thông từ {transfer.peer.name} (mã hồ sơ bên kia "
        f"{transfer.remote_reference or data.get('reference') or '—'}): {outcome}, "
        f"trạng thái «{status}»."
    )
    return f"{text} {summary}".strip()


# ------------------------------------------------------------ cancellation
@transaction.atomic
def transfer_cancel(
    peer: Peer, transfer_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    """The origin no longer needs a step it handed to us: our dossier for it is
    withdrawn (by the peer's account, with the origin's reason), unless it has
    already ended."""
    if str(data["transfer_id"]) != str(transfer_id):
        raise DomainError(
            "exchange.transfer_mismatch",
            "Mã liên thông trong nội dung khác mã trên địa chỉ yêu cầu.",
        )
    inbound = (
        InboundTransfer.objects.select_related("dossier")
        .filter(peer=peer, transfer_id=transfer_id)
        .first()
    )
    if inbound is None:
        raise NotFound(
            "exchange.unknown_transfer", "Không tìm thấy hồ sơ nhận liên thông này."
        )
    dossier = inbound.dossier
    cancelled = dossier.status in OPEN
    if cancelled:
        reason = (data.get("reason") or "").strip()
        dossier = services.dossier_withdraw(
            _account(peer),
            dossier,
            reason=(
                f"{inbound.origin_agency_name} không cần bước liên thông này nữa"
                + (f": {reason}" if reason else ".")
            ),
        )
    return {
        "transfer_id": str(transfer_id),
        "cancelled": cancelled,
        "status": dossier.status,
    }
