"""Reading dossiers: who may see which, work queues and searches.

Visibility is set-based (ARCHITECTURE principle 7): one queryset whatever the
number of agencies or roles. Lists are keyset-paginated on indexed columns
(principle 5): a page costs the same at dossier 10 as at dossier 10 million.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import attrgetter, or_
from typing import Any

from django.db import connections, router
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from motcua.agencies import selectors as agency_selectors
from motcua.agencies.models import Agency
from motcua.agencies.selectors import visible_agencies
from motcua.catalog.selectors import field_of
from motcua.core import clock
from motcua.core.dates import in_supported_years, years_message
from motcua.core.errors import DomainError
from motcua.core.statements import Ids, Statement, together
from motcua.core.text import fold
from motcua.deadlines.engine import VN_TZ

from . import permissions, timing
from .models import (
    Channel,
    Consultation,
    Dossier,
    DossierComponent,
    DossierFile,
    Event,
    Step,
)
from .workflow import WORKING, Action, Status

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
ORDERINGS = ("-id", "due_at")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _invalid(message: str) -> DomainError:
    return DomainError("filter.invalid", message)


# --------------------------------------------------------------- visibility
def _is_system_admin(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_superuser", False)
    )


def _reasons(agencies: Any) -> tuple[list[Q], list[QuerySet[Any]]]:
    """Why a dossier is visible to someone who sees ``agencies``: conditions on
    the dossier (it belongs to one of them; one of them received it for the
    competent agency — a centre, Decree 118/2025) and rows naming it by
    ``dossier_id`` (a step one of them handles — inter-agency processing, liên
    thông; a consultation of one of them)."""
    return (
        [Q(agency__in=agencies), Q(received_by_agency__in=agencies)],
        [
            Step.objects.filter(agency__in=agencies),
            Consultation.objects.filter(agency__in=agencies),
        ],
    )


def visibility_branches(
    user: Any, agency_ids: list[int] | None = None
) -> list[Q | Exists] | None:
    """Why ``user`` may read a dossier (``_reasons``), one condition per
    reason; a dossier is visible when any holds. ``None``: every dossier (a
    system administrator). ``agency_ids``: the agencies ``user`` sees, already
    read (``visible_agency_ids``)."""
    if _is_system_admin(user):
        return None
    agencies: Any = agency_ids
    if agencies is None:
        agencies = visible_agencies(user).values("pk")
    return _branches(agencies)


def _branches(agencies: Any) -> list[Q | Exists]:
    own, linked = _reasons(agencies)
    naming = [Exists(rows.filter(dossier=OuterRef("pk"))) for rows in linked]
    return [*own, *naming]


def visible_agency_ids(user: Any) -> list[int]:
    """The ids of the agencies ``user`` sees (one query; once per request
    within ``agencies.selectors.roles_read_once``)."""
    return agency_selectors.visible_agency_ids(user)


def dossiers_visible_to(user: Any) -> QuerySet[Dossier]:
    """Dossiers ``user`` may read (``visibility_branches``, any of them). One
    query, usable as a subquery."""
    branches = visibility_branches(user)
    if branches is None:
        return Dossier.objects.all()
    return Dossier.objects.filter(reduce(or_, branches))


def dossiers_visible_now(user: Any) -> QuerySet[Dossier]:
    """``dossiers_visible_to`` with the user's agencies read first (one query,
    once per request within ``roles_read_once``): the same rows, from a
    statement with the agency ids written in, which costs far less to compile
    than the agencies' sub-query four times over (issue 15: a third of a
    dossier's answer)."""
    agency_ids = visible_scope(user)
    if agency_ids is None:
        return Dossier.objects.all()
    if not agency_ids:
        return Dossier.objects.none()
    return _visible_among(agency_ids)


def visible_scope(user: Any) -> list[int] | None:
    """What ``dossiers_visible_now`` filters on: ``None`` for every dossier (a
    system administrator, or someone who sees every agency), else the ids of
    the agencies whose reasons (``_reasons``) make a dossier visible — none
    when the list is empty."""
    if _is_system_admin(user):
        return None
    seen = agency_selectors.seen_agencies(user)
    return None if seen.every else seen.ids


def _visible_among(agency_ids: list[int]) -> QuerySet[Dossier]:
    return Dossier.objects.filter(reduce(or_, _branches(agency_ids)))


