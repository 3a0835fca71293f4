"""The dossier register (Sổ theo dõi hồ sơ, form 06 of 2018 / 07 of 2025): one
row per dossier received in a period, numbered continuously through the year."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Prefetch

from motcua.agencies.models import Agency, Role
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, Step
from motcua.dossiers.workflow import Status

from . import formatting as fmt
from .content import collect_at
from .numbering import entries_before, local_midnight, received_between

MAX_DAYS = 366


@dataclass(frozen=True)
class RegisterRow:
    number: int
    code: str
    procedure: str
    sets: int
    applicant: str
    contact: str
    lead_agency: str
    received_at: datetime | None
    due_at: datetime | None
    transferred_at: datetime | None
    result_back_at: datetime | None
    returned_at: datetime | None
    returned_to: str
    delivery: str  # phương thức nhận kết quả (Circular 03/2025 form 07)
    note: str


def check_period(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise DomainError(
            "register.invalid_period", "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
        )
    if (date_to - date_from).days >= MAX_DAYS:
        raise DomainError(
            "register.period_too_long",
            f"Mỗi lần in sổ theo dõi tối đa {MAX_DAYS} ngày.",
        )


def _note(dossier: Dossier) -> str:
    parts = []
    if dossier.timing:
        parts.append(str(Dossier.Timing(dossier.timing).label))
    elif dossier.status != Status.RETURNED:
        parts.append(str(Status(dossier.status).label))
    if dossier.outcome == Dossier.Outcome.REFUSED:
        parts.append("Từ chối giải quyết")
    if dossier.extended:
        parts.append(f"Hẹn lại {fmt.vn_date(dossier.due_at)}")
    if dossier.supplement_count:
        parts.append(f"Bổ sung {dossier.supplement_count} lần")
    return "; ".join(parts)


def _row(number: int, dossier: Dossier) -> RegisterRow:
    steps: list[Step] = list(dossier.steps.all())
    processing = [s for s in steps if s.role != Role.RECEPTION]
    applicant = dossier.applicant
    contact = ", ".join(p for p in (applicant.address, applicant.phone) if p)
    return RegisterRow(
        number=number,
        code=dossier.code,
        procedure=dossier.procedure_version.name,
        sets=1,
        applicant=applicant.name,
        contact=contact,
        lead_agency=processing[0].agency.name if processing else dossier.agency.name,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        transferred_at=processing[0].started_at if processing else None,
        result_back_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        returned_to=dossier.returned_to_name if dossier.returned_at else "",
        delivery=collect_at(dossier) or str(Dossier.ReturnMethod.DESK.label),
        note=_note(dossier),
    )


def register_rows(
    agency: Agency, date_from: date, date_to: date
) -> Iterator[RegisterRow]:
    """Rows of the register for the days ``date_from``–``date_to`` (inclusive)."""
    check_period(date_from, date_to)
    steps = Step.objects.select_related("agency").order_by("started_at", "id")
    dossiers = (
        received_between(
            agency, local_midnight(date_from), local_midnight(date_to + timedelta(1))
        )
        .select_related("procedure_version", "applicant")
        .prefetch_related(Prefetch("steps", queryset=steps))
    )
    numbers: dict[int, int] = {}  # year → last number given
    for dossier in dossiers.iterator(chunk_size=500):
        assert dossier.received_at is not None
        year = fmt.local(dossier.received_at).year
        if year not in numbers:
            numbers[year] = entries_before(agency, dossier.received_at, dossier.pk)
        numbers[year] += 1
        yield _row(numbers[year], dossier)


def register_size(agency: Agency, date_from: date, date_to: date) -> int:
    """How many dossiers (rows) the register of that period holds."""
    start, end = local_midnight(date_from), local_midnight(date_to + timedelta(1))
    return received_between(agency, start, end).count()
