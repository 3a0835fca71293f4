"""Reading transfers for the screens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from motcua.dossiers.workflow import Status

from .models import OutboundTransfer


@dataclass(frozen=True)
class TransferLine:
    """One step of the dossier handed to another system, as the officer sees it."""

    peer: str
    state: str
    remote_status: str  # the other side's dossier status, in our words
    remote_reference: str
    updated_at: datetime | None


def transfers_of(dossier_id: int) -> list[TransferLine]:
    """The dossier's steps handed to other systems, oldest first (one query).
    The other side's status is one of our own statuses (docs/exchange.md), so
    its label comes from the one enum; an unknown word is shown as it came."""
    labels = dict(Status.choices)
    rows = (
        OutboundTransfer.objects.filter(dossier_id=dossier_id)
        .select_related("peer")
        .order_by("created_at", "pk")
    )
    return [
        TransferLine(
            peer=t.peer.name,
            state=t.get_state_display(),
            remote_status=str(labels.get(t.remote_status, t.remote_status)),
            remote_reference=t.remote_reference,
            updated_at=t.completed_at or t.accepted_at or t.created_at,
        )
        for t in rows
    ]
