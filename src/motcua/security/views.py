"""Back-office page "Khóa API": the signed-in officer makes (key shown once),
lists and revokes their own API keys. ``staff_view`` has already required the
second factor where it applies, so a key never comes from a password alone."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.backoffice.access import staff_view
from motcua.backoffice.views.common import page
from motcua.core.errors import DomainError

from . import tokens

TEMPLATE = "security/api_keys.html"


def _render(
    request: HttpRequest, *, new_key: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    return page(
        request,
        TEMPLATE,
        {
            "keys": [(t, tokens.is_live(t)) for t in tokens.tokens_of(request.user)],
            "new_key": new_key,
            "error": error,
            "days": tokens.default_lifetime().days,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_view()
def api_keys(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request)
    try:
        issued = tokens.token_issue(
            request.user,
            name=request.POST.get("name", ""),
            created_by=request.user,
        )
    except DomainError as exc:
        return _render(request, error=exc.message, status=400)
    response = _render(request, new_key=issued.key)
    response["Cache-Control"] = "no-store"  # the key is on this page only
    return response


@require_POST
@staff_view()
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = tokens.tokens_of(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    tokens.token_revoke(token)
    messages.success(request, _("Đã thu hồi khóa «%(name)s».") % {"name": token.name})
    return redirect("security:api_keys")
