"""Back-office records that are not lifecycle events: internal notes and the
desk's calls telling an applicant the result is ready early (Decree 61/2018
Art. 20). Each checks that the actor holds a writing role — a monitor (Giám sát)
reads only — and writes nothing when refused."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.agencies.models import Role
from motcua.agencies.selectors import has_role
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import may_write_on, require_write_on

from .models import CallRecord, Note

__all__ = ["call_record", "may_write_on", "note_add"]


@transaction.atomic
def note_add(actor: Any, dossier: Dossier, text: str) -> Note:
    """An internal note between officers on a dossier they work on."""
    require_write_on(actor, dossier)
    return Note.objects.create(
        dossier=dossier, author=actor, text=text.strip(), created_at=clock.now()
    )


@transaction.atomic
def call_record(actor: Any, dossier: Dossier, note: str = "") -> CallRecord:
    """The desk phoned the applicant that the result is ready."""
    if not has_role(actor, dossier.agency, [Role.RECEPTION]):
        raise DomainError(
            "auth.forbidden",
            _("Chỉ cán bộ một cửa của cơ quan tiếp nhận được ghi nhận cuộc gọi."),
            status=403,
        )
    return CallRecord.objects.create(
        dossier=dossier, by=actor, at=clock.now(), note=note.strip()
    )
