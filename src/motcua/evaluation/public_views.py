"""Public satisfaction pages (``/danh-gia-hai-long/``): the kiosk of a desk
counter, its one-time set-up by a signed-in officer, and the online rating of
a returned dossier reached with its tracking token.

Thin: the rules live in ``kiosks`` and ``online``. Pages are never cached;
bad input is a page with a Vietnamese message and its code, never a 500.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.agencies.models import Counter
from motcua.core import clock
from motcua.core.dates import local
from motcua.core.errors import DomainError
from motcua.security import twofactor

from . import kiosks, online
from .api import ERROR_FIELDS
from .models import Kiosk, Rating
from .questions import active_reasons, questions_on

KIOSK_COOKIE_AGE = 5 * 365 * 24 * 3600  # until revoked, in practice
RESET_SECONDS = 6


def _today_questions() -> list[Any]:
    return questions_on(local(clock.now()).date())


def _question_rows(posted: Any = None) -> list[dict[str, Any]]:
    """Today's questions with their options numbered (and the posted answer)."""
    posted = posted or {}
    return [
        {
            "code": q.code,
            "text": q.text,
            "choices": [
                {
                    "index": i,
                    "label": o.get("label", ""),
                    "checked": posted.get(f"q-{q.code}") == str(i),
                }
                for i, o in enumerate(q.options or [])
            ],
        }
        for q in _today_questions()
    ]


def _levels() -> list[tuple[str, Any]]:
    return list(Rating.Level.choices)


def _client_id() -> str:
    return secrets.token_urlsafe(16)


def _kiosk_of(request: HttpRequest, counter: Counter) -> Kiosk | None:
    kiosk = kiosks.kiosk_from_credential(request.COOKIES.get(kiosks.COOKIE))
    return kiosk if kiosk is not None and kiosk.counter_id == counter.pk else None


def _check_form(request: HttpRequest) -> None:
    """PostgreSQL text holds no NUL: refuse it (400) before any service reads
    the form (the input guard covers staff pages, not these public ones)."""
    for key, values in request.POST.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise DomainError(
                "request.invalid_character",
                "Dữ liệu gửi lên chứa ký tự không hợp lệ (NUL).",
            )


