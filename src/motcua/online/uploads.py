"""Files of a draft: checked when uploaded by the rules of ``dossiers.files``
(content, not name or declared type; size), kept with the draft, attached to
the dossier through ``dossiers.files.dossier_file_upload`` on submission."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.base import File
from django.db import transaction

from motcua.catalog.models import Component, ProcedureVersion
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import files as file_ops
from motcua.dossiers import uploads as file_rules
from motcua.dossiers.models import Dossier

from .models import Draft, DraftFile

MAX_PER_COMPONENT = 5


@dataclass(frozen=True)
class Checked:
    component: Component
    upload: Any
    content_type: str
    extension: str
    size: int


class UploadRefused(DomainError):
    """One upload refused: ``field`` names the component's input."""

    def __init__(self, component: Component, error: DomainError) -> None:
        super().__init__(error.code, f"«{component.name}»: {error.message}")
        self.field = f"component.{component.pk}"
        self.fields = {self.field: self.message}


def check_one(upload: Any) -> tuple[str, str, int]:
    """``(content type, extension, size)`` of an accepted upload, or the
    ``DomainError`` of ``dossiers.files`` (type by content, size)."""
    size = int(getattr(upload, "size", 0) or 0)
    file_rules.check_size(size)  # the one size rule of dossier files
    upload.seek(0)
    detected = file_rules.detect_type(upload.read(16))
    upload.seek(0)
    if detected is None:
        raise DomainError(
            "file.invalid_type",
            "Tệp không đúng định dạng: chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra "
            "theo nội dung tệp, không theo tên tệp).",
        )
    return detected[0], detected[1], size


def check_all(
    version: ProcedureVersion, add: Mapping[int, Iterable[Any]]
) -> list[Checked]:
    """Every upload checked before anything is written."""
    components = {c.pk: c for c in version.components.all()}
    checked = []
    for component_id, files in add.items():
        component = components.get(int(component_id))
        if component is None:
            raise DomainError(
                "file.unknown_component", "Không tìm thấy thành phần hồ sơ này."
            )
        files = [f for f in files if f is not None]
        if len(files) > MAX_PER_COMPONENT:
            raise UploadRefused(
                component,
                DomainError(
                    "file.too_many", f"Tối đa {MAX_PER_COMPONENT} tệp cho mỗi giấy tờ."
                ),
            )
        for upload in files:
            try:
                content_type, extension, size = check_one(upload)
            except DomainError as exc:
                raise UploadRefused(component, exc) from None
            checked.append(Checked(component, upload, content_type, extension, size))
    return checked


def store(draft: Draft, checked: list[Checked]) -> None:
    """Keep the checked uploads with ``draft`` (inside its transaction; a
    rollback removes the bytes written)."""
    have: dict[int, int] = {}
    for row in DraftFile.objects.filter(draft=draft).values("component_id"):
        have[row["component_id"]] = have.get(row["component_id"], 0) + 1
    for item in checked:
        count = have.get(item.component.pk, 0) + 1
        if count > MAX_PER_COMPONENT:
            raise UploadRefused(
                item.component,
                DomainError(
                    "file.too_many", f"Tối đa {MAX_PER_COMPONENT} tệp cho mỗi giấy tờ."
                ),
            )
        have[item.component.pk] = count
        _store_one(draft, item)


def _store_one(draft: Draft, item: Checked) -> None:
    """The bytes, then the row; a failed row removes the bytes again (as
    ``dossiers.files`` does: storage is not transactional)."""
    row = DraftFile(
        draft=draft,
        component=item.component,
        original_name=file_rules.clean_name(getattr(item.upload, "name", "")),
        content_type=item.content_type,
        size=item.size,
        uploaded_at=clock.now(),
    )
    row.file.save(f"{uuid.uuid4().hex}{item.extension}", File(item.upload), save=False)
    stored = row.file.name
    try:
        with transaction.atomic():
            row.save()
    except Exception:
        row.file.storage.delete(stored)
        raise


def delete_on_commit(files: Iterable[DraftFile]) -> None:
    """Remove the bytes of deleted draft files once the deletion commits."""
    names = [(f.file.storage, f.file.name) for f in files if f.file]
    transaction.on_commit(lambda: [s.delete(n) for s, n in names])


def attach(actor: Any, dossier: Dossier, files: list[DraftFile]) -> None:
    """Attach the draft's files to ``dossier`` (just created by ``actor`` in
    this transaction), each to its component."""
    components = {c.template_id: c.pk for c in dossier.components.all()}
    for item in files:
        with item.file.open("rb") as handle:
            upload = File(handle, name=item.original_name)
            component_id = components.get(item.component_id)
            file_ops.dossier_file_upload(
                actor, dossier, upload=upload, component_id=component_id
            )
    DraftFile.objects.filter(pk__in=[f.pk for f in files]).delete()
    delete_on_commit(files)
