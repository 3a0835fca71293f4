"""A supplement request answered online by the applicant (Decree 61/2018
Art. 19(4); Decree 118/2025): the citizen whose account the dossier is tied to
uploads what is missing, with a note, and the dossier is resubmitted as that
citizen — back to the desk before reception, back to processing after it, the
time limit restarted or shifted by the agency's supplement policy
(``services.dossier_resubmit`` applies it).

The files go through ``dossiers.files`` (type recognised by content, size
limit, hash recorded in the history) and the resubmission happens in the same
transaction: any refusal leaves no file row, no event, no stored bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from motcua.core.errors import DomainError
from motcua.dossiers import permissions, services
from motcua.dossiers.files import dossier_file_upload
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.workflow import Status

log = logging.getLogger(__name__)

MAX_FILES = 10
MAX_NOTE = 2000


def may_answer(user: Any, dossier: Dossier) -> bool:
    """Whether ``user`` may answer this dossier's supplement request online now:
    its own citizen account, while it waits for a supplement."""
    return dossier.status == Status.WAITING_SUPPLEMENT and (
        permissions.is_applicant_of(user, dossier)
    )


def labelled(upload: Any, item: str) -> Any:
    """Name the file after the missing item it answers, so the desk sees which
    is which (``Giấy chứng sinh – scan.pdf``)."""
    original = str(getattr(upload, "name", "") or "tep")
    if item:
        upload.name = f"{item[:120]} – {original}"
    return upload


def _check(uploads: Sequence[Any], note: str) -> str:
    if not uploads:
        raise DomainError(
            "supplement.no_file", "Cần chọn ít nhất một tệp giấy tờ để bổ sung."
        )
    if len(uploads) > MAX_FILES:
        raise DomainError(
            "supplement.too_many_files",
            f"Mỗi lần bổ sung tối đa {MAX_FILES} tệp.",
        )
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(
            "supplement.note_too_long", f"Ghi chú tối đa {MAX_NOTE} ký tự."
        )
    return note


def supplement_answer(
    user: Any,
    dossier: Dossier,
    *,
    uploads: Sequence[Any],
    note: str = "",
) -> Dossier:
    """Store ``uploads`` as scans of ``dossier`` and resubmit it as ``user``
    (the applicant), all or nothing. Raises ``DomainError`` (403 for anyone
    but the applicant, 409 when it no longer waits for a supplement — a
    second click of the same form changes nothing)."""
    note = _check(uploads, note)
    stored: list[DossierFile] = []
    try:
        with transaction.atomic():
            for upload in uploads:
                stored.append(
                    dossier_file_upload(
                        user, dossier, upload=upload, kind=DossierFile.Kind.SCAN
                    )
                )
            resubmitted = services.dossier_resubmit(user, dossier, note=note)
    except Exception:
        for item in stored:  # storage is not transactional: remove the bytes
            item.file.storage.delete(item.file.name)
        raise
    log.info(
        "supplement_answered dossier=%s files=%s status=%s",
        dossier.pk,
        len(stored),
        resubmitted.status,
    )
    return resubmitted
