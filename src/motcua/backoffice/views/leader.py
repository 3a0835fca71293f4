"""The leader board: today's figures, slow steps and what waits for approval."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.http import require_GET

from motcua.agencies.models import Role
from motcua.core import clock
from motcua.privacy.services import record_reads
from motcua.signing.selectors import duty_for

from ..access import staff_view
from ..queues import leader_board, queue_page
from ..timeleft import Badges
from .common import desk_of, page


@require_GET
@staff_view(roles=[Role.LEADER, Role.AGENCY_ADMIN, Role.MONITOR])
def board(request: HttpRequest) -> HttpResponse:
    desk = desk_of(request)
    now = clock.now()
    badges = Badges(now)
    waiting = []
    if desk.has(Role.LEADER):
        waiting = [
            (d, badges.for_dossier(d))
            for d in queue_page(desk, "cho-duyet", QueryDict(), limit=20).items
        ]
        record_reads(request.user, [d for d, _ in waiting], what="queue_list")
    return page(
        request,
        "backoffice/leader.html",
        {
            "board": leader_board(desk, now),
            "waiting": waiting,
            "duty": duty_for(desk.agency, clock.today()),
        },
    )
