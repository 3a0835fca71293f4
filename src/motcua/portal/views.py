"""Public tracking page (tra cứu hồ sơ): a code and a second factor give the
dossier's status, dates and next step — nothing personal beyond initials."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .forms import TrackingForm
from .tracking import NOT_FOUND, TOO_MANY, RateLimited, track


def _page(
    request: HttpRequest, form: TrackingForm, *, status: int = 200, **extra: object
) -> HttpResponse:
    response = render(
        request, "portal/track.html", {"form": form, **extra}, status=status
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _check(request: HttpRequest, data: dict[str, str]) -> HttpResponse:
    form = TrackingForm(data)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        result = track(form.cleaned_data["code"], form.cleaned_data["factor"])
    except RateLimited:
        return _page(request, form, status=429, error=TOO_MANY)
    if result is None:
        return _page(
            request,
            TrackingForm(initial={"code": form.cleaned_data["code"]}),
            status=404,
            error=NOT_FOUND,
        )
    return _page(request, TrackingForm(initial={"code": result.code}), result=result)


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """``/tra-cuu/``: the empty form; POST checks code and factor."""
    if request.method == "POST":
        return _check(
            request,
            {
                "code": request.POST.get("code", ""),
                "factor": request.POST.get("factor", ""),
            },
        )
    return _page(request, TrackingForm())


@require_http_methods(["GET", "POST"])
def dossier(request: HttpRequest, code: str) -> HttpResponse:
    """``/tra-cuu/<code>`` (the QR code of every slip): the form with the code
    filled; with the factor (POST, or ``?xac_thuc=1234``) the status."""
    factor = (
        request.POST.get("factor", "")
        if request.method == "POST"
        else request.GET.get("xac_thuc", "")
    )
    if request.method == "POST" or "xac_thuc" in request.GET:
        posted = request.POST.get("code", "") if request.method == "POST" else ""
        return _check(request, {"code": posted or code, "factor": factor})
    return _page(request, TrackingForm(initial={"code": code[:200]}))
