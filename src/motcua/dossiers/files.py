"""Documents attached to a dossier: scans of what was handed in, and results.

Only PDF, JPEG and PNG are kept, recognised by their first bytes (a renamed file
is refused whatever its extension or declared type), up to
``settings.MOTCUA_MAX_UPLOAD_BYTES``. Every check runs before anything is
written; the row and the stored file are written together or not at all.
"""

from __future__ import annotations

import logging
import uuid
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction

from motcua.core import clock
from motcua.core.errors import DomainError

from . import permissions, services, uploads
from .models import Dossier, DossierComponent, DossierFile
from .workflow import Action

log = logging.getLogger(__name__)

KINDS = (DossierFile.Kind.SCAN, DossierFile.Kind.RESULT)
# The upload rules live in ``uploads`` (shared with the other apps' files).
detect_type = uploads.detect_type
_sha256_and_size = uploads.sha256_and_size
_check_size = uploads.check_size
_clean_name = uploads.clean_name


@transaction.atomic
def dossier_file_upload(
    actor: Any,
    dossier: Dossier,
    *,
    upload: Any,
    kind: str = DossierFile.Kind.SCAN,
    component_id: int | None = None,
) -> DossierFile:
    """Attach a scan or a result (Decree 45/2020/NĐ-CP Art. 10: dossiers are
    digitised at reception) — by the desk, a specialist or a leader of the
    dossier's agency, or of another agency handling one of its active steps."""
    permissions.check_action(actor, dossier, Action.ATTACH_FILE)
    if kind not in KINDS:
        raise DomainError("file.invalid_kind", "Loại tệp phải là scan hoặc result.")
    if kind != DossierFile.Kind.SCAN and permissions.is_citizen(actor):
        raise DomainError(
            "file.invalid_kind", "Người nộp hồ sơ chỉ gửi được bản chụp giấy tờ."
        )
    component = _component(dossier, component_id)
    _check_size(int(getattr(upload, "size", 0) or 0))
    upload.seek(0)
    detected = detect_type(upload.read(16))
    if detected is None:
        raise DomainError(
            "file.invalid_type",
            "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp).",
        )
    sha256, size = _sha256_and_size(upload)
    _check_size(size)
    content_type, extension = detected
    item = DossierFile(
        dossier=dossier,
        component=component,
        kind=kind,
        original_name=_clean_name(getattr(upload, "name", "")),
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    _store(item, upload, extension)
    try:
        services.dossier_record_file(actor, dossier, dossier_file=item)
    except Exception:
        item.file.delete(save=False)  # storage is not transactional
        raise
    log.info("file_upload dossier=%s file=%s size=%s", dossier.pk, item.pk, size)
    return item


def _component(dossier: Dossier, component_id: int | None) -> DossierComponent | None:
    if component_id is None:
        return None
    component = DossierComponent.objects.filter(
        pk=component_id, dossier=dossier
    ).first()
    if component is None:
        raise DomainError(
            "file.unknown_component", "Không tìm thấy thành phần hồ sơ này."
        )
    return component


def _store(item: DossierFile, upload: Any, extension: str) -> None:
    """Write the bytes, then the row, in one transaction; a failed row removes
    the bytes again. (Called inside an outer transaction that later rolls back,
    the bytes stay as an orphan: storage is not transactional.)"""
    item.file.save(f"{uuid.uuid4().hex}{extension}", File(upload), save=False)
    stored = item.file.name
    try:
        with transaction.atomic():
            item.save()
    except Exception:
        item.file.storage.delete(stored)
        raise


def open_file(item: DossierFile) -> IO[bytes]:
    """The stored bytes of ``item`` (the caller closes it)."""
    return item.file.open("rb")
