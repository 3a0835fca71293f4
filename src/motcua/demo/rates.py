"""How the demo's progress lines write a rate: Vietnamese thousands (``1.234``),
``–`` when no time has passed."""

from __future__ import annotations


def per_second(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}".replace(",", ".") if seconds > 0 else "–"
