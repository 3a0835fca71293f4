"""Trang công khai của cơ quan (issue 13 item 4): everything a citizen may want
to know about one agency on one printable page — address, working hours, this
month's and this year's figures, the hotline and the published phone lines,
today's leader on signing duty, the procedures it handles with their QR posters,
and its latest answered feedback (as published, personal data removed). No
personal data beyond what the agency publishes.

The figures are the evaluation pages' own (:func:`motcua.evaluation.dashboard.figures`
over the agency and its sub-units, the same periods): early / on time / late by
the Biểu 06 rules, satisfaction from the recorded ratings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from motcua.agencies.models import Agency
from motcua.agencies.selectors import public_agencies, subtree
from motcua.catalog.selectors import versions_in_force
from motcua.core import clock
from motcua.evaluation import dashboard
from motcua.evaluation.periods import Period, current_month
from motcua.evaluation.periods import year as year_period
from motcua.feedback.selectors import published
from motcua.signing.selectors import duty_for

#: Answered feedback shown on the page (the rest: the public list).
ANSWERED_SHOWN = 5


@dataclass(frozen=True)
class FiguresOf:
    period: Period
    figures: dashboard.Figures


def agency_page(agency: Agency) -> dict[str, Any]:
    """What the page shows about ``agency`` today."""
    today = clock.today()
    units = subtree(agency).filter(is_active=True)
    periods = [current_month(today), year_period(today.year)]
    return {
        "agency": agency,
        "today": today,
        "figures": [FiguresOf(p, dashboard.figures(units, p)) for p in periods],
        "duty": duty_for(agency, today),
        "answered": list(published(agency.pk)[:ANSWERED_SHOWN]),
        "procedures": versions_in_force(today)
        .filter(procedure__agencies=agency)
        .order_by("procedure__field__name", "procedure__code"),
    }


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/transparency_index.html",
        {"agencies": public_agencies().order_by("name")},
    )


@require_safe
def agency(request: HttpRequest, code: str) -> HttpResponse:
    found = public_agencies().filter(code=code[:64]).first()
    if found is None:
        return render(
            request, "portal/transparency_missing.html", {"code": code}, status=404
        )
    return render(request, "portal/transparency.html", agency_page(found))
