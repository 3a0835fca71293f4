"""The e-form schema (tờ khai điện tử) and the answers to it — pure functions.

A schema is JSON::

    {"sections": [
        {"key": "child", "title": "Người được khai sinh", "help": "…",
         "fields": [
            {"key": "full_name", "label": "Họ, chữ đệm, tên", "type": "text",
             "required": true, "help": "…"},
            {"key": "sex", "label": "Giới tính", "type": "choice",
             "choices": [["nam", "Nam"], ["nu", "Nữ"]], "required": true},
            {"key": "birth_date", "label": "Ngày sinh", "type": "date",
             "past": true, "prefill": "birth_date"},
            {"key": "partner_name", "label": "…", "type": "text",
             "required_when": {"field": "purpose", "equals": "marriage"}}]}],
     "fills_component": "tờ khai"}

``prefill`` takes the value from the citizen's account; ``required_when``
makes a field required when another field of the same section has a value;
``fills_component`` (optional) names, accent-insensitively, the component this
e-form replaces (the declaration itself), which then needs no upload.

Answers are ``{section: {field: value}}`` with strings: dates ISO
(``2025-06-02``), yes/no ``"yes"``/``"no"``, choices their value. A draft keeps
whatever was typed (:func:`tidy_answers`); :func:`check_answers` checks all of
it before review and submission.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from motcua.core.dates import parse_date, vn_date
from motcua.core.errors import DomainError
from motcua.core.text import fold
from motcua.dossiers.applicants import (
    ApplicantInput,
    clean_applicant,
    clean_id_number,
    guess_id_kind,
)
from motcua.dossiers.models import Applicant

TYPES = ("text", "date", "choice", "id_number", "phone", "email", "address", "yes_no")
# Account details a field may be prefilled from (``citizens.Citizen``).
PREFILL_SOURCES = (
    "full_name",
    "identity_number",
    "birth_date",
    "phone",
    "email",
    "address",
)
YES_NO = (("yes", "Có"), ("no", "Không"))
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_TEXT = 500
EARLIEST = date(1900, 1, 1)

Answers = dict[str, dict[str, str]]


@dataclass(frozen=True)
class FieldRef:
    section: dict[str, Any]
    field: dict[str, Any]

    @property
    def name(self) -> str:
        """``section.field``: the field's name in errors and forms."""
        return f"{self.section['key']}.{self.field['key']}"


def fields_of(schema: Mapping[str, Any]) -> Iterator[FieldRef]:
    for section in schema.get("sections", ()):
        for field in section.get("fields", ()):
            yield FieldRef(section, field)


# ------------------------------------------------------------ the schema
def _check_field(field: Any, where: str, keys: set[str]) -> list[str]:
    if not isinstance(field, dict):
        return [f"{where}: mỗi trường phải là một đối tượng JSON."]
    errors = []
    key = field.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key):
        errors.append(f"{where}: «key» gồm chữ thường không dấu, số, «_».")
    elif key in keys:
        errors.append(f"{where}: trùng «key» {key}.")
    else:
        keys.add(key)
    if not str(field.get("label") or "").strip():
        errors.append(f"{where}: thiếu «label».")
    kind = field.get("type")
    if kind not in TYPES:
        errors.append(f"{where}: «type» phải là một trong {', '.join(TYPES)}.")
    if kind == "choice":
        errors += _check_choices(field.get("choices"), where)
    prefill = field.get("prefill")
    if prefill not in (None, "") and prefill not in PREFILL_SOURCES:
        errors.append(
            f"{where}: «prefill» phải là một trong {', '.join(PREFILL_SOURCES)}."
        )
    if not isinstance(field.get("required", False), bool):
        errors.append(f"{where}: «required» là true hoặc false.")
    return errors


def _check_choices(choices: Any, where: str) -> list[str]:
    ok = isinstance(choices, list) and choices
    pairs = ok and all(
        isinstance(c, list) and len(c) == 2 and all(str(x).strip() for x in c)
        for c in choices
    )
    if not pairs:
        return [f"{where}: «choices» là danh sách các cặp [giá trị, nhãn]."]
    values = [str(c[0]) for c in choices]
    if len(set(values)) != len(values):
        return [f"{where}: «choices» có giá trị trùng nhau."]
    return []


