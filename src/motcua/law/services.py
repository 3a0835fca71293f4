"""Checks on the rule table, used by the admin form (ADR 0014)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from motcua.core.dates import vn_date
from motcua.core.errors import DomainError

from .models import LegalRule


def _shown(day: date | None, open_end: str) -> str:
    return vn_date(day) if day else open_end


def check_period(
    key: str,
    valid_from: date | None,
    valid_to: date | None,
    *,
    exclude_pk: int | None = None,
) -> None:
    """A period runs forwards and never overlaps another period of the same
    rule (each day has exactly one value)."""
    if valid_from and valid_to and valid_to < valid_from:
        raise DomainError(
            "law.invalid_period", "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
        )
    others = LegalRule.objects.filter(key=key)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if valid_to is not None:
        others = others.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=valid_to))
    if valid_from is not None:
        others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    clash = others.order_by("valid_from").first()
    if clash is not None:
        raise DomainError(
            "law.overlapping_period",
            f"Giai đoạn này trùng với giai đoạn từ "
            f"{_shown(clash.valid_from, 'trước đó')} đến "
            f"{_shown(clash.valid_to, 'nay')} của cùng quy định.",
        )
