"""What a webhook says about a dossier event: codes, statuses and dates only —
never the applicant's name, ID number, phone, e-mail or address (Decree
13/2023/NĐ-CP: an integration client needs the state of the file, not the
person)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from motcua.dossiers import timing
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.workflow import DVCQG_STATUS

VERSION = 1


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def build(dossier: Dossier, event: Event) -> dict[str, Any]:
    number, word = DVCQG_STATUS.get(dossier.status, (None, None))  # type: ignore[call-overload]
    return {
        "version": VERSION,
        "event": {
            "action": event.action,
            "seq": event.seq,
            "at": _iso(event.at),
            "from_status": event.from_status or None,
            "to_status": event.to_status,
        },
        "dossier": {
            "code": dossier.code,
            "agency_code": dossier.agency.code,
            "procedure_code": dossier.procedure.code,
            "status": dossier.status,
            "due_at": _iso(timing.dossier_due(dossier)),
            "dvcqg_status": {"code": number, "label": word},
        },
    }
