"""Who must sign in with two factors, and whether this session did.

One home for the rule (STYLE: one definition per rule): the back office
(``staff_view``), the admin site, the page gate (:class:`TwoFactorMiddleware`,
which covers signing, reports and evaluation pages) and the API authentication
all call :func:`required_for` and :func:`session_passed`.

Two factors (TOTP) are required of system administrators (superusers), agency
administrators and leaders who hold an active signing certificate. They must
set the authenticator app up before anything else, and the session must have
used it: allauth records each authentication step in the session
(``get_authentication_records``); a session counts only when one record is
``mfa`` — a sign-in through allauth's second stage, a re-authentication with a
code, or the activation of the app in this very session.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

SETUP_MESSAGE = (
    "Tài khoản này phải bật xác thực 2 lớp (ứng dụng xác thực) trước khi làm việc khác."
)
CODE_MESSAGE = (
    "Phiên đăng nhập này chưa qua xác thực 2 lớp. Vui lòng nhập mã từ ứng "
    "dụng xác thực."
)


def required_for(user: Any) -> bool:
    """Superusers, agency administrators and leaders holding an active signing
    certificate must use two factors."""
    from motcua.agencies.models import Role
    from motcua.agencies.selectors import held_roles
    from motcua.signing.models import LeaderCertificate

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    # the memberships every later check of the request reads too (read once
    # within ``roles_read_once``); only a leader can sign with a certificate,
    # so only a leader's certificates are looked up
    held = held_roles(user)
    return bool(
        user.is_superuser
        or held.anywhere((Role.AGENCY_ADMIN,))
        or (
            held.anywhere((Role.LEADER,))
            and LeaderCertificate.objects.filter(user=user, is_active=True).exists()
        )
    )


def has_totp(user: Any) -> bool:
    """Whether ``user`` has activated an authenticator app."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def used_second_factor(request: HttpRequest) -> bool:
    """Whether the signed-in user passed a second factor in this session."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def session_passed(request: HttpRequest) -> bool:
    """Whether this session may act: two factors are not required of its user,
    or the user has the app and used it in this session."""
    user = request.user
    if not required_for(user):
        return True
    return has_totp(user) and used_second_factor(request)


def page_refusal(request: HttpRequest) -> HttpResponse | None:
    """For a web page: ``None`` when the session may go on, otherwise the
    redirect to the authenticator setup (no app yet) or to the code prompt."""
    user = request.user
    if getattr(request, "_motcua_two_factor_checked", False):
        return None  # the page gate already let this request through
    if not user.is_authenticated or not required_for(user):
        request._motcua_two_factor_checked = True  # type: ignore[attr-defined]
        return None
    if not has_totp(user):
        messages.warning(request, _(SETUP_MESSAGE))
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
    if not used_second_factor(request):
        messages.warning(request, _(CODE_MESSAGE))
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")
    request._motcua_two_factor_checked = True  # type: ignore[attr-defined]
    return None


def api_refusal(request: HttpRequest, *, by_token: bool) -> tuple[str, str] | None:
    """For the API: ``None``, or the (code, Vietnamese message) of a 403.

    A token was issued by a session that passed two factors (or by an
    administrator); it still stops working while its owner, who now needs two
    factors, has no authenticator app."""
    user = request.user
    if not required_for(user):
        return None
    if not has_totp(user):
        return "auth.two_factor_setup_required", SETUP_MESSAGE
    if not by_token and not used_second_factor(request):
        return "auth.two_factor_required", CODE_MESSAGE
    return None
