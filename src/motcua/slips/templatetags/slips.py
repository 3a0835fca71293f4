"""Filters for slip templates: dates as printed on official forms."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from motcua.slips import formatting as fmt

register = template.Library()


@register.filter
def slip_date(value: date | None) -> str:
    """``02/06/2025``."""
    return fmt.vn_date(value)


@register.filter
def slip_time(value: datetime | None) -> str:
    """``09:00``."""
    return fmt.vn_time(value)


@register.filter
def slip_datetime(value: datetime | None) -> str:
    """``09:00 ngày 02/06/2025``."""
    return fmt.vn_datetime(value)


@register.filter
def slip_long_date(value: date | None) -> str:
    """``ngày 02 tháng 06 năm 2025`` (blank dots when there is no date)."""
    return fmt.long_date(value) if value is not None else "ngày … tháng … năm …"


@register.filter
def two_digits(value: int | None) -> str:
    """``01`` as counts are written on forms."""
    return "" if value is None else f"{int(value):02d}"
