"""Who may write on a dossier, and who may take which action now — one rule for
every screen, the API and the services (ARCHITECTURE principle 8).

A monitor (Giám sát) reads only. Before a write looks at its data, it checks
that the actor holds a writing role (``WRITING_ROLES``) in an agency where the
dossier is worked on: the agency that received it, one that handled a step, or
one that was consulted. The service then applies the finer rule of the action
(which role, which step, which field).

``allowed_actions`` (the buttons, the API's ``allowed_actions``) and
``check_action`` (called by every service) both come from ``refusal``: the
workflow table (status and roles), the dossier's active steps (their agency and
role) and the actor's memberships. A button shown is never refused with 403 or
409; a button hidden is."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.agencies.models import WRITING_ROLES, Agency, Role
from motcua.agencies.selectors import has_role, held_roles, is_staff_account
from motcua.core.errors import Conflict, DomainError

from . import steps as step_ops
from .models import Consultation, Dossier, Step
from .workflow import APPLICANT, TRANSITIONS, Action, Status

READ_ONLY_CODE = "auth.forbidden"


def involved_agencies(dossier: Dossier) -> list[Agency]:
    agencies = {dossier.agency_id: dossier.agency}
    for step in dossier.steps.all():
        agencies.setdefault(step.agency_id, step.agency)
    for consultation in dossier.consultations.all():
        agencies.setdefault(consultation.agency_id, consultation.agency)
    return list(agencies.values())


def may_write_on(actor: Any, dossier: Dossier) -> bool:
    """Whether ``actor`` holds a writing role where ``dossier`` is worked on."""
    return any(
        has_role(actor, agency, WRITING_ROLES) for agency in involved_agencies(dossier)
    )


def writes_anywhere(actor: Any) -> bool:
    """Whether ``actor`` holds a writing role in some agency (a system
    administrator does); a pure monitor does not."""
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return True
    return held_roles(actor).anywhere(WRITING_ROLES)


def _read_only() -> DomainError:
    return DomainError(
        READ_ONLY_CODE,
        _("Vai trò của bạn chỉ được xem, không được ghi vào hồ sơ này."),
        status=403,
    )


def require_write_on(actor: Any, dossier: Dossier) -> None:
    """Raise 403 ``auth.forbidden`` for a reader (a monitor) trying to write."""
    if not may_write_on(actor, dossier):
        raise _read_only()


def require_writer(actor: Any) -> None:
    """Raise 403 before reading a new dossier's data when ``actor`` may write
    nowhere (the agency is checked again by the service)."""
    if not writes_anywhere(actor):
        raise _read_only()


# ------------------------------------------------------------- the applicant
def is_citizen(actor: Any) -> bool:
    """Whether ``actor`` is a citizen's account: an active, signed-in user with
    a ``citizen`` row (:mod:`motcua.citizens`) that is no staff account
    (``is_staff_account``: a staff flag or any agency role, active or not). The
    one rule; ``citizens.access`` asks it too. A staff member's answer costs no
    query (their roles are read once per request); a citizen's, two, once per
    user object."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not actor.is_active or is_staff_account(actor):
        return False
    try:
        return actor.citizen is not None
    except ObjectDoesNotExist:
        return False


# The reverse one-to-one names that lead from a user to the system it is the
# technical account of: an integration client's (:mod:`motcua.integrations`);
# other apps add theirs from ``AppConfig.ready`` (``register_technical_link``).
TECHNICAL_LINKS: list[str] = ["integration_client"]


def register_technical_link(name: str) -> None:
    """Mark the accounts reached through the one-to-one ``name`` as a system's
    technical accounts (never offered or accepted as a step's assignee)."""
    if name not in TECHNICAL_LINKS:
        TECHNICAL_LINKS.append(name)


