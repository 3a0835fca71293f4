"""Reads of the privacy app: who may search which read log, and the search.

An agency administrator searches the log of the agencies where they hold the
administrator role; a system administrator, every agency. The search is one
query filtered by that set (ARCHITECTURE principles 5 and 7) and paged by
keyset on (at, id), newest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import memberships
from motcua.core.errors import DomainError
from motcua.deadlines.engine import VN_TZ

from .models import ReadLog

PAGE_SIZE = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICRO = timedelta(microseconds=1)
MAX_RANGE_DAYS = 366 * 5


def log_agencies(user: Any) -> QuerySet[Agency]:
    """Agencies whose read log ``user`` may search."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    admin_of = memberships(user).filter(role=Role.AGENCY_ADMIN).values("agency_id")
    return Agency.objects.filter(pk__in=admin_of)


@dataclass(frozen=True)
class ReadLogQuery:
    agency_code: str = ""
    dossier_code: str = ""
    username: str = ""
    what: str = ""
    date_from: date | None = None
    date_to: date | None = None
    cursor: tuple[datetime, int] | None = None
    limit: int = PAGE_SIZE


@dataclass(frozen=True)
class ReadLogPage:
    items: list[ReadLog]
    next_cursor: str | None


def _bad(code: str, message: str) -> DomainError:
    return DomainError(f"read_log.{code}", message, status=400)


def _day(raw: str, label: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _bad(
            "invalid_date", f"{label} không hợp lệ: cần ngày dạng NNNN-TT-NN."
        ) from None


def encode_cursor(row: ReadLog) -> str:
    return f"{(row.at - EPOCH) // MICRO}.{row.pk}"


def _cursor(raw: str) -> tuple[datetime, int] | None:
    if not raw:
        return None
    micros, _, pk = raw.partition(".")
    if not (micros.isdigit() and pk.isdigit() and len(raw) <= 40):
        raise _bad("invalid_cursor", "Con trỏ trang không hợp lệ.")
    return EPOCH + int(micros) * MICRO, int(pk)


def _text(params: Mapping[str, str], key: str, limit: int) -> str:
    value = (params.get(key) or "").strip()
    if len(value) > limit or "\x00" in value:
        raise _bad("invalid_param", "Điều kiện tìm kiếm quá dài hoặc không hợp lệ.")
    return value


def parse_query(params: Mapping[str, str]) -> ReadLogQuery:
    """The search from request parameters; a bad value is a 400 DomainError."""
    what = _text(params, "loai", 32)
    if what and what not in ReadLog.What.values:
        raise _bad("invalid_kind", "Loại truy cập không hợp lệ.")
    date_from = _day(params.get("tu") or "", "Từ ngày")
    date_to = _day(params.get("den") or "", "Đến ngày")
    if date_from and date_to:
        if date_from > date_to:
            raise _bad("invalid_range", "«Từ ngày» phải trước hoặc bằng «Đến ngày».")
        if (date_to - date_from).days > MAX_RANGE_DAYS:
            raise _bad("range_too_long", "Khoảng thời gian tìm tối đa là 5 năm.")
    return ReadLogQuery(
        agency_code=_text(params, "co_quan", 32),
        dossier_code=_text(params, "ma_ho_so", 64),
        username=_text(params, "can_bo", 150),
        what=what,
        date_from=date_from,
        date_to=date_to,
        cursor=_cursor(_text(params, "sau", 40)),
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VN_TZ)


def read_log_page(user: Any, query: ReadLogQuery) -> ReadLogPage:
    """One page of the read log of the agencies ``user`` may search."""
    rows = ReadLog.objects.filter(agency__in=log_agencies(user))
    if query.agency_code:
        rows = rows.filter(agency__code=query.agency_code)
    if query.dossier_code:
        rows = rows.filter(dossier_code=query.dossier_code)
    if query.username:
        rows = rows.filter(username=query.username)
    if query.what:
        rows = rows.filter(what=query.what)
    if query.date_from:
        rows = rows.filter(at__gte=_midnight(query.date_from))
    if query.date_to:
        rows = rows.filter(at__lt=_midnight(query.date_to + timedelta(days=1)))
    if query.cursor:
        at, pk = query.cursor
        rows = rows.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    page = list(rows.select_related("agency").order_by("-at", "-id")[: query.limit + 1])
    more = len(page) > query.limit
    page = page[: query.limit]
    return ReadLogPage(page, encode_cursor(page[-1]) if more and page else None)
