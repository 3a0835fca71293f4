"""django-allauth adapter: staff accounts are created by administrators only;
every password check (sign-in, re-authentication, the admin site — which signs
in here too) is throttled per account and per address in the attempt table
(:mod:`motcua.security.throttle`), counted before the password is checked.

An administrator who must set up an authenticator app is sent to it right
after signing in; allauth would ask for the password a second time there. A
*first* app, set up within allauth's re-authentication window of the sign-in,
needs no second password (the sign-in is as fresh as a re-authentication);
changing or removing an existing app still asks for it."""

from __future__ import annotations

import logging
import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

log = logging.getLogger(__name__)


class StaffAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: Any) -> bool:
        return False

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        """A citizen signed in by the identity provider is greeted by name, not
        by the generated user name; staff messages are unchanged."""
        user = (message_context or {}).get("user")
        if message_template == "account/messages/logged_in.txt" and user is not None:
            from django.utils.translation import gettext as _

            from motcua.citizens.access import citizen_of

            citizen = citizen_of(user)
            if citizen is not None:
                message = _("Xin chào %(name)s, bạn đã đăng nhập.") % {
                    "name": citizen.full_name or _("bạn")
                }
        super().add_message(
            request, level, message_template, message_context, extra_tags, message
        )

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa":
            return not _first_app_right_after_sign_in()
        return required

    def authenticate(
        self, request: HttpRequest, **credentials: Any
    ) -> AbstractBaseUser | None:
        from motcua.security import throttle

        login = str(credentials.get("username") or credentials.get("email") or "")
        account = (throttle.LOGIN_ACCOUNT, login.strip().lower())
        address = (throttle.LOGIN_ADDRESS, throttle.client_address(request))
        decision = throttle.attempt([account, address])
        if not decision.allowed:
            raise forms.ValidationError(
                throttle.refusal_message(decision.retry_after),
                code=throttle.REFUSAL_CODE,
            )
        user = super().authenticate(request, **credentials)
        if user is not None:
            throttle.clear([account])
            throttle.release([address])
        return user


def _first_app_right_after_sign_in() -> bool:
    from allauth.account import app_settings
    from allauth.account.authentication import get_authentication_records
    from allauth.core import context
    from allauth.mfa.models import Authenticator

    request = context.request
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return False
    if Authenticator.objects.filter(user=user).exists():
        return False  # an app (or recovery codes) to protect: ask again
    records = get_authentication_records(request, user)
    if not records:
        return False
    signed_in_at = float(records[-1].get("at", 0))
    return time.time() - signed_in_at < app_settings.REAUTHENTICATION_TIMEOUT


class CitizenSocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's social sign-in serves citizens only (the VNeID-style OpenID
    Connect provider, :mod:`motcua.citizens.identity`).

    It never reaches a staff account: no connecting a provider account to a
    signed-in user, no e-mail matching (settings: e-mail authentication off),
    and a provider account whose user holds any staff role, ``is_staff`` or is
    a superuser is refused. New citizens sign up automatically; staff sign-up
    stays closed (:class:`StaffAccountAdapter`)."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return True

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        from allauth.socialaccount.providers.base import AuthProcess

        from motcua.citizens import identity

        try:
            if sociallogin.state.get("process", AuthProcess.LOGIN) != AuthProcess.LOGIN:
                raise identity.IdentityRefused(
                    "citizens.connect_refused",
                    "Không thể liên kết tài khoản định danh điện tử với tài khoản "
                    "này. Công dân đăng nhập tại trang «Đăng nhập công dân».",
                    status=403,
                )
            facts = identity.asserted(
                sociallogin.account.extra_data,
                sociallogin.account.get_provider().app.settings,
            )
            request._motcua_asserted = facts  # type: ignore[attr-defined]
            if sociallogin.is_existing:
                identity.citizen_sign_in(sociallogin.user, facts)
                return
            holder = identity.citizen_by_identity(facts.identity_number)
            if holder is not None:  # the same person, a new provider account
                identity.citizen_sign_in(holder.user, facts)
                sociallogin.connect(request, holder.user)
        except identity.IdentityRefused as refusal:
            raise _refusal(request, refusal) from None

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: Any) -> Any:
        from motcua.citizens import identity

        user = sociallogin.user
        user.username = identity.new_username()
        user.email = ""  # the citizen row keeps it; never a key to an account
        user.first_name = str(data.get("name") or "")[:150]
        user.last_name = ""
        return user

    def save_user(
        self, request: HttpRequest, sociallogin: Any, form: Any = None
    ) -> Any:
        from motcua.citizens import identity

        user = super().save_user(request, sociallogin, form)
        facts = getattr(request, "_motcua_asserted", None) or identity.asserted(
            sociallogin.account.extra_data,
            sociallogin.account.get_provider().app.settings,
        )
        identity.citizen_sign_in(user, facts)
        return user

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """Cancelled at the provider, a forged or stale state, a provider that
        did not answer: back to the citizen sign-in page, said in Vietnamese
        (the details go to the log, without personal data)."""
        from allauth.socialaccount.providers.base import AuthError

        from motcua.citizens import identity

        log.info(
            "citizens.oidc_error error=%s exception=%s",
            error,
            type(exception).__name__ if exception else "",
        )
        cancelled = error == AuthError.CANCELLED
        raise _refusal(request, identity.provider_error(cancelled=cancelled))

    def get_connect_redirect_url(self, request: HttpRequest, socialaccount: Any) -> str:
        from django.urls import reverse

        return reverse("citizens:profile")


def _refusal(request: HttpRequest, refusal: Any) -> Any:
    """The refusal as an allauth "stop here": back to the citizen sign-in page
    with the Vietnamese message; nothing was signed in or saved."""
    from allauth.core.exceptions import ImmediateHttpResponse
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    messages.error(request, _(refusal.message))
    return ImmediateHttpResponse(redirect("citizens:sign_in"))