def is_code(code: str) -> bool:
    """Whether ``code`` may be a dossier code at all (fits the column, no NUL)."""
    return 0 < len(code) <= 64 and "\x00" not in code


# The parts a dossier's detail shows, each with its model and its order: read by
# ``dossier_for``, taken from what was written by ``created_for``.
DETAIL_PARTS: tuple[tuple[str, type[Any], str], ...] = (
    ("components", DossierComponent, "id"),
    ("files", DossierFile, "id"),
    ("steps", Step, "id"),
    ("consultations", Consultation, "id"),
    ("events", Event, "seq"),
)
_PART_JOINS: dict[str, tuple[str, ...]] = {
    "files": ("uploaded_by",),
    "steps": ("agency", "assignee", "ended_by"),
    "consultations": ("agency", "requested_by", "answered_by"),
}


def _part_rows(model: type[Any], order: str, joins: tuple[str, ...]) -> Statement[Any]:
    def build(dossier_id: int) -> QuerySet[Any]:
        rows = model._default_manager.filter(dossier_id=dossier_id).order_by(order)
        return rows.select_related(*joins) if joins else rows

    return Statement(build, dossier_id=int)


# Each part of the detail, read as ``prefetch_related`` would read it for one
# dossier, by a statement compiled once (ADR 0033).
_PARTS: tuple[tuple[str, Statement[Any]], ...] = tuple(
    (name, _part_rows(model, order, _PART_JOINS.get(name, ())))
    for name, model, order in DETAIL_PARTS
)


def _attach(dossier: Dossier, parts: Mapping[str, list[Any]]) -> None:
    """Give ``dossier`` its parts as ``prefetch_related`` leaves them: each
    part its related manager's query set, already run (a query made from it,
    such as ``dossier.events.values_list(…)``, still asks the database), each
    row's dossier the same object."""
    cache = dossier.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, model, _ in DETAIL_PARTS:
        rows = parts[name]
        to_dossier = model._meta.get_field("dossier")
        for row in rows:
            to_dossier.set_cached_value(row, dossier)
        cache.pop(name, None)
        found = getattr(dossier, name).get_queryset()
        found._result_cache = rows
        found._prefetch_done = True
        cache[name] = found


def _detail_row(rows: QuerySet[Dossier], code: str) -> QuerySet[Dossier]:
    # The code is unique: a slice, not ``first()``, whose ORDER BY made Django
    # compare the ordering with each of the ~200 selected columns (issue 15).
    return rows.filter(code=code).select_related(
        "agency",
        "procedure",
        "procedure_version",
        "field",
        "applicant",
        "counter",
        "received_by",
        "received_by_agency",
        "signed_by",
    )[:1]


# The dossier of a detail, among those ``dossiers_visible_now`` gives: every
# dossier, or those of the agencies seen (ADR 0033: compiled once, per number
# of agencies).
_DETAIL_OF_ANY: Statement[Dossier] = Statement(
    lambda code: _detail_row(Dossier.objects.all(), code), code=str
)
_DETAIL_AMONG: Statement[Dossier] = Statement(
    lambda code, agency_ids: _detail_row(_visible_among(agency_ids), code),
    code=str,
    agency_ids=Ids,
)


def dossier_for(user: Any, code: str) -> Dossier | None:
    """One visible dossier with everything its detail shows (``None`` when the
    caller may not see it: do not reveal whether it exists)."""
    if not is_code(code):
        return None
    agency_ids = visible_scope(user)
    if agency_ids is None:
        dossier = _DETAIL_OF_ANY.first(code=code)
    elif agency_ids:
        dossier = _DETAIL_AMONG.first(code=code, agency_ids=agency_ids)
    else:
        return None
    if dossier is None:
        return None
    # The five parts sent together: one round trip on PostgreSQL (ADR 0035).
    parts = together(*((rows, {"dossier_id": dossier.pk}) for _, rows in _PARTS))
    _attach(
        dossier, {name: found for (name, _), found in zip(_PARTS, parts, strict=True)}
    )
    return dossier


# Whether one dossier is among those ``dossiers_visible_now`` gives, for a
# caller who does not see every agency (compiled once per number of agencies).
_VISIBLE_AMONG: Statement[int] = Statement(
    lambda dossier_id, agency_ids: (
        _visible_among(agency_ids)
        .filter(pk=dossier_id)
        .values_list("pk", flat=True)[:1]
    ),
    dossier_id=int,
    agency_ids=Ids,
)


