"""Reads of the catalogue: versions in force, procedures offered, search.

A version is in force on ``at`` when ``effective_from <= at < effective_to``
(``effective_to`` empty = open-ended). Lists are one query plus fixed prefetches,
whatever their length (ARCHITECTURE principle 5).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from motcua.agencies.models import Agency
from motcua.agencies.selectors import former_on, province_of
from motcua.core import clock, configstamp
from motcua.core.dates import vn_date
from motcua.core.errors import DomainError, NotFound

from .models import Field, Procedure, ProcedureVersion, ProvinceReception
from .search import rank


def within(at: date, start: str, end: str) -> Q:
    """Condition "``start <= at`` and ``end`` empty or after ``at``": a period of
    a catalogue row, its end excluded."""
    return Q(**{f"{start}__lte": at}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": at})
    )


def in_force_at(at: date, prefix: str = "") -> Q:
    """Condition "the version is in force on ``at``" (``prefix`` for a relation)."""
    return within(at, f"{prefix}effective_from", f"{prefix}effective_to")


def is_in_force(version: ProcedureVersion, at: date) -> bool:
    """The same condition as :func:`in_force_at`, for a version already read."""
    return version.effective_from <= at and (
        version.effective_to is None or at < version.effective_to
    )


# When ranges overlap (data imported before the overlap check), the version that
# started last wins, then the highest number. One tie-break for every caller.
IN_FORCE_ORDER = ("-effective_from", "-number")


def pick_in_force(
    versions: Iterable[ProcedureVersion], at: date
) -> ProcedureVersion | None:
    """:func:`version_in_force` among versions already read (bulk work that read
    a procedure's versions once): the same condition and the tie-break of
    ``IN_FORCE_ORDER`` (latest start, then highest number)."""
    found = [v for v in versions if is_in_force(v, at)]
    return max(found, key=lambda v: (v.effective_from, v.number), default=None)


def version_in_force(procedure: Procedure, at: date) -> ProcedureVersion:
    """The version of ``procedure`` in force on ``at``: ``effective_from <= at``
    and ``effective_to`` empty or after ``at`` (a version ending on ``at`` is
    out); among several, ``IN_FORCE_ORDER``. Raises 400
    ``catalog.no_version_in_force`` when there is none."""
    version = configstamp.kept(
        _IN_FORCE,
        (procedure.pk, at),
        lambda: (
            ProcedureVersion.objects.filter(in_force_at(at), procedure=procedure.pk)
            .order_by(*IN_FORCE_ORDER)
            .first()
        ),
    )
    if version is None:
        raise DomainError(
            "catalog.no_version_in_force",
            f"Thủ tục {procedure.code} không có phiên bản có hiệu lực vào ngày "
            f"{vn_date(at)}.",
        )
    found = copy.copy(version)
    found.procedure = procedure  # the caller's own, as the related manager gave it
    return found


# kept between requests until the catalogue changes (ADR 0032): a copy each time
_IN_FORCE = configstamp.reader("catalog.version_in_force", "catalog.ProcedureVersion")
_FIELDS = configstamp.reader("catalog.field", "catalog.Field")


def field_of(pk: int) -> Field:
    """The field ``pk`` (kept between requests until the catalogue changes)."""
    return copy.copy(configstamp.kept(_FIELDS, pk, lambda: Field.objects.get(pk=pk)))


def procedures_offered(agency: Agency) -> QuerySet[Procedure]:
    """Active procedures the agency performs, with their field."""
    return (
        Procedure.objects.filter(agencies=agency, is_active=True)
        .select_related("field")
        .order_by("code")
    )


def versions_in_force(at: date | None = None) -> QuerySet[ProcedureVersion]:
    """Versions in force on ``at`` (today) of active procedures, ready to list:
    procedure, field, components and offering agencies loaded in fixed queries."""
    at = at or clock.today()
    return (
        ProcedureVersion.objects.filter(in_force_at(at), procedure__is_active=True)
        .select_related("procedure__field")
        .prefetch_related("components", "procedure__agencies")
        .order_by("procedure__code")
    )


# ------------------------------------------ reception regardless of boundary
def listed_in_province(province_id: int | None, day: date) -> QuerySet[Procedure]:
    """Procedures every centre of the province may receive on ``day`` for the
    competent agency (its published list, :class:`ProvinceReception`)."""
    rows = ProvinceReception.objects.filter(
        within(day, "valid_from", "valid_to"), province_id=province_id
    )
    return Procedure.objects.filter(pk__in=rows.values("procedure_id"))


def receivable_at(desk: Agency, day: date) -> Q:
    """Condition on versions: ``desk`` may receive the procedure on ``day`` — it
    offers it, or its province lists it (Decree 118/2025)."""
    offered = Procedure.objects.filter(agencies=desk).values("pk")
    listed = listed_in_province(province_of(desk), day).values("pk")
    return Q(procedure__in=offered) | Q(procedure__in=listed)


def received_anywhere(procedure: Procedure, desk: Agency, day: date) -> bool:
    """Whether ``desk``'s province lists ``procedure`` on ``day``."""
    listed = listed_in_province(province_of(desk), day)
    return listed.filter(pk=procedure.pk).exists()


def competent_agencies(
    procedure: Procedure, desk: Agency, day: date
) -> QuerySet[Agency]:
    """The agencies of ``desk``'s province that settle ``procedure`` and work on
    ``day`` (not merged away): whom a centre may receive it for."""
    province_id = province_of(desk)
    province = None if province_id is None else Agency.objects.get(pk=province_id)
    if province is None or not province.path:
        return Agency.objects.filter(pk=desk.pk, procedures=procedure)
    return (
        procedure.agencies.filter(path__startswith=province.path, is_active=True)
        .exclude(former_on(day))
        .order_by("name")
    )


def search_procedures(
    q: str = "",
    agency: Agency | None = None,
    field: Field | None = None,
    at: date | None = None,
    *,
    desk: Agency | None = None,
) -> QuerySet[ProcedureVersion]:
    """Versions in force matching ``q`` with the words people use, best first
    (:func:`motcua.catalog.search.rank`: accent- and case-insensitive, name
    before alias before the rest of the text; "so do" finds "sổ đỏ").
    ``agency``: procedures it offers; ``desk``: those it may receive
    (:func:`receivable_at`)."""
    versions = versions_in_force(at)
    if agency is not None:
        versions = versions.filter(procedure__agencies=agency)
    if desk is not None:
        versions = versions.filter(receivable_at(desk, at or clock.today()))
    if field is not None:
        versions = versions.filter(procedure__field=field)
    return rank(versions, q)


def get_field(code: str) -> Field:
    """The field with this code; an unknown code is bad input (400)."""
    try:
        return Field.objects.get(code=code.strip())
    except Field.DoesNotExist:
        raise DomainError(
            "catalog.unknown_field", f"Không có lĩnh vực nào mang mã «{code}»."
        ) from None


def version_in_force_by_code(code: str, at: date | None = None) -> ProcedureVersion:
    """The version in force of the active procedure ``code`` (404 otherwise),
    by the same rule as ``version_in_force``."""
    version = (
        versions_in_force(at)
        .filter(procedure__code=code)
        .order_by(*IN_FORCE_ORDER)
        .first()
    )
    if version is None:
        raise NotFound(
            "catalog.unknown_procedure",
            f"Không có thủ tục đang áp dụng nào mang mã «{code}».",
        )
    return version
