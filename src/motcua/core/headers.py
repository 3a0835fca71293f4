"""Response headers every page gets: a Content-Security-Policy, a
Permissions-Policy, and ``Cache-Control: no-store`` on pages that show personal
or internal data (back office, tracking, reports, API, admin, accounts).

Django 5.2 has no CSP of its own. The policy comes from settings
(``MOTCUA_CSP``; ``MOTCUA_CSP_PATHS`` relaxes it for a path prefix such as the
Swagger UI); it is sent on HTML responses only. Our templates carry no inline
script or style, so the default policy holds on every page. A response marked
``X-Frame-Options: SAMEORIGIN`` (a dossier file shown in the dossier page) may
be framed by our own pages: its ``frame-ancestors`` becomes ``'self'``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

DEFAULT_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
DEFAULT_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
DEFAULT_NO_STORE_PREFIXES = (
    "/can-bo/",
    "/tra-cuu/",
    # the citizen's half (issue 12–13): accounts, drafts, payments, feedback
    "/cong-dan/",
    "/nop-ho-so/",
    "/thanh-toan/",
    "/phan-anh/",
    "/danh-gia-hai-long/",
    "/bao-cao/",
    "/danh-gia/",
    "/admin/",
    "/accounts/",
    "/api/",
)
# Public, non-personal data that caches may keep even below a private prefix.
DEFAULT_CACHEABLE_PREFIXES = (
    "/api/v1/calendar/",
    "/danh-gia/cong-khai/",
    "/api/v1/public/procedures/",
    "/api/v1/public/fields/",
)


def csp_for(path: str) -> str:
    for prefix, policy in getattr(settings, "MOTCUA_CSP_PATHS", {}).items():
        if path.startswith(prefix):
            return str(policy)
    return str(getattr(settings, "MOTCUA_CSP", DEFAULT_CSP))


def must_not_be_stored(path: str) -> bool:
    cacheable = getattr(
        settings, "MOTCUA_CACHEABLE_PREFIXES", DEFAULT_CACHEABLE_PREFIXES
    )
    if path.startswith(tuple(cacheable)):
        return False
    private = getattr(settings, "MOTCUA_NO_STORE_PREFIXES", DEFAULT_NO_STORE_PREFIXES)
    return path.startswith(tuple(private))


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path_info
        if must_not_be_stored(path):
            add_never_cache_headers(response)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and csp_for(path):
            policy = csp_for(path)
            if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
                policy = policy.replace(
                    "frame-ancestors 'none'", "frame-ancestors 'self'"
                )
            response.headers.setdefault("Content-Security-Policy", policy)
        permissions = getattr(
            settings, "MOTCUA_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY
        )
        if permissions:
            response.headers.setdefault("Permissions-Policy", permissions)
        return response
