"""Who is a citizen, and the gate of the citizen pages.

One home for the citizen/staff separation (ARCHITECTURE principle 7): a
citizen is a signed-in user with a :class:`~motcua.citizens.models.Citizen`
row who holds no staff role and is neither ``is_staff`` nor a superuser. A
staff account is never a citizen, whatever rows exist — the citizen sign-in
paths (:mod:`motcua.citizens.identity`, :mod:`motcua.citizens.codes`) refuse it
and every citizen page and API treats it as "not a citizen".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from .models import Citizen


def is_staff_account(user: Any) -> bool:
    """A staff account: ``is_staff``, a superuser, or any agency role (active
    or not — a suspended officer is still not a citizen account)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(user.memberships.exists())


def citizen_of(user: Any) -> Citizen | None:
    """The citizen row of an active, non-staff ``user``; ``None`` otherwise."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not user.is_active or is_staff_account(user):
        return None
    return Citizen.objects.filter(user=user).first()


def current_citizen(request: HttpRequest) -> Citizen | None:
    """The citizen signed in on ``request`` (cached on the request), or
    ``None`` for anonymous visitors and staff."""
    if hasattr(request, "_motcua_citizen"):
        cached: Citizen | None = request._motcua_citizen
        return cached
    citizen = citizen_of(getattr(request, "user", None))
    request._motcua_citizen = citizen  # type: ignore[attr-defined]
    return citizen


def sign_in_url(next_path: str = "") -> str:
    """The citizen sign-in page, coming back to ``next_path`` afterwards."""
    url = reverse("citizens:sign_in")
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url


def citizen_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Decorate a citizen page: anonymous visitors and staff accounts go to
    the citizen sign-in page (with ``next``); the view finds the citizen as
    ``request.citizen``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        citizen = current_citizen(request)
        if citizen is None:
            return HttpResponseRedirect(sign_in_url(request.get_full_path()))
        request.citizen = citizen  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
