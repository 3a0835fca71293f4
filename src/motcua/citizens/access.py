"""Who is a citizen, and the gate of the citizen pages.

The citizen/staff separation (ARCHITECTURE principle 7) has one rule,
``dossiers.permissions.is_citizen``: a citizen is an active, signed-in user
with a :class:`~motcua.citizens.models.Citizen` row that is no staff account
(``agencies.selectors.is_staff_account``: ``is_staff``, a superuser, or any
agency role, active or not). A staff account is never a citizen, whatever rows
exist — the citizen sign-in paths (:mod:`motcua.citizens.identity`,
:mod:`motcua.citizens.codes`) refuse it, and every citizen page, API and
dossier permission treats it as "not a citizen".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from motcua.agencies.selectors import is_staff_account
from motcua.dossiers.permissions import is_citizen

from .models import Citizen

__all__ = ["citizen_of", "citizen_required", "current_citizen", "is_staff_account"]


def citizen_of(user: Any) -> Citizen | None:
    """The citizen row of ``user`` when it is a citizen's account
    (``dossiers.permissions.is_citizen``, the one rule); ``None`` otherwise."""
    if not is_citizen(user):
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
