"""Roles read once per reading request.

A page or an API answer asks "may this person …?" many times (menus, buttons,
visibility of each list, the allowed actions). A request that only reads —
GET, HEAD, OPTIONS — changes no membership, so within it each user's roles and
visible agencies are read once (``selectors.roles_read_once``). A request that
writes reads them at every check, as before: it may change them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .selectors import roles_read_once

READING = frozenset({"GET", "HEAD", "OPTIONS"})


class RolesReadOnceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in READING:
            return self.get_response(request)
        with roles_read_once():
            return self.get_response(request)
