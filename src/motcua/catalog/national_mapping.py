"""Mapping a procedure of the national layout onto our interchange record.

``Published`` is a procedure as a national file gives it (raw text and
numbers, whichever the form); :func:`to_record` turns it into the record of
``docs/catalogue.md`` "JSON format", or reports issues with stable codes. The
readings are documented in ``docs/catalogue.md`` "Nhập từ CSDL quốc gia".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from motcua.core.dates import parse_date
from motcua.core.errors import DomainError
from motcua.core.text import fold

from .exporting import version_record
from .models import Procedure, ProcedureVersion
from .national_values import NationalValueError, clean_line, procedure_code
from .rows import Issue, plain_number
from .selectors import IN_FORCE_ORDER
from .services import check_budget

CHANNEL_BY_KENH = {"1": "direct", "2": "online", "3": "postal"}
CHANNEL_LABELS = {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính"}
CHANNEL_ORDER = ("direct", "online", "postal")
LEVELS = {
    "cap xa": ProcedureVersion.Level.COMMUNE,
    "cap huyen": ProcedureVersion.Level.DISTRICT,
    "cap tinh": ProcedureVersion.Level.PROVINCE,
    "cap bo": ProcedureVersion.Level.CENTRAL,
    "cap trung uong": ProcedureVersion.Level.CENTRAL,
}
ONLINE_LEVELS = {
    "toan trinh": ProcedureVersion.OnlineLevel.FULL,
    "mot phan": ProcedureVersion.OnlineLevel.PARTIAL,
    "cung cap thong tin": ProcedureVersion.OnlineLevel.NONE,
    "chi cung cap thong tin": ProcedureVersion.OnlineLevel.NONE,
}
# kept from the stored version when the national record does not give them
LOCAL_KEYS = ("online_level", "aliases", "steps")


@dataclass
class Channel:
    """One way of submitting (hình thức nộp) with its time and fees."""

    channel: str
    location: str
    times: list[tuple[Decimal, str]] = field(default_factory=list)
    amounts: list[int] = field(default_factory=list)
    fee_texts: list[str] = field(default_factory=list)


@dataclass
class Published:
    """A procedure as the national layout gives it, before mapping; every
    value is raw text or numbers, ``where`` names its place in the file."""

    where: str
    code: Any
    name: Any
    field_code: str = ""
    field_name: str = ""
    levels: list[str] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    # (case, name, originals, copies)
    documents: list[tuple[str, str, int, int]] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    legal_basis: list[str] = field(default_factory=list)
    decision: str = ""
    effective: Any = None
    online_level: Any = None
    issues: list[Issue] = field(default_factory=list)

    def take(
        self, where: str, label: str, parse: Callable[..., Any], *args: Any
    ) -> Any:
        """Run a parser; its error becomes an issue naming place and field."""
        try:
            return parse(*args)
        except NationalValueError as exc:
            self.issues.append(Issue(where, f"{label}: {exc.message}", exc.code))
            return None


# --- mapping one procedure ----------------------------------------------------------


def _resolve_field(item: Published, known: dict[str, str]) -> str | None:
    """Our field code: by name first (the national codes are not ours), then
    by code; a new field needs both."""
    by_name = {fold(name): code for code, name in known.items()}
    if item.field_name and fold(item.field_name) in by_name:
        return by_name[fold(item.field_name)]
    if item.field_code and item.field_code in known:
        return item.field_code
    if item.field_code and item.field_name:
        known[item.field_code] = item.field_name
        return item.field_code
    item.issues.append(
        Issue(
            item.where,
            f"Lĩnh vực: «{item.field_name or item.field_code}» chưa có trong danh "
            "mục; cần cả mã và tên lĩnh vực để tạo mới.",
            "national.unknown_field",
        )
    )
    return None


def _level(item: Published, stored: dict[str, Any] | None) -> str | None:
    wanted: list[str] = []
    for name in item.levels:
        level = LEVELS.get(fold(name))
        if level is None:
            item.issues.append(
                Issue(
                    item.where,
                    f"Cấp thực hiện: «{name}» không rõ (Cấp Xã, Cấp Huyện, Cấp Tỉnh, "
                    "Cấp Bộ).",
                    "national.level",
                )
            )
            return None
        wanted.append(level.value)
    if len(set(wanted)) == 1:
        return wanted[0]
    if stored and stored["level"] in wanted:
        return str(stored["level"])
    if not wanted and stored:
        return str(stored["level"])
    if not wanted:
        item.issues.append(
            Issue(
                item.where,
                "Cấp thực hiện: không có cấp thực hiện.",
                "national.no_level",
            )
        )
        return None
    item.issues.append(
        Issue(
            item.where,
            f"Cấp thực hiện: thủ tục thực hiện ở nhiều cấp ({', '.join(item.levels)});"
            " hãy chọn cấp áp dụng tại đơn vị.",
            "national.several_levels",
        )
    )
    return None


def _one(values: list[Any], item: Published, where: str, label: str) -> Any:
    distinct = list(dict.fromkeys(values))
    if len(distinct) > 1:
        item.issues.append(
            Issue(
                where,
                f"{label}: có nhiều giá trị khác nhau trong cùng một hình thức nộp.",
                "national.channel_ambiguous",
            )
        )
        return None
    return distinct[0] if distinct else None


def _merged(item: Published) -> dict[str, Channel]:
    """The channels in ``CHANNEL_ORDER``, entries of the same channel merged."""
    by_channel: dict[str, Channel] = {}
    for channel in item.channels:
        merged = by_channel.setdefault(
            channel.channel, Channel(channel.channel, channel.location)
        )
        merged.times += channel.times
        merged.amounts += channel.amounts
        merged.fee_texts += channel.fee_texts
    return {c: by_channel[c] for c in CHANNEL_ORDER if c in by_channel}


def _channel_values(item: Published, channel: Channel) -> tuple[Any, int, str]:
    """(time, amount, fee text) of one channel; one time and one amount each."""
    label = f"Cách thức thực hiện ({CHANNEL_LABELS[channel.channel]})"
    reported = any(i.location == channel.location for i in item.issues)
    if not channel.times and not reported:
        item.issues.append(
            Issue(
                channel.location,
                f"{label}: không có thời hạn giải quyết.",
                "national.time_missing",
            )
        )
    time = _one(channel.times, item, channel.location, label)
    nonzero = [a for a in channel.amounts if a]
    amount = _one(nonzero, item, channel.location, label) or 0
    text = "; ".join(dict.fromkeys(t for t in channel.fee_texts if t))
    return time, amount, text


def _times_and_fees(item: Published) -> dict[str, Any]:
    """Default time and fee = the direct channel's (else the first published);
    other channels' times go to ``channel_times`` when they differ; fee texts
    that differ by channel are kept per channel."""
    if not item.channels:
        item.issues.append(
            Issue(
                item.where,
                "Cách thức thực hiện: không có hình thức nộp nào (thời hạn, phí).",
                "national.no_channel",
            )
        )
        return {}
    values = {n: _channel_values(item, c) for n, c in _merged(item).items()}
    if any(time is None for time, _, _ in values.values()):
        return {}
    order = list(values)
    default_time, default_amount, _ = values[order[0]]
    channel_times = {
        name: {"value": plain_number(time[0]), "unit": time[1]}
        for name, (time, _, _) in values.items()
        if time != default_time
    }
    texts = {name: text for name, (_, _, text) in values.items()}
    fee_text = (
        texts[order[0]]
        if len(set(texts.values())) == 1
        else "; ".join(f"{CHANNEL_LABELS[n]}: {texts[n] or 'Không'}" for n in order)
    )
    return {
        "time": {"value": plain_number(default_time[0]), "unit": default_time[1]},
        "channel_times": channel_times,
        "fee_text": fee_text,
        "fee_amount": default_amount,
    }


def _components(item: Published) -> list[dict[str, Any]]:
    """One component per (name, kind); with several cases (trường hợp) a
    document is required only when every case asks for it."""
    per_case: dict[str, list[tuple[str, str]]] = {}
    counts_by_key: dict[tuple[str, str], int] = {}
    for case, name, originals, copies in item.documents:
        kinds = [("original", originals), ("copy", copies)]
        wanted = [(kind, n) for kind, n in kinds if n > 0]
        if not wanted and "xuat trinh" in fold(name):
            wanted = [("shown", 1)]
        if not wanted:
            item.issues.append(
                Issue(
                    item.where,
                    f"Thành phần hồ sơ: «{name}» có 0 bản chính và 0 bản sao.",
                    "national.component_count",
                )
            )
            continue
        for kind, n in wanted:
            per_case.setdefault(case, []).append((name, kind))
            counts_by_key.setdefault((name, kind), n)
    cases = list(per_case.values())
    return [
        {
            "name": name,
            "kind": kind,
            "count": n,
            "required": all((name, kind) in case for case in cases),
        }
        for (name, kind), n in counts_by_key.items()
    ]


def _keep_local(record: dict[str, Any], stored: dict[str, Any] | None) -> None:
    """Values the national database does not publish come from the stored
    version; its steps only while they fit the (new) legal time."""
    if stored is None:
        return
    for key in LOCAL_KEYS:
        if key not in record:
            record[key] = stored[key]
    steps = record.get("steps") or []
    time = record.get("time")
    if steps and time:
        try:
            check_budget(
                time["unit"],
                Decimal(str(time["value"])),
                [(s["position"], Decimal(str(s["budget_hours"]))) for s in steps],
            )
        except DomainError:
            record["steps"] = []  # the default workflow of the new time


def stored_records(codes: list[str]) -> dict[str, dict[str, Any]]:
    """The latest version of each code (the one a new version would close)."""
    records: dict[str, dict[str, Any]] = {}
    for procedure in Procedure.objects.filter(code__in=codes):
        latest = procedure.versions.order_by(*IN_FORCE_ORDER).first()
        if latest is not None:
            records[procedure.code] = version_record(latest)
    return records


def _effective(item: Published, chosen: date | None) -> str | None:
    if chosen is not None:
        return chosen.isoformat()
    value = item.effective
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    parsed = parse_date(str(value or "").strip()[:10]) if value else None
    if parsed is None:
        item.issues.append(
            Issue(
                item.where,
                "Ngày hiệu lực: "
                + (
                    f"«{value}» không phải là ngày."
                    if value
                    else "không có ngày hiệu lực của quyết định công bố; hãy chọn "
                    "ngày áp dụng (--effective)."
                ),
                "national.no_effective_date",
            )
        )
        return None
    return parsed.isoformat()


def to_record(
    item: Published,
    known_fields: dict[str, str],
    stored: dict[str, dict[str, Any]],
    effective: date | None,
) -> dict[str, Any] | None:
    """The interchange record of one published procedure (None: see issues)."""
    code = item.take(item.where, "Mã thủ tục", lambda: procedure_code(item.code))
    mine = stored.get(code) if code else None
    record: dict[str, Any] = {
        "code": code,
        "name": clean_line(item.name),
        "field": _resolve_field(item, known_fields),
        "level": _level(item, mine),
        **_times_and_fees(item),
        "components": _components(item),
        "result_documents": item.results,
        "legal_basis": "\n".join(item.legal_basis),
        "decision": item.decision,
        "effective_from": _effective(item, effective),
    }
    if item.online_level not in (None, ""):
        online = ONLINE_LEVELS.get(fold(str(item.online_level)))
        if online is None:
            item.issues.append(
                Issue(
                    item.where,
                    f"Mức độ: «{item.online_level}» không rõ (Toàn trình, Một phần).",
                    "national.online_level",
                )
            )
        record["online_level"] = online
    if item.issues:
        return None
    _keep_local(record, mine)
    return record
