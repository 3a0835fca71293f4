"""Reading the figures: Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) and the
dossiers behind each of its numbers.

Public selectors (other apps, e.g. ``motcua.evaluation``, may call them):
``parse_query`` (checks input and permission), ``bieu06`` (the report),
``cell_dossiers`` (the dossiers behind one number, the same count).

The report is two prefix sums over :class:`FigureBucket` — at the day before
``from`` and at ``to`` — each one indexed GROUP BY over whole years, then whole
months, then days; nothing scans dossiers. Rules: docs/figures.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum

from motcua.agencies.models import Agency
from motcua.agencies.selectors import name_on, visible_agencies
from motcua.agencies.selectors import subtree as agency_subtree
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.selectors import IN_FORCE_ORDER
from motcua.core import clock
from motcua.core.dates import in_supported_years, years_message
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier

from .mergers import Lineage, Scope, adjust, lineage
from .models import FIGURE_COLUMNS, DossierFact, EndKind, FigureBucket, ProgressInterval

ONE_DAY = timedelta(days=1)
MAX_YEARS = 5
GROUPS = ("field", "procedure")
CELLS = (
    "received.total",
    "received.carried_over",
    "received.online",
    "received.direct_postal",
    "settled.total",
    "settled.early",
    "settled.on_time",
    "settled.late",
    "in_progress.total",
    "in_progress.within_time",
    "in_progress.overdue",
    "in_progress.paused",
    "withdrawn",
    "stopped",
)


def _bad(code: str, message: str) -> DomainError:
    return DomainError(code, message)


@dataclass(frozen=True)
class ReportQuery:
    agency: Agency
    date_from: date
    date_to: date
    subtree: bool = False
    group_by: str = "field"
    unit: str = ""  # a section of a merger report: the unit's agency code

    def as_params(self) -> dict[str, str]:
        params = {
            "agency": self.agency.code,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "subtree": "true" if self.subtree else "false",
            "group_by": self.group_by,
        }
        if self.unit:
            params["unit"] = self.unit
        return params


def _date(value: str | None, name: str) -> date:
    if not value:
        raise _bad("report.date_required", f"Cần nhập {name} (YYYY-MM-DD).")
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise _bad(
            "report.invalid_date",
            f"{name.capitalize()} không hợp lệ: cần dạng YYYY-MM-DD, ví dụ 2026-01-31.",
        ) from None
    if not in_supported_years(day):
        raise _bad(
            "report.date_out_of_range",
            f"{name.capitalize()} không hợp lệ: {years_message()}",
        )
    return day


def _flag(value: str | None) -> bool | None:
    """``subtree`` as given; ``None`` when not given (the default applies)."""
    value = (value or "").strip().lower()
    if not value:
        return None
    if value in ("0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise _bad("report.invalid_subtree", "Tham số subtree chỉ nhận true hoặc false.")


def parse_query(params: Any, user: Any) -> ReportQuery:
    """Check the request (agency, period, grouping) and that ``user`` may read
    the figures of the agency — with ``subtree``, of every agency below it."""
    code = (params.get("agency") or "").strip()
    if not code:
        raise _bad("report.agency_required", "Cần chọn cơ quan.")
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise _bad("report.unknown_agency", f"Không có cơ quan mã «{code[:40]}».")
    date_from = _date(params.get("from"), "từ ngày")
    date_to = _date(params.get("to"), "đến ngày")
    if date_from > date_to:
        raise _bad("report.invalid_period", "«Từ ngày» phải trước «đến ngày».")
    if date_to >= _add_years(date_from, MAX_YEARS):
        raise _bad("report.period_too_long", f"Kỳ báo cáo dài tối đa {MAX_YEARS} năm.")
    group_by = (params.get("group_by") or "field").strip()
    if group_by not in GROUPS:
        raise _bad(
            "report.invalid_group_by",
            "Chỉ nhóm theo lĩnh vực (field) hoặc thủ tục (procedure).",
        )
    subtree = _flag(params.get("subtree"))
    if subtree is None:
        subtree = default_subtree(user, agency)
    unit = (params.get("unit") or "").strip()[:40]
    query = ReportQuery(agency, date_from, date_to, subtree, group_by, unit)
    _check_permission(user, query)
    return query


def default_subtree(user: Any, agency: Agency) -> bool:
    """A parent agency's report includes its sub-units unless asked otherwise
    (a city's or district's own dossiers are few; its figures are its wards'),
    when the user may read every one of them; an agency without sub-units, or a
    reader who sees only the agency itself, gets the agency's own figures."""
    if not Agency.objects.filter(parent=agency).exists():
        return False
    hidden = agency_subtree(agency).exclude(pk__in=visible_agencies(user).values("pk"))
    return not hidden.exists()


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02
        return day.replace(year=day.year + years, day=28)


def _check_permission(user: Any, query: ReportQuery) -> None:
    visible = visible_agencies(user)
    if query.subtree:
        hidden = agency_subtree(query.agency).exclude(pk__in=visible.values("pk"))
        allowed = not hidden.exists()
    else:
        allowed = visible.filter(pk=query.agency.pk).exists()
    if not allowed:
        raise DomainError(
            "report.forbidden",
            "Bạn không có quyền xem số liệu của cơ quan này"
            + (" và các đơn vị trực thuộc." if query.subtree else "."),
            status=403,
        )


def _agency_filter(query: ReportQuery) -> Q:
    if query.subtree:
        return Q(agency_id__in=agency_subtree(query.agency).values("pk"))
    return Q(agency_id=query.agency.pk)


# ----------------------------------------------------------------- the report
def _prefix(day: date) -> list[tuple[str, date, date]]:
    """Bucket ranges (grain, first, last) whose sum is every change up to the end
    of ``day``: whole years, then whole months of its year, then its month's days.
    Empty ranges are left out (a period ending on a year end reads years only)."""
    after = day + ONE_DAY
    year, month = after.replace(month=1, day=1), after.replace(day=1)
    ranges = [
        ("Y", date.min, year - ONE_DAY),
        ("M", year, month - ONE_DAY),
        ("D", month, day),
    ]
    return [(grain, lo, hi) for grain, lo, hi in ranges if lo <= hi]


def stock_day(day: date) -> date:
    """The day columns (11)–(14) — open, within time, overdue, paused "at the
    end of ``to``" — are read at: ``to``, or today while ``to`` is still to
    come. Overdue at the end of a day not yet come would be a forecast: a
    dossier due next week would count overdue now (its +1 is dated the day
    after its due day, ADR 0006) and turn "within time" again as soon as the
    period's end is moved back to today; the leaders' board (``timing.state_at``)
    says "within". Flows need no cut: nothing is received or ended after
    today, so they are the same either way."""
    return min(day, clock.today())


def _sums(query: ReportQuery, day: date) -> dict[int, dict[str, int]]:
    return _bucket_sums(_agency_filter(query), query.group_by, day)


def _bucket_sums(agencies: Q, group_by: str, day: date) -> dict[int, dict[str, int]]:
    """One indexed range scan and GROUP BY per grain (no OR: each one uses the
    (grain, bucket) or (agency, grain, bucket) index on its own)."""
    group = f"{group_by}_id"
    out: dict[int, dict[str, int]] = {}
    for grain, lo, hi in _prefix(day):
        rows = (
            FigureBucket.objects.filter(
                agencies, grain=grain, bucket__gte=lo, bucket__lte=hi
            )
            .values(group)
            .annotate(**{f"s_{c}": Sum(c) for c in FIGURE_COLUMNS})
            .order_by()
        )
        for r in rows:
            sums = out.setdefault(r[group], _zero())
            for c in FIGURE_COLUMNS:
                sums[c] += r[f"s_{c}"] or 0
    return out


def _figures(before: dict[str, int], at_end: dict[str, int]) -> dict[str, Any]:
    def flow(column: str) -> int:
        return at_end.get(column, 0) - before.get(column, 0)

    def still_open(sums: dict[str, int]) -> int:
        received = sums.get("received_online", 0) + sums.get(
            "received_direct_postal", 0
        )
        ended = sum(
            sums.get(c, 0)
            for c in (
                "settled_early",
                "settled_on_time",
                "settled_late",
                "withdrawn",
                "stopped",
            )
        )
        return received - ended

    carried = still_open(before)
    online, direct = flow("received_online"), flow("received_direct_postal")
    early, on_time, late = (
        flow("settled_early"),
        flow("settled_on_time"),
        flow("settled_late"),
    )
    in_progress = still_open(at_end)
    paused, overdue = at_end.get("paused", 0), at_end.get("overdue", 0)
    return {
        "received": {
            "total": carried + online + direct,
            "carried_over": carried,
            "online": online,
            "direct_postal": direct,
        },
        "settled": {
            "total": early + on_time + late,
            "early": early,
            "on_time": on_time,
            "late": late,
        },
        "in_progress": {
            "total": in_progress,
            "within_time": in_progress - paused - overdue,
            "overdue": overdue,
            "paused": paused,
        },
        "withdrawn": flow("withdrawn"),
        "stopped": flow("stopped"),
    }


def _names(group_by: str, ids: list[int]) -> dict[int, tuple[str, str]]:
    if group_by == "field":
        return {f.pk: (f.code, f.name) for f in Field.objects.filter(pk__in=ids)}
    codes = dict(Procedure.objects.filter(pk__in=ids).values_list("pk", "code"))
    names: dict[int, str] = {}
    for pk, name in (
        ProcedureVersion.objects.filter(procedure_id__in=ids)
        .order_by("procedure_id", *IN_FORCE_ORDER)  # the latest version's name
        .values_list("procedure_id", "name")
    ):
        names.setdefault(pk, name)
    return {pk: (code, names.get(pk, code)) for pk, code in codes.items()}


def _is_empty(figures: dict[str, Any]) -> bool:
    return not any(
        (v if isinstance(v, int) else any(v.values())) for v in figures.values()
    )


def _table(
    group_by: str,
    before: dict[int, dict[str, int]],
    at_end: dict[int, dict[str, int]],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows (one per field or procedure with any figure) and their totals, from
    the sums at the day before the period and at its last day."""
    ids = sorted(set(before) | set(at_end))
    names = _names(group_by, ids)
    rows, total_before, total_end = [], _zero(), _zero()
    for pk in ids:
        b, e = before.get(pk, {}), at_end.get(pk, {})
        for column in FIGURE_COLUMNS:
            total_before[column] += b.get(column, 0)
            total_end[column] += e.get(column, 0)
        figures = _figures(b, e)
        if _is_empty(figures):
            continue
        key, name = names.get(pk, (str(pk), str(pk)))
        rows.append({"key": key, "name": name, **figures})
    rows.sort(key=lambda r: r["key"])
    return rows, _figures(total_before, total_end)


def bieu06(query: ReportQuery) -> dict[str, Any]:
    """Biểu 06 for the agency (and its subtree) and the period, one row per
    field or procedure with any figure; ``totals`` is the sum of the rows.
    An agency touched by a merger: :func:`_merger_report`."""
    report = {
        "agency": {
            "code": query.agency.code,
            "name": query.agency.name,
            "level": query.agency.level,
        },
        "from": query.date_from.isoformat(),
        "to": query.date_to.isoformat(),
        "subtree": query.subtree,
        "group_by": query.group_by,
        "merger": None,
        "sections": [],
    }
    lin = _lineage(query)
    if lin is not None:
        return {**report, **_merger_report(query, lin)}
    before = _sums(query, query.date_from - ONE_DAY)
    at_end = _sums(query, stock_day(query.date_to))
    rows, totals = _table(query.group_by, before, at_end)
    return {**report, "totals": totals, "rows": rows}


# ------------------------------------------------- merged agencies (ADR 0013)
def _lineage(query: ReportQuery) -> Lineage | None:
    return lineage(query.agency, subtree=query.subtree, group_by=query.group_by)


def _scoped_sums(scope: Scope, group_by: str, day: date) -> dict[int, dict[str, int]]:
    agencies = Q(agency_id__in=sorted(scope.agency_ids))
    return adjust(_bucket_sums(agencies, group_by, day), scope, day)


def _own_end(query: ReportQuery, lin: Lineage) -> date | None:
    """The last day the report agency counts as its own unit: the day before
    its merger into another, or ``to``; ``None`` when the whole period is after
    its merger (its figures are then in its successor's report)."""
    merged = lin.ends_on(query.date_to)
    if merged is None:
        return query.date_to
    return None if merged <= query.date_from else merged - ONE_DAY


def _merger_info(lin: Lineage, query: ReportQuery) -> dict[str, Any]:
    agency = query.agency
    merged = agency.merged_on if agency.merged_into_id is not None else None
    into = agency.merged_into if merged is not None else None
    ends = lin.ends_on(query.date_to)
    return {
        "predecessors": [
            {
                "code": p.code,
                "name": name_on(p, p.merged_on - ONE_DAY) if p.merged_on else p.name,
                "merged_on": p.merged_on.isoformat() if p.merged_on else None,
                "into": lin.members[p.merged_into_id].code
                if p.merged_into_id in lin.members
                else agency.code,
            }
            for p in lin.predecessors
        ],
        "merged_into": (
            {"code": into.code, "name": into.name, "merged_on": merged.isoformat()}
            if into is not None and merged is not None
            else None
        ),
        "until": (ends - ONE_DAY).isoformat() if ends is not None else None,
    }


def _merger_report(query: ReportQuery, lin: Lineage) -> dict[str, Any]:
    """Biểu 06 of an agency touched by a merger (module ``mergers``): the
    period's rows and totals for the agency with its predecessors (the dossiers
    moved out of it counted back until its own merger), and, when the period
    crosses a merger or reaches before one, a section per unit and window."""
    group, start = query.group_by, query.date_from
    info = _merger_info(lin, query)
    end = _own_end(query, lin)
    if end is None:  # only its own leftovers: the ordinary sums
        rows, totals = _table(
            group,
            _sums(query, start - ONE_DAY),
            _sums(query, stock_day(query.date_to)),
        )
        return {"merger": info, "totals": totals, "rows": rows}
    whole = lin.scope(None, start)
    rows, totals = _table(
        group,
        _scoped_sums(whole, group, start - ONE_DAY),
        _scoped_sums(whole, group, stock_day(end)),
    )
    sections = []
    windows = lin.windows(start, end)
    if len(windows) > 1 or lin.units(start) != [query.agency.pk]:
        for lo, hi in windows:
            for unit in lin.units(lo):
                scope = lin.scope(unit, lo)
                unit_rows, unit_totals = _table(
                    group,
                    _scoped_sums(scope, group, lo - ONE_DAY),
                    _scoped_sums(scope, group, stock_day(hi)),
                )
                if not unit_rows:
                    continue
                agency = lin.members[unit]
                sections.append(
                    {
                        "agency": {"code": agency.code, "name": name_on(agency, hi)},
                        "former": unit != query.agency.pk,
                        "from": lo.isoformat(),
                        "to": hi.isoformat(),
                        "rows": unit_rows,
                        "totals": unit_totals,
                    }
                )
    return {"merger": info, "totals": totals, "rows": rows, "sections": sections}


def _cell_scope(query: ReportQuery) -> tuple[Q, date]:
    """The dossiers a drill-down reads (as a filter on facts and intervals)
    and the last day of its period: the report's, or one section's."""
    lin = _lineage(query)
    end = _own_end(query, lin) if lin is not None else query.date_to
    if lin is None or end is None:
        if query.unit:
            raise _unit_error(query.unit)
        return _agency_filter(query), query.date_to
    if not query.unit:
        return lin.scope(None, query.date_from).dossier_filter(), end
    windows = lin.windows(query.date_from, end)
    unit = next(
        (pk for pk in lin.units(query.date_from) if lin.members[pk].code == query.unit),
        None,
    )
    if len(windows) != 1 or unit is None:
        raise _unit_error(query.unit)
    return lin.scope(unit, query.date_from).dossier_filter(), end


def _unit_error(code: str) -> DomainError:
    return _bad(
        "report.invalid_unit",
        f"Không có phần số liệu của đơn vị «{code}» trong kỳ này.",
    )


def _zero() -> dict[str, int]:
    return dict.fromkeys(FIGURE_COLUMNS, 0)


def cell_value(figures: dict[str, Any], cell: str) -> int:
    part, _, name = cell.partition(".")
    value = figures[part]
    return int(value[name] if name else value)


# ------------------------------------------------------------- drill-down
def _key_filter(query: ReportQuery, key: str | None) -> Q:
    if not key:
        return Q()
    model = Field if query.group_by == "field" else Procedure
    pk = model.objects.filter(code=key).values_list("pk", flat=True).first()
    if pk is None:
        raise _bad(
            "report.invalid_key",
            f"Không có {'lĩnh vực' if query.group_by == 'field' else 'thủ tục'} "
            f"mã «{key[:40]}».",
        )
    return Q(**{f"{query.group_by}_id": pk})


def _fact_cell(cell: str, start: date, end: date) -> Q:
    open_at_start = Q(end_day__isnull=True) | Q(end_day__gte=start)
    received_in = Q(received_day__gte=start, received_day__lte=end)
    settled_in = Q(end_kind=EndKind.SETTLED, end_day__gte=start, end_day__lte=end)
    return {
        "received.total": Q(received_day__lte=end) & open_at_start,
        "received.carried_over": Q(received_day__lt=start) & open_at_start,
        "received.online": received_in & Q(channel="online"),
        "received.direct_postal": received_in & ~Q(channel="online"),
        "settled.total": settled_in,
        "settled.early": settled_in & Q(timing="early"),
        "settled.on_time": settled_in & Q(timing="on_time"),
        "settled.late": settled_in & Q(timing="late"),
        "in_progress.total": Q(received_day__lte=end)
        & (Q(end_day__isnull=True) | Q(end_day__gt=end)),
        "withdrawn": Q(
            end_kind=EndKind.WITHDRAWN, end_day__gte=start, end_day__lte=end
        ),
        "stopped": Q(end_kind=EndKind.STOPPED, end_day__gte=start, end_day__lte=end),
    }[cell]


def _interval_cell(cell: str, end: date) -> Q:
    covers = Q(start_day__lte=end) & (Q(end_day__isnull=True) | Q(end_day__gt=end))
    return (
        covers
        & {
            "in_progress.paused": Q(paused=True),
            "in_progress.overdue": Q(paused=False, due_day__lt=end),
            "in_progress.within_time": Q(paused=False)
            & (Q(due_day__isnull=True) | Q(due_day__gte=end)),
        }[cell]
    )


def cell_dossiers(
    query: ReportQuery, cell: str, key: str | None = None
) -> QuerySet[Dossier]:
    """The dossiers counted in one number of :func:`bieu06` (ordered by id, for
    keyset pagination); their count equals that number."""
    if cell not in CELLS:
        raise _bad("report.invalid_cell", f"Không có ô số liệu «{cell[:40]}».")
    dossiers, end = _cell_scope(query)
    end = stock_day(end)
    scope = dossiers & _key_filter(query, key)
    ids: QuerySet[Any]
    if cell.startswith("in_progress.") and cell != "in_progress.total":
        ids = ProgressInterval.objects.filter(scope, _interval_cell(cell, end)).values(
            "dossier_id"
        )
    else:
        ids = DossierFact.objects.filter(
            scope, _fact_cell(cell, query.date_from, end)
        ).values("dossier_id")
    return Dossier.objects.filter(pk__in=ids).order_by("pk")
