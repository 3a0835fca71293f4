"""Export of the catalogue in the interchange format (``docs/catalogue.md``).

One object per procedure: its latest version (the highest number), so that
export → import into an empty database → export gives the same document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db.models import Max, Prefetch

from motcua.core.errors import DomainError

from .models import Field, Procedure, ProcedureVersion, StepTemplate
from .rows import plain_number
from .services import VersionData

FORMAT = "motcua-catalogue"
FORMAT_VERSION = 1
# Keys that describe *when* and *where*, not *what*: a re-import with the same
# content and other dates or agencies creates no new version.
NOT_CONTENT = ("effective_from", "effective_to", "agencies")


def _record(
    code: str, field_code: str, version: ProcedureVersion | VersionData
) -> dict[str, Any]:
    return {
        "code": code,
        "name": version.name,
        "field": field_code,
        "level": version.level,
        "time": {
            "value": plain_number(version.time_value),
            "unit": version.time_unit,
        },
        "channel_times": version.channel_times or {},
        "fee_text": version.fee_text,
        "fee_amount": version.fee_amount,
        "online_level": version.online_level,
        "components": [],
        "result_documents": list(version.result_documents or []),
        "legal_basis": version.legal_basis,
        "aliases": list(version.aliases or []),
        "decision": version.decision,
        "agencies": [],
        "effective_from": version.effective_from.isoformat(),
        "effective_to": (
            version.effective_to.isoformat() if version.effective_to else None
        ),
        "steps": [],
    }


def _step(
    position: int, name: str, role: str, unit_code: str | None, budget: Any
) -> dict[str, Any]:
    return {
        "position": position,
        "name": name,
        "role": role,
        "unit": unit_code,
        "budget_hours": plain_number(budget),
    }


def version_record(version: ProcedureVersion) -> dict[str, Any]:
    """The interchange object of a stored version (use the prefetches of
    :func:`latest_versions` to export many)."""
    procedure = version.procedure
    record = _record(procedure.code, procedure.field.code, version)
    record["components"] = [
        {"name": c.name, "kind": c.kind, "count": c.count, "required": c.required}
        for c in version.components.all()
    ]
    record["agencies"] = sorted(a.code for a in procedure.agencies.all())
    record["steps"] = [
        _step(
            s.position, s.name, s.role, s.unit.code if s.unit else None, s.budget_hours
        )
        for s in version.steps.all()
    ]
    return record


def data_record(code: str, field_code: str, data: VersionData) -> dict[str, Any]:
    """The interchange object of validated data (to compare with a stored one)."""
    record = _record(code, field_code, data)
    record["components"] = [
        {"name": c.name, "kind": c.kind, "count": c.count, "required": c.required}
        for c in data.components
    ]
    record["steps"] = [
        _step(
            s.position, s.name, s.role, s.unit.code if s.unit else None, s.budget_hours
        )
        for s in data.steps
    ]
    return record


def content(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in NOT_CONTENT}


def latest_versions() -> list[ProcedureVersion]:
    """The highest-numbered version of every procedure, in a fixed number of
    queries, ordered by procedure code."""
    latest = Procedure.objects.annotate(last=Max("versions__number")).values_list(
        "pk", "last"
    )
    wanted = [(pk, number) for pk, number in latest if number is not None]
    if not wanted:
        return []
    versions = (
        ProcedureVersion.objects.filter(
            procedure_id__in=[pk for pk, _ in wanted],
            number__in={number for _, number in wanted},
        )
        .select_related("procedure__field")
        .prefetch_related(
            "components",
            "procedure__agencies",
            Prefetch("steps", StepTemplate.objects.select_related("unit")),
        )
    )
    keep = set(wanted)
    chosen = [v for v in versions if (v.procedure_id, v.number) in keep]
    return sorted(chosen, key=lambda v: v.procedure.code)


def all_versions() -> list[ProcedureVersion]:
    """Every version of every procedure, by code then start date (a history)."""
    return list(
        ProcedureVersion.objects.select_related("procedure__field")
        .prefetch_related(
            "components",
            "procedure__agencies",
            Prefetch("steps", StepTemplate.objects.select_related("unit")),
        )
        .order_by("procedure__code", "effective_from", "number")
    )


def catalogue_document(*, history: bool = False) -> dict[str, Any]:
    """The whole catalogue as one JSON-ready document: the latest version of
    each procedure, or with ``history`` every version (one record a period)."""
    versions = all_versions() if history else latest_versions()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "fields": [
            {"code": f.code, "name": f.name} for f in Field.objects.order_by("code")
        ],
        "procedures": [version_record(v) for v in versions],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export_catalogue_file(path: str | Path, *, history: bool = False) -> int:
    """Write the catalogue to ``path`` (.json or .xlsx); returns the number of
    records written (with ``history``: every version)."""
    path = Path(path)
    document = catalogue_document(history=history)
    suffix = path.suffix.lower()
    if suffix == ".json":
        path.write_text(dumps(document), encoding="utf-8")
    elif suffix == ".xlsx" and history:
        raise DomainError(
            "catalog.history_needs_json",
            "Lịch sử nhiều giai đoạn chỉ xuất được ra tệp .json (trong Excel, thành "
            "phần và bước gắn với mã thủ tục).",
        )
    elif suffix == ".xlsx":
        from .excel import write_workbook

        write_workbook(document, path)
    else:
        raise DomainError(
            "catalog.unknown_format",
            f"Không hỗ trợ định dạng «{suffix or path.name}» (chỉ .json hoặc .xlsx).",
        )
    return len(document["procedures"])
