"""Forms of the public calendar pages: fields and widgets only.

Every rule (what a valid year, instant, unit or duration is) belongs to the engine
and to the API's parsing helpers; the ``clean_*`` methods call them and turn a
``DeadlineError``/``DomainError`` into a form error carrying its Vietnamese message.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from motcua.agencies.models import Agency
from motcua.core.errors import DomainError

from .engine import (
    UNIT_LABELS_VI,
    UNITS_WITH_DURATION,
    DeadlineError,
    Unit,
    parse_duration,
)
from .parsing import parse_start, parse_year
from .services import get_agency

# The engine's unit labels, marked here so that ``makemessages`` offers them to
# translators; ``unit_choices`` translates the engine's strings at render time.
_UNIT_LABELS_FOR_TRANSLATORS = (
    gettext_noop("Trong ngày"),
    gettext_noop("Giờ làm việc"),
    gettext_noop("Ngày làm việc"),
    gettext_noop("Ngày (theo lịch)"),
    gettext_noop("Giải quyết ngay"),
    gettext_noop("Không quy định thời hạn"),
)

UNITS_WITHOUT_DURATION = [u for u in Unit if u not in UNITS_WITH_DURATION]


def unit_choices() -> list[tuple[str, Any]]:
    return [(unit.value, _(label)) for unit, label in UNIT_LABELS_VI.items()]


def agency_choices() -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("Lịch quốc gia (mặc định)"))]
    choices += [
        (code, f"{name} ({code})")
        for code, name in Agency.objects.order_by("name", "code").values_list(
            "code", "name"
        )
    ]
    return choices


def _agency_or_none(code: str) -> Agency | None:
    if not code:
        return None
    try:
        return get_agency(code)
    except DomainError as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc


class AgencyField(forms.CharField):
    """An agency code, chosen in a select; an unknown code is reported by the
    service's own message."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Cơ quan"))
        kwargs.setdefault("widget", forms.Select)
        super().__init__(**kwargs)


class CalendarYearForm(forms.Form):
    """``?year=2026&agency=<code>`` of the year view."""

    year = forms.CharField(
        label=_("Năm"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "step": 1}),
    )
    agency = AgencyField()

    def __init__(self, *args: Any, default_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_year = default_year
        self.fields["agency"].widget.choices = agency_choices()

    def clean_year(self) -> int:
        raw = (self.cleaned_data.get("year") or "").strip()
        if not raw:
            return self.default_year
        try:
            return parse_year(raw)
        except DeadlineError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def clean_agency(self) -> Agency | None:
        return _agency_or_none(self.cleaned_data.get("agency") or "")


class DueDateForm(forms.Form):
    """The due-date calculator: when received, which unit, how long, which agency."""

    received = forms.CharField(
        label=_("Thời điểm tiếp nhận"),
        error_messages={"required": _("Cần nhập thời điểm tiếp nhận hồ sơ.")},
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Ngày và giờ nhận hồ sơ (giờ Việt Nam)."),
    )
    unit = forms.ChoiceField(
        label=_("Đơn vị thời hạn"),
        choices=unit_choices,
        error_messages={
            "required": _("Cần chọn đơn vị thời hạn."),
            "invalid_choice": _("Đơn vị thời hạn không hợp lệ."),
        },
    )
    duration = forms.CharField(
        label=_("Thời hạn"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "step": 0.5, "inputmode": "decimal"}),
        help_text=_(
            "Số giờ hoặc số ngày, có thể lẻ 0,5. Không áp dụng cho các đơn vị "
            "Trong ngày, Giải quyết ngay và Không quy định thời hạn."
        ),
    )
    agency = AgencyField(
        help_text=_("Bỏ trống để dùng lịch làm việc quốc gia."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].widget.choices = agency_choices()

    def clean_received(self) -> datetime:
        try:
            return parse_start(self.cleaned_data.get("received"))
        except DeadlineError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def clean_unit(self) -> Unit:
        try:
            return Unit.parse(self.cleaned_data["unit"])
        except DeadlineError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def clean_agency(self) -> Agency | None:
        return _agency_or_none(self.cleaned_data.get("agency") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unit = cleaned.get("unit")
        if isinstance(unit, Unit):
            # A duration typed for a unit that has none is not used: ignore it.
            duration: Fraction | None = None
            if unit in UNITS_WITH_DURATION:
                try:
                    duration = parse_duration(self.data.get("duration"), unit)
                except DeadlineError as exc:
                    self.add_error("duration", forms.ValidationError(exc.message))
            cleaned["duration"] = duration
        return cleaned
