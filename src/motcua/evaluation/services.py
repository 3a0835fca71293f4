"""Writes of the evaluation app: a citizen's rating, an evaluator's points.
(Kiosk votes: ``kiosks``; online ratings: ``online``; follow-ups and held
votes: ``followups``.)

Each service is one transaction; a refused write raises a ``DomainError`` with a
Vietnamese message and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from motcua.agencies.models import Agency, Counter, Role
from motcua.agencies.selectors import has_role
from motcua.core import clock
from motcua.core.errors import Conflict, DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import FINISHED

from .circular01 import INDICATORS
from .models import EvaluatorScore, Kiosk, Rating
from .periods import Period

RATEABLE = FINISHED  # a result exists: waiting at the desk or handed over
# The monitor (Giám sát) reads only (issue 8): evaluator points are entered by
# the agency administrator.
EVALUATOR_ROLES = (Role.AGENCY_ADMIN,)


def _optional_points(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 2:
        raise DomainError("rating.invalid_points", f"Điểm {what} phải là 0, 1 hoặc 2.")
    return value


@dataclass(frozen=True)
class Origin:
    """Where a rating comes from, besides its dossier: the agency of a rating
    without a dossier, the desk counter, the officer on duty there, the kiosk,
    the sending device's id of the answer, and whether it is held for review."""

    agency: Agency | None = None
    counter: Counter | None = None
    officer: Any = None
    kiosk: Kiosk | None = None
    client_id: str = ""
    state: str = Rating.State.COUNTED
    flag_reason: str = ""


NO_ORIGIN = Origin()


def _already_rated() -> Conflict:
    return Conflict("rating.already_rated", "Hồ sơ này đã được đánh giá qua kênh này.")


def _settled_dossier(dossier: Dossier, statuses: frozenset[str]) -> Dossier:
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.status not in statuses:
        raise Conflict(
            "rating.not_settled",
            "Chỉ đánh giá được hồ sơ đã có kết quả hoặc đã trả kết quả."
            if statuses == RATEABLE
            else "Chỉ đánh giá được hồ sơ đã trả kết quả.",
        )
    return locked


@transaction.atomic
def rating_record(
    dossier: Dossier | None,
    level: str,
    *,
    at: datetime | None = None,
    source: str = Rating.Source.KIOSK,
    contacts_points: int | None = None,
    attitude_points: int | None = None,
    comment: str = "",
    origin: Origin = NO_ORIGIN,
    statuses: frozenset[str] = RATEABLE,
) -> Rating:
    """Record a citizen's satisfaction with a settled dossier (portal practice;
    feeds Circular 01/2018 indicators 3 and 7 and the 766 satisfaction group).
    One rating per dossier and source. Without a dossier (a kiosk vote on the
    service at a counter) ``origin.agency`` says whose service was rated."""
    if level not in Rating.Level.values:
        raise DomainError("rating.invalid_level", "Mức độ hài lòng không hợp lệ.")
    if source not in Rating.Source.values:
        raise DomainError("rating.invalid_source", "Nguồn đánh giá không hợp lệ.")
    contacts = _optional_points(contacts_points, "số lần liên hệ")
    attitude = _optional_points(attitude_points, "thái độ cán bộ")
    locked = _settled_dossier(dossier, statuses) if dossier is not None else None
    agency_id: int | None = (
        locked.agency_id
        if locked is not None
        else (origin.agency.pk if origin.agency is not None else None)
    )
    if agency_id is None:
        raise DomainError("rating.no_agency", "Không rõ cơ quan được đánh giá.")
    if (
        locked is not None
        and Rating.objects.filter(dossier=locked, source=source).exists()
    ):
        raise _already_rated()
    now = clock.now()
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier=locked,
                agency_id=agency_id,
                level=level,
                contacts_points=contacts,
                attitude_points=attitude,
                comment=(comment or "").strip()[:2000],
                source=source,
                at=at or now,
                recorded_at=now,
                counter=origin.counter,
                officer=origin.officer,
                kiosk=origin.kiosk,
                client_id=origin.client_id,
                state=origin.state,
                flag_reason=origin.flag_reason[:255],
            )
    except IntegrityError:  # a parallel rating of the same dossier and source
        raise _already_rated() from None


def can_enter_scores(user: Any, agency: Agency) -> bool:
    return has_role(user, agency, EVALUATOR_ROLES)


@transaction.atomic
def evaluator_score_set(
    actor: Any,
    agency: Agency,
    period: Period,
    indicator: int,
    points: Any,
    *,
    note: str = "",
) -> EvaluatorScore:
    """Enter (or replace) an evaluator's points for one Circular 01/2018 indicator
    of an agency, for a quarter or a year (Art. 13–14)."""
    if not can_enter_scores(actor, agency):
        raise DomainError(
            "auth.forbidden",
            f"Bạn không có quyền nhập điểm đánh giá cho {agency.name}.",
            status=403,
        )
    if period.kind not in ("quarter", "year"):
        raise DomainError(
            "evaluation.invalid_period", "Điểm đánh giá được nhập theo quý hoặc năm."
        )
    spec = INDICATORS.get(indicator) if isinstance(indicator, int) else None
    if spec is None or not spec.enterable:
        raise DomainError(
            "evaluation.not_enterable", "Chỉ số này được tính từ dữ liệu hồ sơ."
        )
    try:
        value = Decimal(str(points).replace(",", ".").strip())
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(2):
        raise DomainError("evaluation.invalid_points", "Điểm phải từ 0 đến 2.")
    value = value.quantize(Decimal("0.1"))
    score, _ = EvaluatorScore.objects.update_or_create(
        agency=agency,
        year=period.year,
        quarter=period.quarter,
        indicator=indicator,
        defaults={
            "points": value,
            "note": (note or "").strip()[:2000],
            "by": actor,
            "at": clock.now(),
        },
    )
    return score
