"""Import of the catalogue from JSON or Excel (format: ``docs/catalogue.md``).

All or nothing: every row is validated first and nothing is written when one is
invalid, unless ``skip_invalid`` (then the valid procedures are imported and the
others reported). ``dry_run`` validates and rehearses the writes, then rolls back.
Re-importing the same content creates nothing; changed content becomes a new
version effective from the record's ``effective_from``.

A procedure's history: one code may have several records with ranges that do not
overlap (``effective_to`` set on all but the last), one per period of its legal
basis. A record matches the stored version with the same ``effective_from``
(the last record: else the version starting latest). An earlier period that ends
before every stored version is added before them; a record with the content of
its match and an earlier start moves that version's start back when nothing lies
in between (the start was a compilation date, not a legal one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q

from motcua.agencies.models import Agency
from motcua.core.dates import vn_date
from motcua.core.errors import DomainError

from .changes import CHANGED, MOVED, NEW, UNCHANGED, ProcedureChange, compare
from .exporting import content, data_record, version_record
from .models import Field, Procedure, ProcedureVersion
from .rows import (
    Context,
    Issue,
    ProcedureRecord,
    RawProcedure,
    Row,
    validate_field,
    validate_procedure,
)
from .services import field_save, procedure_version_create

REFERENCE_CATALOGUE = Path(__file__).parent / "data" / "reference_catalogue.json"


@dataclass
class ImportReport:
    """What an import did (or would do, for a dry run) and what was wrong."""

    dry_run: bool = False
    applied: bool = False
    fields_created: int = 0
    fields_updated: int = 0
    procedures_created: int = 0
    versions_created: int = 0
    starts_moved: int = 0
    unchanged: int = 0
    skipped: int = 0
    issues: list[Issue] = field(default_factory=list)
    procedure_codes: list[str] = field(default_factory=list)
    # one entry per record written or left alone: the preview (changes.py)
    changes: list[ProcedureChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    def summary(self) -> str:
        verb = "Kiểm tra (không ghi)" if self.dry_run or not self.applied else "Đã nhập"
        return (
            f"{verb}: {self.fields_created} lĩnh vực mới, {self.fields_updated} lĩnh "
            f"vực đổi tên, {self.procedures_created} thủ tục mới, "
            f"{self.versions_created} phiên bản mới, {self.starts_moved} phiên bản "
            f"lùi ngày hiệu lực, {self.unchanged} không đổi, "
            f"{self.skipped} bỏ qua, {len(self.issues)} lỗi."
        )

    def raise_if_failed(self) -> None:
        if self.issues:
            raise DomainError(
                "catalog.import_invalid",
                "Tệp danh mục có lỗi:\n" + "\n".join(str(i) for i in self.issues),
            )


# --- reading -----------------------------------------------------------------------


def _json_location(n: int, item: Any) -> str:
    code = item.get("code") if isinstance(item, dict) else None
    return f"mục {n} ({code})" if isinstance(code, str) and code else f"mục {n}"


def read_json(path: Path) -> tuple[list[Row], list[RawProcedure], list[Issue]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [], [], [Issue(f"dòng {exc.lineno}", f"JSON không hợp lệ ({exc.msg}).")]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [], [Issue(path.name, f"không đọc được tệp ({exc}).")]
    if not isinstance(document, dict) or not isinstance(
        document.get("procedures"), list
    ):
        return [], [], [Issue(path.name, 'cần một đối tượng có khóa "procedures".')]
    raw_fields = document.get("fields") or []
    if not isinstance(raw_fields, list):
        return [], [], [Issue(path.name, '"fields" phải là một danh sách.')]
    fields = [
        Row(f"lĩnh vực/mục {n}", item) for n, item in enumerate(raw_fields, start=1)
    ]
    procedures = [
        RawProcedure(Row(_json_location(n, item), item))
        for n, item in enumerate(document["procedures"], start=1)
    ]
    return fields, procedures, []


def read_catalogue_file(
    path: Path,
) -> tuple[list[Row], list[RawProcedure], list[Issue]]:
    suffix = path.suffix.lower()
    if not path.exists():
        return [], [], [Issue(path.name, "không tìm thấy tệp.")]
    if suffix == ".json":
        return read_json(path)
    if suffix == ".xlsx":
        from .excel import read_workbook

        return read_workbook(path)
    return [], [], [Issue(path.name, "chỉ hỗ trợ tệp .json hoặc .xlsx.")]


# --- validating and writing ----------------------------------------------------------


def _validate_fields(rows: list[Row], issues: list[Issue]) -> dict[str, str]:
    valid: dict[str, str] = {}
    for row in rows:
        result = validate_field(row)
        if isinstance(result, list):
            issues.extend(result)
        elif result[0] in valid:
            issues.append(Issue(row.location, f"lĩnh vực «{result[0]}» bị lặp lại."))
        else:
            valid[result[0]] = result[1]
    return valid


def _validate_procedures(
    raws: list[RawProcedure], context: Context, report: ImportReport
) -> list[ProcedureRecord]:
    """Valid records, each code's periods in date order; a code repeated with
    overlapping ranges (or an open range before another) is an issue."""
    by_code: dict[str, list[ProcedureRecord]] = {}
    for raw in raws:
        result = validate_procedure(raw, context)
        if isinstance(result, list):
            report.issues.extend(result)
            report.skipped += 1
            continue
        periods = by_code.setdefault(result.code, [])
        if any(_overlap(result, other) for other in periods):
            report.issues.append(_repeated(result))
            report.skipped += 1
        else:
            periods.append(result)
    records: list[ProcedureRecord] = []
    for periods in by_code.values():
        periods.sort(key=lambda r: r.data.effective_from)
        records.extend(periods)
    return records


def _overlap(a: ProcedureRecord, b: ProcedureRecord) -> bool:
    a_end, b_end = a.data.effective_to, b.data.effective_to
    return (a_end is None or b.data.effective_from < a_end) and (
        b_end is None or a.data.effective_from < b_end
    )


def _repeated(record: ProcedureRecord) -> Issue:
    return Issue(
        record.location,
        f"thủ tục «{record.code}» bị lặp lại với thời gian hiệu lực trùng nhau "
        "(mỗi giai đoạn một mục; «effective_to» của giai đoạn trước là ngày bắt "
        "đầu của giai đoạn sau).",
    )


def _match(
    procedure: Procedure | None, record: ProcedureRecord, last: bool
) -> tuple[ProcedureVersion | None, list[ProcedureVersion]]:
    """The stored version this record describes, and all stored versions."""
    if procedure is None:
        return None, []
    versions = list(
        procedure.versions.select_related("procedure__field").prefetch_related(
            "components", "steps__unit"
        )
    )
    start = record.data.effective_from
    same_start = [v for v in versions if v.effective_from == start]
    if same_start:
        return same_start[0], versions
    if last and versions:
        return max(versions, key=lambda v: (v.effective_from, v.number)), versions
    return None, versions


def _move_start_back(version: ProcedureVersion, start: date) -> bool:
    """Start ``version`` on ``start`` if no other version lies in between."""
    between = (
        version.procedure.versions.exclude(pk=version.pk)
        .filter(effective_from__lt=version.effective_from)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=start))
    )
    if between.exists():
        return False
    version.effective_from = start
    version.save(update_fields=["effective_from"])
    return True


def _apply(
    record: ProcedureRecord,
    context: Context,
    report: ImportReport,
    last: bool,
    move_starts: bool = True,
) -> None:
    procedure = Procedure.objects.filter(code=record.code).first()
    match, versions = _match(procedure, record, last)
    incoming = content(data_record(record.code, record.field_code, record.data))
    stored = content(version_record(match)) if match is not None else None
    start = record.data.effective_from
    change = ProcedureChange(record.code, record.data.name, UNCHANGED, start)
    if match is not None and stored == incoming:
        change.effective_from = match.effective_from
        if start >= match.effective_from or not move_starts:
            report.unchanged += 1
        elif _move_start_back(match, start):
            report.starts_moved += 1
            change.kind, change.effective_from = MOVED, start
        else:
            raise DomainError(
                "catalog.version_overlap",
                f"không lùi được ngày hiệu lực của phiên bản {match.number} về "
                f"{vn_date(start)}: đã có phiên bản khác trong khoảng đó.",
            )
    else:
        open_before = [
            v for v in versions if v.effective_to is None and v.effective_from < start
        ]
        version = procedure_version_create(
            code=record.code,
            field=Field.objects.get(code=record.field_code),
            data=record.data,
        )
        procedure = version.procedure
        report.versions_created += 1
        report.procedures_created += not versions
        change.kind = CHANGED if versions else NEW
        change.fields = compare(stored, incoming) if stored is not None else []
        change.closes = open_before[0].number if open_before else None
    report.changes.append(change)
    assert procedure is not None
    if record.agency_codes:
        procedure.agencies.add(*(context.agencies[c] for c in record.agency_codes))
    if record.code not in report.procedure_codes:
        report.procedure_codes.append(record.code)


def _write_fields(valid: dict[str, str], report: ImportReport) -> None:
    existing = dict(Field.objects.values_list("code", "name"))
    for code, name in valid.items():
        if existing.get(code) == name:
            continue
        field_save(code, name)
        if code in existing:
            report.fields_updated += 1
        else:
            report.fields_created += 1


def import_catalogue(
    fields: list[Row],
    procedures: list[RawProcedure],
    read_issues: list[Issue] | None = None,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    move_starts: bool = True,
) -> ImportReport:
    """Validate and import; see the module docstring for the rules.

    ``move_starts=False``: a record equal to its match but starting earlier is
    left alone instead of moving the version's start back (the national import:
    a republished procedure is not a new past)."""
    report = ImportReport(dry_run=dry_run, issues=list(read_issues or []))
    fatal = bool(report.issues) and not procedures and not fields
    valid_fields = _validate_fields(fields, report.issues)
    context = Context(
        field_codes=set(valid_fields)
        | set(Field.objects.values_list("code", flat=True)),
        agencies={a.code: a for a in Agency.objects.all()},
    )
    records = _validate_procedures(procedures, context, report)
    if fatal or (report.issues and not skip_invalid):
        return report
    with transaction.atomic():
        _write_fields(valid_fields, report)
        for n, record in enumerate(records):
            last = n + 1 == len(records) or records[n + 1].code != record.code
            try:
                with transaction.atomic():
                    _apply(record, context, report, last, move_starts)
            except DomainError as exc:
                report.issues.append(Issue(record.location, exc.message))
                report.skipped += 1
        rollback = dry_run or (bool(report.issues) and not skip_invalid)
        transaction.set_rollback(rollback)
        report.applied = not rollback
    return report


def import_catalogue_file(
    path: str | Path, *, dry_run: bool = False, skip_invalid: bool = False
) -> ImportReport:
    """Import a .json or .xlsx catalogue file (format from the extension)."""
    fields, procedures, issues = read_catalogue_file(Path(path))
    return import_catalogue(
        fields, procedures, issues, dry_run=dry_run, skip_invalid=skip_invalid
    )
