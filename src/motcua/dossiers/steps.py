"""Processing steps of one dossier, instantiated from the procedure's workflow.

Positions run in order; steps sharing a position run in parallel (each unit gets
its task and deadline at once — Decree 61/2018 Art. 19 for electronic
inter-agency dossiers). A step's due time is its start plus its budget of working
hours on the calendar of the agency that handles it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.core import configstamp
from motcua.deadlines.services import calendar_for

from . import unit
from .models import Dossier, Step


@dataclass(frozen=True)
class StepSpec:
    position: int
    name: str
    role: str
    unit: Agency | None
    budget_hours: Decimal
    template_id: int | None = None


def _default_steps(version: ProcedureVersion) -> list[StepSpec]:
    from motcua.catalog import services as catalog_services

    specs = []
    for row in catalog_services.default_steps(version):
        data: dict[str, Any] = row if isinstance(row, dict) else vars(row)
        specs.append(
            StepSpec(
                position=int(data["position"]),
                name=str(data["name"]),
                role=str(data["role"]),
                unit=data.get("unit"),
                budget_hours=Decimal(str(data["budget_hours"])),
            )
        )
    return specs


_workflows: ContextVar[dict[int, list[StepSpec]] | None] = ContextVar(
    "motcua_cached_workflows", default=None
)


@contextmanager
def cached_workflows() -> Iterator[None]:
    """Within the block, each procedure version's workflow is read once (bulk work:
    import, demo generation). Nested blocks share the outer one's cache."""
    outer = _workflows.get()
    token = _workflows.set({} if outer is None else outer)
    try:
        yield
    finally:
        _workflows.reset(token)


def workflow_of(version: ProcedureVersion) -> list[StepSpec]:
    """The version's workflow, or the catalogue's default one."""
    cache = _workflows.get()
    if cache is not None and version.pk in cache:
        return cache[version.pk]
    specs = _read_workflow(version)
    if cache is not None:
        cache[version.pk] = specs
    return specs


_WORKFLOWS = configstamp.reader(
    "dossiers.workflow", "catalog.StepTemplate", "agencies.Agency"
)


def _read_workflow(version: ProcedureVersion) -> list[StepSpec]:
    """Kept between requests until the catalogue changes (ADR 0032); the default
    workflow follows the version's legal time, part of the key."""
    key = (version.pk, version.time_unit, version.time_value)
    return list(configstamp.kept(_WORKFLOWS, key, lambda: _workflow_rows(version)))


def _workflow_rows(version: ProcedureVersion) -> tuple[StepSpec, ...]:
    rows = list(version.steps.select_related("unit").order_by("position", "id"))
    if not rows:
        return tuple(_default_steps(version))
    return tuple(
        StepSpec(r.position, r.name, r.role, r.unit, r.budget_hours, r.pk) for r in rows
    )


def positions(specs: list[StepSpec]) -> list[int]:
    return sorted({s.position for s in specs})


def step_due(agency: Agency, start: datetime, budget_hours: Decimal) -> datetime | None:
    """The step's deadline; a step without a time budget (the desk handing the
    result over) has none — it is measured by the dossier's own due date."""
    if not budget_hours:
        return None
    hours = timedelta(hours=float(budget_hours))
    return calendar_for(agency).add_working_time(start, hours)


def open_position(
    dossier: Dossier,
    specs: list[StepSpec],
    position: int,
    now: datetime,
    *,
    assignee: Any = None,
    done: bool = False,
    done_by: Any = None,
) -> list[Step]:
    """Create the active steps of ``position``; with ``done``, the steps as
    :func:`close` by ``done_by`` at ``now`` leaves them (the desk's own step,
    finished as the dossier is received: one INSERT, not an INSERT and then an
    UPDATE, issue 15)."""
    created = []
    members = [s for s in specs if s.position == position]
    for spec in members:
        agency = spec.unit or dossier.agency
        step = Step(
            dossier=dossier,
            agency=agency,
            template_id=spec.template_id,
            position=spec.position,
            name=spec.name,
            role=spec.role,
            assignee=assignee if len(members) == 1 else None,
            state=Step.State.ACTIVE,
            budget_hours=spec.budget_hours,
            started_at=now,
            due_at=step_due(agency, now, spec.budget_hours),
        )
        if done:
            _mark_closed(step, now, done_by, Step.State.DONE)
        created.append(unit.insert(step))
    return created


def active_steps(dossier: Dossier) -> QuerySet[Step]:
    return dossier.steps.filter(state=Step.State.ACTIVE).select_related("agency")


def active_list(dossier: Dossier) -> list[Step]:
    """The active steps, in id order: from the replay unit of work when it holds
    the dossier (``unit``), else :func:`active_steps`."""
    held = unit.steps_of(dossier)
    if held is None:
        return list(active_steps(dossier))
    return [s for s in held if s.state == Step.State.ACTIVE]


def has_step_at(dossier: Dossier, position: int) -> bool:
    """Whether any step of ``position`` was ever opened for the dossier."""
    held = unit.steps_of(dossier)
    if held is None:
        return dossier.steps.filter(position=position).exists()
    return any(s.position == position for s in held)


def _mark_closed(step: Step, now: datetime, actor: Any, state: str) -> None:
    step.state = state
    step.ended_at = now
    step.ended_by = actor if getattr(actor, "pk", None) else None


def close(step: Step, now: datetime, actor: Any, state: str = Step.State.DONE) -> None:
    _mark_closed(step, now, actor, state)
    unit.save(step, ["state", "ended_at", "ended_by"])


def close_all(dossier: Dossier, now: datetime, actor: Any, state: str) -> None:
    for step in active_list(dossier):
        close(step, now, actor, state)


def next_position(specs: list[StepSpec], after: int) -> int | None:
    later = [p for p in positions(specs) if p > after]
    return later[0] if later else None


def return_position(specs: list[StepSpec]) -> int | None:
    """The last position when it is the desk's hand-over of the result."""
    all_positions = positions(specs)
    if not all_positions:
        return None
    last = all_positions[-1]
    roles = {s.role for s in specs if s.position == last}
    return last if roles == {"reception"} and len(all_positions) > 1 else None


def move_due_dates(
    dossier: Dossier, *, restart_at: datetime | None, shift: timedelta
) -> None:
    """After a pause: active steps restart their budget, or move by ``shift``."""
    for step in active_list(dossier):
        if restart_at is not None:
            step.due_at = step_due(step.agency, restart_at, step.budget_hours)
        elif step.due_at is not None:
            step.due_at = calendar_for(step.agency).add_working_time(step.due_at, shift)
        unit.save(step, ["due_at"])
