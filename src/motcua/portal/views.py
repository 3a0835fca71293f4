"""Public tracking pages (tra cứu hồ sơ): the slip's QR link, or a code and a
second factor sent by POST, give the dossier's status, dates, next step and
its story (timeline) — nothing personal beyond initials. No personal data ever
travels in a URL.

From the tracking page, the dossier's own citizen account (signed in) answers
a supplement request online (``bo-sung/<token>/``) and downloads the signed
result (``ket-qua/<token>/<file>/``); anyone verifies a result PDF at
``xac-thuc/``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.citizens.access import sign_in_url
from motcua.core.downloads import protected_file_response
from motcua.core.errors import DomainError
from motcua.dossiers import permissions
from motcua.dossiers.models import Dossier
from motcua.security.throttle import client_address

from . import results, supplement, verify
from .forms import SupplementForm, TrackingForm, VerifyForm
from .qr import dossier_for_token, qr_path
from .timeline import history_of, open_supplement
from .tracking import (
    NOT_FOUND,
    TooManyAttempts,
    TrackedDossier,
    track,
    track_by_token,
)

View = Callable[..., HttpResponseBase]


def _private(view: View) -> View:
    """Tracking answers are never indexed, and the QR token never leaves the
    site in a ``Referer`` (``same-origin``: with ``no-referrer`` browsers post
    the form with ``Origin: null``, which the CSRF check refuses). ``no-store``
    comes from the site-wide headers middleware (``core.headers``), like every
    page under ``/tra-cuu/``."""

    @wraps(view)
    def wrapped(
        request: HttpRequest, *args: object, **kwargs: object
    ) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _page(
    request: HttpRequest, form: TrackingForm, *, status: int = 200, **extra: object
) -> HttpResponse:
    result = extra.get("result")
    if isinstance(result, TrackedDossier) and result.token:
        back = reverse("portal:qr", kwargs={"token": result.token})
        extra["sign_in_url"] = sign_in_url(back)
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
            code,
            form.cleaned_data["factor"],
            address=client_address(request),
            viewer=request.user,
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
    result = track_by_token(token[:200], viewer=request.user)
    if result is None:
        return _not_found(request)
    return _page(request, TrackingForm(initial={"code": result.code}), result=result)


def _supplement_page(
    request: HttpRequest, dossier: Dossier, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "track_url": qr_path(dossier),
        "sign_in_url": sign_in_url(request.path),
        **extra,
    }
    return render(request, "portal/supplement.html", context, status=status)


@_private
@require_http_methods(["GET", "POST"])
def answer_supplement(request: HttpRequest, token: str) -> HttpResponse:
    """``/tra-cuu/bo-sung/<token>/``: the dossier's own citizen account lists
    what is missing and uploads it; anyone else is asked to sign in with that
    account and sees nothing of the dossier."""
    dossier = dossier_for_token(token[:200])
    if dossier is None:
        return _not_found(request)
    if not supplement.may_answer(request.user, dossier):
        return _refused_supplement(request, dossier)
    wanted = open_supplement(dossier, history_of(dossier))
    items = wanted.items if wanted else ()
    if request.method != "POST":
        form = SupplementForm(items=items)
        return _supplement_page(
            request, dossier, form=form, wanted=wanted, code=dossier.code
        )
    form = SupplementForm(request.POST, request.FILES, items=items)
    if not form.is_valid():
        return _supplement_page(
            request, dossier, status=400, form=form, wanted=wanted, code=dossier.code
        )
    uploads = [supplement.labelled(f, item) for item, f in form.labelled_uploads()]
    try:
        supplement.supplement_answer(
            request.user, dossier, uploads=uploads, note=form.cleaned_data["note"]
        )
    except DomainError as refused:
        form.add_error(None, refused.message)
        return _supplement_page(
            request,
            dossier,
            status=refused.status,
            form=form,
            wanted=wanted,
            code=dossier.code,
        )
    messages.success(
        request,
        _("Đã gửi %(n)d tệp bổ sung. Hồ sơ đã được chuyển lại cho cơ quan giải quyết.")
        % {"n": len(uploads)},
    )
    return redirect(qr_path(dossier))


def _refused_supplement(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """Not the applicant (or not signed in), or nothing to supplement: say
    what to do, show nothing of the dossier. A POST changes nothing."""
    is_owner = permissions.is_applicant_of(request.user, dossier)
    signed_in = bool(getattr(request.user, "is_authenticated", False))
    if is_owner:  # the applicant, but the dossier does not wait for a supplement
        status = 409 if request.method == "POST" else 200
        return _supplement_page(request, dossier, status=status, not_waiting=True)
    status = 403 if signed_in or request.method == "POST" else 200
    return _supplement_page(request, dossier, status=status, signed_in=signed_in)


@_private
@require_GET
def download_result(request: HttpRequest, token: str, file_id: int) -> HttpResponseBase:
    """``/tra-cuu/ket-qua/<token>/<file>/``: the signed result, for the
    dossier's own citizen account only; 404 for anyone else."""
    dossier = dossier_for_token(token[:200])
    item = results.result_for(request.user, dossier, file_id) if dossier else None
    if dossier is None or item is None:
        raise Http404
    try:
        stream = results.open_result(request.user, dossier, item)
    except FileNotFoundError:
        raise Http404 from None
    return protected_file_response(
        item.file,
        opened=stream,
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


@_private
@require_http_methods(["GET", "POST"])
def verify_document(request: HttpRequest) -> HttpResponse:
    """``/tra-cuu/xac-thuc/``: upload a PDF, read whether its signatures are
    valid, who signed, when, whether it changed after signing, and — for a
    result issued here — the dossier's code and agency."""
    if request.method != "POST":
        return render(request, "portal/verify.html", {"form": VerifyForm()})
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "portal/verify.html", {"form": form}, status=400)
    try:
        checked = verify.verify_upload(
            form.cleaned_data["document"], address=client_address(request)
        )
    except verify.TooManyChecks as refused:
        form.add_error(None, refused.message)
        response = render(request, "portal/verify.html", {"form": form}, status=429)
        response["Retry-After"] = str(refused.retry_after)
        return response
    except DomainError as refused:
        form.add_error("document", refused.message)
        return render(
            request, "portal/verify.html", {"form": form}, status=refused.status
        )
    context = {"form": VerifyForm(), "checked": checked}
    return render(request, "portal/verify.html", context)
