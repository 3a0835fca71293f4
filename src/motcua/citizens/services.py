"""Writes of the citizen app other apps call.

``citizen_dossier_link`` ties a dossier to the citizen who submitted it (online
submission) or for whom a desk officer submitted it ("tổ hướng dẫn nộp hồ sơ
trực tuyến"); from then on it is in their "Hồ sơ của tôi". Idempotent: a
retried request links once; a dossier already tied to another citizen is
refused (``citizens.dossier_taken``) and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from motcua.core.errors import Conflict
from motcua.dossiers.models import Dossier

from .models import Citizen, CitizenDossier


def citizen_dossier_link(
    citizen: Citizen,
    dossier: Dossier,
    *,
    via: str = CitizenDossier.Via.ONLINE,
    helped_by: Any = None,
) -> CitizenDossier:
    try:
        with transaction.atomic():
            link, _ = CitizenDossier.objects.get_or_create(
                dossier=dossier,
                defaults={"citizen": citizen, "via": via, "helped_by": helped_by},
            )
    except IntegrityError:  # a parallel request linked it first
        link = CitizenDossier.objects.get(dossier=dossier)
    if link.citizen_id != citizen.pk:
        raise Conflict(
            "citizens.dossier_taken",
            "Hồ sơ này đã gắn với tài khoản công dân khác.",
        )
    return link
