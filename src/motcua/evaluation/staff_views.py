"""Back-office pages of the citizen's voice (under ``/danh-gia/``): the
counters (duty, kiosks, inviting a just-returned dossier to be rated), the
follow-ups of unsatisfied ratings, and the held (abnormal) kiosk votes.

Thin: rules in ``kiosks`` and ``followups``. Reads of an applicant's contact
in a follow-up are logged (``motcua.privacy``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.agencies.models import Agency, Counter
from motcua.agencies.selectors import memberships, visible_agencies
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import writes_anywhere
from motcua.dossiers.workflow import Status
from motcua.privacy.services import record_counts, record_read

from . import followups, kiosks
from .models import CounterDuty, FollowUp, Kiosk, Rating
from .views import handles_domain_errors

RECENT = timedelta(hours=4)
FOLLOW_UP_STATES = {"open", "overdue", "answered", "all"}


def _my_agencies(user: Any) -> QuerySet[Agency]:
    ids = memberships(user).values("agency_id")
    return Agency.objects.filter(pk__in=ids, is_active=True).order_by("path", "code")


def _chosen(request: HttpRequest, agencies: QuerySet[Agency]) -> Agency:
    code = str(request.GET.get("co-quan", "") or "")[:64].strip()
    agency = agencies.filter(code=code).first() if code else agencies.first()
    if agency is None:
        raise DomainError(
            "agency.not_visible",
            "Không tìm thấy cơ quan, hoặc bạn không làm việc tại cơ quan này.",
            status=404,
        )
    return agency


def _back(request: HttpRequest, name: str) -> HttpResponse:
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse(name) + (f"?{query}" if query else ""))


# ------------------------------------------------------------- counters
def _recently_returned(agency: Agency) -> list[Dossier]:
    since = clock.now() - RECENT
    # (dossier_id NOT NULL: a NULL in "NOT IN" would exclude every row)
    rated = Rating.objects.filter(
        source=Rating.Source.KIOSK, dossier__isnull=False, agency=agency
    ).values("dossier_id")
    return list(
        Dossier.objects.filter(
            agency=agency, status=Status.RETURNED, returned_at__gte=since
        )
        .exclude(pk__in=rated)
        .select_related("procedure_version")
        .order_by("-returned_at")[:20]
    )


def _counter_rows(agency: Agency) -> list[dict[str, Any]]:
    counters = list(Counter.objects.filter(agency=agency, is_active=True))
    duties = {
        d.counter_id: d
        for d in CounterDuty.objects.filter(
            counter__in=counters, ended_at__isnull=True
        ).select_related("officer")
    }
    devices: dict[int, list[Kiosk]] = {}
    for k in Kiosk.objects.filter(counter__in=counters, revoked_at__isnull=True):
        devices.setdefault(k.counter_id, []).append(k)
    return [
        {"counter": c, "duty": duties.get(c.pk), "kiosks": devices.get(c.pk, [])}
        for c in counters
    ]


def _writer_only(request: HttpRequest) -> None:
    """A reader (a monitor) writes nothing here, whatever it posts."""
    if not writes_anywhere(request.user):
        raise DomainError(
            "auth.forbidden",
            "Vai trò của bạn chỉ được xem, không được ghi.",
            status=403,
        )


def _counters_post(request: HttpRequest, agency: Agency) -> None:
    _writer_only(request)
    action = request.POST.get("action", "")
    if action == "duty_start":
        counter = Counter.objects.filter(
            agency=agency, pk=_int(request.POST.get("counter"))
        ).first()
        if counter is None:
            raise DomainError("kiosk.unknown_counter", "Không có quầy này.", status=404)
        kiosks.duty_start(request.user, counter)
        messages.success(
            request, _("Đã nhận ca tại %(counter)s.") % {"counter": counter}
        )
    elif action == "duty_end":
        kiosks.duty_end(request.user)
        messages.success(request, _("Đã kết thúc ca tại quầy."))
    elif action == "prompt":
        _prompt(request, agency)
    elif action == "revoke":
        kiosk = Kiosk.objects.filter(
            agency=agency, pk=_int(request.POST.get("kiosk"))
        ).first()
        if kiosk is None:
            raise DomainError("kiosk.unknown", "Không có máy đánh giá này.", status=404)
        kiosks.kiosk_revoke(request.user, kiosk)
        messages.success(request, _("Đã thu hồi máy đánh giá."))


def _prompt(request: HttpRequest, agency: Agency) -> None:
    code = str(request.POST.get("code", "") or "").strip()[:64]
    dossier = Dossier.objects.filter(agency=agency, code__iexact=code).first()
    if dossier is None:
        raise DomainError(
            "kiosk.unknown_dossier",
            f"Không có hồ sơ mã «{code}» tại {agency.name}.",
            status=404,
        )
    kiosks.prompt_dossier(request.user, dossier)
    messages.success(
        request,
        _("Máy đánh giá tại quầy đang mời đánh giá hồ sơ %(code)s.")
        % {"code": dossier.code},
    )


def _int(value: Any) -> int:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else 0


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@handles_domain_errors
def counters_page(request: HttpRequest) -> HttpResponse:
    agencies = _my_agencies(request.user)
    agency = _chosen(request, agencies)
    error = None
    if request.method == "POST":
        try:
            _counters_post(request, agency)
            return _back(request, "evaluation:counters")
        except DomainError as exc:
            error = exc
    context = {
        "agency": agency,
        "agencies": agencies,
        "rows": _counter_rows(agency),
        "my_duty": kiosks.open_duty_of(request.user),
        "recent": _recently_returned(agency),
        "can_revoke": kiosks.can_revoke_in(request.user, agency),
        "error": error,
    }
    return render(
        request,
        "evaluation/counters.html",
        context,
        status=error.status if error else 200,
    )


# ------------------------------------------------------------ follow-ups
@never_cache
@login_required
@require_http_methods(["GET"])
@handles_domain_errors
def followups_page(request: HttpRequest) -> HttpResponse:
    visible = visible_agencies(request.user).order_by("path", "code")
    state = str(request.GET.get("tinh-trang", "open"))[:16]
    state = state if state in FOLLOW_UP_STATES else "open"
    rows = followups.followups_for(request.user, visible, state)
    page = Paginator(rows, 50).get_page(request.GET.get("trang"))
    return render(
        request,
        "evaluation/followups.html",
        {
            "page_obj": page,
            "state": state,
            "states": [
                ("open", _("Chưa trả lời")),
                ("overdue", _("Quá hạn")),
                ("answered", _("Đã trả lời")),
                ("all", _("Tất cả")),
            ],
            "now": clock.now(),
        },
    )


def _log_read(request: HttpRequest, follow_up: FollowUp) -> None:
    dossier = follow_up.rating.dossier
    if dossier is not None:
        record_read(
            request.user,
            dossier=dossier,
            what="dossier_view",
            detail="theo dõi đánh giá",
        )
    else:
        record_counts(
            request.user,
            {follow_up.agency_id: 1},
            what="dossier_view",
            detail="theo dõi đánh giá",
        )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@handles_domain_errors
def followup_page(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = followups.followup_readable(request.user, pk)
    if follow_up is None:
        raise DomainError(
            "followup.not_found", "Không tìm thấy mục theo dõi này.", status=404
        )
    error = None
    if request.method == "POST":
        try:
            followups.followup_answer(
                request.user,
                follow_up,
                answer=request.POST.get("answer", ""),
                action_taken=request.POST.get("action_taken", ""),
            )
            messages.success(request, _("Đã ghi nhận trả lời và việc đã làm."))
            return redirect("evaluation:followup", pk=follow_up.pk)
        except DomainError as exc:
            error = exc
    _log_read(request, follow_up)
    context = {
        "f": follow_up,
        "rating": follow_up.rating,
        "dossier": follow_up.rating.dossier,
        "can_answer": followups.can_answer(request.user, follow_up),
        "overdue": follow_up.answered_at is None and follow_up.due_at < clock.now(),
        "posted": request.POST,
        "error": error,
    }
    return render(
        request,
        "evaluation/followup.html",
        context,
        status=error.status if error else 200,
    )


# ------------------------------------------------------------ held votes
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@handles_domain_errors
def held_page(request: HttpRequest) -> HttpResponse:
    visible = visible_agencies(request.user)
    rows = followups.held_ratings(request.user, visible)
    if request.method == "POST":
        _writer_only(request)
        rating = rows.filter(pk=_int(request.POST.get("rating"))).first()
        if rating is None:
            raise DomainError(
                "rating.not_held",
                "Phiếu này không ở tình trạng chờ xem xét.",
                status=409,
            )
        accept = request.POST.get("decision") == "accept"
        followups.rating_review(request.user, rating, accept=accept)
        messages.success(
            request, _("Đã tính phiếu vào số liệu.") if accept else _("Đã loại phiếu.")
        )
        return redirect("evaluation:held")
    page = Paginator(rows, 100).get_page(request.GET.get("trang"))
    return render(request, "evaluation/held.html", {"page_obj": page})
