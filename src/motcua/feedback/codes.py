"""Tracking codes: ``PA-`` and 8 characters from an alphabet without look-alikes
(no 0/O, 1/I/L), drawn by ``secrets`` — about 8.5 × 10¹¹ codes, so a code
cannot be guessed within the look-up's throttle, and short enough to type from
an SMS."""

from __future__ import annotations

import secrets
import unicodedata

PREFIX = "PA-"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_code() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(value: str) -> str:
    """The code as typed: any case, with or without ``PA-``, spaces or dashes
    anywhere; ``""`` when it cannot be one of ours."""
    text = unicodedata.normalize("NFKC", value or "").upper()
    text = "".join(c for c in text if c.isalnum())
    if text.startswith("PA") and len(text) == LENGTH + 2:
        text = text[2:]
    if len(text) != LENGTH or any(c not in ALPHABET for c in text):
        return ""
    return PREFIX + text
