"""Results issued electronically: the PDF the leader signed here
(``motcua.signing``), attached to the dossier as its result file.

Only the applicant — the citizen account the dossier is tied to
(``permissions.is_applicant_of``), signed in — may download it, and only once
the result is ready (``workflow.FINISHED``) with the dossier approved: a draft
result, a refusal or anyone else's request gets the same 404. Each download is
written to the personal-data read log like an officer's (``motcua.privacy``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO, Any

from motcua.core.statements import Statement
from motcua.dossiers import permissions
from motcua.dossiers.files import open_file
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.workflow import FINISHED
from motcua.privacy.models import ReadLog
from motcua.privacy.services import record_read

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResultFile:
    """What the page lists about one downloadable result."""

    id: int
    name: str
    size: int


def result_issued(dossier: Dossier) -> bool:
    """Whether the dossier's result is ready and approved (no draft, no
    refusal is ever offered for download)."""
    return dossier.status in FINISHED and dossier.outcome == Dossier.Outcome.APPROVED


# The signed result files of a dossier, newest first (ADR 0033: compiled once).
SIGNED: Statement[DossierFile] = Statement(
    lambda dossier_id: DossierFile.objects.filter(
        dossier_id=dossier_id, kind=DossierFile.Kind.RESULT, signature__isnull=False
    ).order_by("-uploaded_at", "-id"),
    dossier_id=int,
)


def signed_results_read(
    dossier: Dossier,
) -> tuple[Statement[DossierFile], dict[str, int]] | None:
    """The read that lists ``dossier``'s signed results, for a caller sending
    it with others (``statements.together``); ``None`` when there is nothing
    to read: no result issued (no draft, no refusal is ever offered)."""
    if not result_issued(dossier):
        return None
    return SIGNED, {"dossier_id": dossier.pk}


def signed_results(dossier: Dossier) -> list[DossierFile]:
    """The signed result files of an issued result, newest first (one query)."""
    read = signed_results_read(dossier)
    return read[0].all(**read[1]) if read else []


def listed(files: list[DossierFile]) -> tuple[ResultFile, ...]:
    return tuple(ResultFile(f.pk, f.original_name, f.size) for f in files)


def result_for(user: Any, dossier: Dossier, file_id: int) -> DossierFile | None:
    """The signed result ``file_id`` of ``dossier`` when ``user`` is its
    applicant; ``None`` otherwise (the caller answers 404 either way)."""
    if not permissions.is_applicant_of(user, dossier):
        return None
    return next((f for f in signed_results(dossier) if f.pk == file_id), None)


def open_result(user: Any, dossier: Dossier, item: DossierFile) -> IO[bytes]:
    """The stored bytes, after logging the read (the caller closes them)."""
    stream = open_file(item)
    record_read(user, dossier=dossier, what=ReadLog.What.FILE_VIEW, detail="ket-qua")
    log.info("result_download dossier=%s file=%s", dossier.pk, item.pk)
    return stream
