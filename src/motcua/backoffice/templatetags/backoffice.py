"""Template helpers of the back office: the time-left badge, the staff check."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from motcua.agencies.selectors import is_staff_member
from motcua.core.dates import vn_time_date
from motcua.core.names import display_name

register = template.Library()


@register.filter
def staff_member(user: Any) -> bool:
    """Whether to show the staff menu and the dossier search box."""
    return bool(getattr(user, "is_authenticated", False)) and is_staff_member(user)


@register.simple_tag
def badge(value: Any) -> str:
    """``<span class="badge badge--late">quá hạn 5 giờ</span>``."""
    if value is None:
        return ""
    return format_html(
        '<span class="badge badge--{}">{}</span>', value.tone, value.text
    )


@register.filter
def vn_name(user: Any) -> str:
    """A person's name in Vietnamese order (``core.names.display_name``)."""
    return display_name(user)


@register.filter
def short_dt(value: Any) -> str:
    """``09:24 29/10/2026`` (Vietnam time), for dense tables."""
    return vn_time_date(value)


@register.filter
def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def filesize(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, size // 1024)} KB"
