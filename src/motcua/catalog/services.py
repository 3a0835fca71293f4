"""Writes to the catalogue: versions of procedures, their components and workflow.

Every public function is one use case in one transaction and raises
:class:`~motcua.core.errors.DomainError` (stable code, Vietnamese message) when a
rule is broken; nothing is written then.

The rules implemented here:

* versions of a procedure never overlap: a version is in force on
  ``[effective_from, effective_to)``; a new version starting later closes the
  open-ended previous one (its ``effective_to`` becomes the new start);
* ``search_text`` = ``search_fold(code + name + aliases + field name)`` (and
  ``search_name`` of the name), kept in step with every write (ARCHITECTURE
  "search");
* the workflow budget fits the legal time (Decree 61/2018/NĐ-CP Art. 18–19: the
  time limit is the sum of the steps' times): positions run one after another and
  add up; steps sharing a position run in parallel and count as their maximum.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from motcua.agencies.models import Agency
from motcua.core.dates import vn_date
from motcua.core.errors import DomainError
from motcua.deadlines.engine import WORKING_DAY_HOURS, Unit

from .models import (
    Component,
    Field,
    Procedure,
    ProcedureVersion,
    SearchAlias,
    StepTemplate,
)
from .search import search_fold
from .selectors import IN_FORCE_ORDER

if TYPE_CHECKING:
    from .importing import ImportReport

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ComponentData:
    name: str
    kind: str
    count: int = 1
    required: bool = True


@dataclass(frozen=True)
class StepData:
    """A workflow step; ``unit`` None = the receiving agency (not liên thông)."""

    position: int
    name: str
    role: str
    budget_hours: Decimal
    unit: Agency | None = None


@dataclass(frozen=True)
class VersionData:
    """The validated content of a procedure version (see ``importing`` and the
    admin for where it comes from)."""

    name: str
    effective_from: date
    time_value: Decimal = Decimal(0)
    time_unit: str = Unit.WORKING_DAYS.value
    level: str = ProcedureVersion.Level.COMMUNE
    channel_times: dict[str, Any] = field(default_factory=dict)
    fee_text: str = ""
    fee_amount: int = 0
    online_level: str = ProcedureVersion.OnlineLevel.PARTIAL
    result_documents: list[str] = field(default_factory=list)
    legal_basis: str = ""
    aliases: list[str] = field(default_factory=list)
    decision: str = ""
    effective_to: date | None = None
    components: Sequence[ComponentData] = ()
    steps: Sequence[StepData] = ()


# --- legal time and the workflow budget -------------------------------------------


def legal_time_hours(unit: str, value: Decimal | int) -> Decimal | None:
    """The legal time in working hours that a workflow may use; None = no limit.

    ``working_days`` → value × 8, ``working_hours`` → value, ``same_day`` → 8 (one
    working day), ``immediate`` → 0. ``calendar_days`` → value × 8 is an *upper
    bound*: a span of N calendar days never holds more than N working days, so a
    budget within N × 8 hours can still be late only because of week-ends and
    holidays, which the deadline engine accounts for. ``none`` → no limit.
    """
    unit = Unit.parse(unit)
    value = Decimal(value)
    if unit in (Unit.WORKING_DAYS, Unit.CALENDAR_DAYS):
        return value * WORKING_DAY_HOURS
    if unit is Unit.WORKING_HOURS:
        return value
    if unit is Unit.SAME_DAY:
        return Decimal(WORKING_DAY_HOURS)
    if unit is Unit.IMMEDIATE:
        return Decimal(0)
    return None


def workflow_hours(steps: Iterable[tuple[int, Decimal]]) -> Decimal:
    """Total hours of a workflow given ``(position, budget_hours)`` pairs: positions
    add up, steps sharing a position (parallel) count as their maximum."""
    longest: dict[int, Decimal] = {}
    for position, budget in steps:
        longest[position] = max(longest.get(position, Decimal(0)), Decimal(budget))
    return sum(longest.values(), Decimal(0))


def _hours(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def check_budget(
    unit: str, value: Decimal | int, steps: Iterable[tuple[int, Decimal]]
) -> None:
    """Refuse a workflow whose budget does not fit the legal time (Decree
    61/2018/NĐ-CP Art. 18: each step's time is part of the legal time)."""
    steps = list(steps)
    for _, budget in steps:
        if Decimal(budget) < 0:
            raise DomainError(
                "catalog.negative_budget", "Thời gian của một bước không được âm."
            )
    limit = legal_time_hours(unit, value)
    total = workflow_hours(steps)
    if limit is not None and total > limit:
        raise DomainError(
            "catalog.budget_exceeds_legal_time",
            f"Tổng thời gian các bước ({_hours(total)} giờ làm việc) vượt thời hạn "
            f"giải quyết ({_hours(limit)} giờ làm việc).",
        )


def _floor_cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_DOWN)


