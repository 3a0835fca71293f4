"""Evaluation pages: leaders' board, public transparency figures, Circular 01
scores, the 766 index, staff performance, bottlenecks and the monthly sheet.

Thin views: figures come from ``dashboard``, ``scoring``, ``index766`` and
``performance``. Staff pages show only agencies the user may read
(``visible_agencies``); bad input is a 400 page with a Vietnamese message, an
agency the user may not read a 404, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import (
    has_role,
    public_agencies,
    subtree,
    visible_agencies,
)
from motcua.core import clock
from motcua.core.errors import DomainError, NotFound
from motcua.law.procedure import evaluation_pack

from . import circular01, dashboard, index766, performance, scoring, sheets
from .periods import Period, current_month, current_quarter, parse_period
from .services import can_enter_scores, evaluator_score_set

LEADING_ROLES = (Role.LEADER, Role.AGENCY_ADMIN, Role.MONITOR)
View = Callable[..., HttpResponse]
KIND_EXAMPLES = {
    "month": "một tháng (2025-06)",
    "quarter": "một quý (2025-Q2)",
    "year": "một năm (2025)",
}


def _error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(
        request,
        "evaluation/error.html",
        {"message": exc.message, "code": exc.code},
        status=exc.status,
    )


def handles_domain_errors(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return _error_page(request, exc)

    return wrapper


def _param(request: HttpRequest, name: str) -> str:
    return str(request.GET.get(name, "") or "")[:100]


@dataclass
class Scope:
    agency: Agency
    agencies: QuerySet[Agency]  # the agency's subtree, as far as the user sees
    choices: QuerySet[Agency]
    period: Period


def _scope(
    request: HttpRequest,
    default: Period,
    roles: tuple[str, ...] | None = None,
    kinds: tuple[str, ...] | None = None,
) -> Scope:
    visible = visible_agencies(request.user)
    code = _param(request, "co-quan").strip()
    agency = (
        visible.filter(code=code).first()
        if code
        else visible.order_by("path", "code").first()
    )
    if agency is None:
        raise NotFound(
            "agency.not_visible",
            "Không tìm thấy cơ quan, hoặc bạn không có quyền xem số liệu "
            "của cơ quan này.",
        )
    if roles and not has_role(request.user, agency, roles):
        raise DomainError(
            "auth.forbidden",
            "Trang này dành cho lãnh đạo, quản trị cơ quan và giám sát.",
            status=403,
        )
    period = parse_period(_param(request, "ky"), default=default)
    if kinds and period.kind not in kinds:
        raise DomainError(
            "evaluation.invalid_period",
            "Kỳ của trang này phải là: "
            + ", ".join(KIND_EXAMPLES[k] for k in kinds)
            + ".",
        )
    agencies = subtree(agency).filter(pk__in=visible.values("pk"))
    return Scope(agency, agencies, visible.order_by("path", "code"), period)


def _chart(
    chart_id: str,
    kind: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[Any]]],
    unit: str = "",
) -> dict[str, Any]:
    """A chart's JSON (for charts.js) and the rows of its data table."""

    def plain(value: Any) -> Any:
        return float(value) if isinstance(value, Decimal) else value

    return {
        "id": chart_id,
        "title": title,
        "unit": unit,
        "headers": [name for name, _ in series],
        "rows": [
            [label, *[values[i] for _, values in series]]
            for i, label in enumerate(labels)
        ],
        "config": {
            "type": kind,
            "labels": labels,
            "unit": unit,
            "datasets": [
                {"label": name, "data": [plain(v) for v in values]}
                for name, values in series
            ],
        },
    }


# ----------------------------------------------------------- leader board
@login_required
@require_safe
@handles_domain_errors
def board(request: HttpRequest) -> HttpResponse:
    """The leaders' board: today, trends by week and month, rates."""
    today = clock.today()
    scope = _scope(request, current_month(today))
    now = clock.now()
    today_figures = dashboard.today_figures(scope.agencies, now)
    weeks = dashboard.weekly_trend(scope.agencies, today)
    months = dashboard.monthly_trend(scope.agencies, today)
    charts = [
        _chart("c-units", "bar", _("Hồ sơ quá hạn theo đơn vị đang giữ"),
               [u for u, _ in today_figures.overdue_by_unit],
               [(_("Hồ sơ quá hạn"), [n for _, n in today_figures.overdue_by_unit])]),
        _chart("c-weeks", "bar", _("Hồ sơ theo tuần (12 tuần gần nhất)"),
               [p.label for p in weeks],
               [(_("Tiếp nhận"), [p.received for p in weeks]),
                (_("Đã giải quyết"), [p.settled for p in weeks])]),
        _chart("c-months", "bar", _("Hồ sơ theo tháng (12 tháng gần nhất)"),
               [p.label for p in months],
               [(_("Tiếp nhận"), [p.received for p in months]),
                (_("Đã giải quyết"), [p.settled for p in months])]),
        _chart("c-rates", "line", _("Tỷ lệ theo tháng (%)"),
               [p.label for p in months],
               [(_("Trước và đúng hạn"), [p.on_time_rate for p in months]),
                (pgettext("rate", "Hài lòng"), [p.satisfaction_rate for p in months]),
                (_("Nộp trực tuyến"), [p.online_share for p in months])], unit="%"),
    ]  # fmt: skip
    return render(
        request,
        "evaluation/board.html",
        {
            "scope": scope,
            "today": today_figures,
            "month_figures": dashboard.figures(scope.agencies, current_month(today)),
            "charts": charts,
            "page": "board",
        },
    )


