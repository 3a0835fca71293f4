"""The letter of a dossier: its text filled in, and its PDF (WeasyPrint, the
slips' fonts and fetcher)."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from motcua.core import clock
from motcua.core.dates import vn_date
from motcua.core.errors import DomainError
from motcua.core.names import display_name
from motcua.dossiers.models import Dossier
from motcua.slips.pdf import font_face_css, html_to_pdf

from .models import LetterTemplate
from .placeholders import fill
from .selectors import child_name, letter_for


@dataclass(frozen=True)
class Letter:
    kind: str
    kind_label: str
    title: str
    paragraphs: list[str]
    agency: str
    place_date: str
    signer_title: str
    signer_name: str
    code: str


def _values(dossier: Dossier, template: LetterTemplate) -> dict[str, str]:
    day = dossier.returned_at or dossier.finished_at or clock.now()
    return {
        "nguoi_nop": dossier.applicant.name,
        "ten_tre": child_name(dossier) or "cháu",
        "co_quan": dossier.agency.name,
        "ngay": vn_date(day),
        "ma_ho_so": dossier.code,
        "nguoi_ky": display_name(dossier.signed_by),
        "chuc_vu": template.signer_title,
    }


def build_letter(dossier: Dossier) -> Letter:
    """The letter issued with ``dossier``'s result; ``DomainError``
    ``letters.not_applicable`` (404) when none applies."""
    template = letter_for(dossier)
    if template is None:
        raise DomainError(
            "letters.not_applicable",
            "Hồ sơ này không có thư gửi kèm kết quả.",
            status=404,
        )
    values = _values(dossier, template)
    body = fill(template.body, values).replace("\r\n", "\n")
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    return Letter(
        kind=template.kind,
        kind_label=str(LetterTemplate.Kind(template.kind).label),
        title=fill(template.title, values),
        paragraphs=paragraphs,
        agency=dossier.agency.name,
        place_date=values["ngay"],
        signer_title=fill(template.signer_title, values),
        signer_name=values["nguoi_ky"],
        code=dossier.code,
    )


def render_letter_pdf(dossier: Dossier) -> bytes:
    """The letter as an A5 PDF."""
    letter = build_letter(dossier)
    html = render_to_string(
        "letters/letter_pdf.html", {"letter": letter, "font_css": font_face_css()}
    )
    return html_to_pdf(html)
