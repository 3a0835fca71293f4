"""Accent folding for search: "Đăng ký khai sinh" → "dang ky khai sinh"."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case, without diacritics, đ → d, spaces collapsed; control
    characters (NUL, which PostgreSQL text cannot hold) count as spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(
        " " if unicodedata.category(c) == "Cc" else c
        for c in decomposed
        if unicodedata.category(c) != "Mn"
    )
    return " ".join(stripped.lower().split())
