"""Letter PDFs: for the staff who may see the dossier (the return desk, the
dossier page) and for the citizen whose dossier it is, once returned.

Any refusal is the same 404 page (no hint whether the code exists)."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.citizens.access import citizen_required
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import is_applicant_of
from motcua.dossiers.selectors import dossiers_visible_to, is_code
from motcua.dossiers.workflow import Status
from motcua.privacy.services import record_read

from .services import render_letter_pdf

log = logging.getLogger(__name__)
RELATED = ("agency", "procedure", "applicant", "signed_by")


def _not_found(request: HttpRequest, message: str = "") -> HttpResponse:
    text = message or _("Không tìm thấy thư hoặc bạn không có quyền xem.")
    return render(request, "letters/error.html", {"message": text}, status=404)


def _pdf(dossier: Dossier, request: HttpRequest) -> HttpResponse:
    try:
        pdf = render_letter_pdf(dossier)
    except DomainError as exc:
        return _not_found(request, exc.message)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{dossier.code}-thu.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"  # personal data
    log.info("letter.rendered dossier_id=%s", dossier.pk)
    return response


@require_GET
@login_required
def staff_letter(request: HttpRequest, code: str) -> HttpResponse:
    """The letter of a dossier the officer may see (as the slips)."""
    if not is_code(code):
        return _not_found(request)
    dossier = (
        dossiers_visible_to(request.user)
        .filter(code=code)
        .select_related(*RELATED)
        .first()
    )
    if dossier is None:
        return _not_found(request)
    response = _pdf(dossier, request)
    if response.status_code == 200:
        record_read(request.user, dossier=dossier, what="slip", detail="thu")
    return response


@require_GET
@citizen_required
def citizen_letter(request: HttpRequest, code: str) -> HttpResponse:
    """The letter of the citizen's own returned dossier."""
    if not is_code(code):
        return _not_found(request)
    dossier = (
        Dossier.objects.filter(code=code, status=Status.RETURNED)
        .select_related(*RELATED)
        .first()
    )
    if dossier is None or not is_applicant_of(request.user, dossier):
        return _not_found(request)
    return _pdf(dossier, request)
