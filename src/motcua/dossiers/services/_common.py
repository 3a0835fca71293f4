"""What every dossier service shares: the input dataclasses, the runner that
locks the dossier, checks who may act and appends the event (``_begin``,
``_Act``), the role checks, the trusted replay of history, and the steps used by
more than one topic (settling a result, resuming after a pause).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

from motcua.agencies.models import Agency, Counter
from motcua.agencies.selectors import has_role
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core import clock, configstamp
from motcua.core.errors import Conflict, DomainError
from motcua.core.held import held_writes
from motcua.deadlines.services import pinned_calendars
from motcua.law.selectors import pinned_rules

from .. import observers, permissions, timing, unit
from .. import steps as step_ops
from ..applicants import ApplicantInput
from ..history import append_event, last_event
from ..models import Dossier, Step
from ..workflow import TRANSITIONS, Action, Status

A, S = Action, Status
_trusted: ContextVar[bool] = ContextVar("motcua_trusted_replay", default=False)


@contextmanager
def trusted_replay() -> Iterator[None]:
    """Role checks off, for the historical import only: it replays what older
    systems already decided, attributed to the people named in the file (who may
    have left or changed role since). Calendars, workflows, each day's law rules
    and the rows read through :func:`replay_cached` are read once. Nested
    blocks share the outer one's."""
    token = _trusted.set(True)
    outer = _replay_cache.get()
    cache_token = _replay_cache.set({} if outer is None else outer)
    try:
        with bulk_work(), pinned_rules():  # no rule changes during a replay
            yield
    finally:
        _replay_cache.reset(cache_token)
        _trusted.reset(token)


@contextmanager
def bulk_work() -> Iterator[None]:
    """Calendars and workflows read once in the block: for one action
    (``service_action``) and for many in a row (import, demo)."""
    with pinned_calendars(), step_ops.cached_workflows():
        yield


T = TypeVar("T")
P = ParamSpec("P")


def service_action(run: Callable[P, T]) -> Callable[P, T]:
    """A dossier action: one transaction, in which each agency's calendar, each
    procedure's workflow and each day's law rules are read once (a reception
    checked the calendar overrides three times and read the rules twice; issue
    15). Nothing in one action changes them. The writes nothing reads back in
    the action (figures, messages) are sent together at its end (ADR 0038)."""

    @functools.wraps(run)
    def action(*args: P.args, **kwargs: P.kwargs) -> T:
        own_savepoint = not _enclosed.get()
        token = _enclosed.set(False)  # an action it calls keeps its own
        try:
            with (
                transaction.atomic(savepoint=own_savepoint),
                held_writes(),
                bulk_work(),
                pinned_rules(),
            ):
                return run(*args, **kwargs)
        finally:
            _enclosed.reset(token)

    return action


_enclosed: ContextVar[bool] = ContextVar("motcua_action_enclosed", default=False)


