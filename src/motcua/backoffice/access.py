"""Who may open a back-office page, and in which agency they are working.

Every back-office view is wrapped by :func:`staff_view`: anonymous users go to
the sign-in page; people who must use two factors (system and agency
administrators, leaders who sign) go to the authenticator setup, or to the code
prompt when this session has not used it (``motcua.security.twofactor``);
people without a staff role get 403.
The agency a person works in is chosen among those where they hold a role and
remembered in the session (the agency switcher).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Membership, Role
from motcua.agencies.selectors import is_former, memberships
from motcua.core import clock
from motcua.security import twofactor

SESSION_AGENCY = "backoffice_agency"
ADMIN_ROLES = frozenset({Role.AGENCY_ADMIN})


@dataclass
class Desk:
    """The signed-in officer's working context for one request."""

    user: Any
    agency: Agency
    agencies: list[Agency]
    roles: set[str] = field(default_factory=set)

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


def _is_superuser(user: Any) -> bool:
    return bool(user.is_active and user.is_superuser)


# Who needs two factors and whether this session passed them: one home,
# motcua.security.twofactor (also used by the admin site, the page gate and
# the API).
needs_two_factor = twofactor.required_for
has_totp = twofactor.has_totp


def agencies_of(user: Any) -> QuerySet[Agency]:
    """Agencies where ``user`` holds an active role (all, for a system admin)."""
    if _is_superuser(user):
        return Agency.objects.filter(is_active=True).order_by("name")
    ids = memberships(user).values("agency_id")
    return Agency.objects.filter(pk__in=ids).order_by("name")


def roles_in(user: Any, agency: Agency) -> set[str]:
    if _is_superuser(user):
        return {r.value for r in Role}
    return set(
        Membership.objects.filter(user=user, agency=agency, is_active=True).values_list(
            "role", flat=True
        )
    )


def desk_for(request: HttpRequest) -> Desk | None:
    """The working context of a signed-in staff member, or ``None``."""
    user = request.user
    agencies = list(agencies_of(user))
    if not agencies:
        return None
    chosen = request.session.get(SESSION_AGENCY)
    # By default an agency working today: after a merger the staff keep their
    # roles at the former ward (to finish its history) and gain the successor's.
    today = clock.today()
    working = next((a for a in agencies if not is_former(a, today)), agencies[0])
    agency = next((a for a in agencies if a.pk == chosen), working)
    return Desk(user, agency, agencies, roles_in(user, agency))


def forbidden(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(
        request, "backoffice/forbidden.html", {"message": message}, status=status
    )


def staff_view(
    roles: Iterable[str] | None = None,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Decorate a back-office view: sign-in, two-factor for administrators, a
    staff role, and (when given) one of ``roles`` in the current agency. The
    view receives the :class:`Desk` as ``request.desk``."""
    wanted = frozenset(roles or ())

    def decorate(
        view: Callable[..., HttpResponseBase],
    ) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            refusal = twofactor.page_refusal(request)
            if refusal is not None:
                return refusal
            desk = desk_for(request)
            if desk is None:
                return forbidden(
                    request, _("Tài khoản này chưa được giao vai trò cán bộ nào.")
                )
            if wanted and not desk.has(*wanted):
                return forbidden(
                    request,
                    _("Bạn không có vai trò phù hợp tại %(agency)s để mở trang này.")
                    % {"agency": desk.agency.name},
                )
            request.desk = desk  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
