"""Retention of applicants' personal data, and the purge that anonymises it.

Decree 13/2023/NĐ-CP asks that personal data be kept no longer than the purpose
needs (principle of limited storage; article chưa đối chiếu). A dossier stays a
record (archive rules): its files, history and figures are kept; only the
applicant's identifying fields are replaced, through
``dossiers.services.dossier_anonymise_applicant`` which appends an event so the
hash chain stays valid.

A closed dossier (returned, not received, withdrawn, stopped) is due when its
closing instant (``returned_at``, else ``ended_at``) is older than its
procedure's ``personal_data_retention_years`` (empty: ``MOTCUA_RETENTION_YEARS``).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.services import dossier_anonymise_applicant
from motcua.dossiers.workflow import CLOSED, Action

log = logging.getLogger("motcua.privacy")
BATCH = 200


def default_years() -> int:
    return int(settings.MOTCUA_RETENTION_YEARS)


def retention_years(procedure: Procedure) -> int:
    """Years the applicant data of a closed dossier of ``procedure`` is kept."""
    years = procedure.personal_data_retention_years
    return default_years() if years is None else int(years)


def years_before(instant: datetime, years: int) -> datetime:
    """The same Vietnam calendar day and time ``years`` years earlier (29/02 →
    28/02): retention is counted in calendar years, not working days."""
    local = instant.astimezone(VN_TZ)
    try:
        return local.replace(year=local.year - years)
    except ValueError:
        return local.replace(year=local.year - years, day=28)


def _anonymised() -> Exists:
    return Exists(
        Event.objects.filter(dossier_id=OuterRef("pk"), action=Action.ANONYMISE)
    )


def due_for_purge(
    *, now: datetime, agency_code: str | None = None, before: date | None = None
) -> QuerySet[Dossier]:
    """Closed dossiers whose applicant data is past its retention and not yet
    anonymised; ``before`` only narrows (closed before that Vietnam day)."""
    periods = set(
        Procedure.objects.values_list("personal_data_retention_years", flat=True)
    )
    past = Q(pk__in=[])
    for years in periods:
        cutoff = years_before(now, default_years() if years is None else years)
        of_procedure = (
            Q(procedure__personal_data_retention_years__isnull=True)
            if years is None
            else Q(procedure__personal_data_retention_years=years)
        )
        past |= of_procedure & Q(closed_at__lt=cutoff)
    rows = (
        Dossier.objects.filter(status__in=CLOSED)
        .annotate(closed_at=Coalesce("returned_at", "ended_at"))
        .filter(past)
        .exclude(_anonymised())
    )
    if agency_code:
        rows = rows.filter(agency__code=agency_code)
    if before:
        rows = rows.filter(closed_at__lt=datetime.combine(before, time(0), VN_TZ))
    return rows


@dataclass
class PurgeSummary:
    dry_run: bool
    anonymised: int = 0
    by_agency: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)  # code, error

    def lines(self) -> list[str]:
        verb = "Sẽ ẩn danh" if self.dry_run else "Đã ẩn danh"
        out = [f"{verb} thông tin người nộp của {self.anonymised} hồ sơ."]
        for code, n in sorted(self.by_agency.items()):
            out.append(f"  {code}: {n} hồ sơ")
        for dossier_code, error in self.failed:
            out.append(f"  Không ẩn danh được {dossier_code}: {error}")
        if self.dry_run:
            out.append("Chạy thử (--dry-run): không thay đổi dữ liệu nào.")
        return out


def purge_personal_data(
    *,
    dry_run: bool = False,
    agency_code: str | None = None,
    before: date | None = None,
    now: datetime | None = None,
    batch: int = BATCH,
) -> PurgeSummary:
    """Anonymise the applicant data of every dossier past its retention, in
    batches of ``batch`` (one transaction per dossier, in id order). A second
    run finds nothing; files, history and figures are untouched."""
    now = now or clock.now()
    summary = PurgeSummary(dry_run=dry_run)
    due = due_for_purge(now=now, agency_code=agency_code, before=before)
    last_id = 0
    while chunk := list(
        due.filter(pk__gt=last_id)
        .select_related("agency", "procedure")
        .order_by("pk")[:batch]
    ):
        last_id = chunk[-1].pk
        for dossier in chunk:
            if not dry_run:
                years = retention_years(dossier.procedure)
                reason = f"Hết thời hạn lưu dữ liệu cá nhân ({years} năm)."
                try:
                    dossier_anonymise_applicant(
                        dossier, actor=None, now=now, reason=reason
                    )
                except DomainError as exc:
                    summary.failed.append((dossier.code, exc.code))
                    continue
            summary.anonymised += 1
            summary.by_agency[dossier.agency.code] += 1
    log.info(
        "privacy.purge dry_run=%s agency=%s before=%s anonymised=%d failed=%d",
        dry_run,
        agency_code or "*",
        before.isoformat() if before else "-",
        summary.anonymised,
        len(summary.failed),
    )
    return summary