def created_for(user: Any, dossier: Dossier, written: Sequence[Any]) -> Dossier | None:
    """``dossier_for`` of a dossier this request has just created, from the
    rows its creation wrote (``unit.remembered``) instead of reading them all
    back (issue 15: a third of a creation). Visibility is still asked of the
    one rule, in SQL (``visible_scope``; someone who sees every agency needs no
    question). Every part of the aggregate is written through
    ``unit.insert``, except files: a creation writes none (uploads come after,
    on their own endpoint). ``tests/dossiers/test_api.py`` compares the answer
    with a later GET for each way a dossier comes in."""
    agency_ids = visible_scope(user)
    if agency_ids is not None and (
        not agency_ids
        or _VISIBLE_AMONG.first(dossier_id=dossier.pk, agency_ids=agency_ids) is None
    ):
        return None
    if dossier.field_id is not None and not Dossier.field.is_cached(dossier):
        dossier.field = field_of(dossier.field_id)  # as ``dossier_for`` joins it
    mine = [row for row in written if getattr(row, "dossier_id", None) == dossier.pk]
    _attach(
        dossier,
        {
            name: sorted((r for r in mine if type(r) is model), key=attrgetter(order))
            for name, model, order in DETAIL_PARTS
        },
    )
    return dossier


def actions_for(user: Any, dossier: Dossier) -> list[str]:
    """The actions ``user`` may take now: ``permissions.allowed_actions``, the
    same rule the services apply. Expects the dossier's ``steps`` and
    ``consultations`` loaded (``dossier_for``)."""
    return permissions.allowed_actions(user, dossier)


# --------------------------------------------------------------- filters
@dataclass(frozen=True)
class DossierFilters:
    agency: str | None = None
    statuses: tuple[str, ...] = ()
    procedure: str | None = None
    field: str | None = None
    channel: str | None = None
    assignee: str | None = None  # a username, or "me"
    overdue: bool | None = None
    due_before: datetime | None = None
    received_from: date | None = None
    received_to: date | None = None
    words: tuple[str, ...] = ()
    ordering: str = "-id"
    limit: int = DEFAULT_LIMIT
    cursor: dict[str, Any] | None = None


def _choice(value: str, allowed: list[str], what: str) -> str:
    if value not in allowed:
        raise _invalid(f"{what} không hợp lệ; dùng một trong: {', '.join(allowed)}.")
    return value


