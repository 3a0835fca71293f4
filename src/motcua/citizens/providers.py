"""The identity providers a citizen may sign in with: allauth's OpenID
Connect apps (SocialApp rows and ``SOCIALACCOUNT_PROVIDERS`` apps)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class IdentityProvider:
    provider_id: str
    name: str
    login_path: str


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
            )
        )
    return found
