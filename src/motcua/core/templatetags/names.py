"""``{{ user|vn_name }}``: a person's name in Vietnamese order (``core.names``)."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.core.names import display_name

register = template.Library()


@register.filter
def vn_name(user: Any) -> str:
    """ "Trần Thị Thu": family name first, the username when there is no name."""
    return display_name(user)