def _bool(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _invalid(f"Tham số {name} phải là true hoặc false.")


def _date(value: str, name: str) -> date:
    try:
        parsed = parse_date(value.strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise _invalid(f"Tham số {name} phải là ngày dạng YYYY-MM-DD.")
    _in_years(parsed, name)
    return parsed


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VN_TZ)


def _instant(value: str, name: str) -> datetime:
    """A date (its start, Vietnam time) or an aware datetime. A ``+`` of the
    zone left unencoded in the URL arrives as a space: put it back."""
    text = value.strip()
    if len(text) == 10:
        return _local_midnight(_date(text, name))
    try:
        parsed = parse_datetime(text.replace(" ", "+") if "T" in text else text)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise _invalid(
            f"Tham số {name} phải là ngày (YYYY-MM-DD) hoặc ngày giờ có múi giờ, "
            "ví dụ 2025-06-05T17:00:00+07:00."
        )
    _in_years(parsed.date(), name)
    return parsed


def _in_years(day: date, name: str) -> None:
    """Dates outside the calendar's years overflow in date arithmetic."""
    if not in_supported_years(day):
        raise _invalid(f"Tham số {name}: {years_message()}")


def _limit(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_LIMIT
    if not value.strip().isdigit() or len(value.strip()) > 9 or int(value) < 1:
        raise _invalid(f"Tham số limit phải là số nguyên từ 1 đến {MAX_LIMIT}.")
    return min(int(value), MAX_LIMIT)


def _statuses(value: str) -> tuple[str, ...]:
    wanted = tuple(s.strip() for s in value.split(",") if s.strip())
    for status in wanted:
        _choice(status, list(Status.values), "Trạng thái")
    return wanted


_PARSERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "status": ("statuses", _statuses),
    "channel": ("channel", lambda v: _choice(v, list(Channel.values), "Kênh nộp")),
    "overdue": ("overdue", lambda v: _bool(v, "overdue")),
    "due_before": ("due_before", lambda v: _instant(v, "due_before")),
    "received_from": ("received_from", lambda v: _date(v, "received_from")),
    "received_to": ("received_to", lambda v: _date(v, "received_to")),
    "q": ("words", lambda v: tuple(fold(v).split())[:10]),
    "ordering": ("ordering", lambda v: _choice(v, list(ORDERINGS), "Thứ tự")),
    "agency": ("agency", str),
    "procedure": ("procedure", str),
    "field": ("field", str),
    "assignee": ("assignee", str),
}


def parse_filters(params: Mapping[str, str]) -> DossierFilters:
    """Read the list's query parameters; a bad value is 400 ``filter.invalid``."""
    if any("\x00" in (params.get(name) or "") for name in [*_PARSERS, "cursor"]):
        raise _invalid("Tham số lọc chứa ký tự không hợp lệ.")
    values: dict[str, Any] = {"limit": _limit(params.get("limit"))}
    for name, (key, parse) in _PARSERS.items():
        raw = (params.get(name) or "").strip()
        if raw:
            values[key] = parse(raw)
    start, end = values.get("received_from"), values.get("received_to")
    if start and end and start > end:
        raise _invalid("received_from phải trước hoặc bằng received_to.")
    cursor = (params.get("cursor") or "").strip()
    if cursor:
        values["cursor"] = decode_cursor(cursor, values.get("ordering", "-id"))
    return DossierFilters(**values)


def _assigned(user: Any, assignee: str) -> Exists:
    steps = Step.objects.filter(dossier=OuterRef("pk"), state=Step.State.ACTIVE)
    if assignee == "me":
        return Exists(steps.filter(assignee_id=getattr(user, "pk", None)))
    return Exists(steps.filter(assignee__username=assignee))


def _overdue() -> Q:
    return timing.overdue_q(clock.now())


_EQUALS = (
    ("agency", "agency__code"),
    ("procedure", "procedure__code"),
    ("field", "field__code"),
    ("channel", "channel"),
)


def _conditions(user: Any, filters: DossierFilters) -> list[Q | Exists]:
    found: list[Q | Exists] = [
        Q(**{lookup: getattr(filters, name)})
        for name, lookup in _EQUALS
        if getattr(filters, name)
    ]
    found += [Q(search_text__contains=word) for word in filters.words]
    if filters.statuses:
        found.append(Q(status__in=filters.statuses))
    if filters.assignee:
        found.append(_assigned(user, filters.assignee))
    if filters.overdue is not None:
        found.append(_overdue() if filters.overdue else ~_overdue())
    if filters.due_before is not None:
        found.append(Q(due_at__lt=filters.due_before))
    if filters.received_from is not None:
        found.append(Q(received_at__gte=_local_midnight(filters.received_from)))
    if filters.received_to is not None:
        end = _local_midnight(filters.received_to + timedelta(days=1))
        found.append(Q(received_at__lt=end))
    return found


def _matching(user: Any, filters: DossierFilters, rows: QuerySet[Dossier]) -> Any:
    for condition in _conditions(user, filters):
        rows = rows.filter(condition)
    return rows


def _in_order(rows: QuerySet[Dossier], ordering: str) -> QuerySet[Dossier]:
    if ordering == "due_at":
        return rows.order_by(F("due_at").asc(nulls_last=True), "id")
    return rows.order_by("-id")


# Above this many visible agencies a page keeps the OR (see ``_page_rows``).
UNION_UP_TO = 50
_ROW_PARTS = ("agency", "procedure", "procedure_version", "field", "applicant")


def dossier_list(user: Any, filters: DossierFilters) -> QuerySet[Dossier]:
    """The visible dossiers matching ``filters``, in the page order, with what a
    list row shows joined in (constant number of queries per page)."""
    rows = _matching(user, filters, dossiers_visible_to(user))
    return _in_order(rows.select_related(*_ROW_PARTS), filters.ordering)


# --------------------------------------------------------------- pages
@dataclass(frozen=True)
class Page:
    items: list[Dossier]
    next_cursor: str | None


def encode_cursor(ordering: str, last: Dossier) -> str:
    key: dict[str, Any] = {"o": ordering, "id": last.pk}
    if ordering == "due_at":
        key["due"] = last.due_at.isoformat() if last.due_at else None
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, ordering: str) -> dict[str, Any]:
    """The last key of the previous page; anything else is 400."""
    bad = _invalid("Con trỏ phân trang (cursor) không hợp lệ.")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError):
        raise bad from None
    if not isinstance(key, dict) or key.get("o") != ordering:
        raise bad
    last_id = key.get("id")
    if type(last_id) is not int or not 0 < last_id < 2**63:
        raise bad
    if ordering != "due_at":
        return {"id": last_id}
    due = key.get("due")
    if due is None:
        return {"id": last_id, "due": None}
    parsed = parse_datetime(due) if isinstance(due, str) else None
    if parsed is None or parsed.tzinfo is None:
        raise bad
    return {"id": last_id, "due": parsed}