def is_integration_account(user: Any) -> bool:
    """Whether ``user`` is a system's technical account (an integration client,
    a peer one-stop system): it may act within its roles, but a step is never
    given to it — steps are people's work."""
    if user is None:
        return False
    for name in TECHNICAL_LINKS:
        try:
            if getattr(user, name) is not None:
                return True
        except (ObjectDoesNotExist, AttributeError):
            continue
    return False


def people_only(users: QuerySet[Any]) -> QuerySet[Any]:
    """``users`` without the systems' technical accounts."""
    for name in TECHNICAL_LINKS:
        users = users.filter(**{f"{name}__isnull": True})
    return users


def is_applicant_of(actor: Any, dossier: Dossier) -> bool:
    """Whether ``actor`` is the citizen who submitted ``dossier`` online (or for
    whom the desk submitted it): the dossier's ``citizen_link``."""
    if not is_citizen(actor):
        return False
    try:
        link = dossier.citizen_link
    except ObjectDoesNotExist:
        return False
    return bool(link.citizen.user_id == actor.pk)


def _applicant_refusal(actor: Any, dossier: Dossier, action: str) -> DomainError | None:
    """An applicant acts on their own dossier where the table names them
    (``workflow.APPLICANT``); on anyone else's, or any other action, 403."""
    transition = TRANSITIONS[action]
    if APPLICANT not in transition.roles or not is_applicant_of(actor, dossier):
        return forbidden(dossier.agency)
    if dossier.status not in transition.sources:
        return invalid_transition(action, dossier.status)
    if action == A.ATTACH_FILE and dossier.status not in APPLICANT_FILES_WHILE:
        return invalid_transition(action, dossier.status)
    return _state_refusal(action, dossier)


# The applicant's own files: with the submission, and to answer a supplement
# request; once the agency works on the dossier, only officers attach files.
APPLICANT_FILES_WHILE = frozenset({Status.SUBMITTED, Status.WAITING_SUPPLEMENT})


# ------------------------------------------------- may this person act now
A = Action
# Actions taken on an active step: the role is checked in the step's agency.
STEP_ACTIONS = frozenset({A.ASSIGN, A.FORWARD, A.SUBMIT, A.APPROVE, A.SEND_BACK})
# Not offered as buttons: online submission creates the dossier, files have
# their own endpoint, anonymisation is the retention purge's (privacy), a
# transfer is the merger command's (``motcua merge_agencies``).
NOT_BUTTONS = frozenset({A.SUBMIT_ONLINE, A.ATTACH_FILE, A.ANONYMISE, A.TRANSFER})


