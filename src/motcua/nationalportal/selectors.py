"""Reads of the sync state, for the 766 index and the staff pages."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from . import conf
from .models import SyncState

#: "Synchronised": the portal accepted the dossier at least once and its sync
#: has not ended in failure (a later state the portal refused, or never got
#: within the maximum age, is not "đồng bộ trạng thái").
SYNCHRONISED = Q(first_synced_at__isnull=False) & ~Q(state=SyncState.State.FAILED)


def sync_enabled() -> bool:
    """Whether this installation synchronises with the portal at all."""
    return conf.enabled()


def synchronised(dossier_ref: str = "pk") -> Exists:
    """An expression on a dossier query: its sync is in order (``SYNCHRONISED``)."""
    return Exists(
        SyncState.objects.filter(SYNCHRONISED, dossier_id=OuterRef(dossier_ref))
    )


def sync_state_of(dossier_id: int) -> SyncState | None:
    """The dossier's sync state, for its page (None: never queued)."""
    return SyncState.objects.filter(dossier_id=dossier_id).first()


def failed_states(agency_ids: list[int] | None = None) -> QuerySet[SyncState]:
    rows = SyncState.objects.filter(state=SyncState.State.FAILED)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    return rows