def _after(rows: QuerySet[Dossier], ordering: str, key: dict[str, Any]) -> Any:
    if ordering != "due_at":
        return rows.filter(id__lt=key["id"])
    if key["due"] is None:  # already in the trailing rows without a due date
        return rows.filter(due_at__isnull=True, id__gt=key["id"])
    return rows.filter(
        Q(due_at__gt=key["due"])
        | Q(due_at=key["due"], id__gt=key["id"])
        | Q(due_at__isnull=True)
    )


def _page_rows(user: Any, filters: DossierFilters, size: int) -> QuerySet[Dossier]:
    """The first ``size`` visible rows after the cursor.

    On PostgreSQL each reason of visibility (``_reasons``) gives its own first
    ``size`` ids, each on its own index — the dossiers' ``(agency, id)``, the
    steps' and consultations' ``(agency, dossier)`` — and the page is read
    among them: the first ``size`` of a union are among the first ``size`` of
    its parts, the order being total (``id`` breaks ties). The agencies the
    user sees are read first so that each part is planned for them (a ward:
    its own rows). An ``OR`` of the reasons makes PostgreSQL walk the whole
    table backwards instead, past every other agency's dossiers (issue 15: 37
    ms behind 5,248 rows of other wards). Three queries whatever the page.
    SQLite cannot order and slice inside a compound statement; one agency's
    embedded database keeps the ``OR`` (one query). So does a user who sees
    more than ``UNION_UP_TO`` agencies (a province's monitor): most rows are
    theirs, the walk stops early, and planning four parts over hundreds of
    agency ids costs more than it saves (bench/list_page.py). Someone who sees
    every agency (``sees_every_agency``: a monitor of the whole province) sees
    every dossier: no condition at all."""
    how, agency_ids = _page_visibility(user)
    if how == "none":
        return Dossier.objects.none()
    if how == "union":
        ids = list(_first_ids(user, filters, size, agency_ids))
        return _rows_among(ids, filters.ordering, size)
    among = visibility_branches(user) if how == "or" else None
    return _page_of(user, filters, size, among)


def _page_visibility(user: Any) -> tuple[str, list[int]]:
    """How ``_page_rows`` reads the page for ``user``: ``every`` (no
    condition), ``none``, ``or`` (the reasons' ``OR``) or ``union`` (the
    reasons' first ids, among the agencies given)."""
    if _is_system_admin(user):
        return "every", []
    seen = agency_selectors.seen_agencies(user)
    if seen.every:
        return "every", []
    compound = connections[
        router.db_for_read(Dossier)
    ].features.supports_slicing_ordering_in_compound
    if not compound or len(seen.ids) > UNION_UP_TO:
        return "or", seen.ids
    return ("union" if seen.ids else "none"), seen.ids


def _matching_after(user: Any, filters: DossierFilters) -> QuerySet[Dossier]:
    matching = _matching(user, filters, Dossier.objects.all())
    if filters.cursor is not None:
        matching = _after(matching, filters.ordering, filters.cursor)
    return matching


def _page_of(
    user: Any, filters: DossierFilters, size: int, among: list[Q | Exists] | None
) -> QuerySet[Dossier]:
    """The page in one statement: the matching rows for which one of the
    conditions ``among`` holds (``None``: every row)."""
    matching = _matching_after(user, filters)
    if among is not None:
        matching = matching.filter(reduce(or_, among))
    return _in_order(matching.select_related(*_ROW_PARTS), filters.ordering)[:size]


