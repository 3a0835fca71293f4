"""The applicant as typed at the desk, online or in an import, checked once.

Every way of creating a dossier (desk form, API, online submission, historical
import, demo) goes through :func:`clean_applicant`; forms and serializers only
read the input. The rules: a personal ID number matching its document type
(Law on Identification 2023: a citizen's personal ID number has 12 digits; old
ID cards 9; passports; tax codes of organisations), a plausible birth date, and
a way to identify or reach the applicant — or the recorded reason why there is
none (Decree 61/2018/NĐ-CP Art. 17: the desk records who handed the dossier in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from motcua.core import clock
from motcua.core.errors import DomainError

from .models import Applicant

K, IK = Applicant.Kind, Applicant.IdKind
EARLIEST_BIRTH = date(1900, 1, 1)
ANONYMOUS_NAME = "Đã ẩn danh"

# Document type -> (pattern of the whole number, what to tell the officer).
ID_FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    IK.CCCD: (
        re.compile(r"\d{12}"),
        "số định danh cá nhân (căn cước) gồm đúng 12 chữ số",
    ),
    IK.CMND: (re.compile(r"\d{9}"), "số chứng minh nhân dân gồm đúng 9 chữ số"),
    IK.PASSPORT: (
        re.compile(r"[A-Z]\d{7}|[A-Z0-9]{8,9}"),
        "số hộ chiếu gồm 1 chữ cái và 7 chữ số, hoặc 8–9 chữ và số",
    ),
    IK.TAX_CODE: (
        re.compile(r"\d{10}(-\d{3})?"),
        "mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu «-» và 3 chữ số",
    ),
    IK.OTHER: (re.compile(r"\S(.{0,30}\S)?"), "số giấy tờ dài 1–32 ký tự"),
}
# Spaces and dots officers type between groups of digits (not for "other").
_SEPARATORS = re.compile(r"[\s.]")


@dataclass(frozen=True)
class ApplicantInput:
    name: str
    kind: str = K.PERSON
    id_number: str = ""
    # "" = the usual document of the kind: CCCD for a person, tax code for an
    # organisation.
    id_kind: str = ""
    birth_date: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    # Why a dossier has no ID number, phone, e-mail or address (recorded).
    no_contact_reason: str = ""
    # The person who handed the dossier in for the applicant, if any (an
    # authorised person, Circular 03/2025 Form 01): all empty when none.
    representative_name: str = ""
    representative_id_number: str = ""
    representative_phone: str = ""
    representative_email: str = ""
    representative_address: str = ""
    representative_document: str = ""  # the authorisation (kind, number, date)
    # The ways the applicant chose to be told (NOTIFY_CHANNELS); () = default.
    notify_channels: tuple[str, ...] = ()


# Ways an applicant may choose to be told about their dossier, and the contact
# each one needs (the notifications app delivers through them).
NOTIFY_CHANNELS: dict[str, str] = {"sms": "phone", "zalo": "phone", "email": "email"}
NOTIFY_LABELS = {"sms": "Tin nhắn SMS", "zalo": "Zalo", "email": "Thư điện tử"}


REPRESENTATIVE_FIELDS = (
    "representative_name",
    "representative_id_number",
    "representative_phone",
    "representative_email",
    "representative_address",
    "representative_document",
)


def _invalid(code: str, message: str) -> DomainError:
    return DomainError(code, message)


def default_id_kind(kind: str) -> str:
    return IK.TAX_CODE if kind == K.ORGANISATION else IK.CCCD


def guess_id_kind(number: str) -> str:
    """The document type an older system's number fits (import only): the
    strict formats first, anything else kept as "other"."""
    for id_kind in (IK.CCCD, IK.CMND, IK.TAX_CODE, IK.PASSPORT, IK.OTHER):
        pattern, _ = ID_FORMATS[id_kind]
        if pattern.fullmatch(_normalise(number, id_kind)):
            return id_kind
    return IK.OTHER


def _normalise(number: str, id_kind: str) -> str:
    number = number.strip()
    if id_kind == IK.OTHER:
        return number
    return _SEPARATORS.sub("", number).upper()


def lookup_forms(number: str) -> set[str]:
    """The stored forms a typed ID number may have (as typed, or without the
    spaces and dots of the strict formats), for the desk's look-up."""
    number = (number or "").strip()
    return {number, _normalise(number, IK.CCCD)} if number else set()


def clean_id_number(
    kind: str, id_kind: str, number: str, *, legacy: bool
) -> tuple[str, str]:
    """(document type, number) after the format check; ``legacy``: an older
    system's number of unknown type is kept as "other" rather than refused."""
    number = (number or "").strip()
    if not number:
        return IK.NONE, ""
    if id_kind and id_kind not in ID_FORMATS:
        raise _invalid("applicant.invalid_id_kind", "Loại giấy tờ không hợp lệ.")
    if not id_kind:
        id_kind = guess_id_kind(number) if legacy else default_id_kind(kind)
    pattern, rule = ID_FORMATS[id_kind]
    value = _normalise(number, id_kind)
    if not pattern.fullmatch(value):
        if legacy and len(number) <= 32:
            return IK.OTHER, number
        raise _invalid(
            "applicant.invalid_id_number",
            f"Số giấy tờ «{number}» không hợp lệ: cần {rule}.",
        )
    return id_kind, value


def _clean_phone(phone: str) -> str:
    phone = (phone or "").replace(" ", "").replace(".", "")
    if phone and not (phone.lstrip("+").isdigit() and 8 <= len(phone) <= 15):
        raise _invalid("applicant.invalid_phone", "Số điện thoại không hợp lệ.")
    return phone


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _invalid(
                "applicant.invalid_email", "Địa chỉ thư điện tử không hợp lệ."
            ) from None
    return email