def _check_conditions(section: dict[str, Any], where: str) -> list[str]:
    keys = {f.get("key") for f in section.get("fields", ()) if isinstance(f, dict)}
    errors = []
    for field in section.get("fields", ()):
        cond = field.get("required_when") if isinstance(field, dict) else None
        if cond is None:
            continue
        if not isinstance(cond, dict) or cond.get("field") not in keys:
            errors.append(
                f"{where}, trường {field.get('key')}: «required_when» phải nêu "
                "«field» là một trường của cùng phần."
            )
    return errors


def _check_section(section: Any, where: str, keys: set[str]) -> list[str]:
    if not isinstance(section, dict):
        return [f"{where}: mỗi phần phải là một đối tượng JSON."]
    errors = []
    key = section.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key) or key in keys:
        errors.append(f"{where}: «key» thiếu, sai dạng hoặc trùng.")
    else:
        keys.add(key)
    if not str(section.get("title") or "").strip():
        errors.append(f"{where}: thiếu «title».")
    fields = section.get("fields")
    if not isinstance(fields, list) or not fields:
        return [*errors, f"{where}: cần ít nhất một trường trong «fields»."]
    field_keys: set[str] = set()
    for n, field in enumerate(fields, 1):
        errors += _check_field(field, f"{where}, trường {n}", field_keys)
    return errors + _check_conditions(section, where)


def check_schema(schema: Any) -> list[str]:
    """What is wrong with ``schema`` (Vietnamese, for the administrator)."""
    if not isinstance(schema, dict):
        return ["Tờ khai phải là một đối tượng JSON có «sections»."]
    sections = schema.get("sections")
    if not isinstance(sections, list) or not sections:
        return ["Tờ khai cần ít nhất một phần trong «sections»."]
    errors: list[str] = []
    keys: set[str] = set()
    for n, section in enumerate(sections, 1):
        errors += _check_section(section, f"Phần {n}", keys)
    fills = schema.get("fills_component", "")
    if not isinstance(fills, str):
        errors.append("«fills_component» là một đoạn chữ (tên giấy tờ).")
    return errors


def fills(schema: Mapping[str, Any] | None, component_name: str) -> bool:
    """Whether the e-form replaces the component named ``component_name``."""
    wanted = fold(str((schema or {}).get("fills_component") or ""))
    return bool(wanted) and wanted in fold(component_name)


# ------------------------------------------------------------ answers
def tidy_answers(schema: Mapping[str, Any], raw: Mapping[str, Any]) -> Answers:
    """The answers of a draft: only the schema's fields, as trimmed strings."""
    tidy: Answers = {}
    for ref in fields_of(schema):
        given = raw.get(ref.section["key"])
        value = given.get(ref.field["key"]) if isinstance(given, Mapping) else None
        text = "" if value is None else str(value).strip()[:MAX_TEXT]
        if text:
            tidy.setdefault(ref.section["key"], {})[ref.field["key"]] = text
    return tidy


def value_of(answers: Mapping[str, Any], ref: FieldRef) -> str:
    section = answers.get(ref.section["key"]) or {}
    return str(section.get(ref.field["key"]) or "")


def is_required(ref: FieldRef, answers: Mapping[str, Any]) -> bool:
    if ref.field.get("required"):
        return True
    cond = ref.field.get("required_when")
    if not cond:
        return False
    other = str((answers.get(ref.section["key"]) or {}).get(cond["field"]) or "")
    wanted = cond.get("equals")
    return other == str(wanted) if wanted is not None else bool(other)


def _check_date(value: str, field: Mapping[str, Any], today: date) -> str:
    day = parse_date(value)
    if day is None:
        raise DomainError("eform.invalid_date", "Ngày không hợp lệ (dd/mm/yyyy).")
    if day < EARLIEST or (field.get("past") and day > today):
        raise DomainError(
            "eform.date_out_of_range",
            "Ngày không được sau hôm nay."
            if day > today
            else "Ngày không hợp lệ (trước năm 1900).",
        )
    return day.isoformat()