def _first_ids(
    user: Any, filters: DossierFilters, size: int, agency_ids: list[int]
) -> QuerySet[Any]:
    """The union of each reason's first ``size`` matching ids (``_reasons``
    among ``agency_ids``): the page is among them."""
    matching = _matching_after(user, filters)
    own, linked = _reasons(agency_ids)
    parts: list[QuerySet[Any]] = [
        _in_order(matching.filter(reason), filters.ordering).values_list(
            "pk", flat=True
        )[:size]
        for reason in own
    ]
    parts += [_naming_firsts(user, filters, rows, size) for rows in linked]
    return parts[0].union(*parts[1:])


def _rows_among(ids: Sequence[int], ordering: str, size: int) -> QuerySet[Dossier]:
    rows = Dossier.objects.filter(pk__in=ids).select_related(*_ROW_PARTS)
    return _in_order(rows, ordering)[:size]


def _naming_firsts(
    user: Any, filters: DossierFilters, rows: QuerySet[Any], size: int
) -> QuerySet[Any]:
    """The first ``size`` matching dossiers named by ``rows`` (steps or
    consultations of the user's agencies). Newest first, the rows' own
    ``(agency, dossier)`` index gives them in order; by due date, the dossiers
    must be read to be ordered."""
    matching = _matching(user, filters, Dossier.objects.all())
    if filters.ordering == "due_at":
        if filters.cursor is not None:
            matching = _after(matching, filters.ordering, filters.cursor)
        named = matching.filter(Exists(rows.filter(dossier=OuterRef("pk"))))
        return _in_order(named, filters.ordering).values_list("pk", flat=True)[:size]
    if filters.cursor is not None:
        rows = rows.filter(dossier_id__lt=filters.cursor["id"])
    if _conditions(user, filters):
        rows = rows.filter(Exists(matching.filter(pk=OuterRef("dossier_id"))))
    return (
        rows.order_by("-dossier_id").values_list("dossier_id", flat=True).distinct()
    )[:size]


# ------------------------------------------------------ kept list pages
# The API's list page, compiled once per connection and *shape* (ADR 0036):
# which filters are given, the order, the cursor's kind, the page's size and
# how visibility is read. Only values that reach the SQL unchanged are
# parameters; a page filtered otherwise (words, assignee, overdue, received
# dates: their lookups change the value or read the clock) is built by the
# ORM as before. Both ways are the same functions above, so the same rows.
_KEPT_EQUALS = ("agency", "procedure", "field", "channel")  # exact, text
_SHAPES_KEPT = 256  # shapes kept per process (a filter's values are not part)
_PAD = 32  # the page's ids are padded to a multiple of this (see ``_padded``)


@dataclass(frozen=True)
class _Shape:
    how: str  # ``_page_visibility``: "every", "or" or "union"
    ordering: str
    cursor: str  # "", "id", "due" (after a due date) or "undated"
    equals: tuple[str, ...]  # the names of ``_KEPT_EQUALS`` given
    statuses: tuple[str, ...]
    due_before: bool
    size: int


# The filters a kept page knows; any other one given (words, assignee,
# overdue, received dates, or one added later) sends the page to the ORM.
_KEPT_FILTERS = frozenset(
    {*_KEPT_EQUALS, "statuses", "due_before", "ordering", "limit", "cursor"}
)
_UNFILTERED = DossierFilters()


def _shape(how: str, filters: DossierFilters, size: int) -> _Shape | None:
    """The page's shape, or ``None`` when it cannot be kept."""
    if any(
        getattr(filters, f.name) != getattr(_UNFILTERED, f.name)
        for f in dataclasses.fields(filters)
        if f.name not in _KEPT_FILTERS
    ):
        return None
    cursor = filters.cursor
    kind = ""
    if cursor is not None:
        kind = "id" if filters.ordering != "due_at" else "due"
        if kind == "due" and cursor["due"] is None:
            kind = "undated"
    return _Shape(
        how,
        filters.ordering,
        kind,
        tuple(name for name in _KEPT_EQUALS if getattr(filters, name)),
        tuple(sorted(set(filters.statuses))),
        filters.due_before is not None,
        size,
    )


def _values_of(shape: _Shape, filters: DossierFilters) -> dict[str, Any]:
    """The page's parameters, named as ``_kinds`` names them."""
    values: dict[str, Any] = {name: getattr(filters, name) for name in shape.equals}
    if shape.due_before:
        values["due_before"] = filters.due_before
    if shape.cursor:
        assert filters.cursor is not None
        values["cursor_id"] = filters.cursor["id"]
        if shape.cursor == "due":
            values["cursor_due"] = filters.cursor["due"]
    return values


