"""OpenAPI description of our authentication classes (drf-spectacular).

drf-spectacular knows DRF's own ``TokenAuthentication`` and
``SessionAuthentication``; ours (hashed bearer keys, sessions that passed the
second factor — ``motcua.core.auth``) are described here. Imported by
``CoreConfig.ready`` so the extensions exist before any schema is built.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class BearerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "motcua.core.auth.BearerTokenAuthentication"
    name = "tokenAuth"
    match_subclasses = True

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return dict(
            build_bearer_security_scheme_object(
                header_name="Authorization", token_prefix="Bearer"
            )
        )


class TwoFactorSessionScheme(OpenApiAuthenticationExtension):
    target_class = "motcua.core.auth.TwoFactorSessionAuthentication"
    name = "cookieAuth"
    match_subclasses = True

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
