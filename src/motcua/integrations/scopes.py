"""Endpoint groups an integration client may be granted (rules as data).

A group is an area of the API (named after the URL names of its endpoints) and
a kind of access: ``read`` covers safe methods (GET, HEAD, OPTIONS), ``write``
the others. A URL whose name belongs to no area is in no group: a client is
refused there (deny by default), whatever its other scopes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Area:
    name: str
    url_names: tuple[str, ...]  # exact URL names or prefixes ending in "-"
    writable: bool


AREAS = (
    Area("dossiers", ("api-dossiers", "api-dossier", "api-dossier-"), writable=True),
    Area("reports", ("reports-",), writable=False),
    Area(
        "catalog",
        ("api-procedures", "api-procedure-detail", "public_api:"),
        writable=False,
    ),
    Area("calendar", ("api-calendar-",), writable=False),
    Area("agencies", ("api-agencies", "api-agency"), writable=False),
)

GROUP_LABELS = {
    "dossiers.read": _("Hồ sơ: xem"),
    "dossiers.write": _("Hồ sơ: tiếp nhận, xử lý, tải tệp"),
    "reports.read": _("Báo cáo: xem (Biểu 06)"),
    "catalog.read": _("Danh mục thủ tục: xem"),
    "calendar.read": _("Lịch làm việc, hạn xử lý: xem"),
    "agencies.read": _("Cơ quan: xem"),
}
GROUPS = tuple(GROUP_LABELS)


def _matches(route: str, pattern: str) -> bool:
    if pattern.endswith(("-", ":")):
        return route.startswith(pattern)
    return route == pattern


def area_of(route: str) -> Area | None:
    """The API area of a URL name (``namespace:name`` when namespaced)."""
    for area in AREAS:
        if any(_matches(route, pattern) for pattern in area.url_names):
            return area
    return None


def group_of(route: str, method: str) -> str | None:
    """The endpoint group a request belongs to, or ``None`` (in no group)."""
    area = area_of(route)
    if area is None:
        return None
    kind = "read" if method.upper() in SAFE_METHODS else "write"
    group = f"{area.name}.{kind}"
    return group if group in GROUP_LABELS else None


def is_write(method: str) -> bool:
    return method.upper() not in SAFE_METHODS
