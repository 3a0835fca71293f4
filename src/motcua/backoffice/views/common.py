"""Helpers shared by the back-office views."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from motcua.deadlines.engine import UNIT_LABELS_VI, Unit
from motcua.portal.qr import code_from_qr_url

from ..access import Desk
from ..queues import queue_counts, visible_queues


def desk_of(request: HttpRequest) -> Desk:
    return request.desk  # type: ignore[attr-defined]


def page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render a back-office page with the desk and the queue counts (one query)."""
    desk = desk_of(request)
    values = {
        "desk": desk,
        "queues": visible_queues(desk),
        "counts": queue_counts(desk),
    }
    values.update(context or {})
    return render(request, template, values, status=status)


def legal_time(unit: Unit, value: Decimal) -> str:
    label = gettext(UNIT_LABELS_VI[unit])  # msgids come from deadlines' forms
    if unit in (Unit.WORKING_DAYS, Unit.WORKING_HOURS, Unit.CALENDAR_DAYS):
        number = f"{value.normalize():f}".replace(".", ",")
        return f"{number} {label.lower()}"
    return label


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def code_from_scan(text: str) -> str:
    """What a scanner typed: a dossier code, a slip's signed QR link, or an
    older tracking URL ending in the code."""
    text = (text or "").strip()
    from_qr = code_from_qr_url(text)
    if from_qr is not None:
        return from_qr
    if "/" in text:
        parts = [p for p in text.split("?")[0].split("/") if p]
        text = parts[-1] if parts else ""
    return text.strip()
