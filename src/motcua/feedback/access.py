"""Who sees and does what with an agency's feedback items (one home for the
rule; the back-office pages and the services both ask here).

* Leaders, agency administrators and monitors see every item of the agency.
* The one-stop desk (reception) sees the items waiting for an assignment —
  the desk routes the box's mail — and those assigned to them.
* Specialists see the items assigned to them.
* Leaders and agency administrators assign and publish; the assignee (or a
  leader / administrator) answers; the desk, leaders and administrators type
  in the letters of the suggestion box. Monitors only read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import user_roles

from .models import Feedback, State

SEE_ALL = frozenset({Role.LEADER, Role.AGENCY_ADMIN, Role.MONITOR})
MANAGE = frozenset({Role.LEADER, Role.AGENCY_ADMIN})
ENTER_BOX = frozenset({Role.RECEPTION, Role.LEADER, Role.AGENCY_ADMIN})
HANDLERS = frozenset({Role.RECEPTION, Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN})
STAFF_ROLES = SEE_ALL | HANDLERS


def roles(user: Any, agency: Agency) -> set[str]:
    return user_roles(user, agency)


def visible_q(user: Any, held: set[str]) -> Q | None:
    """The filter on one agency's items for someone holding ``held`` there
    (``None``: they see none)."""
    if held & SEE_ALL:
        return Q()
    mine = Q(assigned_to=user)
    if Role.RECEPTION in held:
        return mine | Q(state=State.RECEIVED)
    if Role.SPECIALIST in held:
        return mine
    return None


def visible_items(user: Any, agency: Agency) -> QuerySet[Feedback]:
    condition = visible_q(user, roles(user, agency))
    items = Feedback.objects.filter(agency=agency)
    return items.filter(condition) if condition is not None else items.none()


def can_assign(held: set[str]) -> bool:
    return bool(held & MANAGE)


def can_publish(held: set[str]) -> bool:
    return bool(held & MANAGE)


def can_enter_box(held: set[str]) -> bool:
    return bool(held & ENTER_BOX)


def may_answer(user: Any, held: set[str], item: Feedback) -> bool:
    """The person may answer this item (whatever its state: an answered item
    is the service's 409, not a refusal of the person)."""
    if held & MANAGE:
        return True
    return bool(held & HANDLERS) and item.assigned_to_id == user.pk


def can_answer(user: Any, held: set[str], item: Feedback) -> bool:
    if item.state == State.ANSWERED:
        return False
    if held & MANAGE:
        return True
    return bool(held & HANDLERS) and item.assigned_to_id == user.pk
