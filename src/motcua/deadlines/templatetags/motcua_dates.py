"""Dates and times as people in Vietnam read them: ``dd/mm/yyyy``, ``HH:MM``,
weekdays "thứ Hai" … "Chủ nhật" (translated in the English UI).

Usable from Python (views) and templates::

    {% load motcua_dates %}
    {{ dossier.due_at|vn_datetime }}   → 17:00 thứ Bảy, 26/04/2025
    {{ day|vn_date }}                  → 26/04/2025
    {{ moment|vn_date_time }}          → 26/04/2025 17:00
    {{ moment|vn_time_date }}          → 17:00 26/04/2025
    {{ day|weekday_name|capfirst }}    → Thứ Bảy
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import dates

register = template.Library()

# Lower-case "thứ" as inside a sentence; ``capfirst`` gives "Thứ Hai" for titles.
WEEKDAY_NAMES = (
    gettext_lazy("thứ Hai"),
    gettext_lazy("thứ Ba"),
    gettext_lazy("thứ Tư"),
    gettext_lazy("thứ Năm"),
    gettext_lazy("thứ Sáu"),
    gettext_lazy("thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)
# Column headers of a Monday-first month grid: (abbreviation, full name).
WEEKDAY_HEADERS = (
    (gettext_lazy("T2"), gettext_lazy("Thứ Hai")),
    (gettext_lazy("T3"), gettext_lazy("Thứ Ba")),
    (gettext_lazy("T4"), gettext_lazy("Thứ Tư")),
    (gettext_lazy("T5"), gettext_lazy("Thứ Năm")),
    (gettext_lazy("T6"), gettext_lazy("Thứ Sáu")),
    (gettext_lazy("T7"), gettext_lazy("Thứ Bảy")),
    (gettext_lazy("CN"), gettext_lazy("Chủ nhật")),
)
MONTH_NAMES = (
    gettext_lazy("Tháng 1"),
    gettext_lazy("Tháng 2"),
    gettext_lazy("Tháng 3"),
    gettext_lazy("Tháng 4"),
    gettext_lazy("Tháng 5"),
    gettext_lazy("Tháng 6"),
    gettext_lazy("Tháng 7"),
    gettext_lazy("Tháng 8"),
    gettext_lazy("Tháng 9"),
    gettext_lazy("Tháng 10"),
    gettext_lazy("Tháng 11"),
    gettext_lazy("Tháng 12"),
)


_local = dates.local


@register.filter
def weekday_name(value: date | None) -> str:
    """``thứ Bảy`` for a Saturday (``Saturday`` in English)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return str(WEEKDAY_NAMES[value.weekday()])


@register.filter
def vn_date(value: date | None) -> str:
    """``26/04/2025``."""
    return dates.vn_date(value)


@register.filter
def vn_date_time(value: datetime | None) -> str:
    """``29/10/2026 09:24`` (Vietnam time), for tables."""
    return dates.vn_date_time(value)


@register.filter
def vn_time_date(value: datetime | None) -> str:
    """``09:24 29/10/2026`` (Vietnam time), as on the official forms."""
    return dates.vn_time_date(value)


@register.filter
def vn_day(value: date | None) -> str:
    """``thứ Bảy, 26/04/2025``."""
    if value is None:
        return ""
    return _("%(weekday)s, %(date)s") % {
        "weekday": weekday_name(value),
        "date": vn_date(value),
    }


@register.filter
def vn_datetime(value: datetime | None) -> str:
    """``17:00 thứ Bảy, 26/04/2025`` (Vietnam time)."""
    if value is None:
        return ""
    local = _local(value)
    return _("%(time)s %(weekday)s, %(date)s") % {
        "time": dates.vn_time(local),
        "weekday": weekday_name(local),
        "date": vn_date(local),
    }
