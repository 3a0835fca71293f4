"""The return desk (Decree 61/2018 Art. 20): find the dossier by code or QR scan,
record who collected it (ID checked) or the hand-over by post / online, and
phone the applicants whose results are ready early."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.agencies.models import Role
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.privacy.services import record_read, record_reads

from .. import services
from ..access import staff_view
from ..actions import build_form
from ..forms import CallForm
from ..models import CallRecord
from .common import code_from_scan, desk_of, page

EARLY_LIST_LIMIT = 100


def early_results(desk: object, now: object) -> list[Dossier]:
    """Results ready before the due date, waiting to be collected."""
    calls = CallRecord.objects.select_related("by").order_by("-at", "-id")
    return list(
        Dossier.objects.filter(
            agency=desk.agency,  # type: ignore[attr-defined]
            status=Status.RESULT_READY,
            due_at__gt=now,
        )
        .select_related("applicant", "procedure_version")
        .prefetch_related(Prefetch("call_records", queryset=calls))
        .order_by("due_at", "id")[:EARLY_LIST_LIMIT]
    )


@require_GET
@staff_view(roles=[Role.RECEPTION])
def returns(request: HttpRequest) -> HttpResponse:
    desk = desk_of(request)
    raw = request.GET.get("ma", "")
    code = code_from_scan(raw)
    context: dict[str, object] = {"ma": raw}
    status = 200
    if code:
        dossier = selectors.dossier_for(request.user, code)
        if dossier is None:
            context["error"] = _("Không tìm thấy hồ sơ mã «%(code)s».") % {"code": code}
            status = 404
        else:
            context["found"] = dossier
            record_read(request.user, dossier=dossier, what="dossier_view")
            if dossier.status == Status.RESULT_READY:
                context["return_form"] = build_form("return_result", dossier, desk)
    context["early"] = early = early_results(desk, clock.now())
    record_reads(request.user, early, what="queue_list", detail="tra-som")
    context["call_form"] = CallForm()
    return page(request, "backoffice/returns.html", context, status=status)


@require_POST
@staff_view(roles=[Role.RECEPTION])
def record_call(request: HttpRequest, code: str) -> HttpResponse:
    dossier = selectors.dossier_for(request.user, code)
    if dossier is None or dossier.agency_id != desk_of(request).agency.pk:
        return page(request, "backoffice/not_found.html", status=404)
    form = CallForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.call_record(request.user, dossier, note)
    except DomainError as exc:
        return page(
            request, "backoffice/forbidden.html", {"message": exc.message}, status=403
        )
    messages.success(
        request,
        _("Đã ghi nhận cuộc gọi báo kết quả cho %(name)s (%(code)s).")
        % {"name": dossier.applicant.name, "code": code},
    )
    return redirect(reverse("backoffice:returns") + f"#goi-{dossier.pk}")