def _vote_from_form(request: HttpRequest) -> kiosks.Vote:
    answers = {
        q.code: request.POST.get(f"q-{q.code}", "")
        for q in _today_questions()
        if request.POST.get(f"q-{q.code}", "")
    }
    return kiosks.Vote(
        client_id=request.POST.get("client_id", "")[:64],
        level=request.POST.get("level", "")[:32],
        token=request.POST.get("dossier_token", "")[:300],
        answers=answers,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_page(request: HttpRequest, counter: int) -> HttpResponse:
    """The kiosk: three big buttons, the dossier's questions when there is one.
    Works without script (a plain form); the script adds polling, the offline
    queue and the reset."""
    desk = get_object_or_404(
        Counter.objects.select_related("agency"), pk=counter, is_active=True
    )
    kiosk = _kiosk_of(request, desk)
    if kiosk is None:
        return render(
            request, "evaluation/kiosk_missing.html", {"counter": desk}, status=403
        )
    error = None
    if request.method == "POST":
        try:
            _check_form(request)
            kiosks.kiosk_vote(kiosk, _vote_from_form(request))
            return redirect(reverse("satisfaction:kiosk", args=[desk.pk]) + "?cam-on=1")
        except DomainError as exc:
            error = exc
    state = kiosks.kiosk_state(kiosk)
    context = {
        "kiosk": kiosk,
        "counter": desk,
        "state": state,
        "questions": _question_rows(),
        "levels": _levels(),
        "client_id": _client_id(),
        "thanks": request.GET.get("cam-on") == "1" and error is None,
        "error": error,
        "reset_seconds": RESET_SECONDS,
    }
    return render(
        request, "evaluation/kiosk.html", context, status=400 if error else 200
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def kiosk_setup(request: HttpRequest, counter: int) -> HttpResponse:
    """A signed-in officer turns this tablet into the kiosk of the counter.
    Staff power: the second factor is checked here too, should the page gate
    ever open the public ``/danh-gia-hai-long/`` pages to pending sessions."""
    refusal = twofactor.page_refusal(request)
    if refusal is not None:
        return refusal
    desk = get_object_or_404(
        Counter.objects.select_related("agency"), pk=counter, is_active=True
    )
    if not kiosks.can_set_up(request.user, desk):
        return render(
            request,
            "evaluation/error.html",
            {"message": _("Bạn không có quyền cài đặt máy đánh giá cho quầy này.")},
            status=403,
        )
    if request.method == "POST":
        name = request.POST.get("name", "").replace("\x00", "")
        _kiosk, credential = kiosks.kiosk_set_up(request.user, desk, name=name)
        if request.POST.get("duty") == "1":
            kiosks.duty_start(request.user, desk)
        response = redirect("satisfaction:kiosk", counter=desk.pk)
        response.set_cookie(
            kiosks.COOKIE,
            credential,
            max_age=KIOSK_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
    return render(
        request,
        "evaluation/kiosk_setup.html",
        {
            "counter": desk,
            "current": _kiosk_of(request, desk),
            "can_take_duty": kiosks.can_take_duty(request.user, desk),
        },
    )


# ---------------------------------------------------------- online rating
def _answer_from_form(request: HttpRequest) -> online.OnlineAnswer:
    post = request.POST
    answers = {
        q.code: post.get(f"q-{q.code}", "")
        for q in _today_questions()
        if post.get(f"q-{q.code}", "")
    }
    return online.OnlineAnswer(
        level=post.get("level", "")[:32],
        answers=answers,
        reasons=tuple(post.getlist("reasons")[:20]),
        comment=post.get("comment", "")[:2000],
        may_contact=post.get("may_contact") == "1",
        contact_phone=post.get("contact_phone", "")[:20],
        client_id=post.get("client_id", "")[:64],
    )


def _rate_form(
    request: HttpRequest,
    dossier: Any,
    error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "dossier": dossier,
        "questions": _question_rows(request.POST),
        "levels": _levels(),
        "reasons": active_reasons(),
        "client_id": request.POST.get("client_id") or _client_id(),
        "posted": request.POST,
        "chosen_reasons": request.POST.getlist("reasons"),
        "error": error,
        "error_field": _error_field(error),
    }
    return render(request, "evaluation/rate.html", context, status=status)


def _error_field(error: DomainError | None) -> str:
    return ERROR_FIELDS.get(error.code, "") if error is not None else ""


@never_cache
@require_http_methods(["GET", "POST"])
def rate_page(request: HttpRequest, token: str) -> HttpResponse:
    """The online rating of a returned dossier (once on this channel)."""
    try:
        dossier = online.dossier_to_rate(token)
    except DomainError as exc:
        return render(
            request, "evaluation/rate_closed.html", {"error": exc}, status=exc.status
        )
    done = online.online_rating_of(dossier)
    if request.method == "POST" and done is None:
        try:
            _check_form(request)
            rating, _created = online.online_rate(token, _answer_from_form(request))
        except DomainError as exc:
            if exc.code in ("rating.not_returned", "rating.already_rated"):
                return _closed(request, dossier, exc)
            return _rate_form(request, dossier, exc, status=exc.status)
        return render(request, "evaluation/rate_done.html", {"rating": rating})
    if done is not None:
        return render(request, "evaluation/rate_done.html", {"rating": done})
    refusal = online.rating_refusal(dossier)
    if refusal is not None:
        return _closed(request, dossier, refusal)
    return _rate_form(request, dossier)


def _closed(request: HttpRequest, dossier: Any, exc: DomainError) -> HttpResponse:
    return render(
        request,
        "evaluation/rate_closed.html",
        {"error": exc, "dossier": dossier},
        status=exc.status,
    )
