"""Public tracking pages (tra cứu hồ sơ): the slip's QR link, or a code and a
second factor sent by POST, give the dossier's status, dates and next step —
nothing personal beyond initials. No personal data ever travels in a URL."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_GET, require_http_methods

from motcua.security.throttle import client_address

from .forms import TrackingForm
from .tracking import NOT_FOUND, TooManyAttempts, track, track_by_token

View = Callable[..., HttpResponse]


def _private(view: View) -> View:
    """Tracking answers are never indexed, and the QR token never leaves the
    site in a ``Referer`` (``same-origin``: with ``no-referrer`` browsers post
    the form with ``Origin: null``, which the CSRF check refuses). ``no-store``
    comes from the site-wide headers middleware (``core.headers``), like every
    page under ``/tra-cuu/``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _page(
    request: HttpRequest, form: TrackingForm, *, status: int = 200, **extra: object
) -> HttpResponse:
    return render(request, "portal/track.html", {"form": form, **extra}, status=status)


def _not_found(request: HttpRequest, code: str = "") -> HttpResponse:
    form = TrackingForm(initial={"code": code} if code else None)
    return _page(request, form, status=404, error=NOT_FOUND)


@_private
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """``/tra-cuu/``: the empty form (a GET looks nothing up, whatever its
    query string); POST checks the code and the factor."""
    if request.method != "POST":
        if request.GET:  # e.g. an old ``?xac_thuc=1234`` link: drop it, look nothing up
            return redirect(escape_uri_path(request.path))
        return _page(request, TrackingForm())
    form = TrackingForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    code = form.cleaned_data["code"]
    try:
        result = track(
            code, form.cleaned_data["factor"], address=client_address(request)
        )
    except TooManyAttempts as refused:
        again = TrackingForm(initial={"code": code})  # the digits are not echoed
        response = _page(
            request, again, status=429, error=refused.message, waiting=True
        )
        response["Retry-After"] = str(refused.retry_after)
        return response
    if result is None:
        return _not_found(request, code)
    return _page(request, TrackingForm(initial={"code": result.code}), result=result)


@_private
@require_GET
def dossier(request: HttpRequest, code: str) -> HttpResponse:
    """``/tra-cuu/<code>`` (older slips, the desk screen): the form with the
    code filled in; the factor is typed and posted, never read from the URL."""
    if request.GET:
        return redirect(escape_uri_path(request.path))
    return _page(request, TrackingForm(initial={"code": code[:200]}))


@_private
@require_GET
def qr(request: HttpRequest, token: str) -> HttpResponse:
    """``/tra-cuu/qr/<token>/`` (the QR code of every slip): the status with
    no factor — the slip is the proof; an unknown or forged token gets the
    same "not found" page as a typed look-up."""
    result = track_by_token(token[:200])
    if result is None:
        return _not_found(request)
    return _page(request, TrackingForm(initial={"code": result.code}), result=result)