def _label(value: str, choices: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def forbidden(agency: Agency) -> DomainError:
    return DomainError(
        READ_ONLY_CODE,
        "Bạn không có quyền thực hiện thao tác này với hồ sơ của cơ quan "
        f"{agency.name}.",
        status=403,
    )


def invalid_transition(action: str, status: str) -> Conflict:
    return Conflict(
        "dossier.invalid_transition",
        f"Không thể «{_label(action, Action)}» hồ sơ đang ở trạng thái "
        f"«{_label(status, Status)}».",
    )


class _Held:
    """``has_role`` answers for one actor, memoised per (agency, roles, field)."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.cache: dict[tuple[int, frozenset[str], int | None], bool] = {}

    def __call__(
        self, agency: Agency, roles: Iterable[str], field_id: int | None
    ) -> bool:
        key = (agency.pk, frozenset(roles), field_id)
        if key not in self.cache:
            self.cache[key] = self.actor is not None and has_role(
                self.actor, agency, key[1], field_id=field_id
            )
        return self.cache[key]


def active_steps(dossier: Dossier) -> list[Step]:
    """The dossier's active steps (from the prefetch when loaded)."""
    return [s for s in dossier.steps.all() if s.state == Step.State.ACTIVE]


def step_roles(action: str, step: Step) -> frozenset[str]:
    """Who may take a step action on ``step`` (in the step's agency): the step's
    own role or the leader forward and submit; the leader approves and sends
    back; assigning a leader's step is the leader's, other steps may also be
    assigned by the desk or the unit."""
    if action in (A.FORWARD, A.SUBMIT):
        return frozenset({step.role, Role.LEADER})
    if action in (A.APPROVE, A.SEND_BACK):
        return frozenset({Role.LEADER})
    if step.role == Role.LEADER:
        return frozenset({Role.LEADER})
    return TRANSITIONS[A.ASSIGN].roles


def desk_roles(action: str, dossier: Dossier) -> frozenset[str]:
    """Who may take a dossier-level action (in the dossier's agency): the
    table's roles; before reception, supplements and refusals are the desk's,
    after it the unit's (specialist; a leader may also refuse)."""
    if action == A.REQUEST_SUPPLEMENT:
        pre = dossier.received_at is None
        return frozenset({Role.RECEPTION} if pre else {Role.SPECIALIST})
    if action == A.REFUSE and dossier.received_at is not None:
        return frozenset({Role.SPECIALIST, Role.LEADER})
    if action == A.REFUSE:
        return frozenset({Role.RECEPTION})
    return TRANSITIONS[action].roles


def at_the_unit(dossier: Dossier) -> bool:
    """Whether the dossier is with the specialists of its agency: one of its
    steps there with the specialist's role is active, or it has no steps at all.
    Once submitted to the leader (or handed to another agency, or back at the
    desk) the specialist no longer works it."""
    steps = list(dossier.steps.all())
    return not steps or any(
        s.state == Step.State.ACTIVE
        and s.role == Role.SPECIALIST
        and s.agency_id == dossier.agency_id
        for s in steps
    )


def _files_of_its_step(held: _Held, dossier: Dossier, action: str) -> bool:
    """Another agency handling an active step of the dossier (liên thông) may
    attach its drafts and results to it, as the people who may finish that
    step (``step_roles``); nothing else of the dossier opens to it."""
    return action == A.ATTACH_FILE and any(
        held(step.agency, step_roles(A.FORWARD, step), dossier.field_id)
        for step in active_steps(dossier)
        if step.agency_id != dossier.agency_id
    )


def _works_it_now(held: _Held, dossier: Dossier, action: str) -> bool:
    """A specialist takes dossier-level actions only while the dossier is at
    the unit (``at_the_unit``); the desk, the leader and the administrator at
    any stage the table allows."""
    roles = desk_roles(action, dossier)
    others = roles - {Role.SPECIALIST}
    if action == A.ATTACH_FILE or Role.SPECIALIST not in roles:
        return True  # files (drafts, scans) are not "working the dossier"
    if others and held(dossier.agency, others, dossier.field_id):
        return True
    return at_the_unit(dossier)


def _step_state_refusal(action: str, dossier: Dossier, step: Step) -> Conflict | None:
    """409 when the step cannot take the action whoever asks."""
    if action in (A.APPROVE, A.SEND_BACK) and step.role != Role.LEADER:
        return Conflict(
            "dossier.not_awaiting_approval", "Hồ sơ chưa được trình lãnh đạo phê duyệt."
        )
    if action == A.SUBMIT:
        specs = step_ops.workflow_of(dossier.procedure_version)
        following = step_ops.next_position(specs, step.position)
        if following is None or {s.role for s in specs if s.position == following} != {
            Role.LEADER
        }:
            return Conflict(
                "dossier.no_approval_step",
                "Bước tiếp theo của quy trình không phải bước lãnh đạo phê duyệt.",
            )
    if action == A.SEND_BACK and not (
        dossier.steps.filter(position__lt=step.position, state=Step.State.DONE)
        .exclude(role=Role.RECEPTION)
        .exists()
    ):
        return Conflict(
            "dossier.nothing_to_send_back", "Không có bước xử lý để trả lại."
        )
    return None


def refusal(
    actor: Any,
    dossier: Dossier,
    action: str,
    *,
    step: Step | None = None,
    consultation: Consultation | None = None,
    held: _Held | None = None,
) -> DomainError | None:
    """Why ``actor`` may not take ``action`` on ``dossier`` now (403 for the
    person, 409 for the dossier's state), or ``None``. ``step`` (step actions)
    and ``consultation`` (answers) narrow the check to that one; without them
    any active step or unanswered consultation will do. Input checks (reasons,
    dates, amounts, the 3-day supplement window) stay with the service."""
    if is_citizen(actor):
        return _applicant_refusal(actor, dossier, action)
    held = held or _Held(actor)
    if action in STEP_ACTIONS:
        return _step_refusal(held, dossier, action, step)
    transition = TRANSITIONS[action]
    if action == A.ANSWER_CONSULT:
        if dossier.status not in transition.sources:
            return invalid_transition(action, dossier.status)
        return _answer_refusal(held, dossier, consultation)
    if not held(
        dossier.agency, desk_roles(action, dossier), dossier.field_id
    ) and not _files_of_its_step(held, dossier, action):
        return forbidden(dossier.agency)
    if dossier.status not in transition.sources:
        return invalid_transition(action, dossier.status)
    if not _works_it_now(held, dossier, action):
        return forbidden(dossier.agency)
    return _state_refusal(action, dossier)


def _state_refusal(action: str, dossier: Dossier) -> Conflict | None:
    """409 when the dossier's data, beyond its status, rules the action out."""
    if action == A.RECEIVE and dossier.received_at is not None:
        return Conflict(
            "dossier.already_received",
            "Hồ sơ đang chờ bổ sung sau khi đã tiếp nhận; dùng «Bổ sung hồ sơ».",
        )
    if action == A.RECORD_PAYMENT and dossier.payment_status == Dossier.Payment.PAID:
        return Conflict("dossier.already_paid", "Hồ sơ đã được ghi nhận nộp phí.")
    return None


def _step_refusal(
    held: _Held, dossier: Dossier, action: str, step: Step | None
) -> DomainError | None:
    if dossier.status not in TRANSITIONS[action].sources:
        return invalid_transition(action, dossier.status)
    first: DomainError | None = None
    for candidate in [step] if step is not None else active_steps(dossier):
        roles = step_roles(action, candidate)
        if not held(candidate.agency, roles, dossier.field_id):
            first = first or forbidden(candidate.agency)
            continue
        state = _step_state_refusal(action, dossier, candidate)
        if state is None:
            return None
        first = first or state
    return first or forbidden(dossier.agency)


def _answer_refusal(
    held: _Held, dossier: Dossier, consultation: Consultation | None
) -> DomainError | None:
    roles = TRANSITIONS[A.ANSWER_CONSULT].roles
    asked = (
        [consultation]
        if consultation is not None
        else [c for c in dossier.consultations.all() if c.answered_at is None]
    )
    mine = [c for c in asked if held(c.agency, roles, None)]
    if not mine:
        return forbidden(asked[0].agency if asked else dossier.agency)
    if all(c.answered_at is not None for c in mine):
        return Conflict(
            "dossier.consult_answered", "Yêu cầu xin ý kiến này đã được trả lời."
        )
    return None


def check_action(
    actor: Any,
    dossier: Dossier,
    action: str,
    *,
    step: Step | None = None,
    consultation: Consultation | None = None,
) -> None:
    """Raise the 403 or 409 of ``refusal``; the services call this."""
    error = refusal(actor, dossier, action, step=step, consultation=consultation)
    if error is not None:
        raise error


def allowed_actions(actor: Any, dossier: Dossier) -> list[str]:
    """The actions ``actor`` may take on ``dossier`` now, in the table's order:
    exactly those ``check_action`` lets through (buttons only, see
    ``NOT_BUTTONS``). Expects ``steps`` and ``consultations`` prefetched
    (``dossier_for``) to stay within a few queries."""
    held = _Held(actor)
    return [
        action
        for action, transition in TRANSITIONS.items()
        if action not in NOT_BUTTONS
        and dossier.status in transition.sources
        and refusal(actor, dossier, action, held=held) is None
    ]
