"""Writes of the evaluation app: a citizen's rating, an evaluator's points.

Each service is one transaction; a refused write raises a ``DomainError`` with a
Vietnamese message and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import has_role
from motcua.core import clock
from motcua.core.errors import Conflict, DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import FINISHED

from .circular01 import INDICATORS
from .models import EvaluatorScore, Rating
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


@transaction.atomic
def rating_record(
    dossier: Dossier,
    level: str,
    *,
    at: datetime | None = None,
    source: str = Rating.Source.KIOSK,
    contacts_points: int | None = None,
    attitude_points: int | None = None,
    comment: str = "",
) -> Rating:
    """Record a citizen's satisfaction with a settled dossier (portal practice;
    feeds Circular 01/2018 indicators 3 and 7 and the 766 satisfaction group).
    One rating per dossier and source."""
    if level not in Rating.Level.values:
        raise DomainError("rating.invalid_level", "Mức độ hài lòng không hợp lệ.")
    if source not in Rating.Source.values:
        raise DomainError("rating.invalid_source", "Nguồn đánh giá không hợp lệ.")
    contacts = _optional_points(contacts_points, "số lần liên hệ")
    attitude = _optional_points(attitude_points, "thái độ cán bộ")
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.status not in RATEABLE:
        raise Conflict(
            "rating.not_settled",
            "Chỉ đánh giá được hồ sơ đã có kết quả hoặc đã trả kết quả.",
        )
    if Rating.objects.filter(dossier=locked, source=source).exists():
        raise Conflict(
            "rating.already_rated", "Hồ sơ này đã được đánh giá qua kênh này."
        )
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier=locked,
                agency_id=locked.agency_id,
                level=level,
                contacts_points=contacts,
                attitude_points=attitude,
                comment=(comment or "").strip()[:2000],
                source=source,
                at=at or clock.now(),
            )
    except IntegrityError:  # a parallel rating of the same dossier and source
        raise Conflict(
            "rating.already_rated", "Hồ sơ này đã được đánh giá qua kênh này."
        ) from None


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