def default_step_budgets(unit: str, value: Decimal | int) -> list[Decimal]:
    """Budgets of the default workflow (reception, processing, approval, return).

    With ``H`` legal hours (a working day when there is no limit): when ``H ≥ 2``
    reception 0.5 h, approval 1 h, processing the rest (``H − 1.5``); a shorter
    time is shared ¼ reception, ½ processing, ¼ approval (rounded down to the
    hundredth, processing taking the remainder). Returning the result takes 0 h:
    it happens when the result is ready. The sum is always exactly ``H``.
    """
    limit = legal_time_hours(unit, value)
    hours = Decimal(WORKING_DAY_HOURS) if limit is None else _floor_cent(limit)
    if hours >= 2:
        reception, approval = Decimal("0.5"), Decimal(1)
    else:
        reception = approval = _floor_cent(hours / 4)
    processing = hours - reception - approval
    return [reception, processing, approval, Decimal(0)]


DEFAULT_STEP_NAMES = [
    ("Tiếp nhận hồ sơ", StepTemplate.StepRole.RECEPTION),
    ("Thẩm định, xử lý hồ sơ", StepTemplate.StepRole.SPECIALIST),
    ("Phê duyệt, ký kết quả", StepTemplate.StepRole.LEADER),
    ("Trả kết quả", StepTemplate.StepRole.RECEPTION),
]


def default_steps(version: ProcedureVersion) -> list[dict[str, Any]]:
    """The workflow used when a version has no steps of its own, as plain data
    (``position``, ``name``, ``role``, ``unit`` = None, ``budget_hours``).

    Four sequential steps at the receiving agency whose budgets add up to the
    legal time exactly (see :func:`default_step_budgets`): reception, processing
    by a specialist, approval and signature by a leader, return of the result.
    """
    budgets = default_step_budgets(version.time_unit, version.time_value)
    return [
        {
            "position": position,
            "name": name,
            "role": role.value,
            "unit": None,
            "budget_hours": budget,
        }
        for position, ((name, role), budget) in enumerate(
            zip(DEFAULT_STEP_NAMES, budgets, strict=True), start=1
        )
    ]


def default_step_data(unit: str, value: Decimal | int) -> list[StepData]:
    budgets = default_step_budgets(unit, value)
    return [
        StepData(position, name, role.value, budget)
        for position, ((name, role), budget) in enumerate(
            zip(DEFAULT_STEP_NAMES, budgets, strict=True), start=1
        )
    ]


# --- effective dates ----------------------------------------------------------------


def check_effective_range(
    procedure: Procedure,
    effective_from: date,
    effective_to: date | None,
    *,
    exclude: ProcedureVersion | None = None,
) -> None:
    """Refuse a range ``[effective_from, effective_to)`` overlapping another version.

    An open-ended version starting earlier is not an overlap: it will be closed
    on ``effective_from``."""
    if effective_to is not None and effective_to <= effective_from:
        raise DomainError(
            "catalog.invalid_effective_range",
            "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
        )
    if procedure.pk is None:
        return
    others = procedure.versions.all()
    if exclude is not None and exclude.pk is not None:
        others = others.exclude(pk=exclude.pk)
    for other in others:
        other_end = other.effective_to
        if other_end is None and other.effective_from < effective_from:
            other_end = effective_from
        starts_before_end = effective_to is None or other.effective_from < effective_to
        ends_after_start = other_end is None or other_end > effective_from
        if starts_before_end and ends_after_start:
            raise DomainError(
                "catalog.version_overlap",
                f"Thời gian hiệu lực từ {vn_date(effective_from)} trùng với phiên "
                f"bản {other.number} (hiệu lực từ {vn_date(other.effective_from)}) "
                f"của thủ tục {procedure.code}.",
            )


