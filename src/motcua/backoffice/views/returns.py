"""The return desk (Decree 61/2018 Art. 20): find the dossier by code or QR scan,
record who collected it (ID checked) or the hand-over by post / online, and
phone the applicants whose results are ready early."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.agencies.models import Role
from motcua.core import clock
from motcua.core.dates import input_formats
from motcua.core.errors import DomainError
from motcua.core.names import display_name
from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier, HomeVisit
from motcua.dossiers.permissions import may_write_on
from motcua.dossiers.services.results import HomeVisitInput, dossier_return_result
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


class OfficerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


class HomeReturnForm(forms.Form):
    """The record of a result carried to the applicant's home (issue 13)."""

    officers = OfficerChoice(
        label=gettext_lazy("Cán bộ đi trả kết quả"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    visited_at = forms.DateTimeField(
        label=gettext_lazy("Thời gian trả tại nhà"),
        input_formats=input_formats("DATETIME"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    address = forms.CharField(label=gettext_lazy("Địa chỉ đến trả"), max_length=500)
    received_by_name = forms.CharField(
        label=gettext_lazy("Họ tên người nhận"), max_length=255
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Lý do trả tại nhà"), choices=HomeVisit.Reason.choices
    )
    reason_note = forms.CharField(
        label=gettext_lazy("Lý do khác (ghi rõ)"), max_length=500, required=False
    )
    receipt = forms.FileField(
        label=gettext_lazy("Giấy biên nhận có chữ ký người nhận (PDF, JPEG, PNG)"),
    )

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "tai-nha")
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(
            is_active=True, memberships__agency_id=dossier.agency_id
        )
        field = self.fields["officers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = users.distinct().order_by("last_name", "first_name", "pk")
        if not self.is_bound:
            self.initial.update(
                address=dossier.applicant.address,
                received_by_name=dossier.applicant.name,
            )

    def visit(self) -> HomeVisitInput:
        data = self.cleaned_data
        return HomeVisitInput(
            officer_ids=[u.pk for u in data["officers"]],
            visited_at=data["visited_at"],
            address=data["address"],
            received_by_name=data["received_by_name"],
            reason=data["reason"],
            reason_note=data["reason_note"],
            receipt=data["receipt"],
        )


def _found(request: HttpRequest, context: dict[str, Any], code: str) -> int:
    """Fill ``context`` with the dossier of ``code``; the status of the page."""
    desk = desk_of(request)
    dossier = selectors.dossier_for(request.user, code)
    if dossier is None:
        context["error"] = _("Không tìm thấy hồ sơ mã «%(code)s».") % {"code": code}
        return 404
    context["found"] = dossier
    record_read(request.user, dossier=dossier, what="dossier_view")
    if dossier.status == Status.RESULT_READY:
        context["return_form"] = build_form("return_result", dossier, desk)
        if dossier.agency_id == desk.agency.pk and may_write_on(request.user, dossier):
            context["home_form"] = HomeReturnForm(
                dossier=dossier, initial={"officers": [request.user.pk]}
            )
    return 200


@require_http_methods(["GET", "POST"])
@staff_view(roles=[Role.RECEPTION])
def returns(request: HttpRequest) -> HttpResponse:
    """GET: find a dossier; POST: return it at the applicant's home."""
    if request.method == "POST":
        return _return_home(request)
    raw = request.GET.get("ma", "")
    code = code_from_scan(raw)
    context: dict[str, object] = {"ma": raw}
    status = _found(request, context, code) if code else 200
    return _page(request, context, status)


def _page(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    desk = desk_of(request)
    context["early"] = early = early_results(desk, clock.now())
    record_reads(request.user, early, what="queue_list", detail="tra-som")
    context["call_form"] = CallForm()
    return page(request, "backoffice/returns.html", context, status=status)


def _return_home(request: HttpRequest) -> HttpResponse:
    code = code_from_scan(request.POST.get("ma", ""))
    context: dict[str, Any] = {"ma": code}
    status = _found(request, context, code) if code else 404
    form = context.get("home_form")
    if status != 200 or form is None:
        context.setdefault(
            "error", _("Hồ sơ này không trả kết quả tại nhà được từ bàn của bạn.")
        )
        return _page(request, context, 404 if status == 404 else 403)
    dossier = context["found"]
    form = HomeReturnForm(request.POST, request.FILES, dossier=dossier)
    context["home_form"] = form
    if not form.is_valid():
        context["error"] = _("Vui lòng kiểm tra lại biên bản trả kết quả tại nhà.")
        return _page(request, context, 400)
    try:
        dossier_return_result(
            request.user,
            dossier,
            method=Dossier.ReturnMethod.HOME,
            home_visit=form.visit(),
            expected_version=_version(request),
        )
    except DomainError as exc:
        context["error"] = exc.message
        return _page(request, context, exc.status)
    messages.success(
        request, _("Đã ghi nhận trả kết quả tại nhà hồ sơ %(code)s.") % {"code": code}
    )
    return redirect(reverse("backoffice:returns") + f"?ma={dossier.code}")


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("expected_version", "")
    return int(raw) if raw.isdigit() else None


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
