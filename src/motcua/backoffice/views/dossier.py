"""The dossier page: code with QR, status and time left, applicant, components
and files, the step table, history, notes, consultations, and only the actions
the officer may take — each a POST form carrying the version it was shown at."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from motcua.agencies.models import Role
from motcua.core import clock
from motcua.core.downloads import protected_file_response
from motcua.core.errors import DomainError
from motcua.dossiers import files as dossier_files
from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.workflow import Action
from motcua.exchange.selectors import transfers_of
from motcua.nationalportal.selectors import sync_state_of
from motcua.portal.qr import qr_path
from motcua.privacy.services import record_read
from motcua.signing.services import verify_pdf
from motcua.slips.services import slip_titles

from .. import services
from ..access import staff_view
from ..actions import SPECS, build_form
from ..forms import InternalNoteForm
from ..models import Note
from ..timeleft import Badges
from .common import desk_of, page, safe_next

MAX_VERIFIED = 3


def _load(request: HttpRequest, code: str) -> Dossier:
    dossier = selectors.dossier_for(request.user, code)
    if dossier is None:
        raise Http404
    return dossier


def _qr(request: HttpRequest, dossier: Dossier) -> str:
    """The same signed link as the slips' QR code (``portal.qr``)."""
    url = request.build_absolute_uri(qr_path(dossier))
    return segno.make(url, error="m").svg_inline(
        scale=3, title=_("Mã QR tra cứu hồ sơ %(code)s") % {"code": dossier.code}
    )


def _signatures(dossier: Dossier) -> list[tuple[DossierFile, Any]]:
    results = [
        f
        for f in dossier.files.all()
        if f.kind == DossierFile.Kind.RESULT and f.content_type == "application/pdf"
    ]
    checked = []
    for item in results[-MAX_VERIFIED:]:
        with dossier_files.open_file(item) as stream:
            checked.append((item, verify_pdf(stream.read())))
    return checked


def _forms(request: HttpRequest, dossier: Dossier, bound: Any = None) -> list[Any]:
    desk = desk_of(request)
    found = []
    for action in selectors.actions_for(request.user, dossier):
        spec = SPECS.get(action)
        if spec is None:
            continue
        if bound is not None and bound[0] == action:
            form = bound[1]
        else:
            form = build_form(action, dossier, desk)
        found.append({"action": action, "spec": spec, "form": form})
    return found


def render_dossier(
    request: HttpRequest,
    dossier: Dossier,
    *,
    status: int = 200,
    error: str = "",
    bound: Any = None,
    note_form: InternalNoteForm | None = None,
) -> HttpResponse:
    record_read(request.user, dossier=dossier, what="dossier_view")
    badges = Badges(clock.now())
    steps = [(s, badges.for_step(s)) for s in dossier.steps.all()]
    slips = [
        (
            k,
            number,
            title,
            reverse("slips:slip", kwargs={"code": dossier.code, "kind": k}),
        )
        for k, number, title in slip_titles(dossier)
    ]
    return page(
        request,
        "backoffice/dossier.html",
        {
            "dossier": dossier,
            "badge": badges.for_dossier(dossier),
            "steps": steps,
            "events": list(dossier.events.select_related("actor")),
            "notes": Note.objects.filter(dossier=dossier).select_related("author"),
            "calls": dossier.call_records.select_related("by")[:5],
            "actions": _forms(request, dossier, bound),
            "error": error,
            "qr": _qr(request, dossier),
            "slips": slips,
            "signatures": _signatures(dossier),
            "note_form": note_form or InternalNoteForm(),
            "may_write": services.may_write_on(request.user, dossier),
            "bound_action": bound[0] if bound else "",
            "is_admin": desk_of(request).has(Role.AGENCY_ADMIN),
            "national_sync": sync_state_of(dossier.pk),
            "transfers": transfers_of(dossier.pk),
        },
        status=status,
    )


@require_GET
@staff_view()
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    return render_dossier(request, _load(request, code))


