"""Reads of the feedback box: the sender's look-up by code, the back office's
list, the public list of published answers, and the on-time figure of
Circular 01/2018 indicator 8.

"Late" and "overdue" are the dossiers' rules (``motcua.dossiers.timing``): an
answer is late when its *day* is after the due *day*; an open item is overdue
once its due day is over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from motcua.agencies.models import Agency
from motcua.core import clock
from motcua.dossiers import timing
from motcua.security import throttle
from motcua.security.throttle import HOUR, Policy

from .codes import normalise
from .models import Feedback, State

# Like the dossier look-up (motcua.portal.tracking): per address generous and
# forgetful (shared addresses), per code strict.
LOOKUP_ADDRESS = Policy(
    "feedback_lookup_address",
    free=20,
    base_delay=1,
    max_delay=5 * 60,
    forget_after=HOUR,
)
LOOKUP_CODE = Policy(
    "feedback_lookup_code",
    free=10,
    base_delay=2,
    max_delay=10 * 60,
    forget_after=24 * HOUR,
)


class TooManyLookups(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class PublicStatus:
    """What the code alone shows: no contact, no content."""

    code: str
    agency: str
    category: str
    channel: str
    state: str
    answered: bool
    received_at: datetime
    due_at: datetime
    answered_at: datetime | None
    answer: str
    published: bool


def public_status(item: Feedback) -> PublicStatus:
    return PublicStatus(
        code=item.code,
        agency=item.agency.name,
        category=item.get_category_display(),
        channel=item.get_channel_display(),
        state=item.get_state_display(),
        answered=item.state == State.ANSWERED,
        received_at=item.received_at,
        due_at=item.due_at,
        answered_at=item.answered_at,
        answer=item.answer if item.state == State.ANSWERED else "",
        published=item.published,
    )


def lookup(code: str, *, address: str) -> PublicStatus | None:
    """The item's public status, or ``None`` (no such code). Throttled per
    address and per code before looking; call outside any transaction."""
    wanted = normalise(code)
    typed = (code or "").strip().upper()[:32]
    decision = throttle.attempt(
        [(LOOKUP_ADDRESS, address), (LOOKUP_CODE, wanted or typed)]
    )
    if not decision.allowed:
        raise TooManyLookups(decision.retry_after)
    item = (
        Feedback.objects.filter(code=wanted).select_related("agency").first()
        if wanted
        else None
    )
    if item is None:
        return None
    throttle.clear([(LOOKUP_CODE, wanted)])
    throttle.release([(LOOKUP_ADDRESS, address)])
    return public_status(item)


def overdue_q(now: datetime) -> Q:
    """Open items whose due day is over (the dossiers' rule)."""
    return ~Q(state=State.ANSWERED) & Q(due_at__lt=timing.day_start(now))


def is_overdue(item: Feedback, now: datetime | None = None) -> bool:
    if item.state == State.ANSWERED:
        return False
    return timing.is_late_at(now or clock.now(), item.due_at)


def answer_timing(item: Feedback) -> str:
    """``early`` / ``on_time`` / ``late``, ``""`` while unanswered."""
    return timing.timing(item.answered_at, item.due_at)


FILTERS = {
    "": Q(),
    "open": ~Q(state=State.ANSWERED),
    State.RECEIVED.value: Q(state=State.RECEIVED),
    State.ASSIGNED.value: Q(state=State.ASSIGNED),
    State.ANSWERED.value: Q(state=State.ANSWERED),
    "published": Q(published=True),
}


def staff_list(
    items: QuerySet[Feedback], *, state: str = "", overdue: bool = False
) -> QuerySet[Feedback]:
    """An agency's visible items, oldest due first for open ones (the work
    order), filtered by state and by "overdue only"."""
    rows = items.filter(FILTERS.get(state, Q()))
    if overdue:
        rows = rows.filter(overdue_q(clock.now()))
    return rows.select_related("assigned_to").order_by("due_at", "id")


def published(agency_id: int | None = None) -> QuerySet[Feedback]:
    """The public list: published items only, newest first."""
    rows = Feedback.objects.filter(published=True, state=State.ANSWERED)
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    return rows.select_related("agency").order_by("-published_at", "-id")


def related_dossier_code(item: Feedback) -> str:
    """The code typed by the sender when it is a dossier of the item's agency
    (the officer gets a link to it), else ``""``."""
    from motcua.dossiers.models import Dossier

    code = item.dossier_code
    if not code:
        return ""
    found = Dossier.objects.filter(code=code, agency_id=item.agency_id).exists()
    return code if found else ""


def publishing_agencies() -> QuerySet[Agency]:
    """Agencies with at least one published answer (the public list's filter)."""
    ids = Feedback.objects.filter(published=True).values("agency_id")
    return Agency.objects.filter(pk__in=ids).only("code", "name").order_by("name")


def feedback_on_time(
    agency_ids: Iterable[int], start: datetime, end: datetime
) -> tuple[int, int]:
    """Circular 01/2018 indicator 8 ("tiếp thu, giải trình ý kiến phản ánh,
    kiến nghị đúng hạn"): of the items of ``agency_ids`` due in
    ``[start, end)``, how many were answered by their due day —
    ``(answered_on_time, total_due)``. One query."""
    rows = Feedback.objects.filter(
        agency_id__in=list(agency_ids), due_at__gte=start, due_at__lt=end
    ).values_list("answered_at", "due_at")
    total = on_time = 0
    for answered_at, due_at in rows:
        total += 1
        if answered_at is not None and timing.timing(answered_at, due_at) != (
            timing.LATE
        ):
            on_time += 1
    return on_time, total
