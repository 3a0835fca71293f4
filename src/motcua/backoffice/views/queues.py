"""Work queues: each with its count, filters, due-date order, keyset pages and
the remaining working time as a badge."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from motcua.catalog.selectors import procedures_offered
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.models import Channel
from motcua.privacy.services import record_reads

from ..access import staff_view
from ..queues import BY_SLUG, queue_page, visible_queues
from ..timeleft import Badges
from .common import desk_of, page


@require_GET
@staff_view()
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    desk = desk_of(request)
    current = BY_SLUG.get(slug)
    if current is None or current not in visible_queues(desk):
        raise Http404
    context = {
        "queue": current,
        "procedures": procedures_offered(desk.agency).select_related(None),
        "channels": Channel.choices,
        "params": request.GET,
    }
    try:
        result = queue_page(desk, slug, request.GET)
    except DomainError as exc:
        context["error"] = exc.message
        return page(request, "backoffice/queue.html", context, status=exc.status)
    badges = Badges(clock.now())
    rows = [(d, badges.for_dossier(d)) for d in result.items]
    record_reads(request.user, result.items, what="queue_list", detail=slug)
    next_params = request.GET.copy()
    if result.next_cursor:
        next_params["cursor"] = result.next_cursor
    context.update(
        rows=rows,
        next_query=next_params.urlencode() if result.next_cursor else "",
        ordering=result.filters.ordering,
        first_page="cursor" in request.GET,
    )
    return page(request, "backoffice/queue.html", context)
