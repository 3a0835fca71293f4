"""The page gate: a signed-in person who must use two factors reaches no page
but sign-in, sign-out, the authenticator pages and public pages until this
session has passed them (:mod:`motcua.security.twofactor`).

Deny by default: signing, reports, evaluation, slips and any page added later
are covered without each view remembering a decorator. The API (``/api/``)
decides in its authentication classes, which answer JSON.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import twofactor

# Paths open to a session that has not passed its second factor yet.
# Public pages: a staff session still waiting for its second factor may read
# them like anyone (the citizen's half has no staff power to protect).
OPEN_PREFIXES = (
    "/accounts/",
    "/i18n/",
    "/api/",
    "/tra-cuu/",
    "/thu-tuc/",
    "/cong-khai/",
    "/phan-anh/",
    "/thanh-toan/",
    "/cong-dan/",
    "/healthz/",  # the load balancer's readiness check: no data, no session
)


def _is_open(path: str) -> bool:
    static = "/" + settings.STATIC_URL.lstrip("/")
    return path == "/" or path.startswith((*OPEN_PREFIXES, static))


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_open(request.path_info):
            refusal = twofactor.page_refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)
