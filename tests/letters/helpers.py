"""Dossiers with an approved (or refused) result, a signing leader with a
Vietnamese name, and letter templates for the world's procedure."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from pypdf import PdfReader

from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.letters.models import LetterTemplate
from tests.dossiers.builders import World, vn

RESULT_AT = vn(2026, 3, 10, 9)


def name_leader(world: World) -> None:
    world.leader.first_name = "Thu"
    world.leader.last_name = "Trần Thị"
    world.leader.save()


def letter_template(world: World, **overrides: Any) -> LetterTemplate:
    values: dict[str, Any] = {
        "procedure_code": world.procedure.code,
        "kind": LetterTemplate.Kind.CONGRATULATION,
        "valid_from": date(2026, 1, 1),
        "title": "THƯ CHÚC MỪNG",
        "body": "Kính gửi {nguoi_nop},\n\n{co_quan} chúc mừng gia đình "
        "ngày {ngay}.\n\nHồ sơ {ma_ho_so}.",
        "signer_title": "Chủ tịch",
    }
    values.update(overrides)
    template = LetterTemplate(**values)
    template.full_clean()
    template.save()
    return template


def approved(world: World, when: Any = RESULT_AT) -> Dossier:
    """Received, processed, signed by the leader and ready at the desk."""
    dossier = world.processing(when)
    with world.at(when):
        dossier = services.dossier_submit(world.specialist, dossier)
        dossier = services.dossier_approve(world.leader, dossier)
        return services.dossier_finish(world.reception, dossier)


def returned(world: World, when: Any = RESULT_AT) -> Dossier:
    dossier = approved(world, when)
    with world.at(when):
        return services.dossier_return_result(world.reception, dossier, method="post")


def refused(world: World, when: Any = RESULT_AT) -> Dossier:
    dossier = world.processing(when)
    with world.at(when):
        return services.dossier_refuse(
            world.specialist, dossier, reason="Không đủ điều kiện"
        )


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def now() -> Any:
    return clock.now()