def _check_birth_date(birth_date: date | None) -> None:
    if birth_date is None:
        return
    today = clock.today()
    if birth_date > today:
        raise _invalid(
            "applicant.birth_date_in_future",
            "Ngày sinh không được sau ngày hôm nay.",
        )
    if birth_date < EARLIEST_BIRTH:
        raise _invalid(
            "applicant.birth_date_too_early",
            "Ngày sinh không hợp lệ (trước năm 1900).",
        )


def _clean_representative(data: ApplicantInput, *, legacy: bool) -> ApplicantInput:
    """The authorised person, when one is given: a name and a personal ID number
    (citizen's ID, or passport for a foreigner) identify them; phone, e-mail and
    address are checked like the applicant's."""
    values = {
        name: (getattr(data, name) or "").strip() for name in REPRESENTATIVE_FIELDS
    }
    if not any(values.values()):
        return replace(
            data,
            representative_name="",
            representative_id_number="",
            representative_phone="",
            representative_email="",
            representative_address="",
            representative_document="",
        )
    if not values["representative_name"]:
        raise _invalid(
            "applicant.representative_name_required",
            "Cần nhập họ tên người được ủy quyền (người nộp thay).",
        )
    number = values["representative_id_number"]
    if not number:
        raise _invalid(
            "applicant.representative_id_required",
            "Cần nhập số định danh cá nhân (hoặc số hộ chiếu) của người được ủy quyền.",
        )
    id_kind = guess_id_kind(number)
    if id_kind not in (IK.CCCD, IK.PASSPORT) and not legacy:
        raise _invalid(
            "applicant.invalid_representative_id",
            f"Số giấy tờ của người được ủy quyền «{number}» không hợp lệ: cần số "
            "định danh cá nhân gồm 12 chữ số hoặc số hộ chiếu.",
        )
    _, number = clean_id_number(K.PERSON, id_kind, number, legacy=legacy)
    return replace(
        data,
        representative_name=values["representative_name"],
        representative_id_number=number,
        representative_phone=_theirs(_clean_phone, values, "phone"),
        representative_email=_theirs(_clean_email, values, "email"),
        representative_address=values["representative_address"],
        representative_document=values["representative_document"],
    )


def _clean_channels(data: ApplicantInput) -> tuple[str, ...]:
    """The chosen channels, known and each with its contact, in a fixed order."""
    chosen = {str(c).strip() for c in data.notify_channels or () if str(c).strip()}
    unknown = sorted(chosen - set(NOTIFY_CHANNELS))
    if unknown:
        raise _invalid(
            "applicant.invalid_notify_channel",
            f"Kênh nhận thông báo không hợp lệ: {', '.join(unknown)}; dùng: "
            f"{', '.join(NOTIFY_CHANNELS)}.",
        )
    for channel in NOTIFY_CHANNELS:
        if channel in chosen and not getattr(data, NOTIFY_CHANNELS[channel]):
            what = (
                "số điện thoại"
                if NOTIFY_CHANNELS[channel] == "phone"
                else ("địa chỉ thư điện tử")
            )
            raise _invalid(
                "applicant.notify_without_contact",
                f"Người nộp chọn nhận thông báo qua {NOTIFY_LABELS[channel]} "
                f"nhưng chưa có {what}.",
            )
    return tuple(c for c in NOTIFY_CHANNELS if c in chosen)


def _theirs(check: Any, values: dict[str, str], what: str) -> str:
    """``check`` of the authorised person's ``what``, its error named for them."""
    try:
        return str(check(values[f"representative_{what}"]))
    except DomainError as exc:
        raise _invalid(
            f"applicant.invalid_representative_{what}",
            f"{exc.message} (người được ủy quyền)",
        ) from None


def clean_applicant(data: ApplicantInput, *, legacy: bool = False) -> ApplicantInput:
    """The applicant's details checked and tidied, or a ``DomainError``.
    ``legacy`` (historical import): older ID formats are kept as "other", and a
    record without any contact is accepted with that fact as the reason."""
    name = (data.name or "").strip()
    if not name:
        raise _invalid("applicant.name_required", "Cần nhập họ tên người nộp hồ sơ.")
    if data.kind not in K.values:
        raise _invalid("applicant.invalid_kind", "Loại người nộp không hợp lệ.")
    id_kind, id_number = clean_id_number(
        data.kind, data.id_kind, data.id_number, legacy=legacy
    )
    _check_birth_date(data.birth_date)
    cleaned = replace(
        data,
        name=name,
        id_kind=id_kind,
        id_number=id_number,
        phone=_clean_phone(data.phone),
        email=_clean_email(data.email),
        address=(data.address or "").strip(),
        no_contact_reason=(data.no_contact_reason or "").strip()[:500],
    )
    cleaned = _clean_representative(cleaned, legacy=legacy)
    cleaned = replace(cleaned, notify_channels=_clean_channels(cleaned))
    if not (cleaned.id_number or cleaned.phone or cleaned.email or cleaned.address):
        if legacy and not cleaned.no_contact_reason:
            return replace(
                cleaned,
                no_contact_reason="Dữ liệu lịch sử không có thông tin định danh, "
                "liên hệ.",
            )
        if not cleaned.no_contact_reason:
            raise _invalid(
                "applicant.contact_required",
                "Cần nhập ít nhất một thông tin để xác định hoặc liên hệ người nộp "
                "(số giấy tờ, điện thoại, thư điện tử hoặc địa chỉ), hoặc ghi rõ lý "
                "do không có.",
            )
    return cleaned
