"""Reads: the letter that applies to a dossier, and the receptions outside
working hours per officer (the flag the reception service sets)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet

from motcua.core.dates import local
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status

from .models import LetterTemplate

#: The statuses in which a letter may be printed: the result is ready or handed
#: over (``Dossier.outcome`` must also be «Giải quyết»: never with a refusal).
LETTER_STATUSES = (Status.RESULT_READY, Status.RETURNED)


def result_day(dossier: Dossier) -> date | None:
    """The day the result was made (the letter template in force that day)."""
    when = dossier.finished_at or dossier.signed_at
    return local(when).date() if when is not None else None


def template_on(procedure_code: str, day: date) -> LetterTemplate | None:
    return in_force(LetterTemplate.objects.filter(procedure_code=procedure_code), day)


def in_force(templates: Iterable[LetterTemplate], day: date) -> LetterTemplate | None:
    """The template of ``templates`` (one procedure's) in force on ``day``: the
    latest started on or before it and not ended before it."""
    found = [
        t
        for t in templates
        if t.valid_from <= day and (t.valid_to is None or t.valid_to >= day)
    ]
    return max(found, key=lambda t: (t.valid_from, t.pk), default=None)


def letters_for(dossiers: Iterable[Dossier]) -> dict[int, LetterTemplate]:
    """``letter_for`` of each of ``dossiers`` that has a letter, read in one
    query (a list page: "Hồ sơ của tôi")."""
    days: dict[int, tuple[str, date]] = {}
    for dossier in dossiers:
        day = _letter_day(dossier)
        if day is not None:
            days[dossier.pk] = (dossier.procedure.code, day)
    if not days:
        return {}
    codes = {code for code, _ in days.values()}
    by_code: dict[str, list[LetterTemplate]] = defaultdict(list)
    for template in LetterTemplate.objects.filter(procedure_code__in=codes):
        by_code[template.procedure_code].append(template)
    found = {pk: in_force(by_code[code], day) for pk, (code, day) in days.items()}
    return {pk: letter for pk, letter in found.items() if letter is not None}


def _letter_day(dossier: Dossier) -> date | None:
    if dossier.outcome != Dossier.Outcome.APPROVED:
        return None
    if dossier.status not in LETTER_STATUSES:
        return None
    return result_day(dossier)


def letter_for(dossier: Dossier) -> LetterTemplate | None:
    """The letter issued with ``dossier``'s result: only an approved result in
    «Có kết quả, chờ trả» or «Đã trả kết quả», of a procedure with a template
    in force on the result's day."""
    day = _letter_day(dossier)
    if day is None:
        return None
    return template_on(dossier.procedure.code, day)


def child_name(dossier: Dossier) -> str:
    """The child's name from the online birth e-form, when the dossier has one."""
    try:
        answers = dossier.online_submission.answers or {}
    except ObjectDoesNotExist:
        return ""
    child = answers.get("child") if isinstance(answers, dict) else None
    if not isinstance(child, dict):
        return ""
    return " ".join(str(child.get("full_name") or "").split())


def out_of_hours(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """The dossiers received outside working hours (``received_out_of_hours``,
    set at reception from the agency's calendar — the one definition)."""
    return dossiers.filter(received_at__isnull=False, received_out_of_hours=True)


def _received_at_agency(agency: Any) -> Q:
    """Received at ``agency``'s desk (``received_by_agency``; rows older than
    that field: the competent agency)."""
    return Q(received_by_agency=agency) | Q(
        received_by_agency__isnull=True, agency=agency
    )


def out_of_hours_counts(agency: Any, date_from: date, date_to: date) -> dict[int, int]:
    """``{officer id: receptions outside working hours}`` of ``agency`` whose
    reception day (Vietnam time) is in ``[date_from, date_to]``."""
    start = datetime.combine(date_from, time.min, tzinfo=VN_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=VN_TZ)
    rows = (
        out_of_hours(Dossier.objects.filter(_received_at_agency(agency)))
        .filter(received_at__gte=start, received_at__lt=end, received_by__isnull=False)
        .values("received_by")
        .annotate(n=Count("id"))
    )
    return {row["received_by"]: row["n"] for row in rows}


def out_of_hours_by_month(
    agencies: Any, start: datetime, end: datetime
) -> dict[tuple[int, tuple[int, int]], int]:
    """``{(officer id, (year, month)): receptions outside working hours}`` at
    the desks of ``agencies`` (a queryset or list) with ``start <= received_at
    < end``; the month in Vietnam time (the staff page's rows)."""
    rows = (
        out_of_hours(
            Dossier.objects.filter(
                Q(received_by_agency__in=agencies)
                | Q(received_by_agency__isnull=True, agency__in=agencies)
            )
        )
        .filter(received_at__gte=start, received_at__lt=end, received_by__isnull=False)
        .values_list("received_by", "received_at")
    )
    counts: dict[tuple[int, tuple[int, int]], int] = defaultdict(int)
    for officer, at in rows:
        if at is None:  # pragma: no cover - filtered above
            continue
        day = local(at)
        counts[(officer, (day.year, day.month))] += 1
    return dict(counts)
