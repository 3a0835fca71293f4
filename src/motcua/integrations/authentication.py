"""DRF side of integration clients: the credential authentication and the
endpoint-group permission. Refusals are ``{"code", "message"}`` with stable
codes (401 ``auth.failed`` / ``client.*``, 403 ``client.*``, 429
``client.rate_limited`` with ``Retry-After``).

``motcua.core.auth.BearerTokenAuthentication`` hands every ``Bearer mcc_…`` key
to :class:`ClientCredentialAuthentication`, so no view and no setting has to
name it. The scope is checked during authentication — whatever permission
classes a view declares, a client never reaches a view outside its groups;
:class:`ClientScopePermission` states the same check for views that list it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from . import access
from .models import Client, ClientCredential


@dataclass
class RequestMark:
    """What the request log needs, left on the Django request."""

    client: Client
    credential_prefix: str
    route: str
    dossier_code: str


def route_of(request: HttpRequest) -> str:
    """The URL's name (``namespace:name``), never its path."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return ""
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def dossier_code_of(request: HttpRequest, route: str) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None or not route.startswith("api-dossier"):
        return ""
    return str(match.kwargs.get("code", ""))[:64]


def _key(request: Request) -> str | None:
    parts = get_authorization_header(request).split()
    if len(parts) != 2 or parts[0].lower() != b"bearer":
        return None
    try:
        return parts[1].decode()
    except UnicodeError:
        return None


class ClientCredentialAuthentication(BaseAuthentication):
    """``Authorization: Bearer mcc_<prefix>.<secret>``."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key = _key(request)
        if key is None or not access.is_client_key(key):
            return None
        credential = access.find(key)
        if credential is None:
            raise exceptions.AuthenticationFailed()
        return self.authenticate_credential(request, credential)

    def authenticate_credential(
        self, request: Request, credential: ClientCredential
    ) -> tuple[Any, Any]:
        django_request = request._request
        client = credential.client
        route = route_of(django_request)
        django_request.integration = RequestMark(  # type: ignore[attr-defined]
            client, credential.prefix, route, dossier_code_of(django_request, route)
        )
        access.check_live(credential)
        retry_after = access.take_request(client)
        if retry_after:
            raise access.rate_refusal(retry_after)
        refusal = access.scope_refusal(client, route, request.method or "GET")
        if refusal is not None:
            raise refusal
        django_request.user = client.user
        return (client.user, credential)

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ClientScopePermission(BasePermission):
    """Refuses a client's request outside its endpoint groups or access; lets
    any other caller through (their roles are checked by the services)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        credential = getattr(request, "auth", None)
        if not isinstance(credential, ClientCredential):
            return True
        route = route_of(request._request)
        refusal = access.scope_refusal(
            credential.client, route, request.method or "GET"
        )
        if refusal is not None:
            raise refusal
        return True