def _expected_version(request: HttpRequest) -> int | None:
    raw = request.POST.get("expected_version", "")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise DomainError(
            "dossier.bad_version", _("Phiên bản hồ sơ không hợp lệ.")
        ) from None


def _read_only(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """403 for a monitor (or any reader) before the posted data is looked at."""
    return render_dossier(
        request,
        dossier,
        status=403,
        error=_("Vai trò của bạn chỉ được xem, không được ghi vào hồ sơ này."),
    )


@require_POST
@staff_view()
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = _load(request, code)
    spec = SPECS.get(action)
    if spec is None:
        raise Http404
    if not services.may_write_on(request.user, dossier):
        return _read_only(request, dossier)
    form = build_form(action, dossier, desk_of(request), request.POST, request.FILES)
    if form is not None and not form.is_valid():
        return render_dossier(
            request,
            dossier,
            status=400,
            error=_("Vui lòng kiểm tra lại thông tin của thao tác «%(a)s».")
            % {"a": spec.label},
            bound=(action, form),
        )
    data = form.cleaned_data if form is not None else {}
    try:
        updated = spec.run(request.user, dossier, data, _expected_version(request))
    except DomainError as exc:
        return render_dossier(
            request,
            _load(request, code),
            status=exc.status,
            error=exc.message,
            bound=(action, form) if form is not None else None,
        )
    messages.success(request, _("Đã thực hiện: %(a)s.") % {"a": spec.label})
    if (spec.slip and updated.received_at is None) or action == Action.RECEIVE:
        # An online dossier decided at the desk: print its slip at once.
        url = reverse("backoffice:desk_done", kwargs={"code": updated.code})
        return redirect(f"{url}?phieu={spec.slip}")
    if spec.slip:
        messages.info(request, _("In phiếu ở mục «Phiếu» bên dưới."))
    fallback = reverse("backoffice:dossier", kwargs={"code": updated.code})
    return redirect(safe_next(request, fallback))


@require_POST
@staff_view()
def add_note(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _load(request, code)
    if not services.may_write_on(request.user, dossier):
        return _read_only(request, dossier)
    form = InternalNoteForm(request.POST)
    if not form.is_valid():
        return render_dossier(request, dossier, status=400, note_form=form)
    try:
        services.note_add(request.user, dossier, form.cleaned_data["text"])
    except DomainError as exc:
        return render_dossier(request, dossier, status=exc.status, error=exc.message)
    messages.success(request, _("Đã lưu ghi chú nội bộ."))
    return redirect(reverse("backoffice:dossier", kwargs={"code": code}) + "#ghi-chu")


@require_POST
@staff_view()
def upload_files(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _load(request, code)
    if not services.may_write_on(request.user, dossier):
        return _read_only(request, dossier)
    uploads = request.FILES.getlist("files")
    kind = request.POST.get("kind", DossierFile.Kind.SCAN)
    if not uploads:
        return render_dossier(
            request, dossier, status=400, error=_("Chưa chọn tệp để tải lên.")
        )
    try:
        for upload in uploads:
            dossier_files.dossier_file_upload(
                request.user, dossier, upload=upload, kind=kind
            )
    except DomainError as exc:
        return render_dossier(
            request, _load(request, code), status=exc.status, error=exc.message
        )
    messages.success(request, _("Đã tải lên %(n)d tệp.") % {"n": len(uploads)})
    return redirect(reverse("backoffice:dossier", kwargs={"code": code}) + "#tep")


@require_GET
@staff_view()
@xframe_options_sameorigin
def file_view(request: HttpRequest, code: str, file_id: int) -> HttpResponseBase:
    dossier = _load(request, code)
    item = next((f for f in dossier.files.all() if f.pk == file_id), None)
    if item is None:
        raise Http404
    record_read(request.user, dossier=dossier, what="file_view")
    return protected_file_response(
        item.file,
        content_type=item.content_type,
        as_attachment=request.GET.get("tai") == "1",
        filename=item.original_name,
    )