def _check_choice(value: str, field: Mapping[str, Any]) -> str:
    values = [str(c[0]) for c in field.get("choices", ())]
    if field.get("type") == "yes_no":
        values = [v for v, _ in YES_NO]
    if value not in values:
        raise DomainError("eform.invalid_choice", "Lựa chọn không hợp lệ.")
    return value


def _check_id(value: str) -> str:
    id_kind = guess_id_kind(value)
    if id_kind not in (Applicant.IdKind.CCCD, Applicant.IdKind.PASSPORT):
        raise DomainError(
            "eform.invalid_id_number",
            "Cần số định danh cá nhân gồm 12 chữ số hoặc số hộ chiếu.",
        )
    return clean_id_number(Applicant.Kind.PERSON, id_kind, value, legacy=False)[1]


def _check_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise DomainError(
            "eform.invalid_email", "Địa chỉ thư điện tử không hợp lệ."
        ) from None
    return value


def _check_phone(value: str) -> str:
    # the applicant's rule of a phone number (dossiers.applicants)
    return clean_applicant(ApplicantInput(name="-", phone=value)).phone


def check_value(value: str, field: Mapping[str, Any], today: date) -> str:
    """The stored form of one answer, or a ``DomainError`` with the reason."""
    kind = field.get("type")
    if kind == "date":
        return _check_date(value, field, today)
    if kind in ("choice", "yes_no"):
        return _check_choice(value, field)
    if kind == "id_number":
        return _check_id(value)
    if kind == "email":
        return _check_email(value)
    if kind == "phone":
        return _check_phone(value)
    return value


def check_answers(
    schema: Mapping[str, Any], raw: Mapping[str, Any], today: date
) -> tuple[Answers, dict[str, str]]:
    """The answers checked field by field, and the errors by ``section.field``
    (empty when everything is right): required fields, dates, choices, ID
    numbers, phones and e-mail addresses."""
    answers = tidy_answers(schema, raw)
    clean: Answers = {}
    errors: dict[str, str] = {}
    for ref in fields_of(schema):
        value = value_of(answers, ref)
        if not value:
            if is_required(ref, answers):
                errors[ref.name] = f"Cần nhập «{ref.field['label']}»."
            continue
        try:
            stored = check_value(value, ref.field, today)
        except DomainError as exc:
            errors[ref.name] = exc.message
            continue
        clean.setdefault(ref.section["key"], {})[ref.field["key"]] = stored
    return clean, errors


def prefill(schema: Mapping[str, Any], account: Mapping[str, str]) -> Answers:
    """Answers taken from the citizen's account (``PREFILL_SOURCES``)."""
    found: Answers = {}
    for ref in fields_of(schema):
        value = account.get(str(ref.field.get("prefill") or ""), "")
        if value:
            found.setdefault(ref.section["key"], {})[ref.field["key"]] = value
    return found


def shown_value(value: str, field: Mapping[str, Any]) -> str:
    """An answer as people read it (dates dd/mm/yyyy, choices by their label)."""
    kind = field.get("type")
    if kind == "date":
        day = parse_date(value)
        return vn_date(day) if day else value
    if kind == "choice":
        return next((str(c[1]) for c in field["choices"] if str(c[0]) == value), value)
    if kind == "yes_no":
        return dict(YES_NO).get(value, value)
    return value


def readable(schema: Mapping[str, Any], answers: Mapping[str, Any]) -> list[Any]:
    """``[(section title, [(label, value), …]), …]`` of the answered fields."""
    sections = []
    for section in schema.get("sections", ()):
        rows = []
        for field in section.get("fields", ()):
            value = str((answers.get(section["key"]) or {}).get(field["key"]) or "")
            if value:
                rows.append((field["label"], shown_value(value, field)))
        if rows:
            sections.append((section["title"], rows))
    return sections
