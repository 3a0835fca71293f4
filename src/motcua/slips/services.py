"""Official slips as PDF (Circular 01/2018/TT-VPCP Art. 9 until 14/09/2025;
Circular 03/2025/TT-VPCP Annex I from 15/09/2025). The set, basis line, desk
name and citations are those of the law in force on the dossier's own law day
(``motcua.law``, ADR 0014) — never today's, never the agency's. Slips are A5
portrait, the register A4 landscape; each slip carries the dossier code and a QR
code with the signed link that opens its public tracking page
(``motcua.portal.qr``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.template.loader import render_to_string

from motcua.agencies.models import Agency
from motcua.agencies.selectors import name_on
from motcua.core import clock
from motcua.core.dates import local
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import agency_at
from motcua.dossiers.workflow import Action, Status
from motcua.law.selectors import law_day
from motcua.portal.qr import qr_url

from . import content
from . import formatting as fmt
from .forms import DOSSIER_KINDS, REGISTER, FormSpec, SlipLaw, slip_law
from .pdf import font_face_css, html_to_pdf, qr_data_uri, tracking_url
from .register import register_rows
from .xlsx import register_workbook


def _header(agency: Agency, law: SlipLaw, spec: FormSpec, day: date) -> dict[str, Any]:
    """The letterhead as it was on ``day``, the slip's own date: a rename or a
    merger later never changes a reprint (``agencies.selectors.name_on``)."""
    parent = agency.parent
    name = name_on(agency, day)
    return {
        "font_css": font_face_css(),
        "law": law,
        "form_set": law.form_set,
        "form": spec,
        "agency_name": name,
        "parent_name": name_on(parent, day) if parent else "",
        "place": fmt.place_of(name),
    }


def applicable_kinds(dossier: Dossier) -> list[str]:
    """The slips this dossier has, in form order, decided from its state and the
    actions in its history (one query) — the same facts the builders require."""
    return _kinds(dossier, slip_law(law_day(dossier)).form_set.forms)


def _kinds(dossier: Dossier, forms: Mapping[str, FormSpec]) -> list[str]:
    done = set(dossier.events.values_list("action", flat=True))
    received = dossier.received_at is not None
    has = {
        "receipt": received,
        "supplement": Action.REQUEST_SUPPLEMENT in done,
        "refusal": Action.REFUSE in done,
        "apology": dossier.extended and Action.EXTEND in done,
        "stop": dossier.status == Status.STOPPED,
        "control": received,
    }
    return [kind for kind in DOSSIER_KINDS if kind in forms and has[kind]]


def slip_titles(dossier: Dossier) -> list[tuple[str, str, str]]:
    """``(kind, number, title)`` of each slip the dossier has, as the forms of its
    own law day name them (the dossier page's links say what the slip prints)."""
    forms = slip_law(law_day(dossier)).form_set.forms  # read once for both
    return [(k, forms[k].number, forms[k].title) for k in _kinds(dossier, forms)]


def render_slip(dossier: Dossier, kind: str, *, base_url: str) -> bytes:
    """One slip of ``dossier`` as PDF bytes; ``DomainError`` ``slip.unknown_kind``
    or ``slip.not_applicable`` when the dossier has no such slip."""
    if kind not in DOSSIER_KINDS:
        raise DomainError("slip.unknown_kind", "Không có loại phiếu này.", status=404)
    dossier = (
        Dossier.objects.select_related(
            "agency__parent",
            "procedure_version",
            "procedure",
            "applicant",
            "received_by",
            "received_by_agency",
        )
        .prefetch_related("components")
        .get(pk=dossier.pk)
    )
    law = slip_law(law_day(dossier))
    spec = law.form(kind)
    context = content.common(dossier) | content.BUILDERS[kind](dossier)
    issued = context["issued_at"]
    issuer = agency_at(dossier, issued)
    context |= _header(issuer, law, spec, local(issued).date()) | {
        "tracking_url": tracking_url(base_url),
        "qr": qr_data_uri(qr_url(base_url, dossier)),
    }
    return html_to_pdf(render_to_string(spec.template, context))


def render_register_pdf(
    agency: Agency, date_from: date, date_to: date, *, base_url: str
) -> bytes:
    """The register (Sổ theo dõi hồ sơ) of a period, A4 landscape, in the form
    in force on the period's last day."""
    law = slip_law(date_to)
    spec = law.form(REGISTER)
    rows = list(register_rows(agency, date_from, date_to))
    context = _header(agency, law, spec, date_to) | {
        "rows": rows,
        "date_from": date_from,
        "date_to": date_to,
        "printed_at": clock.now(),
        "issued_at": clock.now(),
        "base_url": base_url,
    }
    return html_to_pdf(render_to_string(spec.template, context))


def render_register_xlsx(
    agency: Agency, date_from: date, date_to: date, *, base_url: str = ""
) -> bytes:
    """The same register as a spreadsheet (one row per dossier)."""
    law = slip_law(date_to)
    spec = law.form(REGISTER)
    rows = register_rows(agency, date_from, date_to)
    return register_workbook(agency, law.form_set, spec, date_from, date_to, rows)
