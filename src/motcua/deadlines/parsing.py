"""Parsing of people's input for the calendar: shared by the API and the pages."""

from __future__ import annotations

from datetime import datetime

from .engine import FIRST_YEAR, LAST_YEAR, VN_TZ, DeadlineError


def parse_start(value: str | None) -> datetime:
    if not value:
        raise DeadlineError(
            "calendar.start_required", "Cần nhập thời điểm tiếp nhận (tham số start)."
        )
    try:
        start = datetime.fromisoformat(value.strip().replace(" ", "T"))
    except ValueError:
        raise DeadlineError(
            "calendar.invalid_start",
            f"Thời điểm «{value}» không đúng định dạng ISO, ví dụ 2025-04-25T15:30.",
        ) from None
    try:
        local = (
            start.replace(tzinfo=VN_TZ)
            if start.tzinfo is None
            else (start.astimezone(VN_TZ))
        )
    except OverflowError:  # 9999-12-31T23:00-12:00 is past year 9999 in Vietnam
        local = None
    if local is None or not FIRST_YEAR <= local.year <= LAST_YEAR:
        raise DeadlineError(
            "calendar.out_of_range",
            f"Thời điểm nằm ngoài phạm vi lịch làm việc ({FIRST_YEAR}–{LAST_YEAR}).",
        )
    return local


def parse_year(value: str | None) -> int:
    if not value:
        raise DeadlineError("calendar.year_required", "Cần nhập năm (tham số year).")
    try:
        year = int(value)
    except ValueError:
        raise DeadlineError(
            "calendar.invalid_year", f"Năm «{value}» không phải là một số nguyên."
        ) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DeadlineError(
            "calendar.year_out_of_range",
            f"Năm phải trong khoảng {FIRST_YEAR}–{LAST_YEAR}.",
        )
    return year
