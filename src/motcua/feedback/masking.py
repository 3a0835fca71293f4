"""A first draft of the public text: phone numbers, ID numbers, e-mail
addresses and the sender's name replaced by a label. The officer reviews and
edits the draft before publishing — the helper proposes, it does not decide
(a name written differently, an address or a plate number are left to them).
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits, possibly grouped by spaces, dots or dashes: 0905 123 456,
# +84.905.123.456, 079 201 000 123.
NUMBER = re.compile(r"(?<![\w])\+?\d(?:[ .\-]?\d){7,13}(?![\w])")
MONEY = re.compile(r"^\d{1,3}(?:\.\d{3})+$")  # 100.000.000 (đồng) stays

PHONE_LABEL = "[số điện thoại]"
ID_LABEL = "[số giấy tờ]"
EMAIL_LABEL = "[thư điện tử]"
NAME_LABEL = "[họ tên]"


def _number(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = "".join(c for c in text if c.isdigit())
    if MONEY.match(text) or not 9 <= len(digits) <= 12:
        return text
    is_phone = (text.startswith("+84") or digits.startswith("84")) and len(digits) in (
        11,
        12,
    )
    is_phone = is_phone or (digits.startswith("0") and len(digits) in (10, 11))
    return PHONE_LABEL if is_phone else ID_LABEL


def mask_personal_data(text: str, names: tuple[str, ...] = ()) -> str:
    """``text`` with e-mails, phone and ID numbers, and each of ``names``
    (case-insensitive, whole words) replaced by a label."""
    masked = EMAIL.sub(EMAIL_LABEL, text or "")
    masked = NUMBER.sub(_number, masked)
    for name in names:
        name = " ".join(name.split())
        if len(name) >= 3:
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)"
            masked = re.sub(pattern, NAME_LABEL, masked, flags=re.IGNORECASE)
    return masked
