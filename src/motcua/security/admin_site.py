"""The admin site signs people in through allauth only, with the second factor
where required: ``/admin/login/`` is a redirect to ``account_login``, and a
session is admitted only when :func:`twofactor.session_passed` says so."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import twofactor


class MotCuaAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and twofactor.session_passed(request)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        wanted = request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}
        ):
            wanted = ""
        wanted = wanted or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            query = urlencode({"next": wanted})
            return HttpResponseRedirect(f"{reverse('account_login')}?{query}")
        refusal = twofactor.page_refusal(request)
        if refusal is not None:
            return refusal
        if self.has_permission(request):
            return HttpResponseRedirect(wanted)
        return render(
            request,
            "backoffice/forbidden.html",
            {"message": _("Tài khoản này không được vào trang quản trị hệ thống.")},
            status=403,
        )