# ------------------------------------------------------- public figures
@require_safe
@handles_domain_errors
def public(request: HttpRequest) -> HttpResponse:
    """Public transparency figures of an agency for a period: counts and rates
    only, no personal data; no login."""
    today = clock.today()
    agencies = public_agencies()
    code = _param(request, "co-quan").strip()
    agency = agencies.filter(code=code).first() if code else None
    if code and agency is None:
        raise NotFound("agency.unknown", f"Không có cơ quan nào mang mã «{code[:40]}».")
    period = parse_period(_param(request, "ky"), default=current_month(today))
    context: dict[str, Any] = {
        "agencies": agencies,
        "agency": agency,
        "period": period,
        "page": "public",
    }
    if agency is not None:
        units = subtree(agency).filter(is_active=True)
        f = dashboard.figures(units, period)
        context["figures"] = f
        context["charts"] = [
            _chart("c-timing", "doughnut", _("Hồ sơ đã giải quyết"),
                   [_("Trước hạn"), _("Đúng hạn"), _("Quá hạn")],
                   [(_("Số hồ sơ"), [f.early, f.on_time, f.late])]),
        ]  # fmt: skip
    return render(request, "evaluation/public.html", context)


# ------------------------------------------------------------ Circular 01
@login_required
@require_http_methods(["GET", "POST"])
@handles_domain_errors
def circular01_page(request: HttpRequest) -> HttpResponse:
    """Circular 01/2018 scores (the 2018 pack) of an agency and its staff for a
    quarter or year; the page says which pack the period's law names (rule
    ``evaluation.pack`` on the period's last day, as the register does)."""
    scope = _scope(
        request,
        current_quarter(clock.today()),
        LEADING_ROLES,
        kinds=("quarter", "year"),
    )
    may_enter = can_enter_scores(request.user, scope.agency)
    if request.method == "POST":
        number = request.POST.get("indicator", "")
        evaluator_score_set(
            request.user,
            scope.agency,
            scope.period,
            int(number) if number.isdigit() else -1,
            request.POST.get("points", ""),
            note=request.POST.get("note", ""),
        )
        url = reverse("evaluation:circular01")
        return redirect(f"{url}?co-quan={scope.agency.code}&ky={scope.period.key}")
    result = scoring.evaluate_agency(scope.agency, scope.period)
    return render(
        request,
        "evaluation/circular01.html",
        {
            "scope": scope,
            "result": result,
            "staff": scoring.evaluate_staff(scope.agency, scope.period),
            "staff_numbers": circular01.STAFF_INDICATORS,
            "may_enter": may_enter,
            "enterable": [i for i in circular01.INDICATORS.values() if i.enterable],
            "bands": circular01.AGENCY_BANDS,
            "staff_bands": circular01.STAFF_BANDS,
            "pack": evaluation_pack(scope.period.last),
            "page": "circular01",
        },
    )


# ------------------------------------------------------------------- 766
@login_required
@require_safe
@handles_domain_errors
def index766_page(request: HttpRequest) -> HttpResponse:
    """The 766 index of the agency's subtree, month by month and per unit."""
    scope = _scope(request, current_month(clock.today()))
    report = index766.index_report(scope.agency, scope.agencies, scope.period)
    # xgettext:no-python-format
    title = _("Chỉ số theo tháng (% số điểm có thể tính)")
    chart = _chart(
        "c-766", "line", title,
        [m.month.label for m in report.months],
        [(_("Chỉ số (%)"), [m.result.percent for m in report.months])], unit="%",
    )  # fmt: skip
    return render(
        request,
        "evaluation/index766.html",
        {
            "scope": scope,
            "report": report,
            "charts": [chart],
            "pack": evaluation_pack(scope.period.last),
            "page": "index766",
        },
    )


# ---------------------------------------------------- staff, bottlenecks
@login_required
@require_safe
@handles_domain_errors
def staff_page(request: HttpRequest) -> HttpResponse:
    scope = _scope(request, current_month(clock.today()), LEADING_ROLES)
    rows = performance.staff_performance(scope.agencies, scope.period)
    return render(
        request,
        "evaluation/staff.html",
        {"scope": scope, "rows": rows, "page": "staff"},
    )


@login_required
@require_safe
@handles_domain_errors
def bottlenecks_page(request: HttpRequest) -> HttpResponse:
    scope = _scope(request, current_month(clock.today()), LEADING_ROLES)
    result = performance.bottlenecks(scope.agencies, scope.period)
    chart = _chart(
        "c-lost", "bar", _("Hồ sơ quá hạn: giờ làm việc vượt định mức theo khâu"),
        [i.label for i in result.lost],
        [(_("Giờ vượt định mức"), [i.lost_hours for i in result.lost]),
         (_("Tỷ trọng (%)"), [i.share for i in result.lost])],
    )  # fmt: skip
    return render(
        request,
        "evaluation/bottlenecks.html",
        {"scope": scope, "result": result, "charts": [chart], "page": "bottlenecks"},
    )


@login_required
@require_safe
@handles_domain_errors
def monthly_sheet(request: HttpRequest) -> HttpResponse:
    scope = _scope(
        request, current_month(clock.today()), LEADING_ROLES, kinds=("month",)
    )
    content = sheets.monthly_sheet(scope.agency, scope.agencies, scope.period)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"danh-gia-{scope.agency.code}-{scope.period.key}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
