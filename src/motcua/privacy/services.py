"""Writes of the privacy app: the read log of personal data.

Decree 13/2023/NĐ-CP (bảo vệ dữ liệu cá nhân) asks the controller to keep a
record of processing of personal data (article not yet checked: "chưa đối
chiếu"); every screen, API, slip or export that shows an applicant's data calls
:func:`record_read` once per request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from motcua.core import clock
from motcua.core.held import insert_later

from .models import ReadLog

if TYPE_CHECKING:
    from motcua.agencies.models import Agency
    from motcua.dossiers.models import Dossier

READ_KINDS = frozenset(ReadLog.What.values)


def record_read(
    user: Any,
    *,
    agency: Agency | int | None = None,
    dossier: Dossier | None = None,
    what: str,
    detail: str = "",
    count: int = 1,
) -> None:
    """Append one row to the read log: ``user`` read personal data held by
    ``agency`` (of ``dossier`` when one dossier is read, else ``count`` rows;
    ``agency`` defaults to the dossier's).

    ``detail`` must not contain personal data (an export's name, a page
    number). The row is append-only (Decree 13/2023, chưa đối chiếu điều)."""
    if agency is None:
        if dossier is None:
            raise ValueError("record_read needs an agency or a dossier")
        agency_id = dossier.agency_id
    else:
        agency_id = agency if isinstance(agency, int) else agency.pk
    # Written with the action's other writes when within one (ADR 0038).
    insert_later(_row(user, agency_id, dossier, what=what, detail=detail, count=count))


def _row(
    user: Any,
    agency_id: int,
    dossier: Dossier | None,
    *,
    what: str,
    detail: str,
    count: int,
) -> ReadLog:
    if what not in READ_KINDS:
        raise ValueError(f"unknown read kind: {what!r}")
    authenticated = getattr(user, "is_authenticated", False)
    return ReadLog(
        at=clock.now(),
        user=user if authenticated else None,
        username=(user.get_username() if authenticated else "")[:150],
        agency_id=agency_id,
        dossier_id=dossier.pk if dossier is not None else None,
        dossier_code=dossier.code if dossier is not None else "",
        what=what,
        detail=detail[:255],
        count=max(count, 0),
    )


def record_reads(
    user: Any, dossiers: Iterable[Dossier], *, what: str, detail: str = ""
) -> None:
    """One row per agency for a page or file of several dossiers (a list of
    the API, an export): ``count`` is the number of that agency's dossiers."""
    counts = Counter(d.agency_id for d in dossiers)
    record_counts(user, counts, what=what, detail=detail)


def record_counts(
    user: Any, counts: Mapping[int, int], *, what: str, detail: str = ""
) -> None:
    """One row per agency id of ``counts`` (agency id → rows read), written
    with one statement (a province monitor's page spans a hundred agencies)."""
    rows = [
        _row(user, agency_id, None, what=what, detail=detail, count=count)
        for agency_id, count in sorted(counts.items())
        if count
    ]
    if rows:
        ReadLog.objects.bulk_create(rows)
