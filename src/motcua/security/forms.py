"""allauth's second-stage code forms, throttled in the attempt table: a code
is counted per account and per address before it is checked
(``MFA_FORMS`` in settings points here)."""

from __future__ import annotations

from collections.abc import Callable

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms

from . import throttle


def _throttled_code(
    form: AuthenticateForm | ReauthenticateForm, check: Callable[[], str]
) -> str:
    account = (throttle.MFA_ACCOUNT, str(form.user.pk))
    address = (throttle.LOGIN_ADDRESS, throttle.client_address(context.request))
    decision = throttle.attempt([account, address])
    if not decision.allowed:
        raise forms.ValidationError(
            throttle.refusal_message(decision.retry_after),
            code=throttle.REFUSAL_CODE,
        )
    code = check()
    throttle.clear([account])
    throttle.release([address])
    return str(code)


class ThrottledAuthenticateForm(AuthenticateForm):
    def clean_code(self) -> str:
        return _throttled_code(self, super().clean_code)


class ThrottledReauthenticateForm(ReauthenticateForm):
    def clean_code(self) -> str:
        return _throttled_code(self, super().clean_code)


class RecordingActivateTOTPForm(ActivateTOTPForm):
    """Setting the app up proves it is in hand: this session then counts as
    having passed the second factor (no sign-out and in again needed)."""

    def clean_code(self) -> str:
        from allauth.account.internal.flows.login import record_authentication

        code = str(super().clean_code())
        # allauth records a sign-in step the same way (an internal helper; the
        # record's shape is the public get_authentication_records()).
        record_authentication(
            context.request, self.user, "mfa", type="totp", activated=True
        )
        return code