def close_previous_versions(procedure: Procedure, effective_from: date) -> None:
    """End the open-ended version(s) that started before ``effective_from``."""
    procedure.versions.filter(
        effective_to__isnull=True, effective_from__lt=effective_from
    ).update(effective_to=effective_from)


def next_version_number(procedure: Procedure) -> int:
    last = procedure.versions.order_by("-number").values_list("number", flat=True)
    return (last.first() or 0) + 1


# --- search text -------------------------------------------------------------------


def search_text_for(
    code: str, name: str, aliases: Iterable[str], field_name: str
) -> str:
    return search_fold(" ".join([code, name, *aliases, field_name]))


def refresh_search_text(version: ProcedureVersion) -> None:
    procedure = version.procedure
    version.search_text = search_text_for(
        procedure.code, version.name, version.aliases or [], procedure.field.name
    )
    version.search_name = search_fold(version.name)
    ProcedureVersion.objects.filter(pk=version.pk).update(
        search_text=version.search_text, search_name=version.search_name
    )
    aliases_remember(procedure.code, version.aliases or [])


def aliases_remember(code: str, phrases: Iterable[str]) -> None:
    """Keep the catalogue's other names of a procedure (a version's
    ``aliases``) as search aliases too; aliases already known are left as
    they are, and none is ever removed here (an administrator's are kept)."""
    wanted = {search_fold(p): p.strip() for p in phrases if search_fold(p)}
    if not wanted:
        return
    known = set(
        SearchAlias.objects.filter(procedure_code=code, folded__in=wanted).values_list(
            "folded", flat=True
        )
    )
    SearchAlias.objects.bulk_create(
        SearchAlias(procedure_code=code, phrase=phrase[:255], folded=folded[:255])
        for folded, phrase in wanted.items()
        if folded not in known
    )


def search_alias_save(alias: SearchAlias) -> SearchAlias:
    """Save an alias typed by an administrator: its folded form is what the
    search compares. Raises ``catalog.empty_alias`` / ``catalog.duplicate_alias``."""
    alias.phrase = " ".join(alias.phrase.split())
    alias.folded = search_fold(alias.phrase)[:255]
    if not alias.folded:
        raise DomainError("catalog.empty_alias", "Cách gọi không được để trống.")
    twins = SearchAlias.objects.filter(
        procedure_code=alias.procedure_code, folded=alias.folded
    ).exclude(pk=alias.pk)
    if twins.exists():
        raise DomainError(
            "catalog.duplicate_alias",
            f"Thủ tục {alias.procedure_code} đã có cách gọi «{alias.phrase}».",
        )
    alias.save()
    return alias


# --- use cases -----------------------------------------------------------------------


@transaction.atomic
def field_save(code: str, name: str) -> Field:
    """Create or rename a field (lĩnh vực); renaming refreshes the search text of
    its procedures' versions."""
    obj, created = Field.objects.get_or_create(code=code, defaults={"name": name})
    if not created and obj.name != name:
        obj.name = name
        obj.save(update_fields=["name"])
        field_refresh_search_text(obj)
    return obj


def field_refresh_search_text(field: Field) -> None:
    """The field's name is part of its procedures' search text."""
    versions = ProcedureVersion.objects.filter(procedure__field=field)
    for version in versions.select_related("procedure__field"):
        refresh_search_text(version)


def blank_forms(version: ProcedureVersion | None) -> dict[str, str]:
    """The uploaded blank forms of a version's components, by component name."""
    if version is None or version.pk is None:
        return {}
    return {c.name: c.blank_form.name for c in version.components.all() if c.blank_form}


