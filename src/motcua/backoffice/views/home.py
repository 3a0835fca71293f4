"""The back-office home: cards by the officer's roles, the agency switcher and a
global search by dossier code (a barcode/QR scanner types the code + Enter)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.agencies.models import Role
from motcua.core.text import fold
from motcua.dossiers import selectors
from motcua.privacy.services import record_reads

from ..access import SESSION_AGENCY, needs_two_factor, staff_view
from .common import code_from_scan, desk_of, page, safe_next


@require_GET
@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    desk = desk_of(request)
    return page(
        request,
        "backoffice/home.html",
        {
            "is_reception": desk.has(Role.RECEPTION),
            "is_specialist": desk.has(Role.SPECIALIST),
            "is_leader": desk.has(Role.LEADER, Role.AGENCY_ADMIN, Role.MONITOR),
            "is_admin": desk.has(Role.AGENCY_ADMIN),
            "needs_two_factor": needs_two_factor(request.user),
            "reports_url": reverse("reports:bieu06"),
            "register_url": reverse("slips:register"),
            "signing_url": reverse("signing:duty"),
            "reminders": list(selectors.reminders_for(request.user)),
        },
    )


@require_POST
@staff_view()
def switch_agency(request: HttpRequest) -> HttpResponse:
    desk = desk_of(request)
    wanted = request.POST.get("agency", "")
    chosen = next((a for a in desk.agencies if str(a.pk) == wanted), None)
    if chosen is None:
        messages.error(request, _("Bạn không có vai trò tại cơ quan đã chọn."))
    else:
        request.session[SESSION_AGENCY] = chosen.pk
        messages.success(
            request, _("Đang làm việc tại: %(name)s.") % {"name": chosen.name}
        )
    return redirect(safe_next(request, reverse("backoffice:home")))


@require_GET
@staff_view()
def search(request: HttpRequest) -> HttpResponse:
    """Find by code (exact, as scanned) or by words of the code / applicant."""
    raw = request.GET.get("q", "")
    code = code_from_scan(raw)
    if code and selectors.dossier_for(request.user, code) is not None:
        return redirect("backoffice:dossier", code=code)
    results = []
    if raw.strip():
        filters = selectors.DossierFilters(
            words=tuple(fold(raw).split())[:10], limit=25
        )
        results = selectors.dossier_page(request.user, filters).items
        record_reads(request.user, results, what="queue_list", detail="tim-kiem")
    return page(request, "backoffice/search.html", {"q": raw, "results": results})
