"""Citizen pages: sign-in (VNeID or a one-time code), "Hồ sơ của tôi" and
the profile. Thin: the rules live in access, codes, identity and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError
from motcua.security import throttle

from . import codes, rows
from .access import citizen_required, current_citizen, is_staff_account
from .forms import AddressForm, CodeForm
from .providers import content_security_policy, identity_providers

PENDING = "motcua.citizens.pending"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("citizens:dossiers")


def _sign_in_page(
    request: HttpRequest, form: AddressForm | None = None, status: int = 200
) -> HttpResponse:
    providers = identity_providers(request)
    context = {
        "form": form or AddressForm(),
        "providers": providers,
        "next": _next(request),
        "staff_signed_in": is_staff_account(request.user),
    }
    response = render(request, "citizens/sign_in.html", context, status=status)
    policy = content_security_policy(request.path_info, providers)
    if policy:
        response["Content-Security-Policy"] = policy
    return response


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """GET: the choices; POST: send a one-time code to the typed address."""
    if request.method == "GET":
        if current_citizen(request) is not None:
            return HttpResponseRedirect(_next(request))
        return _sign_in_page(request)
    form = AddressForm(request.POST)
    if not form.is_valid():
        return _sign_in_page(request, form, status=400)
    address = form.cleaned_data["address"]
    try:
        codes.send_code(address, client=throttle.client_address(request))
    except DomainError as error:
        form.add_error(None, error.message)
        return _sign_in_page(request, form, status=error.status)
    request.session[PENDING] = {
        "channel": address.channel,
        "value": address.value,
        "name": form.cleaned_data.get("full_name", ""),
        "next": _next(request),
    }
    return redirect("citizens:enter_code")


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    data = request.session.get(PENDING)
    return data if isinstance(data, dict) and data.get("value") else None


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        messages.info(request, _("Vui lòng nhập số điện thoại hoặc thư điện tử trước."))
        return redirect("citizens:sign_in")
    address = codes.Address(pending["channel"], pending["value"])
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes.check_code(address, form.cleaned_data["code"])
            citizen = codes.local_citizen(address, pending.get("name", ""))
        except DomainError as error:
            form.add_error("code", error.message)
            status = error.status
        else:
            target = pending.get("next") or reverse("citizens:dossiers")
            request.session.pop(PENDING, None)
            login(request, citizen.user, backend=BACKEND)
            return HttpResponseRedirect(target)
    elif request.method == "POST":
        status = 400
    context = {"form": form, "masked": rows.mask_address(address)}
    return render(request, "citizens/enter_code.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if current_citizen(request) is not None:
        logout(request)
        messages.success(request, _("Bạn đã đăng xuất."))
    return redirect("citizens:sign_in")


@citizen_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    citizen = request.citizen  # type: ignore[attr-defined]
    listed = rows.dossier_rows(request, citizen, detail="cong-dan/ho-so")
    return render(
        request, "citizens/dossiers.html", {"citizen": citizen, "rows": listed}
    )


@citizen_required
def profile(request: HttpRequest) -> HttpResponse:
    citizen = request.citizen  # type: ignore[attr-defined]
    return render(
        request,
        "citizens/profile.html",
        {"citizen": citizen, "facts": rows.profile_facts(citizen)},
    )
