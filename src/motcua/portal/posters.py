"""QR posters of the catalogue (A4, WeasyPrint like the slips): one procedure
per page, its name, time limit, fee and where to submit, and a QR code that
opens the procedure's public page. ``/thu-tuc/<code>/ma-qr.pdf`` prints one;
``/thu-tuc/co-quan/<agency>/ma-qr.pdf`` prints every procedure an agency
offers, for the desk wall. Public: no personal data."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import segno
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import search_procedures, version_in_force_by_code
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.models import Channel
from motcua.slips.pdf import font_face_css, html_to_pdf

from .catalogue import (
    _bad,
    agencies_offering,
    can_submit_online,
    fee_label,
    offering_agencies,
    procedure_url,
    site_url,
    time_label,
)

log = logging.getLogger(__name__)
MAX_PLACES = 3


@dataclass(frozen=True)
class Poster:
    code: str
    name: str
    field: str
    time: str
    online_time: str | None
    fee: str
    online: bool
    places: list[Agency]
    more_places: int
    url: str
    qr: str


def poster_qr(url: str) -> str:
    """The QR code as a PNG data URI (a raster image: sharp at this size, and
    readable back from the PDF by any scanner software)."""
    return str(segno.make(url, error="m").png_data_uri(scale=12, border=4))


def poster_for(
    version: ProcedureVersion, base_url: str, places: list[Agency]
) -> Poster:
    """The content of one poster; ``places``: where to submit."""
    url = procedure_url(base_url, version.procedure.code)
    direct = time_label(version, Channel.DIRECT)
    online = time_label(version, Channel.ONLINE) if can_submit_online(version) else None
    return Poster(
        code=version.procedure.code,
        name=version.name,
        field=version.procedure.field.name,
        time=direct,
        online_time=online if online != direct else None,
        fee=fee_label(version),
        online=can_submit_online(version),
        places=places[:MAX_PLACES],
        more_places=max(0, len(places) - MAX_PLACES),
        url=url,
        qr=poster_qr(url),
    )


def render_posters(posters: list[Poster]) -> bytes:
    """The posters as one A4 PDF, one per page."""
    html = render_to_string(
        "portal/catalogue/poster_pdf.html",
        {"posters": posters, "fonts": font_face_css(), "printed_on": clock.today()},
    )
    return html_to_pdf(html)


def procedure_poster_pdf(code: str, base_url: str) -> bytes:
    """The poster of the procedure ``code`` (404 ``catalog.unknown_procedure``)."""
    version = version_in_force_by_code(code)
    return render_posters([poster_for(version, base_url, agencies_offering(version))])


def agency_posters_pdf(agency: Agency, base_url: str) -> bytes:
    """Every procedure ``agency`` offers today, one poster each, by code."""
    versions = search_procedures("", agency=agency).prefetch_related(None)
    posters = [poster_for(v, base_url, [agency]) for v in versions]
    if not posters:
        raise DomainError(
            "catalog.agency_offers_nothing",
            f"{agency.name} chưa công bố thủ tục nào trên danh mục.",
            status=404,
        )
    return render_posters(posters)


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_GET
def procedure_poster(request: HttpRequest, code: str) -> HttpResponse:
    """``/thu-tuc/<code>/ma-qr.pdf``."""
    try:
        pdf = procedure_poster_pdf(code[:40], site_url(request))
    except DomainError as exc:
        return _bad(request, exc.message, exc.status)
    log.info("catalogue.poster code=%s", code[:40])
    return _pdf(pdf, f"ma-qr-{code}.pdf")


@require_GET
def agency_posters(request: HttpRequest, agency_code: str) -> HttpResponse:
    """``/thu-tuc/co-quan/<agency code>/ma-qr.pdf``."""
    agency = offering_agencies().filter(code=agency_code[:64]).first()
    if agency is None:
        message = _("Không có cơ quan nào mang mã này trong danh mục thủ tục.")
        return _bad(request, message, 404)
    try:
        pdf = agency_posters_pdf(agency, site_url(request))
    except DomainError as exc:
        return _bad(request, exc.message, exc.status)
    log.info("catalogue.agency_posters agency_id=%s", agency.pk)
    return _pdf(pdf, f"ma-qr-{agency.code}.pdf")
