"""Import from the national procedure database (CSDL quốc gia về TTHC).

An adapter, not a second importer: the national layout (JSON or Excel, see
``docs/catalogue.md`` "Nhập từ CSDL quốc gia") is turned into the records of our
own interchange format, which then go through the one import path
(``importing.import_catalogue``: validation, versions, one transaction). A
preview is that import as a dry run; applying is the same call for real.

Where the national database says nothing (online level in some exports, search
aliases, workflow steps), the value of the procedure's latest stored version is
kept, so a procedure whose published content did not change stays unchanged.
Field names: ``NATIONAL_KEYS`` says which were seen in public material and which
are not yet checked against the database itself ("chưa đối chiếu").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from motcua.core.errors import Conflict, DomainError

from .changes import digest
from .importing import ImportReport, import_catalogue
from .models import Field
from .national_mapping import stored_records, to_record
from .national_values import NationalValueError, procedure_code
from .rows import Issue, RawProcedure, Row

# JSON keys of one procedure and how sure we are of them. "seen" = in public
# integration code for the national sharing service ("LayThuTuc") or on the
# procedure pages of thutuc.dichvucong.gov.vn; "chưa đối chiếu" = our name for a
# value the public material did not show, to be checked against the database.
NATIONAL_KEYS = {
    "MATTHC": "seen",
    "TENTTHC": "seen",
    "LINHVUCTHUCHIEN[].MALINHVUC/TENLINHVUC": "seen",
    "CAPTHUCHIEN[].CAPTHUCHIEN": "seen (values as names: chưa đối chiếu)",
    "CACHTHUCTHUCHIEN[].KENH (1 trực tiếp, 2 trực tuyến, 3 bưu chính)": "seen",
    "CACHTHUCTHUCHIEN[].THOIGIAN[].THOIGIANGIAIQUYET/DONVITINH/MOTA": "seen",
    "CACHTHUCTHUCHIEN[].THOIGIAN[].PHILEPHI[].SOTIEN/MOTA": "seen",
    "THANHPHANHOSO[].TRUONGHOP/GIAYTO[].TENGIAYTO/SOBANCHINH/SOBANSAO": "seen",
    "KETQUATHUCHIEN[].TENKETQUA": "seen",
    "CANCUPHAPLY[].SOVANBAN/TENVANBAN": "seen",
    "CANCUPHAPLY[].NGAYBANHANH/COQUANBANHANH": "chưa đối chiếu",
    "SOQUYETDINH (quyết định công bố)": "chưa đối chiếu",
    "NGAYHIEULUC (ngày hiệu lực của quyết định)": "chưa đối chiếu",
    "MUCDO (Toàn trình / Một phần)": "chưa đối chiếu",
}


@dataclass
class NationalFile:
    """A national file turned into interchange rows, with its fingerprint."""

    sha256: str
    fields: list[Row]
    procedures: list[RawProcedure]
    issues: list[Issue]


# --- files ----------------------------------------------------------------------------


def read_national(
    content: bytes, suffix: str, *, effective: date | None = None
) -> NationalFile:
    """Read a national file (.json or .xlsx) into interchange rows."""
    from .national_layouts import read_excel, read_json

    sha256 = hashlib.sha256(content).hexdigest()
    suffix = suffix.lower()
    if suffix == ".json":
        items, issues = read_json(content)
    elif suffix == ".xlsx":
        items, issues = read_excel(content)
    else:
        issue = Issue(suffix or "tệp", "chỉ hỗ trợ tệp .json hoặc .xlsx.")
        return NationalFile(sha256, [], [], [issue])
    known = dict(Field.objects.values_list("code", "name"))
    before = set(known)
    stored = stored_records(
        [c for c in (_safe_code(i.code) for i in items) if c is not None]
    )
    procedures: list[RawProcedure] = []
    for item in items:
        record = to_record(item, known, stored, effective)
        issues.extend(item.issues)
        if record is not None:
            procedures.append(RawProcedure(Row(item.where, record)))
    fields = [
        Row(f"lĩnh vực {code}", {"code": code, "name": known[code]})
        for code in known
        if code not in before
    ]
    return NationalFile(sha256, fields, procedures, issues)


def _safe_code(value: Any) -> str | None:
    try:
        return procedure_code(value)
    except NationalValueError:
        return None


def import_national(
    content: bytes,
    suffix: str,
    *,
    effective: date | None = None,
    apply: bool = False,
    expected_sha256: str | None = None,
    expected_digest: str | None = None,
) -> tuple[NationalFile, ImportReport]:
    """Preview (default) or apply a national file through the one import path.

    Applying after a preview passes the preview's file hash and digest: a
    different file (``catalog.national_file_changed``) or a catalogue that
    moved since the preview (``catalog.national_preview_stale``) is refused
    and nothing is written."""
    national = read_national(content, suffix, effective=effective)
    if expected_sha256 is not None and national.sha256 != expected_sha256:
        raise Conflict(
            "catalog.national_file_changed",
            "Tệp đã thay đổi so với lúc xem trước; hãy tải lên và xem trước lại.",
        )
    with transaction.atomic():
        report = import_catalogue(
            national.fields,
            national.procedures,
            national.issues,
            dry_run=not apply,
            move_starts=False,
        )
        if (
            apply
            and report.applied
            and expected_digest is not None
            and digest(report.changes) != expected_digest
        ):
            raise Conflict(
                "catalog.national_preview_stale",
                "Danh mục đã thay đổi kể từ lúc xem trước; hãy xem trước lại.",
            )
    return national, report


def import_national_file(
    path: str | Path, *, effective: date | None = None, apply: bool = False
) -> tuple[NationalFile, ImportReport]:
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise DomainError(
            "catalog.national_unreadable", f"Không đọc được tệp {path.name} ({exc})."
        ) from None
    return import_national(content, path.suffix, effective=effective, apply=apply)
