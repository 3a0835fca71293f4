"""OpenAPI description of our authentication classes and of the one error body
(drf-spectacular).

drf-spectacular knows DRF's own ``TokenAuthentication`` and
``SessionAuthentication``; ours (hashed bearer keys of staff and of integration
clients, sessions that passed the second factor — ``motcua.core.auth``) are
described here. Every error answer of the API is ``{"code", "message"}`` plus
``fields`` (each wrong field's messages) when the code is ``invalid``: the
``Error`` component says so once for every endpoint that declares it. Imported by
``CoreConfig.ready`` so the extensions exist before any schema is built.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
)
from drf_spectacular.plumbing import build_bearer_security_scheme_object

BEARER_DESCRIPTION = (
    "`Authorization: Bearer <khóa>`. Khóa cá nhân của cán bộ: `mc_…` (trang Khóa "
    "API). Khóa của hệ thống tích hợp: `mcc_<đầu khóa>.<bí mật>` (quản trị cấp, "
    "`motcua integration_client issue`), giới hạn theo cơ quan, quyền xem/ghi, "
    "nhóm API và số yêu cầu mỗi phút. Lỗi: 401 `auth.required`, `auth.failed`, "
    "`client.credential_expired`, `client.credential_revoked`, `client.revoked`; "
    "403 `client.endpoint_not_allowed`, `client.read_only`, `auth.forbidden`; "
    "429 `auth.throttled`, `client.rate_limited` (kèm `Retry-After`)."
)
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Lỗi: mã ổn định, thông báo tiếng Việt; `fields` chỉ có khi "
    "mã là `invalid` (thông báo theo từng trường).",
    "properties": {
        "code": {
            "type": "string",
            "description": "Mã lỗi ổn định, ví dụ dossier.changed",
        },
        "message": {
            "type": "string",
            "description": "Thông báo tiếng Việt cho người dùng",
        },
        "fields": {
            "type": "object",
            "additionalProperties": {},
            "description": "Lỗi theo từng trường dữ liệu (mã `invalid`).",
        },
    },
    "required": ["code", "message"],
}


class ErrorBody(OpenApiSerializerExtension):
    """``motcua.core.api.ErrorSerializer``: the house error body, with the
    optional ``fields`` of a validation error."""

    target_class = "motcua.core.api.ErrorSerializer"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return ERROR_SCHEMA


class BearerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "motcua.core.auth.BearerTokenAuthentication"
    name = "tokenAuth"
    match_subclasses = True

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scheme = dict(
            build_bearer_security_scheme_object(
                header_name="Authorization", token_prefix="Bearer"
            )
        )
        scheme["description"] = BEARER_DESCRIPTION
        return scheme


class TwoFactorSessionScheme(OpenApiAuthenticationExtension):
    target_class = "motcua.core.auth.TwoFactorSessionAuthentication"
    name = "cookieAuth"
    match_subclasses = True

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


# Integer bounds that come from the database's column types, not from a rule:
# Django gives model integer fields the range of the column (SQLite: 64 bits for
# every integer, PostgreSQL: 16/32/64 bits), so the same code would document
# two schemas. Register in SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"].
_STORAGE_MAXIMA = frozenset({32767, 2147483647, 9223372036854775807})
_STORAGE_MINIMA = frozenset({-32768, -2147483648, -9223372036854775808})
_INT64 = (9223372036854775807, -9223372036854775808)


def _neutral(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _neutral(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "integer":
        removed = []
        if node.get("maximum") in _STORAGE_MAXIMA:
            removed.append(node.pop("maximum"))
        if node.get("minimum") in _STORAGE_MINIMA:
            removed.append(node.pop("minimum"))
        if node.get("format") == "int64" and any(v in _INT64 for v in removed):
            node.pop("format")
    for value in node.values():
        _neutral(value)


def neutral_integer_bounds(
    result: dict[str, Any], generator: Any = None, request: Any = None, **kwargs: Any
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: drop the integer bounds that only
    say how wide the database column is, so SQLite and PostgreSQL generate the
    same schema. Idempotent."""
    _neutral(result)
    return result
