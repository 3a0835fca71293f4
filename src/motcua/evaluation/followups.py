"""Follow-ups of unsatisfied ratings and the review of held (abnormal) kiosk
votes — the agency's side of the citizen's voice.

A follow-up is due :data:`FOLLOW_UP_DAYS` working days after it opens (the
deadline engine, the agency's calendar); the leader records the answer given
to the citizen and what was done, with who and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import has_role, visible_agencies
from motcua.core import clock
from motcua.core.errors import Conflict, DomainError
from motcua.deadlines.engine import Unit
from motcua.deadlines.services import calendar_for

from .models import FollowUp, Rating, UnhappyReason

# Local practice, not a legal text: a week of work to call back and answer.
FOLLOW_UP_DAYS = 5
ANSWER_ROLES = (Role.LEADER, Role.AGENCY_ADMIN)
READ_ROLES = (Role.LEADER, Role.AGENCY_ADMIN, Role.MONITOR)
REVIEW_ROLES = (Role.AGENCY_ADMIN,)
MAX_TEXT = 4000


def _forbidden(message: str) -> DomainError:
    return DomainError("auth.forbidden", message, status=403)


def followup_open(
    rating: Rating,
    *,
    reasons: Iterable[UnhappyReason] = (),
    may_contact: bool = False,
    phone: str = "",
) -> FollowUp:
    """Open the follow-up of an unsatisfied rating, due in working days."""
    opened = clock.now()
    agency = Agency.objects.get(pk=rating.agency_id)
    due = calendar_for(agency).due(opened, Unit.WORKING_DAYS, FOLLOW_UP_DAYS)
    assert due is not None  # working days always give a due instant
    follow_up = FollowUp.objects.create(
        rating=rating,
        agency=agency,
        may_contact=may_contact,
        contact_phone=phone if may_contact else "",
        opened_at=opened,
        due_at=due,
    )
    follow_up.reasons.set(list(reasons))
    return follow_up


# -------------------------------------------------------------- selectors
def overdue_q(now: datetime) -> Q:
    """The one rule: a follow-up still unanswered after its due instant."""
    return Q(answered_at__isnull=True, due_at__lt=now)


def followups_for(
    user: Any, agencies: QuerySet[Agency], state: str = "open"
) -> QuerySet[FollowUp]:
    """Follow-ups of ``agencies`` the user may read: ``open``, ``overdue``,
    ``answered`` or ``all``; the soonest due first."""
    readable = [a.pk for a in agencies if has_role(user, a, READ_ROLES)]
    rows = FollowUp.objects.filter(agency_id__in=readable).select_related(
        "rating__dossier", "agency", "answered_by"
    )
    if state == "open":
        rows = rows.filter(answered_at__isnull=True)
    elif state == "overdue":
        rows = rows.filter(overdue_q(clock.now()))
    elif state == "answered":
        rows = rows.filter(answered_at__isnull=False).order_by("-answered_at")
    return rows.prefetch_related("reasons")


def followup_readable(user: Any, pk: int) -> FollowUp | None:
    row = (
        FollowUp.objects.filter(pk=pk)
        .select_related("rating__dossier__applicant", "agency", "answered_by")
        .prefetch_related("reasons")
        .first()
    )
    if row is None or not has_role(user, row.agency, READ_ROLES):
        return None
    if not visible_agencies(user).filter(pk=row.agency_id).exists():
        return None
    return row


def can_answer(user: Any, follow_up: FollowUp) -> bool:
    return has_role(user, follow_up.agency, ANSWER_ROLES)


@transaction.atomic
def followup_answer(
    actor: Any, follow_up: FollowUp, *, answer: str, action_taken: str
) -> FollowUp:
    """The leader records the answer given to the citizen and what was done."""
    if not can_answer(actor, follow_up):
        raise _forbidden("Chỉ lãnh đạo hoặc quản trị cơ quan được trả lời.")
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.answered_at is not None:
        raise Conflict("followup.already_answered", "Mục theo dõi này đã được trả lời.")
    answer, action_taken = (answer or "").strip(), (action_taken or "").strip()
    if not answer or not action_taken:
        raise DomainError(
            "followup.incomplete",
            "Cần ghi cả nội dung trả lời người dân và việc đã làm.",
        )
    locked.answer, locked.action_taken = answer[:MAX_TEXT], action_taken[:MAX_TEXT]
    locked.answered_by, locked.answered_at = actor, clock.now()
    locked.save(update_fields=["answer", "action_taken", "answered_by", "answered_at"])
    return locked


# ------------------------------------------------------------ held votes
def can_review(user: Any, agency: Agency) -> bool:
    return has_role(user, agency, REVIEW_ROLES)


def held_ratings(user: Any, agencies: QuerySet[Agency]) -> QuerySet[Rating]:
    reviewable = [a.pk for a in agencies if can_review(user, a)]
    return (
        Rating.objects.filter(agency_id__in=reviewable, state=Rating.State.HELD)
        .select_related("counter", "officer", "kiosk", "agency")
        .order_by("at", "id")
    )


@transaction.atomic
def rating_review(actor: Any, rating: Rating, *, accept: bool) -> Rating:
    """The agency administrator accepts a held vote (it counts from now on, at
    the time it was cast) or rejects it (kept, never counted)."""
    locked = (
        Rating.objects.select_for_update().select_related("agency").get(pk=rating.pk)
    )
    if not can_review(actor, locked.agency):
        raise _forbidden("Chỉ quản trị cơ quan được xem xét phiếu bất thường.")
    if locked.state != Rating.State.HELD:
        raise Conflict("rating.not_held", "Phiếu này không ở tình trạng chờ xem xét.")
    locked.state = Rating.State.COUNTED if accept else Rating.State.REJECTED
    locked.reviewed_by, locked.reviewed_at = actor, clock.now()
    locked.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    return locked
