"""Amounts as a Vietnamese receipt writes them: ``50.000 đ`` in figures and
"Năm mươi nghìn đồng" in words (the words are what makes a receipt hard to
alter)."""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu", "tỷ")


def money(amount: int) -> str:
    """``1.000.000 đ`` (STYLE.md)."""
    return f"{amount:,}".replace(",", ".") + " đ"


def _units(units: int, tens: int) -> str:
    if units == 1 and tens > 1:
        return "mốt"
    if units == 4 and tens > 1:
        return "tư"
    if units == 5 and tens > 0:
        return "lăm"
    return DIGITS[units]


def _tens_and_units(tens: int, units: int, *, after_hundreds: bool) -> list[str]:
    if tens == 0:
        if units == 0:
            return []
        return (["linh"] if after_hundreds else []) + [DIGITS[units]]
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units:
        words.append(_units(units, tens))
    return words


def _group(number: int, *, full: bool) -> list[str]:
    """Three digits; ``full``: not the leading group, so "không trăm" is said."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    words += _tens_and_units(tens, units, after_hundreds=bool(words))
    return words


def _groups(amount: int) -> list[int]:
    groups = []
    while amount:
        amount, group = divmod(amount, 1000)
        groups.append(group)
    return groups[::-1]


def _below_billion_power(amount: int) -> list[str]:
    """Words for 0 < amount < 10¹²; larger amounts repeat "tỷ"."""
    groups = _groups(amount)
    words: list[str] = []
    for index, group in enumerate(groups):
        scale = SCALES[len(groups) - 1 - index]
        if group == 0:
            continue
        words += _group(group, full=index > 0)
        if scale:
            words.append(scale)
    return words


def in_words(amount: int) -> str:
    """``50000`` → "Năm mươi nghìn đồng"; ``0`` → "Không đồng"."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    if amount == 0:
        return "Không đồng"
    billions, rest = divmod(amount, 10**9)
    words: list[str] = []
    if billions:
        words += [*in_words(billions).removesuffix(" đồng").lower().split(), "tỷ"]
    if rest:
        words += _below_billion_power(rest) if not billions else _padded(rest)
    text = " ".join(words)
    return f"{text[0].upper()}{text[1:]} đồng"


def _padded(rest: int) -> list[str]:
    """The part below a billion after "… tỷ": its leading group says
    "không trăm" too (1.000.050.000 → "một tỷ không trăm năm mươi nghìn")."""
    groups = [*([0] * (3 - len(_groups(rest)))), *_groups(rest)]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group == 0:
            continue
        words += _group(group, full=True)
        scale = SCALES[2 - index]
        if scale:
            words.append(scale)
    return words
