"""API authentication and the role check every service and API uses.

``Authorization: Bearer <token>`` identifies staff and integration clients
(tokens from ``POST /api/v1/auth/token/`` or ``motcua create_api_token``).

``require_roles`` lives here so that callers need not know where roles are
stored; it imports ``motcua.agencies`` only when called, because
``motcua.agencies`` imports ``motcua.core`` (errors) and core must stay
importable before the app registry is ready.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rest_framework.authentication import TokenAuthentication

from motcua.core.errors import DomainError

if TYPE_CHECKING:
    from motcua.agencies.models import Agency

FORBIDDEN_MESSAGE = "Bạn không có quyền thực hiện thao tác này tại cơ quan này."


class BearerTokenAuthentication(TokenAuthentication):
    """``Authorization: Bearer <token>``; unknown tokens and tokens of inactive
    users are refused (401 ``auth.failed``)."""

    keyword = "Bearer"
    # DRF's TokenAuthentication already reads token and user in one query and
    # refuses inactive users; only the keyword differs.


def require_roles(
    user: Any, agency: Agency, roles: Iterable[str], field_id: int | None = None
) -> None:
    """Raise 403 ``auth.forbidden`` unless ``user`` holds one of ``roles`` in
    ``agency`` (for a specialist: in the field ``field_id`` when given).
    ARCHITECTURE principle 7: every agency sees only its own."""
    from motcua.agencies.selectors import has_role

    if not has_role(user, agency, roles, field_id=field_id):
        raise DomainError("auth.forbidden", FORBIDDEN_MESSAGE, status=403)
