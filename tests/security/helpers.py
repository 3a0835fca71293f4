"""Test helpers: a session signed in through allauth with a real TOTP code (as
a person at the keyboard would), and an API key issued directly."""

from __future__ import annotations

from typing import Any

from django.test import Client

PASSWORD = "mat-khau-dai-ca-nhan-1"


def totp_secret(user: Any) -> str:
    """The user's authenticator secret; the app is activated when missing."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import decrypt

    found = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).first()
    if found is not None:
        return str(decrypt(found.data["secret"]))
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, steps_ago: int = 0) -> str:
    """The code the authenticator app shows now (or ``steps_ago`` periods of
    30 seconds earlier, as a phone whose code was typed late)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, totp_step() - steps_ago))


def totp_step(*, margin: float = 1.0) -> int:
    """The current TOTP period (allauth reads ``time.time``). When fewer than
    ``margin`` seconds are left in it, waits for the next one, so that a code
    computed here is checked by the server in the same period."""
    import time

    from allauth.mfa import app_settings

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.01)
    return int(time.time()) // period


def forget_used_codes(user: Any, code: str) -> None:
    """allauth refuses a code twice in its window; a test signing the same
    person in twice within 30 seconds forgets the first use."""
    from django.core.cache import cache

    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")


def password_sign_in(client: Client, user: Any, password: str | None = None) -> Any:
    """POST the allauth sign-in form; returns the response."""
    if password is None:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        password = PASSWORD
    return client.post(
        "/accounts/login/", {"login": user.get_username(), "password": password}
    )


def sign_in_with_mfa(client: Client, user: Any, password: str | None = None) -> Client:
    """Sign ``user`` in through allauth: password, then the code from the
    authenticator app (activated for them when missing)."""
    secret = totp_secret(user)
    response = password_sign_in(client, user, password)
    assert response.status_code == 302, response.content
    assert response["Location"].startswith("/accounts/2fa/authenticate/"), response[
        "Location"
    ]
    code = totp_code(secret)
    forget_used_codes(user, code)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302, response.content
    return client


def mfa_client(user: Any) -> Client:
    """A new client signed in as ``user`` with both factors."""
    return sign_in_with_mfa(Client(), user)


def issue_token(user: Any, **options: Any) -> str:
    """An API key for ``user`` (issued directly, as an administrator would)."""
    from motcua.security.tokens import token_issue

    options.setdefault("name", "khóa thử")
    options.setdefault("created_by", None)
    return token_issue(user, **options).key
