"""How slips write dates, times, durations and names (Vietnamese, ``dd/mm/yyyy``,
``HH:MM``, Vietnam time whatever zone a value was stored in)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from motcua.core.dates import local, vn_date, vn_time
from motcua.core.names import display_name
from motcua.deadlines.engine import UNIT_LABELS_VI, Unit

# "UBND phường Hòa Cường Nam" → "Hòa Cường Nam" for the place-and-date line.
_PLACE_PREFIX = re.compile(
    r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd)?\s*"
    r"(thành phố|tỉnh|quận|huyện|thị xã|thị trấn|phường|xã|đặc khu)?\s*",
    re.IGNORECASE,
)


def vn_datetime(value: datetime | None) -> str:
    """``09:00 ngày 02/06/2025``."""
    if value is None:
        return ""
    return f"{vn_time(value)} ngày {vn_date(value)}"


def long_date(value: date) -> str:
    """``ngày 02 tháng 06 năm 2025`` as in the place-and-date line."""
    if isinstance(value, datetime):
        value = local(value)
    return f"ngày {value:%d} tháng {value:%m} năm {value:%Y}"


def place_of(agency_name: str) -> str:
    """The place written before the date: the agency's locality."""
    place = _PLACE_PREFIX.sub("", agency_name.strip(), count=1).strip()
    return place or agency_name


def legal_time(unit: str, value: Decimal) -> str:
    """``03 ngày làm việc``, ``Trong ngày``, ``Không quy định thời hạn``."""
    try:
        known = Unit(unit)
    except ValueError:
        return f"{value} {unit}"
    label = UNIT_LABELS_VI[known]
    if known in (Unit.SAME_DAY, Unit.IMMEDIATE, Unit.NONE):
        return label
    number = value.normalize() if value % 1 else int(value)
    text = f"{number:02d}" if isinstance(number, int) else str(number)
    return f"{text} {label[0].lower()}{label[1:]}"


def person_name(user: Any) -> str:
    """A staff member's name as printed on a slip: Vietnamese order."""
    return display_name(user)


def initials(name: str) -> str:
    """``Nguyễn Văn An`` → ``N. V. A.`` (the portal shows nothing more)."""
    return " ".join(
        f"{part[0].upper()}." for part in name.split() if part[:1].isalpha()
    )
