"""A staff member's name as printed everywhere: Vietnamese order.

Django's ``get_full_name()`` writes ``first_name last_name`` ("Thu Trần Thị");
a Vietnamese name starts with the family name ("Trần Thị Thu"). Every slip,
register, table, rota and menu calls ``display_name`` (templates: the
``vn_name`` filter of ``{% load names %}``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["display_name"]


def display_name(user: Any) -> str:
    """``last_name first_name`` ("Trần Thị Thu"), or the username when the
    account has no name; ``""`` for no user."""
    if user is None:
        return ""
    first = getattr(user, "first_name", "") or ""
    last = getattr(user, "last_name", "") or ""
    full = f"{last.strip()} {first.strip()}".strip()
    if full:
        return full
    username = user.get_username() if hasattr(user, "get_username") else ""
    return str(username or getattr(user, "username", "") or "").strip()
