"""Citizens for tests of any app.

``make_citizen()`` gives a user and a VNeID-verified :class:`Citizen` (a fresh
12-digit identity number each time); ``sign_in(client, citizen)`` signs that
citizen in on a Django test client (``force_login``: no staff role, no second
factor). ``link_dossier(citizen, dossier)`` ties a dossier to them as online
submission does.

Playwright: a browser gets the same session through its cookie::

    from tests.citizens.factories import make_citizen, browser_sign_in
    citizen = make_citizen()
    browser_sign_in(page.context, live_server.url, citizen)
    page.goto(live_server.url + "/cong-dan/ho-so/")

(``browser_sign_in`` makes a session with Django's test client and hands its
cookie to the browser context.) The real sign-in — through the test identity
provider or a one-time code — is exercised in ``tests/citizens/`` and
``tests/e2e/test_citizen_signin.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.citizens.models import Citizen, CitizenDossier

_numbers = itertools.count(1)


def identity_number(n: int | None = None) -> str:
    """A 12-digit personal identification number (province 001, male, 1990)."""
    n = next(_numbers) if n is None else n
    return f"001090{n % 1_000_000:06d}"


def make_citizen(
    *,
    full_name: str = "Nguyễn Văn An",
    identity: str | None = None,
    verified_by: str = Citizen.VerifiedBy.VNEID,
    birth_date: dt.date | None = dt.date(1990, 5, 12),
    phone: str = "0905123456",
    email: str = "",
    username: str | None = None,
) -> Citizen:
    """A citizen account (user with an unusable password + Citizen row)."""
    n = next(_numbers)
    user = get_user_model().objects.create_user(username or f"cong-dan-{n}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    local = verified_by != Citizen.VerifiedBy.VNEID
    return Citizen.objects.create(
        user=user,
        verified_by=verified_by,
        identity_number="" if local else (identity or identity_number(n)),
        full_name=full_name,
        birth_date=None if local else birth_date,
        phone=phone,
        email=email,
    )


def link_dossier(
    citizen: Citizen, dossier: Any, via: str = CitizenDossier.Via.ONLINE
) -> CitizenDossier:
    return CitizenDossier.objects.create(citizen=citizen, dossier=dossier, via=via)


def sign_in(client: Client, citizen: Citizen) -> Client:
    """Sign ``citizen`` in on ``client`` (a Django test client)."""
    client.force_login(
        citizen.user, backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def citizen_client(citizen: Citizen) -> Client:
    return sign_in(Client(), citizen)


def browser_sign_in(context: Any, base_url: str, citizen: Citizen) -> None:
    """Give a Playwright browser context the session of ``citizen``."""
    client = citizen_client(citizen)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    host = urlsplit(base_url).hostname or "127.0.0.1"
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "domain": host,
                "path": "/",
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
