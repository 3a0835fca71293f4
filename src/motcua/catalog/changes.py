"""What an import does to each procedure, field by field (the preview).

The import compares interchange records (``exporting.content``); this module
turns that comparison into a list a person reads before confirming: new
procedures, changed ones with each changed field's old and new value, and
unchanged ones. Values are shown as short Vietnamese text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from motcua.deadlines.engine import UNIT_LABELS_VI, Unit

from .models import Component, ProcedureVersion, StepTemplate

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
MOVED = "moved"

KIND_LABELS = {
    NEW: "Thủ tục mới",
    CHANGED: "Có thay đổi — phiên bản mới",
    UNCHANGED: "Không đổi",
    MOVED: "Lùi ngày hiệu lực",
}

FIELD_LABELS = {
    "name": "Tên thủ tục",
    "field": "Lĩnh vực",
    "level": "Cấp thực hiện",
    "time": "Thời hạn giải quyết",
    "channel_times": "Thời hạn theo kênh",
    "fee_text": "Phí, lệ phí",
    "fee_amount": "Số tiền phí (đồng)",
    "online_level": "Mức dịch vụ công trực tuyến",
    "components": "Thành phần hồ sơ",
    "result_documents": "Kết quả thực hiện",
    "legal_basis": "Căn cứ pháp lý",
    "aliases": "Tên gọi khác",
    "decision": "Quyết định công bố",
    "steps": "Bước xử lý",
}
CHANNEL_LABELS = {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính"}


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    old: str
    new: str


@dataclass
class ProcedureChange:
    """One procedure of an import: its kind and, when changed, what changed.
    ``closes`` is the number of the version the new one closes (the day before
    ``effective_from`` is its last day in force)."""

    code: str
    name: str
    kind: str
    effective_from: date
    fields: list[FieldChange] = field(default_factory=list)
    closes: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _time(value: dict[str, Any]) -> str:
    unit = Unit(value["unit"])
    label = UNIT_LABELS_VI[unit]
    amount = value.get("value") or 0
    return f"{amount} {label.lower()}" if amount else label


def _choice(choices: list[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, value))


def describe(key: str, value: Any) -> str:
    """A stored or incoming value as short text (several lines for lists)."""
    if key == "time":
        return _time(value)
    if key == "channel_times":
        return "\n".join(
            f"{CHANNEL_LABELS.get(c, c)}: {_time(t)}" for c, t in sorted(value.items())
        )
    if key == "level":
        return _choice(ProcedureVersion.Level.choices, value)
    if key == "online_level":
        return _choice(ProcedureVersion.OnlineLevel.choices, value)
    if key == "components":
        return "\n".join(
            f"{c['name']} ({_choice(Component.Kind.choices, c['kind'])}: "
            f"{c['count']}{'' if c['required'] else ', không bắt buộc'})"
            for c in value
        )
    if key == "steps":
        if not value:
            return "Quy trình mặc định theo thời hạn giải quyết"
        return "\n".join(
            f"{s['position']}. {s['name']} "
            f"({_choice(StepTemplate.StepRole.choices, s['role'])}, "
            f"{str(s['budget_hours']).replace('.', ',')} giờ)"
            for s in value
        )
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if key == "fee_amount":
        return f"{value:,}".replace(",", ".")
    return "" if value is None else str(value)


def _shown(key: str, value: Any) -> str:
    return describe(key, value) or "(trống)"


def compare(stored: dict[str, Any], incoming: dict[str, Any]) -> list[FieldChange]:
    """The fields whose value differs, in the order of ``FIELD_LABELS``."""
    return [
        FieldChange(key, label, _shown(key, stored.get(key)), _shown(key, value))
        for key, label in FIELD_LABELS.items()
        if (value := incoming.get(key)) != stored.get(key)
    ]


def digest(changes: list[ProcedureChange]) -> str:
    """A fingerprint of a preview: the same file against the same catalogue
    gives the same digest; a confirmation checks it did not move."""
    summary = [
        [
            c.code,
            c.kind,
            c.effective_from.isoformat(),
            [[f.key, f.old, f.new] for f in c.fields],
        ]
        for c in changes
    ]
    text = json.dumps(summary, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
