"""The identity providers a citizen may sign in with: allauth's OpenID
Connect apps (SocialApp rows and ``SOCIALACCOUNT_PROVIDERS`` apps).

The sign-in button is a form POSTed to allauth, which answers with a redirect
to the provider: the page's Content-Security-Policy must allow that origin in
``form-action`` (browsers apply it to the redirect too). The origin is the
provider's ``server_url``, plus any listed in the app's settings key
``"authorization_origins"`` (an authorization endpoint on another host)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest


@dataclass(frozen=True)
class IdentityProvider:
    provider_id: str
    name: str
    login_path: str
    origins: tuple[str, ...] = ()


def identity_providers(request: HttpRequest) -> list[IdentityProvider]:
    from allauth.socialaccount.adapter import get_adapter

    found = []
    for provider in get_adapter().list_providers(request):
        if (
            provider.id != "openid_connect"
            and provider.app.provider != "openid_connect"
        ):
            continue
        found.append(
            IdentityProvider(
                provider_id=provider.app.provider_id,
                name=provider.app.name,
                login_path=provider.get_login_url(request),
                origins=_origins(provider.app.settings or {}),
            )
        )
    return found


def _origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def _origins(app_settings: dict[str, Any]) -> tuple[str, ...]:
    urls = [str(app_settings.get("server_url") or "")]
    urls += [str(u) for u in app_settings.get("authorization_origins") or []]
    return tuple(dict.fromkeys(o for o in map(_origin, urls) if o))


def content_security_policy(path: str, providers: list[IdentityProvider]) -> str:
    """The page's policy, its ``form-action`` opened to the providers."""
    from motcua.core.headers import csp_for

    policy = csp_for(path)
    origins = " ".join(dict.fromkeys(o for p in providers for o in p.origins))
    if not origins or "form-action 'self'" not in policy:
        return policy
    return policy.replace("form-action 'self'", f"form-action 'self' {origins}")