def _write_content(
    version: ProcedureVersion,
    data: VersionData,
    forms: dict[str, str] | None = None,
) -> None:
    check_budget(
        data.time_unit,
        data.time_value,
        [(s.position, s.budget_hours) for s in data.steps],
    )
    for attr in (
        "name",
        "level",
        "time_value",
        "time_unit",
        "channel_times",
        "fee_text",
        "fee_amount",
        "online_level",
        "result_documents",
        "legal_basis",
        "aliases",
        "decision",
        "effective_from",
        "effective_to",
    ):
        setattr(version, attr, getattr(data, attr))
    version.search_text = search_text_for(
        version.procedure.code, data.name, data.aliases, version.procedure.field.name
    )
    version.search_name = search_fold(data.name)
    version.save()
    aliases_remember(version.procedure.code, data.aliases)
    # a component rewritten under the same name keeps its uploaded blank form
    # (a new version: the one of the version it follows)
    if forms is None:
        forms = blank_forms(version)
    version.components.all().delete()
    version.steps.all().delete()
    Component.objects.bulk_create(
        Component(
            version=version,
            position=position,
            name=c.name,
            kind=c.kind,
            count=c.count,
            required=c.required,
            blank_form=forms.get(c.name, ""),
        )
        for position, c in enumerate(data.components, start=1)
    )
    StepTemplate.objects.bulk_create(
        StepTemplate(
            version=version,
            position=s.position,
            name=s.name,
            role=s.role,
            unit=s.unit,
            budget_hours=s.budget_hours,
        )
        for s in data.steps
    )


@transaction.atomic
def procedure_version_create(
    *, code: str, field: Field, data: VersionData
) -> ProcedureVersion:
    """Add a version to the procedure ``code`` (created when new).

    The version gets the next number, must not overlap another version, and
    closes the open-ended previous version on its ``effective_from``."""
    procedure, _ = Procedure.objects.select_for_update().get_or_create(
        code=code, defaults={"field": field}
    )
    if procedure.field_id != field.pk:
        procedure.field = field
        procedure.save(update_fields=["field"])
        for other in procedure.versions.all():
            refresh_search_text(other)
    check_effective_range(procedure, data.effective_from, data.effective_to)
    follows = (
        procedure.versions.filter(effective_from__lt=data.effective_from)
        .order_by(*IN_FORCE_ORDER)
        .first()
    )
    close_previous_versions(procedure, data.effective_from)
    version = ProcedureVersion(
        procedure=procedure, number=next_version_number(procedure)
    )
    _write_content(version, data, blank_forms(follows))
    return version


@transaction.atomic
def procedure_version_update(
    version: ProcedureVersion, data: VersionData
) -> ProcedureVersion:
    """Correct a version in place (same number): content, components and steps
    are replaced. Meant for corrections before the version is used; a change of
    the rules themselves is a new version (:func:`procedure_version_create`)."""
    check_effective_range(
        version.procedure, data.effective_from, data.effective_to, exclude=version
    )
    close_previous_versions(version.procedure, data.effective_from)
    _write_content(version, data)
    return version


@transaction.atomic
def procedure_offer(procedure: Procedure, agencies: Iterable[Agency]) -> None:
    """Offer the procedure at these agencies (added to those already offering)."""
    procedure.agencies.add(*agencies)


def load_reference_catalogue(agencies: Iterable[Agency] = ()) -> ImportReport:
    """Import the reference ward catalogue shipped with MotCua and offer every
    procedure at ``agencies``. Idempotent: a second call adds nothing."""
    from .importing import REFERENCE_CATALOGUE, import_catalogue_file

    agencies = list(agencies)
    with transaction.atomic():
        report = import_catalogue_file(REFERENCE_CATALOGUE)
        report.raise_if_failed()
        if agencies:
            codes = report.procedure_codes
            for procedure in Procedure.objects.filter(code__in=codes):
                procedure.agencies.add(*agencies)
    return report