def _kinds(shape: _Shape) -> dict[str, type]:
    kinds: dict[str, type] = dict.fromkeys(shape.equals, str)
    if shape.due_before:
        kinds["due_before"] = datetime
    if shape.cursor:
        kinds["cursor_id"] = int
        if shape.cursor == "due":
            kinds["cursor_due"] = datetime
    return kinds


def _filters_for(shape: _Shape, values: Mapping[str, Any]) -> DossierFilters:
    """The filters a page of ``shape`` with ``values`` stands for."""
    cursor = None
    if shape.cursor:
        cursor = {"id": values["cursor_id"], "due": values.get("cursor_due")}
    return DossierFilters(
        **{name: values[name] for name in shape.equals},
        statuses=shape.statuses,
        due_before=values.get("due_before"),
        ordering=shape.ordering,
        limit=shape.size - 1,
        cursor=cursor,
    )


def _row_values(rows: QuerySet[Dossier]) -> QuerySet[Any]:
    return rows.values_list(*ROW_COLUMNS, *_ROW_JOINED)


@dataclass(frozen=True)
class _KeptPage:
    rows: Statement[tuple[Any, ...]]  # the page (every, or) or its rows (union)
    first_ids: Statement[int] | None  # union: the reasons' first ids


@functools.lru_cache(maxsize=_SHAPES_KEPT)
def _kept_page(shape: _Shape) -> _KeptPage:
    kinds = _kinds(shape)

    def filters(values: Mapping[str, Any]) -> DossierFilters:
        return _filters_for(shape, values)

    # The builders pass no user: a kept shape has no assignee, the only
    # filter that reads one.
    if shape.how == "every":
        return _KeptPage(
            Statement(
                lambda **v: _row_values(_page_of(None, filters(v), shape.size, None)),
                **kinds,
            ),
            None,
        )
    if shape.how == "or":
        return _KeptPage(
            Statement(
                lambda agency_ids, **v: _row_values(
                    _page_of(None, filters(v), shape.size, _branches(agency_ids))
                ),
                agency_ids=Ids,
                **kinds,
            ),
            None,
        )
    return _KeptPage(
        _kept_rows_among(shape.ordering, shape.size),
        Statement(
            lambda agency_ids, **v: _first_ids(
                None, filters(v), shape.size, agency_ids
            ),
            agency_ids=Ids,
            **kinds,
        ),
    )


@functools.lru_cache(maxsize=2 * MAX_LIMIT + 2)
def _kept_rows_among(ordering: str, size: int) -> Statement[tuple[Any, ...]]:
    """The rows among a union's first ids: one statement per order and size,
    whatever filters chose the ids."""
    return Statement(lambda ids: _row_values(_rows_among(ids, ordering, size)), ids=Ids)


def _padded(ids: list[int]) -> list[int]:
    """``ids`` with the first repeated up to a multiple of ``_PAD``: the same
    rows for ``IN``, and a few lengths to compile instead of one per count."""
    return ids + ids[:1] * (-len(ids) % _PAD)


def _kept_row_values(
    user: Any, filters: DossierFilters, size: int
) -> list[tuple[Any, ...]] | None:
    """The page's row values as ``_row_values(_page_rows(…))`` gives them, from
    kept statements; ``None`` when the page cannot be kept."""
    how, agency_ids = _page_visibility(user)
    if how == "none" or (how == "or" and not agency_ids):
        return []  # no agency seen: no reason holds for any dossier
    if how == "or" and len(agency_ids) > UNION_UP_TO:
        return None  # planned over its sub-query of agencies (``_page_rows``)
    shape = _shape(how, filters, size)
    if shape is None:
        return None
    kept = _kept_page(shape)
    values = _values_of(shape, filters)
    if kept.first_ids is None:
        if how == "or":
            values["agency_ids"] = agency_ids
        return kept.rows.all(**values)
    ids = kept.first_ids.all(agency_ids=agency_ids, **values)
    return kept.rows.all(ids=_padded(sorted(set(ids)))) if ids else []


def dossier_page(user: Any, filters: DossierFilters) -> Page:
    """One page of ``dossier_list`` after ``filters.cursor`` (one query)."""
    items = list(_page_rows(user, filters, filters.limit + 1))
    return _paged(items, filters)


