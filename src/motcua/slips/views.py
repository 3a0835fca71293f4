"""Slips for staff: inline PDFs of a dossier's slips and the period register.

Thin views: permission (the dossier's agency must be visible to the user —
ARCHITECTURE principle 7), parameters, then ``services``. A refused request is
a page with a Vietnamese message and its status (400/404), never a 500.
"""

from __future__ import annotations

import logging
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.agencies.models import Agency
from motcua.agencies.selectors import visible_agencies
from motcua.core.errors import DomainError
from motcua.dossiers.selectors import dossiers_visible_to, is_code
from motcua.privacy.services import record_read

from . import services
from .forms import DOSSIER_KINDS
from .register import register_size

log = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "slips/error.html", {"message": message}, status=status)


def _not_found(request: HttpRequest) -> HttpResponse:
    return _error(request, "Không tìm thấy hồ sơ hoặc bạn không có quyền xem.", 404)


def _file(
    content: bytes, content_type: str, filename: str, inline: bool
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


@require_GET
@login_required
def slip_pdf(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """``/can-bo/phieu/<code>/<kind>.pdf``."""
    if kind not in DOSSIER_KINDS or not is_code(code):
        return _not_found(request)
    dossier = (
        dossiers_visible_to(request.user)
        .filter(code=code)
        .select_related("agency")
        .first()
    )
    if dossier is None:
        return _not_found(request)
    try:
        pdf = services.render_slip(
            dossier, kind, base_url=request.build_absolute_uri("/")
        )
    except DomainError as exc:
        return _error(request, exc.message, exc.status)
    log.info("slip.rendered kind=%s dossier_id=%s", kind, dossier.pk)
    record_read(request.user, dossier=dossier, what="slip", detail=kind)
    return _file(pdf, "application/pdf", f"{dossier.code}-{kind}.pdf", inline=True)


def _day(value: str | None, label: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise DomainError(
            "register.invalid_date",
            f"{label} không hợp lệ: cần ngày theo dạng NNNN-TT-NN (ví dụ 2025-06-30).",
        ) from None


@require_GET
@login_required
def register(request: HttpRequest) -> HttpResponse:
    """``/can-bo/phieu/so-theo-doi/?agency=&from=&to=&format=pdf|xlsx``."""
    code = (request.GET.get("agency") or "").strip()
    agency = (
        visible_agencies(request.user).filter(code=code).first()
        if 0 < len(code) <= 32 and "\x00" not in code
        else None
    )
    if agency is None:
        return _error(
            request, "Không tìm thấy cơ quan hoặc bạn không có quyền xem.", 404
        )
    try:
        date_from = _day(request.GET.get("from"), "Từ ngày")
        date_to = _day(request.GET.get("to"), "Đến ngày")
        kind = request.GET.get("format", "pdf")
        if kind not in ("pdf", "xlsx"):
            raise DomainError(
                "register.invalid_format", "Định dạng phải là pdf hoặc xlsx."
            )
        return _register_file(request, agency, date_from, date_to, kind)
    except DomainError as exc:
        return _error(request, exc.message, exc.status)


def _register_file(
    request: HttpRequest, agency: Agency, date_from: date, date_to: date, kind: str
) -> HttpResponse:
    name = f"so-theo-doi-{agency.code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{kind}"
    base_url = request.build_absolute_uri("/")
    if kind == "xlsx":
        data = services.render_register_xlsx(
            agency, date_from, date_to, base_url=base_url
        )
        response = _file(data, XLSX, name, inline=False)
    else:
        pdf = services.render_register_pdf(
            agency, date_from, date_to, base_url=base_url
        )
        response = _file(pdf, "application/pdf", name, inline=True)
    rows = register_size(agency, date_from, date_to)
    record_read(request.user, agency=agency, what="export", detail=name, count=rows)
    return response
