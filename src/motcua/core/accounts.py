"""django-allauth adapter: staff accounts are created by administrators only;
every password check (sign-in, re-authentication, the admin site — which signs
in here too) is throttled per account and per address in the attempt table
(:mod:`motcua.security.throttle`), counted before the password is checked."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class StaffAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: Any) -> bool:
        return False

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
