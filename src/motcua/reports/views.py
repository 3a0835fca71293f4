"""Figures pages (thin): Biểu 06 with a link on every number, its drill-down
lists, and the .xlsx / PDF downloads. Rules and permissions: ``selectors``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from motcua.agencies.selectors import visible_agencies
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.replica import reads_from_replica
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.permissions import is_citizen

from .exports import (
    bieu06_pdf,
    bieu06_xlsx,
    merger_notes,
    period_label,
    section_label,
)
from .layout import COLUMNS, GROUP_LABEL, GROUP_OTHER, groups
from .selectors import (
    CELLS,
    ReportQuery,
    bieu06,
    cell_dossiers,
    cell_value,
    default_subtree,
    parse_query,
)

PAGE_SIZE = 100


View = Callable[..., HttpResponse]


def staff_only(view: View) -> View:
    """Reports are for staff: a citizen's account (signed in to the portal)
    gets 403, never an empty report form."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_citizen(request.user):
            error = DomainError(
                "auth.forbidden",
                "Báo cáo thống kê dành cho cán bộ; tài khoản công dân không xem được.",
                status=403,
            )
            return _error(request, "reports/bieu06.html", error)
        return view(request, *args, **kwargs)

    return wrapped


def _cells(
    query: ReportQuery,
    figures: dict[str, Any],
    key: str = "",
    section: dict[str, Any] | None = None,
) -> list:
    base = reverse("reports:bieu06-dossiers")
    scope = query.as_params()
    if section is not None:  # a unit's part of the period (a merger)
        scope.update(
            {"from": section["from"], "to": section["to"]},
            unit=section["agency"]["code"],
        )
    out = []
    for column in COLUMNS:
        params = {**scope, "cell": column.cell}
        if key:
            params["key"] = key
        out.append(
            {
                "value": cell_value(figures, column.cell),
                "url": f"{base}?{urlencode(params)}",
                "column": column,
            }
        )
    return out


def _subtree_ticked(request: HttpRequest, agencies: Any) -> bool:
    """The box as sent (the form sends ``false`` then, when ticked, ``true``);
    unsent, the default of the chosen agency (``selectors.default_subtree``)."""
    sent = request.GET.get("subtree", "")
    if sent:
        return sent in ("1", "true", "on", "yes")
    code = request.GET.get("agency", "")
    agency = agencies.filter(code=code).first() if code else agencies.first()
    return agency is not None and default_subtree(request.user, agency)


def _form(request: HttpRequest) -> dict[str, Any]:
    today = clock.today()
    agencies = visible_agencies(request.user).order_by("code")
    return {
        "agencies": agencies,
        "values": {
            "agency": request.GET.get("agency", ""),
            "from": request.GET.get("from", today.replace(day=1).isoformat()),
            "to": request.GET.get("to", today.isoformat()),
            "subtree": _subtree_ticked(request, agencies),
            "group_by": request.GET.get("group_by", "field"),
        },
    }


def _error(request: HttpRequest, template: str, exc: DomainError) -> HttpResponse:
    context = {**_form(request), "error": exc}
    return render(request, template, context, status=exc.status)


@login_required
@staff_only
@require_GET
@reads_from_replica  # figures may lag the desks by seconds
def bieu06_page(request: HttpRequest) -> HttpResponse:
    context = _form(request)
    if "agency" not in request.GET:
        return render(request, "reports/bieu06.html", context)
    try:
        query = parse_query(request.GET, request.user)
    except DomainError as exc:
        return _error(request, "reports/bieu06.html", exc)
    report = bieu06(query)
    downloads = urlencode(query.as_params())
    context.update(
        report=report,
        period=period_label(report),
        group_label=GROUP_LABEL[query.group_by],
        groups=groups(),
        columns=COLUMNS,
        other_group=GROUP_OTHER,
        rows=[
            {**row, "cells": _cells(query, row, row["key"])} for row in report["rows"]
        ],
        totals=_cells(query, report["totals"]),
        merger_notes=merger_notes(report),
        sections=[
            {
                "label": section_label(report, section),
                "rows": [
                    {**row, "cells": _cells(query, row, row["key"], section)}
                    for row in section["rows"]
                ],
                "totals": _cells(query, section["totals"], section=section),
            }
            for section in report["sections"]
        ],
        xlsx_url=f"{reverse('reports:bieu06-xlsx')}?{downloads}",
        pdf_url=f"{reverse('reports:bieu06-pdf')}?{downloads}",
    )
    return render(request, "reports/bieu06.html", context)


@login_required
@staff_only
@require_GET
@reads_from_replica  # figures may lag the desks by seconds
def bieu06_dossiers_page(request: HttpRequest) -> HttpResponse:
    try:
        query = parse_query(request.GET, request.user)
        cell = request.GET.get("cell", "")
        key = request.GET.get("key") or None
        rows = cell_dossiers(query, cell, key)
        after = request.GET.get("cursor", "")
        if after and not after.isdigit():
            raise DomainError("report.invalid_cursor", "Con trỏ trang không hợp lệ.")
    except DomainError as exc:
        return _error(request, "reports/bieu06_dossiers.html", exc)
    count = rows.count()
    page = list(
        rows.filter(pk__gt=int(after or 0)).select_related("procedure_version")[
            : PAGE_SIZE + 1
        ]
    )
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    params = {**query.as_params(), "cell": cell, **({"key": key} if key else {})}
    column = next(c for c in COLUMNS if c.cell == cell)
    context = {
        "query": query,
        "cell": cell,
        "column": column,
        "key": key,
        "count": count,
        "dossiers": page,
        "period": period_label(
            {"from": query.date_from.isoformat(), "to": query.date_to.isoformat()}
        ),
        "report_url": f"{reverse('reports:bieu06')}?{urlencode(query.as_params())}",
        "next_url": (
            f"?{urlencode({**params, 'cursor': page[-1].pk})}" if more else None
        ),
        "first_url": f"?{urlencode(params)}" if after else None,
    }
    return render(request, "reports/bieu06_dossiers.html", context)


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        query = parse_query(request.GET, request.user)
    except DomainError as exc:
        return _error(request, "reports/bieu06.html", exc)
    report = bieu06(query)
    name = f"bieu06-{query.agency.code}-{query.date_from}-{query.date_to}"
    if kind == "xlsx":
        body = bieu06_xlsx(report)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        context = {
            "period": period_label(report),
            "group_label": GROUP_LABEL[query.group_by],
            "groups": groups(),
            "columns": COLUMNS,
            "rows": [
                {**r, "cells": [cell_value(r, c.cell) for c in COLUMNS]}
                for r in report["rows"]
            ],
            "totals": [cell_value(report["totals"], c.cell) for c in COLUMNS],
            "merger_notes": merger_notes(report),
            "sections": [
                {
                    "label": section_label(report, section),
                    "rows": [
                        {**r, "cells": [cell_value(r, c.cell) for c in COLUMNS]}
                        for r in section["rows"]
                    ],
                    "totals": [cell_value(section["totals"], c.cell) for c in COLUMNS],
                }
                for section in report["sections"]
            ],
            "printed": clock.now().astimezone(VN_TZ),
        }
        body, mime = bieu06_pdf(report, context), "application/pdf"
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@login_required
@staff_only
@require_GET
@reads_from_replica  # figures may lag the desks by seconds
def bieu06_xlsx_view(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")


@login_required
@staff_only
@require_GET
@reads_from_replica  # figures may lag the desks by seconds
def bieu06_pdf_view(request: HttpRequest) -> HttpResponse:
    return _download(request, "pdf")


assert set(c.cell for c in COLUMNS) == set(CELLS)
