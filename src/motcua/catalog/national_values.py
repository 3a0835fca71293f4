"""Reading the values the national procedure database writes as text.

The national database (Cơ sở dữ liệu quốc gia về thủ tục hành chính) publishes
time limits and fees as sentences: "05 ngày làm việc kể từ ngày nhận đủ hồ sơ
hợp lệ", "Trong ngày", "Lệ phí: 50.000 đồng/hồ sơ", "Miễn lệ phí". Each parser
here returns our value or raises :class:`NationalValueError` with a stable code;
a sentence that could mean two things is refused, never guessed
(``docs/catalogue.md``, "Nhập từ CSDL quốc gia").
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from motcua.core.text import fold
from motcua.deadlines.engine import Unit

PROCEDURE_CODE = re.compile(r"^(\d\.\d{6})(?:\.[0-9A-Za-z]+)*$")

# folded unit words → engine unit ("giờ" counts as working hours: the engine
# has no calendar hours, and the national database's hour limits are desk work)
DURATION_UNITS = {
    "ngay lam viec": Unit.WORKING_DAYS,
    "ngay": Unit.CALENDAR_DAYS,
    "gio lam viec": Unit.WORKING_HOURS,
    "gio": Unit.WORKING_HOURS,
}
UNUSABLE_UNITS = ("tuan", "thang", "nam")
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    _NUMBER + r"\s*(ngay lam viec|gio lam viec|ngay|gio|tuan|thang|nam)\b"
)
# a clock time ("sau 15 giờ", "trước 15h30") is a cut-off, not a duration
_CLOCK = re.compile(r"\b(sau|truoc|tu|den|luc)\s+\d{1,2}\s*(?:gio|h)(?:\s*\d{1,2})?")
_SAME_DAY = re.compile(r"\btrong (?:ngay|buoi)\b(?! lam viec tiep theo)")
_IMMEDIATE = re.compile(r"\b(?:giai quyet|tra ket qua|cap) ngay\b(?! trong)")
_NO_LIMIT = re.compile(r"\bkhong (?:quy dinh|co) thoi han\b|^khong quy dinh$")

_AMOUNT = re.compile(r"(\d{1,3}(?:[.\s]\d{3})+|\d+)\s*(?:dong|d|vnd)\b")
_FREE = re.compile(r"^khong$|\bmien\b|\bkhong (?:thu|co|mat)\b|^khong\W")
_COUNCIL = re.compile(r"hoi dong nhan dan|\bhdnd\b")
_ORIGINALS = re.compile(r"ban chinh\s*:?\s*(\d+)")
_COPIES = re.compile(r"ban sao\s*:?\s*(\d+)")


class NationalValueError(ValueError):
    """A value of the national layout we cannot read; ``message`` is
    Vietnamese and names the value."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def procedure_code(value: Any) -> str:
    """``1.001193`` or ``1.001193.000.00.00.H12`` (the code with the publishing
    agency's suffix) → ``1.001193``."""
    # a spreadsheet cell typed as a number: 2.00063 is 2.000630
    text = f"{value:.6f}" if isinstance(value, float) else str(value or "").strip()
    match = PROCEDURE_CODE.match(text)
    if not match:
        raise NationalValueError(
            "national.bad_code",
            f"mã thủ tục «{text}» không đúng dạng N.NNNNNN (ví dụ 1.001193 hoặc "
            "1.001193.000.00.00.H12).",
        )
    return match.group(1)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def time_from_text(text: Any) -> tuple[Decimal, Unit]:
    """A time limit sentence → (value, unit); refused when it holds no limit
    or two different ones ("trong ngày; trường hợp xác minh 05 ngày làm việc")."""
    raw = str(text or "").strip()
    folded = _CLOCK.sub(" ", fold(raw))
    if not folded:
        raise NationalValueError(
            "national.time_missing", "không có thời hạn giải quyết."
        )
    found: set[tuple[Decimal, Unit]] = set()
    for match in _DURATION.finditer(folded):
        word = match.group(2)
        if word in UNUSABLE_UNITS:
            raise NationalValueError(
                "national.time_unit",
                f"«{raw}»: thời hạn tính theo tuần, tháng hoặc năm chưa dùng được "
                "(chỉ ngày làm việc, ngày, giờ làm việc, trong ngày).",
            )
        found.add((_number(match.group(1)), DURATION_UNITS[word]))
    rest = _DURATION.sub(" ", folded)
    if _SAME_DAY.search(rest):
        found.add((Decimal(0), Unit.SAME_DAY))
    if _IMMEDIATE.search(rest):
        found.add((Decimal(0), Unit.IMMEDIATE))
    if _NO_LIMIT.search(rest):
        found.add((Decimal(0), Unit.NONE))
    if not found:
        raise NationalValueError(
            "national.time_unparsed",
            f"không đọc được thời hạn «{raw}» (ví dụ hợp lệ: «05 ngày làm việc», "
            "«Trong ngày»).",
        )
    if len(found) > 1:
        raise NationalValueError(
            "national.time_ambiguous",
            f"«{raw}» có nhiều thời hạn khác nhau; hãy ghi một thời hạn chung "
            "(trường hợp riêng để ở phần mô tả).",
        )
    return found.pop()