@contextmanager
def enclosed() -> Iterator[None]:
    """Within the caller's atomic block, a dossier action called directly in
    the block takes no savepoint of its own: when it fails, its error leaves the
    caller's block, which is rolled back whole, and nothing between them may
    catch it (``idempotency.create_once``). A SAVEPOINT and its RELEASE fewer
    for every creation; actions and blocks opened inside an action keep
    theirs."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enclosed() is for an action inside an atomic block")
    token = _enclosed.set(True)
    try:
        yield
    finally:
        _enclosed.reset(token)


_replay_cache: ContextVar[dict[Any, Any] | None] = ContextVar(
    "motcua_replay_cache", default=None
)


def replay_cached(
    key: tuple[Any, ...], read: Callable[[], T], *, kept_as: str | None = None
) -> T:
    """``read()``, once per key within a trusted replay (an import run, where
    no merger or catalogue change happens underneath); otherwise every time,
    or, for configuration read by the registered reader ``kept_as``, once per
    change of the configuration within requests (ADR 0032)."""
    cache = _replay_cache.get()
    if cache is None:
        return read() if kept_as is None else configstamp.kept(kept_as, key, read)
    if key not in cache:
        cache[key] = read()
    return cache[key]


# ----------------------------------------------------------------- inputs
@dataclass(frozen=True)
class ComponentInput:
    name: str
    kind: str = "original"
    count: int = 1
    received: bool = True
    template_id: int | None = None


@dataclass(frozen=True)
class DossierInput:
    agency: Agency
    procedure: Procedure
    channel: str
    applicant: ApplicantInput
    components: Sequence[ComponentInput] = field(default_factory=tuple)
    counter: Counter | None = None
    # The centre receiving for the competent agency (``agency``) when it is
    # another one and no counter says so (Decree 118/2025; None: ``agency``).
    place: Agency | None = None
    code: str | None = None  # historical import: keep the older system's code
    due_at: datetime | None = None  # historical import: keep the recorded due date
    # Historical import: the version to follow — the one in force on the
    # reception day, found among the versions it read once, or when none was in
    # force the one it follows instead (it decides and counts those).
    version: ProcedureVersion | None = None


# ----------------------------------------------------------------- errors
def _invalid(code: str, message: str) -> DomainError:
    return DomainError(code, message)


def _require_role(
    actor: Any,
    agency: Agency,
    roles: Sequence[str] | frozenset[str],
    field_id: int | None,
) -> None:
    """Before a dossier exists (creation) or for an input-dependent power (the
    administrator's override); everything else goes through ``_check``."""
    if _trusted.get():
        return
    if actor is None or not has_role(actor, agency, roles, field_id=field_id):
        raise permissions.forbidden(agency)


def _require_text(value: str, code: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _invalid(code, f"Cần nhập {what}.")
    return value


# ------------------------------------------------------------- the runner
@dataclass
class _Act:
    action: str
    actor: Any
    dossier: Dossier
    now: datetime
    from_status: str
    # The number and hash of the dossier's last event when known for certain
    # (a dossier created by this action has none); otherwise read at commit.
    tail: tuple[int, str] | None = None
    # A dossier created by this action takes its code first thing at commit
    # (from ``reception._create``): the day's counter row stays locked from
    # then until the transaction ends, so it is taken as late as it can be.
    number: Callable[[], None] | None = None

    def commit(
        self,
        *,
        target: str | None = None,
        step: Step | None = None,
        reason: str = "",
        payload: dict[str, Any] | None = None,
    ) -> Dossier:
        if self.number is not None:
            self.number()
        new_status = target or TRANSITIONS[self.action].target
        if new_status:
            self.dossier.status = new_status
        self.dossier.lock_version += 1
        unit.save(self.dossier)
        replaying = _trusted.get()
        event = append_event(
            self.dossier,
            action=self.action,
            actor=self.actor,
            at=self.now,
            from_status=self.from_status,
            step_id=step.pk if step else None,
            reason=reason,
            payload=payload,
            tail=self.tail
            or (getattr(self.dossier, _TAIL, None) if replaying else None),
        )
        if replaying:  # the next action of this replay starts from this copy
            setattr(self.dossier, _TAIL, (event.seq, event.hash))
        observers.notify(self.dossier, event)
        return self.dossier


# A trusted replay (the historical import) owns the dossiers it builds inside its
# savepoint: the copy an action returns is current, with its last event's number
# and hash, so the next action need not read them again.
_TAIL = "_replay_tail"


def _begin(
    action: str,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None,
    *,
    check_roles: bool = True,
) -> _Act:
    """Lock the dossier, then check the version and ``permissions.check_action``
    (role, then the transition table). Step actions pass ``check_roles=False``:
    the table is checked here, the person once the step is known (``_check``)."""
    if _trusted.get() and hasattr(dossier, _TAIL):
        locked = dossier
    else:
        locked = (
            Dossier.objects.select_for_update()
            .select_related("agency", "procedure_version", "applicant")
            .get(pk=dossier.pk)
        )
    if expected_version is not None and locked.lock_version != expected_version:
        raise Conflict(
            "dossier.changed",
            "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại rồi thực hiện lại.",
        )
    if check_roles:
        _check(actor, locked, action)
    if locked.status not in TRANSITIONS[action].sources:
        raise permissions.invalid_transition(action, locked.status)
    return _Act(action, actor, locked, clock.now(), locked.status)


def _check(actor: Any, dossier: Dossier, action: str, **where: Any) -> None:
    """The one rule of who may act (``permissions.check_action``); a trusted
    replay of history is not checked."""
    if not _trusted.get():
        permissions.check_action(actor, dossier, action, **where)


# ------------------------------------------------------------ pauses
def _status_before_pause(dossier: Dossier, action: str) -> str:
    event = last_event(dossier, action)
    return event.from_status if event else S.PROCESSING


# ------------------------------------------------------------ settlement
def _settle(act: _Act, outcome: str) -> None:
    """Close the steps, open the hand-over and record the outcome; early / on
    time / late against the original due date by ``timing.timing`` (its one home)."""
    d, now = act.dossier, act.now
    step_ops.close_all(d, now, act.actor, Step.State.DONE)
    specs = step_ops.workflow_of(d.procedure_version)
    hand_over = step_ops.return_position(specs)
    if hand_over is not None and not step_ops.has_step_at(d, hand_over):
        step_ops.open_position(d, specs, hand_over, now)
    d.outcome = outcome
    d.finished_at = d.ended_at = now
    d.paused_at = None
    d.timing = timing.timing(now, d.original_due_at)
