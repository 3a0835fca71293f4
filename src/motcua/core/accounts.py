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

import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class StaffAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: Any) -> bool:
        return False

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
