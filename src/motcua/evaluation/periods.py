"""Evaluation periods: a month, a quarter, a year or a range of days, in Vietnam
time. Written ``2025-06``, ``2025-Q2``, ``2025`` or ``2025-06-01..2025-06-30``;
anything else is bad input (a ``DomainError``, shown as 400)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from motcua.core.dates import MAX_YEAR, MIN_YEAR, vn_date
from motcua.core.errors import DomainError
from motcua.deadlines.engine import VN_TZ

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$", re.ASCII)
_YEAR = re.compile(r"^(\d{4})$", re.ASCII)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$", re.ASCII)
MAX_RANGE_DAYS = 3 * 366


def _bad(value: str) -> DomainError:
    return DomainError(
        "evaluation.invalid_period",
        f"Kỳ «{value[:40]}» không hợp lệ. Dùng dạng 2025-06 (tháng), 2025-Q2 (quý), "
        "2025 (năm) hoặc 2025-06-01..2025-06-30.",
    )


@dataclass(frozen=True)
class Period:
    """Days ``first``..``last`` inclusive; ``kind`` is month/quarter/year/range."""

    kind: str
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=VN_TZ)

    @property
    def end(self) -> datetime:
        """The instant just after the period (exclusive bound)."""
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=VN_TZ)

    @property
    def year(self) -> int:
        return self.first.year

    @property
    def quarter(self) -> int:
        """1–4 for a quarter, 0 for a year (the key of evaluator scores)."""
        return (self.first.month - 1) // 3 + 1 if self.kind == "quarter" else 0

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.quarter}"
        if self.kind == "year":
            return str(self.year)
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("Tháng %(month)s/%(year)s") % {
                "month": f"{self.first.month:02d}",
                "year": self.year,
            }
        if self.kind == "quarter":
            return _("Quý %(quarter)s/%(year)s") % {
                "quarter": self.quarter,
                "year": self.year,
            }
        if self.kind == "year":
            return _("Năm %(year)s") % {"year": self.year}
        return f"{vn_date(self.first)} – {vn_date(self.last)}"

    def months(self) -> Iterator[Period]:
        y, m = self.first.year, self.first.month
        while date(y, m, 1) <= self.last:
            yield month(y, m)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _check_year(year: int, value: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _bad(value)


def month(year: int, m: int) -> Period:
    first = date(year, m, 1)
    nxt = date(year + 1, 1, 1) if m == 12 else date(year, m + 1, 1)
    return Period("month", first, nxt - timedelta(days=1))


def quarter(year: int, q: int) -> Period:
    first = date(year, 3 * q - 2, 1)
    last = month(year, 3 * q).last
    return Period("quarter", first, last)


def year(y: int) -> Period:
    return Period("year", date(y, 1, 1), date(y, 12, 31))


def parse_period(value: str | None, *, default: Period) -> Period:
    """The period written in ``value`` (empty: ``default``)."""
    text = (value or "").strip()
    if not text:
        return default
    try:
        if found := _MONTH.fullmatch(text):
            y, m = int(found[1]), int(found[2])
            _check_year(y, text)
            if not 1 <= m <= 12:
                raise _bad(text)
            return month(y, m)
        if found := _QUARTER.fullmatch(text):
            y = int(found[1])
            _check_year(y, text)
            return quarter(y, int(found[2]))
        if found := _YEAR.fullmatch(text):
            y = int(found[1])
            _check_year(y, text)
            return year(y)
        if found := _RANGE.fullmatch(text):
            first, last = date.fromisoformat(found[1]), date.fromisoformat(found[2])
            _check_year(first.year, text)
            _check_year(last.year, text)
            if last < first or (last - first).days > MAX_RANGE_DAYS:
                raise _bad(text)
            return Period("range", first, last)
    except ValueError:
        raise _bad(text) from None
    raise _bad(text)


def current_month(today: date) -> Period:
    return month(today.year, today.month)


def current_quarter(today: date) -> Period:
    return quarter(today.year, (today.month - 1) // 3 + 1)
