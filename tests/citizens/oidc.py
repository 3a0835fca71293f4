"""Signing a citizen in through the real allauth OpenID Connect flow against
the test provider (:mod:`motcua.citizens.devidp`) started on 127.0.0.1.

The Django test client cannot follow a redirect to another server, so the
helper does what the browser does: POST the sign-in button, send the
provider's consent form over HTTP, and bring the provider's redirect (code and
state) back to the callback — where allauth fetches the tokens from the live
provider over HTTP."""

from __future__ import annotations

import http.client
from urllib.parse import parse_qsl, urlencode, urlsplit

from allauth.socialaccount.models import SocialApp
from django.test import Client

from motcua.citizens.devidp import IdentityServer

PROVIDER_ID = "vneid"
CALLBACK = f"http://testserver/accounts/oidc/{PROVIDER_ID}/login/callback/"
LOGIN = f"/accounts/oidc/{PROVIDER_ID}/login/"


def register_app(server: IdentityServer, **app_settings: object) -> SocialApp:
    settings = {"server_url": server.url, "oauth_pkce_enabled": True, **app_settings}
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name="VNeID",
        client_id=server.provider.client_id,
        secret=server.provider.client_secret,
        settings=settings,
    )


def _idp_post(server: IdentityServer, path: str, form: dict[str, str]) -> tuple:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        connection.request(
            "POST",
            path,
            body=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def start(client: Client, next_path: str = "") -> dict[str, str]:
    """Press "Đăng nhập bằng VNeID": the provider's authorization request."""
    data = {"process": "login"}
    if next_path:
        data["next"] = next_path
    response = client.post(LOGIN, data)
    assert response.status_code == 302, response.content[:500]
    return dict(parse_qsl(urlsplit(response["Location"]).query))


def consent(server: IdentityServer, params: dict[str, str], person: str) -> str:
    """The person picked and consented: the redirect back to MotCua."""
    status, location = _idp_post(
        server, "/authorize", {**params, "person": person, "decision": "allow"}
    )
    assert status == 302, status
    return location


def vneid_sign_in(
    client: Client, server: IdentityServer, person: str = "demo-an", next_path=""
):
    """The whole round trip; returns the callback's response."""
    back = consent(server, start(client, next_path), person)
    parts = urlsplit(back)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return client.get(parts.path, dict(parse_qsl(parts.query)))
