"""Work queues of the back office: one condition per queue over the dossiers the
officer may see, all counts in one aggregate query, pages by keyset on the
indexed due date (ARCHITECTURE principle 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Role
from motcua.core import clock
from motcua.deadlines.engine import WORKING_DAY
from motcua.deadlines.services import calendar_for
from motcua.dossiers import selectors, timing
from motcua.dossiers.models import Dossier, Step
from motcua.dossiers.workflow import WORKING, Status

from .access import Desk


@dataclass(frozen=True)
class Queue:
    slug: str
    title: Any
    help: Any
    roles: frozenset[str] = frozenset()  # empty: everyone


QUEUES = (
    Queue("cua-toi", _("Việc của tôi"), _("Hồ sơ có bước đang giao cho tôi.")),
    Queue("don-vi", _("Của đơn vị"), _("Hồ sơ đang xử lý tại cơ quan.")),
    Queue(
        "sap-den-han",
        _("Đến hạn trong 1 ngày làm việc"),
        _("Hồ sơ đang xử lý còn không quá 1 ngày làm việc."),
    ),
    Queue("qua-han", _("Quá hạn"), _("Hồ sơ đang xử lý đã quá hạn trả kết quả.")),
    Queue("cho-bo-sung", _("Chờ bổ sung"), _("Hồ sơ chờ người nộp bổ sung.")),
    Queue(
        "cho-duyet",
        _("Chờ tôi phê duyệt"),
        _("Hồ sơ đã trình lãnh đạo, chưa phê duyệt."),
        frozenset({Role.LEADER}),
    ),
    Queue("cho-tra", _("Chờ trả kết quả"), _("Hồ sơ đã có kết quả, chờ trả.")),
    Queue(
        "truc-tuyen",
        _("Trực tuyến chờ tiếp nhận"),
        _("Hồ sơ nộp trực tuyến, bưu chính chờ tiếp nhận."),
        frozenset({Role.RECEPTION}),
    ),
)
BY_SLUG = {q.slug: q for q in QUEUES}


def visible_queues(desk: Desk) -> list[Queue]:
    return [q for q in QUEUES if not q.roles or desk.has(*q.roles)]


def _active_steps() -> QuerySet[Step]:
    return Step.objects.filter(dossier=OuterRef("pk"), state=Step.State.ACTIVE)


def conditions(desk: Desk, now: datetime) -> dict[str, Q]:
    """The condition of each queue for ``desk`` at ``now``."""
    agency: Agency = desk.agency
    here = Q(agency=agency)
    soon = calendar_for(agency).add_working_time(now, WORKING_DAY)
    mine = _active_steps().filter(assignee_id=desk.user.pk)
    approval = (
        _active_steps()
        .filter(role=Role.LEADER, agency=agency)
        .filter(Q(assignee__isnull=True) | Q(assignee_id=desk.user.pk))
    )
    working = here & Q(status__in=WORKING)
    return {
        "cua-toi": Q(Exists(mine)),
        "don-vi": working,
        "sap-den-han": here & timing.due_soon_q(now, soon),
        "qua-han": here & timing.overdue_q(now),
        "cho-bo-sung": here & Q(status=Status.WAITING_SUPPLEMENT),
        "cho-duyet": Q(status=Status.PROCESSING) & Q(Exists(approval)),
        "cho-tra": here & Q(status=Status.RESULT_READY),
        "truc-tuyen": here & Q(status=Status.SUBMITTED),
    }


def queue_counts(desk: Desk, now: datetime | None = None) -> dict[str, int]:
    """Every visible queue's count, in one aggregate query."""
    now = now or clock.now()
    wanted = {q.slug for q in visible_queues(desk)}
    found = conditions(desk, now)
    aggregates = {
        slug.replace("-", "_"): Count("pk", filter=found[slug])
        for slug in found
        if slug in wanted
    }
    row = selectors.dossiers_visible_to(desk.user).aggregate(**aggregates)
    return {slug.replace("_", "-"): value or 0 for slug, value in row.items()}


@dataclass(frozen=True)
class QueuePage:
    items: list[Dossier]
    next_cursor: str | None
    filters: selectors.DossierFilters


def _after(rows: QuerySet[Dossier], ordering: str, key: dict[str, Any]) -> Any:
    if ordering != "due_at":
        return rows.filter(id__lt=key["id"])
    if key["due"] is None:
        return rows.filter(due_at__isnull=True, id__gt=key["id"])
    return rows.filter(
        Q(due_at__gt=key["due"])
        | Q(due_at=key["due"], id__gt=key["id"])
        | Q(due_at__isnull=True)
    )


def queue_page(
    desk: Desk, slug: str, params: QueryDict, *, limit: int = 25
) -> QueuePage:
    """One page of queue ``slug`` with the list filters of ``params`` (procedure,
    field, channel, q, ordering, cursor); sorted by due date unless asked."""
    values = params.copy()
    values.setdefault("ordering", "due_at")
    values["limit"] = str(limit)
    filters = selectors.parse_filters(values)
    now = clock.now()
    rows = selectors.dossier_list(desk.user, filters).filter(
        conditions(desk, now)[slug]
    )
    if filters.cursor is not None:
        rows = _after(rows, filters.ordering, filters.cursor)
    items = list(rows[: filters.limit + 1])
    more = len(items) > filters.limit
    items = items[: filters.limit]
    cursor = selectors.encode_cursor(filters.ordering, items[-1]) if more else None
    return QueuePage(items, cursor, filters)


def leader_board(desk: Desk, now: datetime | None = None) -> dict[str, Any]:
    """Today's figures for the leader: received, due today, overdue by step and
    unit (two small grouped queries)."""
    from motcua.deadlines.engine import VN_TZ

    now = now or clock.now()
    local = now.astimezone(VN_TZ)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    here = Dossier.objects.filter(agency=desk.agency)
    totals = here.aggregate(
        received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        due_today=Count("pk", filter=timing.due_today_q(now)),
        overdue=Count("pk", filter=timing.overdue_q(now)),
        ready=Count("pk", filter=Q(status=Status.RESULT_READY)),
    )
    late_steps = (
        Step.objects.filter(timing.step_overdue_q(now))
        .filter(Q(dossier__agency=desk.agency) | Q(agency=desk.agency))
        .values("name", unit=F("agency__name"))
        .annotate(n=Count("pk"))
        .order_by("-n", "name")
    )
    return {"totals": totals, "late_steps": list(late_steps)}
