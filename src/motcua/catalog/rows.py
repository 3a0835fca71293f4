"""Validation of catalogue records (the interchange format of ``docs/catalogue.md``).

A record is the JSON object of one procedure; the Excel reader builds the same
objects from its sheets. Validation never stops at the first problem: every issue
is reported with where it was found ("mục 3", "Thành phần/dòng 7") so an
administrator fixes a file in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from motcua.core.dates import parse_date
from motcua.core.errors import DomainError
from motcua.core.text import fold
from motcua.deadlines.engine import (
    UNIT_LABELS_VI,
    UNITS_WITH_DURATION,
    DeadlineError,
    Unit,
    parse_duration,
)

from .models import PROCEDURE_CODE_RE, Component, ProcedureVersion, StepTemplate
from .services import ComponentData, StepData, VersionData, check_budget

CHANNELS = ("direct", "online", "postal")
PROCEDURE_KEYS = frozenset(
    {
        "code",
        "name",
        "field",
        "level",
        "time",
        "channel_times",
        "fee_text",
        "fee_amount",
        "online_level",
        "components",
        "result_documents",
        "legal_basis",
        "aliases",
        "decision",
        "agencies",
        "effective_from",
        "effective_to",
        "steps",
    }
)
COMPONENT_KEYS = frozenset({"name", "kind", "count", "required"})
STEP_KEYS = frozenset({"position", "name", "role", "unit", "budget_hours"})
MAX_HOURS = Decimal("999999.99")


class RowError(ValueError):
    """One value is wrong; the message is Vietnamese."""


@dataclass(frozen=True)
class Issue:
    """A problem in a catalogue file: where, what (Vietnamese) and a stable
    code for machines (``catalog.invalid_row`` unless a reader says more)."""

    location: str
    message: str
    code: str = "catalog.invalid_row"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class Row:
    """A raw object and where it came from."""

    location: str
    data: dict[str, Any]


@dataclass
class RawProcedure:
    row: Row
    components: list[Row] = field(default_factory=list)
    steps: list[Row] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # found while reading


@dataclass
class ProcedureRecord:
    """A validated procedure: ready to be written."""

    location: str
    code: str
    field_code: str
    data: VersionData
    agency_codes: list[str]


# --- value parsers ---------------------------------------------------------------


def text(value: Any, *, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise RowError("phải là một chuỗi ký tự.")
    value = value.strip()
    if required and not value:
        raise RowError("không được để trống.")
    if len(value) > max_length:
        raise RowError(f"dài quá {max_length} ký tự.")
    return value


def choice(value: Any, choices: list[tuple[str, Any]], *, default: str = "") -> str:
    """A code among ``choices``; the Vietnamese label is accepted too."""
    if value is None or value == "":
        if default:
            return default
        raise RowError("không được để trống.")
    wanted = fold(str(value))
    for code, label in choices:
        if wanted in (fold(code), fold(str(label))):
            return code
    known = ", ".join(code for code, _ in choices)
    raise RowError(f"«{value}» không hợp lệ (giá trị hợp lệ: {known}).")


def decimal(value: Any, *, maximum: Decimal = MAX_HOURS) -> Decimal:
    if isinstance(value, bool) or value is None or value == "":
        raise RowError("phải là một số.")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise RowError(f"«{value}» không phải là một số.") from None
    if not number.is_finite():
        raise RowError(f"«{value}» không phải là một số.")
    if number < 0:
        raise RowError("không được âm.")
    if number > maximum:
        raise RowError("quá lớn.")
    if number != number.quantize(Decimal("0.01")):
        raise RowError("chỉ được có tối đa hai chữ số thập phân.")
    return number.quantize(Decimal("0.01"))


def integer(value: Any, *, minimum: int = 0, maximum: int = 2**31 - 1) -> int:
    number = decimal(value, maximum=Decimal(maximum))
    if number != number.to_integral_value():
        raise RowError(f"«{value}» phải là một số nguyên.")
    if number < minimum:
        raise RowError(f"phải từ {minimum} trở lên.")
    return int(number)


def boolean(value: Any, *, default: bool = True) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    folded = fold(str(value))
    if folded in ("1", "true", "co", "x", "yes", "bat buoc"):
        return True
    if folded in ("0", "false", "khong", "no"):
        return False
    raise RowError(f"«{value}» không phải là có/không.")


def iso_date(value: Any, *, required: bool = True) -> date | None:
    if value is None or value == "":
        if required:
            raise RowError("không được để trống.")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value))
    if parsed is not None:
        return parsed
    raise RowError(f"«{value}» không phải là ngày (YYYY-MM-DD hoặc dd/mm/yyyy).")


def string_list(value: Any, *, max_length: int = 500) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RowError("phải là một danh sách chuỗi ký tự.")
    items = [text(item, max_length=max_length) for item in value]
    return [item for item in items if item]


UNIT_CHOICES = [(u.value, UNIT_LABELS_VI[u]) for u in Unit]


def legal_time(value: Any) -> tuple[Decimal, str]:
    """``{"value": 3, "unit": "working_days"}`` → (Decimal("3"), "working_days")."""
    if not isinstance(value, dict):
        raise RowError('phải có dạng {"value": số, "unit": đơn vị}.')
    unknown = set(value) - {"value", "unit"}
    if unknown:
        raise RowError(f"khóa không hợp lệ: {', '.join(sorted(unknown))}.")
    unit = Unit(choice(value.get("unit"), UNIT_CHOICES))
    if unit not in UNITS_WITH_DURATION:
        raw = value.get("value")
        if raw not in (None, "", 0) and decimal(raw) != 0:
            raise RowError(f"đơn vị «{unit.value}» không kèm số lượng (để 0).")
        return Decimal(0), unit.value
    number = decimal(value.get("value"), maximum=Decimal(36_500))
    try:
        parse_duration(number, unit)
    except DeadlineError as exc:
        raise RowError(exc.message) from None
    return number, unit.value


def channel_times(value: Any) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise RowError('phải có dạng {"online": {"value": 2, "unit": "working_days"}}.')
    result: dict[str, Any] = {}
    for channel in sorted(value):
        if channel not in CHANNELS:
            raise RowError(
                f"kênh «{channel}» không hợp lệ "
                f"(giá trị hợp lệ: {', '.join(CHANNELS)})."
            )
        number, unit = legal_time(value[channel])
        result[channel] = {"value": plain_number(number), "unit": unit}
    return result


def plain_number(value: Decimal) -> int | float:
    """3 → 3, 1.50 → 1.5 (JSON friendly, stable on round trips)."""
    return int(value) if value == value.to_integral_value() else float(value)


# --- records ---------------------------------------------------------------------


class _Collector:
    """Runs parsers, turning each RowError into an Issue for the location."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.issues: list[Issue] = []

    def take(
        self, label: str, parse: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        try:
            return parse(*args, **kwargs)
        except RowError as exc:
            self.issues.append(Issue(self.location, f"{label}: {exc}"))
            return None

    def unknown_keys(self, data: dict[str, Any], allowed: Collection[str]) -> None:
        for key in sorted(set(data) - set(allowed)):
            self.issues.append(Issue(self.location, f"khóa không hợp lệ «{key}»."))


def validate_field(row: Row) -> tuple[str, str] | list[Issue]:
    out = _Collector(row.location)
    if not isinstance(row.data, dict):
        return [Issue(row.location, "phải là một đối tượng {code, name}.")]
    out.unknown_keys(row.data, {"code", "name"})
    code = out.take("code", text, row.data.get("code"), max_length=32, required=True)
    name = out.take("name", text, row.data.get("name"), max_length=255, required=True)
    return out.issues or (code, name)


def _or(value: Any, default: Any) -> Any:
    """An empty cell or a missing key takes the default."""
    return default if value is None or value == "" else value


def _component(row: Row) -> tuple[ComponentData | None, list[Issue]]:
    out = _Collector(row.location)
    data = row.data
    out.unknown_keys(data, COMPONENT_KEYS)
    name = out.take("name", text, data.get("name"), max_length=500, required=True)
    kind = out.take("kind", choice, data.get("kind"), Component.Kind.choices)
    count = out.take(
        "count", integer, _or(data.get("count"), 1), minimum=1, maximum=32767
    )
    required = out.take("required", boolean, data.get("required"))
    if out.issues:
        return None, out.issues
    return ComponentData(name, kind, count, required), []


def _step(row: Row, agencies: dict[str, Any]) -> tuple[StepData | None, list[Issue]]:
    out = _Collector(row.location)
    data = row.data
    out.unknown_keys(data, STEP_KEYS)
    position = out.take(
        "position", integer, data.get("position"), minimum=1, maximum=32767
    )
    name = out.take("name", text, data.get("name"), max_length=255, required=True)
    role = out.take("role", choice, data.get("role"), StepTemplate.StepRole.choices)
    budget = out.take("budget_hours", decimal, data.get("budget_hours"))
    unit_code = out.take("unit", text, data.get("unit"), max_length=32)
    if unit_code and unit_code not in agencies:
        out.issues.append(
            Issue(row.location, f"unit: không có cơ quan nào mang mã «{unit_code}».")
        )
    if out.issues:
        return None, out.issues
    unit = agencies[unit_code] if unit_code else None
    return StepData(position, name, role, budget, unit), []


@dataclass
class Context:
    """What a record may refer to: known field codes and agencies by code."""

    field_codes: set[str]
    agencies: dict[str, Any]


def _sub_rows(
    raw: RawProcedure, key: str, rows: list[Row], out: _Collector
) -> list[Row]:
    """JSON records carry their components/steps inline; Excel ones in rows."""
    value = raw.row.data.get(key)
    if value is None:
        return rows
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        out.issues.append(
            Issue(out.location, f"{key}: phải là một danh sách đối tượng.")
        )
        return []
    label = "thành phần" if key == "components" else "bước"
    return [
        Row(f"{out.location}, {label} {n}", item) for n, item in enumerate(value, 1)
    ]


def _agency_codes(value: Any, context: Context) -> list[str]:
    codes = string_list(value, max_length=32)
    unknown = [c for c in codes if c not in context.agencies]
    if unknown:
        raise RowError(f"không có cơ quan nào mang mã {', '.join(unknown)}.")
    return sorted(set(codes))


def _parse_header(
    raw: RawProcedure, context: Context, out: _Collector
) -> dict[str, Any]:
    data = raw.row.data
    parsed = {
        "code": out.take("code", _code, data.get("code")),
        "name": out.take("name", text, data.get("name"), max_length=500, required=True),
        "field": out.take("field", _field_code, data.get("field"), context),
        "level": out.take(
            "level",
            choice,
            data.get("level"),
            ProcedureVersion.Level.choices,
            default=ProcedureVersion.Level.COMMUNE,
        ),
        "time": out.take("time", legal_time, data.get("time")),
        "channel_times": out.take(
            "channel_times", channel_times, data.get("channel_times")
        ),
        "fee_text": out.take("fee_text", text, data.get("fee_text"), max_length=500),
        "fee_amount": out.take("fee_amount", integer, _or(data.get("fee_amount"), 0)),
        "online_level": out.take(
            "online_level",
            choice,
            data.get("online_level"),
            ProcedureVersion.OnlineLevel.choices,
            default=ProcedureVersion.OnlineLevel.PARTIAL,
        ),
        "result_documents": out.take(
            "result_documents", string_list, data.get("result_documents")
        ),
        "legal_basis": out.take(
            "legal_basis", text, data.get("legal_basis"), max_length=10_000
        ),
        "aliases": out.take(
            "aliases", string_list, data.get("aliases"), max_length=255
        ),
        "decision": out.take("decision", text, data.get("decision"), max_length=255),
        "agencies": out.take("agencies", _agency_codes, data.get("agencies"), context),
        "effective_from": out.take(
            "effective_from", iso_date, data.get("effective_from")
        ),
        "effective_to": out.take(
            "effective_to", iso_date, data.get("effective_to"), required=False
        ),
    }
    return parsed


def _code(value: Any) -> str:
    code = text(value, max_length=32, required=True)
    if not re.match(PROCEDURE_CODE_RE, code):
        raise RowError(
            f"«{code}» không đúng dạng mã thủ tục N.NNNNNN (ví dụ 1.001193)."
        )
    return code


def _field_code(value: Any, context: Context) -> str:
    code = text(value, max_length=32, required=True)
    if code not in context.field_codes:
        raise RowError(f"không có lĩnh vực nào mang mã «{code}».")
    return code


def validate_procedure(
    raw: RawProcedure, context: Context
) -> ProcedureRecord | list[Issue]:
    """A validated record, or every issue found in it and its sub-rows."""
    out = _Collector(raw.row.location)
    out.issues.extend(raw.issues)
    if not isinstance(raw.row.data, dict):
        return [Issue(out.location, "phải là một đối tượng (một thủ tục).")]
    out.unknown_keys(raw.row.data, PROCEDURE_KEYS)
    parsed = _parse_header(raw, context, out)
    components: list[ComponentData] = []
    for row in _sub_rows(raw, "components", raw.components, out):
        component, issues = _component(row)
        out.issues.extend(issues)
        if component:
            components.append(component)
    steps: list[StepData] = []
    for row in _sub_rows(raw, "steps", raw.steps, out):
        step, issues = _step(row, context.agencies)
        out.issues.extend(issues)
        if step:
            steps.append(step)
    if out.issues:
        return out.issues
    time_value, time_unit = parsed.pop("time")
    try:
        check_budget(
            time_unit, time_value, [(s.position, s.budget_hours) for s in steps]
        )
    except DomainError as exc:
        return [Issue(out.location, exc.message)]
    data = VersionData(
        name=parsed["name"],
        effective_from=parsed["effective_from"],
        effective_to=parsed["effective_to"],
        time_value=time_value,
        time_unit=time_unit,
        level=parsed["level"],
        channel_times=parsed["channel_times"],
        fee_text=parsed["fee_text"],
        fee_amount=parsed["fee_amount"],
        online_level=parsed["online_level"],
        result_documents=parsed["result_documents"],
        legal_basis=parsed["legal_basis"],
        aliases=parsed["aliases"],
        decision=parsed["decision"],
        components=components,
        steps=sorted(steps, key=lambda s: s.position),
    )
    return ProcedureRecord(
        out.location, parsed["code"], parsed["field"], data, parsed["agencies"]
    )
