"""A ward's past years as an older one-stop system would export them.

``ward_history`` writes the JSON lines of ``motcua import_dossiers``
(docs/import.md) for a ward over whole years, with what each line *should*
become in the figures (:class:`Truth`), so an import can be rehearsed
(``motcua demo_history``), measured (``bench/import_history.py``) and checked
against an independent count (tests/dossiers/test_history_import.py).

The mix, seeded: civil status and certification procedures (covered by the
reference catalogue since 2016 / 04/2015) and monthly social allowances
(``1.001776``, whose reference version starts in 2021: every such line carries
the older system's due date, except a few withdrawals without one, which need
``--earliest-version``). Outcomes: about 50 % early, 30 % on time, 6 % late,
8 % withdrawn, 1 % stopped, 5 % early after one supplement; the last weeks of
the last year stay open. Due dates are what the older system recorded: the
reception day plus the procedure's working days (same day for same-day
procedures), on the national working calendar.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from motcua.deadlines.engine import VN_TZ, Calendar
from motcua.deadlines.services import calendar_for

# (code, working days; 0 = same day, weight, covered by the reference catalogue)
PROCEDURES = (
    ("1.001193", 0, 30, True),  # khai sinh
    ("1.000656", 0, 8, True),  # khai tử
    ("1.000894", 0, 10, True),  # kết hôn
    ("1.004873", 3, 12, True),  # xác nhận tình trạng hôn nhân
    ("1.004859", 3, 4, True),  # thay đổi, cải chính hộ tịch
    ("1.004884", 5, 2, True),  # đăng ký lại khai sinh
    ("2.000815", 0, 20, True),  # chứng thực bản sao
    ("2.000884", 0, 6, True),  # chứng thực chữ ký
    ("2.001035", 2, 4, True),  # chứng thực hợp đồng
    ("1.001776", 20, 4, False),  # trợ cấp xã hội hàng tháng (NĐ 136/2013 then)
)
SETTLED, WITHDRAWN, STOPPED = "settled", "withdrawn", "stopped"
EARLY, ON_TIME, LATE = "early", "on_time", "late"
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")


@dataclass(frozen=True)
class Truth:
    """What a line must become in Biểu 06, decided when it was written."""

    channel: str
    received: date
    due: date | None
    end: date | None = None
    end_kind: str = ""
    timing: str = ""
    needs_earliest: bool = False  # no version in force and no recorded due date


def _at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), VN_TZ).isoformat()


class _Writer:
    def __init__(self, agency_code: str, calendar: Calendar, seed: int) -> None:
        self.agency = agency_code
        self.calendar = calendar
        self.rng = random.Random(seed)
        self.count = 0
        self.weights = [p[2] for p in PROCEDURES]

    def after(self, day: date, working_days: int) -> date:
        for _ in range(working_days):
            day = self.calendar.next_working_day(day, include=False)
        return day

    def line(self, day: date, open_at: date) -> tuple[dict[str, Any], Truth]:
        rng = self.rng
        code, days, _, covered = rng.choices(PROCEDURES, self.weights)[0]
        self.count += 1
        channel = "online" if rng.random() < 0.15 else "direct"
        hour = rng.randint(8, 10)
        due = self.after(day, days)
        line: dict[str, Any] = {
            "agency": self.agency,
            "procedure": code,
            "channel": channel,
            "code": f"CU-{day:%Y%m%d}-{self.count:06d}",
            "applicant": {
                "name": rng.choice(NAMES),
                "id_number": f"0480{rng.randint(0, 99_999_999):08d}",
            },
            "received_at": _at(day, hour, rng.choice((0, 15, 30, 45))),
            "due_at": _at(due, 17),
        }
        truth = Truth(channel, day, due)
        if day >= open_at:  # still open at the end of the export
            return line, truth
        roll = rng.random()
        if roll < 0.08:
            end = self.after(day, rng.randint(0, max(days, 1)))
            events = [{"action": "withdraw", "at": _at(end, 14), "reason": "Rút"}]
            if not covered and rng.random() < 0.3:
                del line["due_at"]
                truth = Truth(channel, day, None, needs_earliest=True)
            line["events"] = events
            return line, replace(truth, end=end, end_kind=WITHDRAWN)
        if roll < 0.09:
            end = self.after(day, 1)
            line["events"] = [
                {"action": "stop", "at": _at(end, 9), "reason": "Không đủ điều kiện"}
            ]
            return line, Truth(channel, day, due, end, STOPPED)
        if roll < 0.14 and days > 0:
            back = self.after(day, 2)
            line["events"] = [
                {"action": "request_supplement", "at": _at(day, 11), "reason": "Thiếu"},
                {"action": "resubmit", "at": _at(back, 9)},
                *self._finish(back, 15),
            ]
            return line, Truth(channel, day, due, back, SETTLED, EARLY)
        if roll < 0.64 and days > 0:
            end = self.after(day, rng.randint(0, days - 1))
            timing = EARLY
        elif roll < 0.94:
            end, timing = due, ON_TIME
        else:
            end, timing = self.after(due, rng.randint(1, 5)), LATE
        line["events"] = self._finish(end, 16)
        return line, Truth(channel, day, due, end, SETTLED, timing)

    def _finish(self, day: date, hour: int) -> list[dict[str, Any]]:
        returned = self.calendar.next_working_day(day, include=False)
        return [
            {"action": "finish", "at": _at(day, hour)},
            {"action": "return_result", "at": _at(returned, 9), "method": "desk"},
        ]


def ward_history(
    agency_code: str,
    years: tuple[int, ...],
    per_year: int,
    *,
    seed: int = 2017,
    open_days: int = 10,
) -> Iterator[tuple[dict[str, Any], Truth]]:
    """``per_year`` lines a year, spread over the year's working days; the last
    ``open_days`` working days of the last year stay open."""
    writer = _Writer(agency_code, calendar_for(None), seed)
    last = max(years)
    working = [
        d
        for d in (date(last, 12, 31) - timedelta(days=n) for n in range(40))
        if writer.calendar.is_working_day(d)
    ]
    open_at = sorted(working)[-open_days] if open_days else date(last + 1, 1, 1)
    for year in sorted(years):
        first = date(year, 1, 1)
        days = [
            d
            for d in (first + timedelta(days=n) for n in range(366))
            if d.year == year and writer.calendar.is_working_day(d)
        ]
        for n in range(per_year):
            yield writer.line(days[n * len(days) // per_year], open_at)


def write_jsonl(path: str, lines: Iterator[tuple[dict[str, Any], Truth]]) -> int:
    """Write the lines; returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for line, _ in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    return count
