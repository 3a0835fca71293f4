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
