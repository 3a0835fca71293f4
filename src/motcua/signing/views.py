"""Pages of signing: leaders' certificates and trusted roots (administrators),
the signing duty rota (leaders), approve-and-sign, and a file's verification.

Thin views: rules live in ``services``/``selectors``. A refused action is shown
with its Vietnamese message and status (400/403/409), never a 500; a page the
user may not see is a 403, a file outside their agencies a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import has_role, user_roles, visible_agencies
from motcua.core import clock
from motcua.core.dates import in_supported_years, parse_date, years_message
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, DossierFile

from . import selectors, services
from .forms import (
    ApproveSignForm,
    CertificateUploadForm,
    DutyForm,
    TrustedRootForm,
)
from .models import DutyRota, LeaderCertificate, TrustedRoot

ADMIN_ROLES = [Role.AGENCY_ADMIN]
DUTY_VIEW_ROLES = [r.value for r in Role]
DUTY_EDIT_ROLES = [Role.AGENCY_ADMIN, Role.LEADER]


def _pick_agency(request: HttpRequest, allowed: QuerySet[Agency]) -> Agency:
    """The agency named by ``?co-quan=`` among ``allowed``, else the first."""
    wanted = request.GET.get("co-quan") or request.POST.get("co-quan")
    agencies = allowed.order_by("code")
    if wanted and wanted.isdigit():
        agency = agencies.filter(pk=int(wanted)).first()
    else:
        agency = agencies.first()
    if agency is None:
        raise PermissionDenied("Bạn không có vai trò phù hợp tại cơ quan này.")
    return agency


def _with_agency(name: str, agency: Agency, **params: str) -> str:
    query = urlencode({"co-quan": agency.pk, **params})
    return f"{reverse(name)}?{query}"


def _refused(form: Any, error: DomainError) -> int:
    form.add_error(None, error.message)
    return error.status


# ------------------------------------------------------------ certificates
@sensitive_post_parameters("password")
@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    """An agency administrator's list of leaders' certificates, and upload."""
    allowed = selectors.agencies_where(request.user, ADMIN_ROLES)
    agency = _pick_agency(request, allowed)
    form = CertificateUploadForm(
        request.POST or None, request.FILES or None, agency=agency
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.certificate_upload(
                    request.user,
                    user=form.cleaned_data["leader"],
                    agency=agency,
                    p12_bytes=form.cleaned_data["p12"].read(services.MAX_P12_BYTES + 1),
                    password=form.cleaned_data["password"],
                    ask_password_each_time=form.cleaned_data["ask_password_each_time"],
                )
            except DomainError as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("Đã lưu chứng thư số của lãnh đạo."))
                return redirect(_with_agency("signing:certificates", agency))
        else:
            status = 400
    now = clock.now()
    context = {
        "agency": agency,
        "agencies": allowed.order_by("code"),
        "form": form,
        "rows": [(c, _validity(c, now)) for c in selectors.certificates_of(agency)],
    }
    return render(request, "signing/certificates.html", context, status=status)


def _validity(certificate: LeaderCertificate, now: dt.datetime) -> str:
    if not certificate.is_active:
        return pgettext("tình trạng chứng thư", "Ngừng sử dụng")
    if now > certificate.not_after:
        return pgettext("tình trạng chứng thư", "Hết hạn")
    if now < certificate.not_before:
        return pgettext("tình trạng chứng thư", "Chưa có hiệu lực")
    if certificate.not_after - now < dt.timedelta(days=30):
        return pgettext("tình trạng chứng thư", "Sắp hết hạn")
    return pgettext("tình trạng chứng thư", "Còn hiệu lực")


@login_required
@require_POST
def certificate_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(
        LeaderCertificate.objects.select_related("agency"), pk=pk
    )
    if not has_role(request.user, certificate.agency, ADMIN_ROLES):
        raise PermissionDenied
    try:
        services.certificate_deactivate(request.user, certificate)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã ngừng sử dụng chứng thư số."))
    return redirect(_with_agency("signing:certificates", certificate.agency))


# ------------------------------------------------------------ trusted roots
@login_required
def trusted_roots(request: HttpRequest) -> HttpResponse:
    """Roots trusted for verification: agency administrators read, system
    administrators add and remove (trust is system-wide)."""
    can_edit = selectors.is_system_admin(request.user)
    if not (can_edit or selectors.agencies_where(request.user, ADMIN_ROLES).exists()):
        raise PermissionDenied
    form = TrustedRootForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.trusted_root_upload(
                    request.user,
                    name=form.cleaned_data["name"],
                    data=form.cleaned_data["certificate"].read(
                        services.MAX_CERTIFICATE_BYTES + 1
                    ),
                )
            except DomainError as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("Đã thêm chứng thư gốc tin cậy."))
                return redirect("signing:trusted_roots")
        else:
            status = 400
    context = {
        "form": form,
        "can_edit": can_edit,
        "roots": selectors.trusted_roots(),
    }
    return render(request, "signing/trusted_roots.html", context, status=status)


@login_required
@require_POST
def trusted_root_delete(request: HttpRequest, pk: int) -> HttpResponse:
    root = get_object_or_404(TrustedRoot, pk=pk)
    try:
        services.trusted_root_delete(request.user, root)
    except DomainError as error:
        raise PermissionDenied(error.message) from None
    messages.success(request, _("Đã xóa chứng thư gốc."))
    return redirect("signing:trusted_roots")


# ------------------------------------------------------------ duty rota
def _week_start(request: HttpRequest) -> dt.date:
    """The day named by ``?tuan=`` (today when absent or unreadable); a day
    outside the supported years is 400 ``duty.invalid_week``."""
    day = parse_date(request.GET.get("tuan", ""))
    if day is not None:
        if not in_supported_years(day):
            raise DomainError(
                "duty.invalid_week", _("Tuần không hợp lệ. ") + years_message()
            )
        return day
    return clock.today()


@login_required
def duty_week(request: HttpRequest) -> HttpResponse:
    """The signing duty rota of one week (Monday–Sunday)."""
    allowed = selectors.agencies_where(request.user, DUTY_VIEW_ROLES)
    agency = _pick_agency(request, allowed)
    can_edit = bool(user_roles(request.user, agency) & set(DUTY_EDIT_ROLES))
    form = DutyForm(request.POST or None, agency=agency)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.duty_set(
                    request.user,
                    agency=agency,
                    date=data["date"],
                    session=data["session"],
                    leader=data["leader"],
                    note=data["note"],
                )
            except DomainError as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("Đã cập nhật lịch trực ký."))
                week = data["date"].isoformat()
                return redirect(_with_agency("signing:duty", agency, tuan=week))
        else:
            status = 400
    try:
        days = selectors.week_of(_week_start(request))
    except DomainError as error:
        refusal = {"message": error.message, "code": error.code}
        return render(request, "400.html", refusal, status=error.status)
    entries = selectors.duty_week(agency, days[0])
    grid = {(e.date, e.session): e for e in entries}
    context = {
        "agency": agency,
        "agencies": allowed.order_by("code"),
        "form": form,
        "can_edit": can_edit,
        "days": [
            (day, [(s, grid.get((day, s))) for s in DutyRota.Session]) for day in days
        ],
        "sessions": DutyRota.Session,
        "previous_week": (days[0] - dt.timedelta(days=7)).isoformat(),
        "next_week": (days[0] + dt.timedelta(days=7)).isoformat(),
        "today": clock.today(),
    }
    return render(request, "signing/duty_week.html", context, status=status)


@login_required
@require_POST
def duty_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(DutyRota.objects.select_related("agency"), pk=pk)
    if not has_role(request.user, entry.agency, DUTY_VIEW_ROLES):
        raise Http404
    try:
        services.duty_remove(request.user, entry)
    except DomainError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from None
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã xóa khỏi lịch trực ký."))
    week = entry.date.isoformat()
    return redirect(_with_agency("signing:duty", entry.agency, tuan=week))


# ------------------------------------------------------------ approve & sign
@sensitive_post_parameters("password")
@login_required
def approve_sign(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The leader picks the result PDF, approves and signs."""
    dossier = get_object_or_404(
        Dossier.objects.select_related("agency"),
        pk=dossier_id,
        agency__in=visible_agencies(request.user),
    )
    if not has_role(request.user, dossier.agency, [Role.LEADER]):
        raise PermissionDenied
    certificate = selectors.active_certificate(request.user, dossier.agency)
    ask = certificate is not None and certificate.ask_password_each_time
    form = ApproveSignForm(request.POST or None, dossier=dossier, ask_password=ask)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signed = services.approve_and_sign(
                    request.user,
                    dossier,
                    result_file=form.cleaned_data["result_file"],
                    password=form.cleaned_data.get("password") if ask else None,
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("Đã phê duyệt và ký số kết quả."))
                return redirect("signing:verify", file_id=signed.pk)
        else:
            status = 400
    context = {"dossier": dossier, "form": form, "certificate": certificate}
    return render(request, "signing/approve_sign.html", context, status=status)


# ------------------------------------------------------------ verification
@login_required
@require_safe
def verify(request: HttpRequest, file_id: int) -> HttpResponse:
    """The verification report of a dossier file, for staff who see it."""
    item = (
        DossierFile.objects.filter(
            pk=file_id, dossier__agency__in=visible_agencies(request.user)
        )
        .select_related("dossier", "dossier__agency")
        .first()
    )
    if item is None:
        raise Http404("Không tìm thấy tệp.")
    context = {
        "item": item,
        "dossier": item.dossier,
        "report": services.verify_file(item),
        "record": selectors.signature_of(item.pk),
    }
    return render(request, "signing/verify.html", context)
