"""Register numbering: the entry number of a dossier in the agency's register
(Sổ theo dõi hồ sơ) runs continuously through the calendar year (Circular
01/2018/TT-VPCP, form 06): it is the dossier's rank among the agency's
receptions of that year, ordered by reception time then id."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet

from motcua.agencies.models import Agency
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.models import Dossier


def local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ)


def received_between(
    agency: Agency, start: datetime, end: datetime
) -> QuerySet[Dossier]:
    """The agency's dossiers received in ``[start, end)``, in register order."""
    return Dossier.objects.filter(
        agency=agency, received_at__gte=start, received_at__lt=end
    ).order_by("received_at", "id")


def entries_before(agency: Agency, received_at: datetime, pk: int) -> int:
    """How many of the agency's receptions of the same year come before."""
    year = received_at.astimezone(VN_TZ).year
    return (
        received_between(agency, local_midnight(date(year, 1, 1)), received_at).count()
        + Dossier.objects.filter(
            agency=agency, received_at=received_at, pk__lt=pk
        ).count()
    )


def register_entry(dossier: Dossier) -> int | None:
    """The dossier's entry number in the register (``None`` before reception)."""
    if dossier.received_at is None:
        return None
    return entries_before(dossier.agency, dossier.received_at, dossier.pk) + 1