def time_from_fields(value: Any, unit_text: Any, text: Any) -> tuple[Decimal, Unit]:
    """The JSON form: a number and a unit word (THOIGIANGIAIQUYET, DONVITINH);
    without a unit word, the sentence (MOTA) is read instead."""
    words = fold(str(unit_text or ""))
    if not words:
        return time_from_text(text)
    if words == "trong ngay":
        return Decimal(0), Unit.SAME_DAY
    unit = DURATION_UNITS.get(words)
    if unit is None:
        raise NationalValueError(
            "national.time_unit",
            f"đơn vị thời hạn «{unit_text}» chưa dùng được (chỉ ngày làm việc, "
            "ngày, giờ làm việc, trong ngày).",
        )
    try:
        return _number(str(value).strip()), unit
    except ArithmeticError:
        raise NationalValueError(
            "national.time_unparsed", f"thời hạn «{value}» không phải là một số."
        ) from None


def fee_from_text(text: Any) -> int:
    """A fee sentence → the amount in đồng: "Không", "Miễn lệ phí" → 0;
    "50.000 đồng/hồ sơ" → 50000; an amount set by the provincial council
    ("Theo Nghị quyết của HĐND tỉnh") → 0, the text kept. Several amounts, or
    an amount and an exemption, are refused."""
    raw = str(text or "").strip()
    folded = fold(raw)
    if not folded:
        return 0
    amounts = {int(re.sub(r"\D", "", m.group(1))) for m in _AMOUNT.finditer(folded)} - {
        0
    }
    free = bool(_FREE.search(folded))
    if len(amounts) > 1 or (amounts and free):
        raise NationalValueError(
            "national.fee_ambiguous",
            f"«{raw}» có nhiều mức phí, lệ phí; hãy ghi một mức (các mức khác để ở "
            "phần mô tả).",
        )
    if amounts:
        return amounts.pop()
    if free or _COUNCIL.search(folded) or folded.strip(".: ") in ("0", "khong"):
        return 0
    raise NationalValueError(
        "national.fee_unparsed",
        f"không đọc được số tiền trong «{raw}» (ví dụ hợp lệ: «Không», "
        "«50.000 đồng/hồ sơ»).",
    )


def fee_from_amount(value: Any, text: Any) -> int:
    """The JSON form: SOTIEN as a number, or as text read by
    :func:`fee_from_text` ("Không", "50.000")."""
    if isinstance(value, bool):
        raise NationalValueError("national.fee_unparsed", "số tiền không hợp lệ.")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
        if amount < 0 or amount != amount.to_integral_value():
            raise NationalValueError(
                "national.fee_unparsed", f"số tiền «{value}» không hợp lệ."
            )
        return int(amount)
    words = str(value or "").strip()
    if re.fullmatch(r"\d{1,3}(?:[.\s]\d{3})+|\d+", words):
        return int(re.sub(r"\D", "", words))
    return fee_from_text(words or text)


def counts(text: Any) -> tuple[int, int]:
    """ "Bản chính: 1 - Bản sao: 0" → (1, 0)."""
    folded = fold(str(text or ""))
    originals, copies = _ORIGINALS.search(folded), _COPIES.search(folded)
    if not originals and not copies:
        raise NationalValueError(
            "national.component_count",
            f"không đọc được số lượng «{text}» (dạng «Bản chính: 1 - Bản sao: 0»).",
        )
    return (
        int(originals.group(1)) if originals else 0,
        int(copies.group(1)) if copies else 0,
    )


def count(value: Any, label: str) -> int:
    if value is None or value == "":
        return 0
    text = str(value).strip()
    if not re.fullmatch(r"\d+", text):
        raise NationalValueError(
            "national.component_count", f"{label} «{value}» không phải là số."
        )
    return int(text)


def clean_line(value: Any) -> str:
    """A list item as published: leading dashes and bullets dropped, spaces
    collapsed."""
    return " ".join(str(value or "").split()).lstrip("-•+*– ").strip()


def lines(value: Any) -> list[str]:
    if isinstance(value, list):
        items = [clean_line(v) for v in value]
    else:
        items = [clean_line(v) for v in str(value or "").splitlines()]
    return [item for item in items if item]