def _paged(items: list[Any], filters: DossierFilters) -> Page:
    more = len(items) > filters.limit
    items = items[: filters.limit]
    cursor = encode_cursor(filters.ordering, items[-1]) if more else None
    return Page(items, cursor)


class Ref:
    """A related row as a list row shows it (agency, field: code and name)."""

    __slots__ = ("code", "name")

    def __init__(self, code: str, name: str) -> None:
        self.code, self.name = code, name


class CodeRef:
    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code


class VersionRef:
    __slots__ = ("name", "number")

    def __init__(self, name: str, number: int) -> None:
        self.name, self.number = name, number


class ApplicantRef:
    __slots__ = ("kind", "name")

    def __init__(self, name: str, kind: str) -> None:
        self.name, self.kind = name, kind


# A list row's own columns, read as they are (``values_list``), then what it
# shows of its agency, procedure, field and applicant.
ROW_COLUMNS = (
    "pk",
    "agency_id",
    "code",
    "channel",
    "status",
    "submitted_at",
    "received_at",
    "due_at",
    "original_due_at",
    "extended",
    "finished_at",
    "returned_at",
    "outcome",
    "timing",
    "lock_version",
)
_ROW_JOINED = (
    "agency__code",
    "agency__name",
    "procedure__code",
    "procedure_version__name",
    "procedure_version__number",
    "field__code",
    "field__name",
    "applicant__name",
    "applicant__kind",
)


class DossierRow:
    """One dossier of a list page, with the attributes of a ``Dossier`` that
    the list shows and its rules read (``timing.is_overdue``, the read log,
    the cursor): building six model instances a row was most of a page's time
    (issue 15)."""

    __slots__ = (*ROW_COLUMNS, *_ROW_PARTS)

    def __init__(self, values: tuple[Any, ...]) -> None:
        (
            self.pk,
            self.agency_id,
            self.code,
            self.channel,
            self.status,
            self.submitted_at,
            self.received_at,
            self.due_at,
            self.original_due_at,
            self.extended,
            self.finished_at,
            self.returned_at,
            self.outcome,
            self.timing,
            self.lock_version,
            a_code,
            a_name,
            p_code,
            v_name,
            v_number,
            f_code,
            f_name,
            name,
            kind,
        ) = values  # in the order of ROW_COLUMNS, then _ROW_JOINED
        self.agency = Ref(a_code, a_name)
        self.procedure = CodeRef(p_code)
        self.procedure_version = VersionRef(v_name, v_number)
        self.field = Ref(f_code, f_name)
        self.applicant = ApplicantRef(name, kind)


def dossier_row_page(user: Any, filters: DossierFilters) -> Page:
    """``dossier_page`` as ``DossierRow`` items (same rows, same cursor), from
    statements kept per shape when the filters allow (``_kept_row_values``)."""
    size = filters.limit + 1
    values = _kept_row_values(user, filters, size)
    if values is None:
        values = list(_row_values(_page_rows(user, filters, size)))
    return _paged([DossierRow(v) for v in values], filters)


def agency_at(dossier: Dossier, at: datetime) -> Agency:
    """The agency that held ``dossier`` at ``at``: its agency now, unless a later
    ``transfer`` (a merger) moved it — then the agency it was moved from. Slips
    print the issuing agency of their own date, so a reprint never changes."""
    moved = (
        Event.objects.filter(dossier=dossier, action=Action.TRANSFER, at__gt=at)
        .exclude(payload__from=None)
        .order_by("seq")
        .values_list("payload", flat=True)
        .first()
    )
    code = moved.get("from") if isinstance(moved, dict) else None
    if code:
        found = Agency.objects.select_related("parent").filter(code=code).first()
        if found is not None:
            return found
    return dossier.agency


REMINDERS_SHOWN_FOR = timedelta(days=14)


def reminders_for(user: Any) -> QuerySet[Event]:
    """Leaders' reminders naming ``user`` in the last two weeks, on dossiers
    still in progress that they may read, newest first."""
    return (
        Event.objects.filter(
            action=Action.REMIND,
            payload__to=user.get_username(),
            at__gte=clock.now() - REMINDERS_SHOWN_FOR,
            dossier__in=dossiers_visible_to(user),
            dossier__status__in=WORKING,
        )
        .select_related("dossier", "actor", "step")
        .order_by("-at")[:20]
    )
