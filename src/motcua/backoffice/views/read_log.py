"""The read log of personal data (Decree 13/2023/NĐ-CP), for agency
administrators and system administrators: search by dossier code, staff
member, dates and kind, over the agencies they administer only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from motcua.agencies.models import Role
from motcua.core.errors import DomainError
from motcua.privacy import selectors
from motcua.privacy.models import ReadLog

from ..access import staff_view
from .common import page

FILTER_KEYS = ("co_quan", "ma_ho_so", "can_bo", "loai", "tu", "den")


@require_GET
@staff_view(roles=[Role.AGENCY_ADMIN])
def read_log(request: HttpRequest) -> HttpResponse:
    params = {k: request.GET.get(k, "") for k in FILTER_KEYS}
    context: dict[str, object] = {
        "params": params,
        "kinds": ReadLog.What.choices,
        "agencies": selectors.log_agencies(request.user).order_by("name")[:500],
        "rows": [],
    }
    try:
        query = selectors.parse_query(request.GET)
        result = selectors.read_log_page(request.user, query)
    except DomainError as exc:
        context["error"] = exc.message
        return page(request, "backoffice/read_log.html", context, status=exc.status)
    kept = {k: v for k, v in params.items() if v}
    context.update(
        rows=result.items,
        next_query=(
            urlencode({**kept, "sau": result.next_cursor}) if result.next_cursor else ""
        ),
        first_query=urlencode(kept) if query.cursor else None,
    )
    return page(request, "backoffice/read_log.html", context)
