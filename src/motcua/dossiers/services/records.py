"""Records: a file attached to the history, and the applicant anonymised once
the data is no longer needed (Decree 13/2023/NĐ-CP Art. 16).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from motcua.core.text import fold

from ..applicants import ANONYMOUS_NAME, REPRESENTATIVE_FIELDS
from ..models import Dossier
from ._common import A, _begin, _require_text, service_action


# ------------------------------------------------------------ files
@service_action
def dossier_record_file(actor: Any, dossier: Dossier, *, dossier_file: Any) -> Dossier:
    """Record in the history that a file was attached (its name, kind and
    SHA-256), in the transaction that stores it: a later swap of the bytes shows
    up against the recorded hash."""
    act = _begin(A.ATTACH_FILE, actor, dossier, None)
    return act.commit(
        payload={
            "file": dossier_file.pk,
            "name": dossier_file.original_name,
            "kind": dossier_file.kind,
            "sha256": dossier_file.sha256,
            "size": dossier_file.size,
        }
    )


# ------------------------------------------------------------ privacy
@service_action
def dossier_anonymise_applicant(
    dossier: Dossier,
    *,
    actor: Any = None,
    now: datetime | None = None,
    reason: str,
) -> Dossier:
    """Replace the applicant's personal data of a closed dossier with neutral
    placeholders once it is no longer needed (Decree 13/2023/NĐ-CP Art. 16);
    the figures (status, dates, timing, outcome) stay. ``actor`` None: the
    system (the retention purge); an officer needs the agency admin role.
    Idempotent: a dossier already anonymised is returned unchanged, no event."""
    reason = _require_text(reason, "dossier.reason_required", "lý do ẩn danh")
    act = _begin(A.ANONYMISE, actor, dossier, None, check_roles=actor is not None)
    if act.dossier.events.filter(action=A.ANONYMISE).exists():
        return act.dossier
    if now is not None:
        act.now = now
    d, applicant = act.dossier, act.dossier.applicant
    applicant.name = ANONYMOUS_NAME
    applicant.id_kind = applicant.id_number = ""
    applicant.phone = applicant.email = applicant.address = ""
    applicant.birth_date = None
    applicant.no_contact_reason = ANONYMOUS_NAME
    for name in REPRESENTATIVE_FIELDS:  # the authorised person too
        setattr(applicant, name, "")
    applicant.fingerprint_salt = secrets.token_hex(16)  # old fingerprints unlinkable
    applicant.save()
    d.returned_to_name = d.returned_to_id_number = ""
    d.search_text = fold(d.code)[:600]
    return act.commit(reason=reason)
