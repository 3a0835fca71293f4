"""Benchmark of the deadline engine (pure Python, no Django).

Run from the repository root::

    .venv/bin/python bench/deadlines.py            # measure and print
    .venv/bin/python bench/deadlines.py --record   # … and record in bench/RESULTS.md

What is measured, on one core, best of ``--repeat`` runs (``time.perf_counter``):

* building the national calendar: ``national_days()`` (the ``holidays`` package,
  2000–2100, cache cleared) plus ``calendar_from_days``;
* ``Calendar.due`` over ``--count`` receptions spread over 2025 (seeded), with the
  mix of a procedure catalogue: working_days 1–15, working_hours 1–40, same_day,
  calendar_days 1–30 and some immediate;
* ``Calendar.elapsed`` over the same number of (start, end) pairs.

The aim of the issue is at least 100,000 due computations per second.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

try:
    from motcua.deadlines.engine import VN_TZ, Calendar, calendar_from_days
    from motcua.deadlines.national import national_days
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from motcua.deadlines.engine import VN_TZ, Calendar, calendar_from_days
    from motcua.deadlines.national import national_days

RESULTS = Path(__file__).with_name("RESULTS.md")
TARGET_PER_SECOND = 100_000
YEAR = 2025

# (unit, weight, duration drawer) — a catalogue-like mix
MIX: tuple[tuple[str, int, Callable[[random.Random], int | None]], ...] = (
    ("working_days", 40, lambda r: r.randint(1, 15)),
    ("working_hours", 15, lambda r: r.randint(1, 40)),
    ("same_day", 15, lambda r: None),
    ("calendar_days", 20, lambda r: r.randint(1, 30)),
    ("immediate", 10, lambda r: None),
)

Job = tuple[datetime, str, int | None]


def random_instant(rng: random.Random) -> datetime:
    """A reception instant in YEAR: any second of the year, Vietnamese time."""
    start = datetime(YEAR, 1, 1, tzinfo=VN_TZ)
    seconds = (date(YEAR + 1, 1, 1) - date(YEAR, 1, 1)).days * 86_400
    return start + timedelta(seconds=rng.randrange(seconds))


def make_jobs(count: int, seed: int) -> list[Job]:
    rng = random.Random(seed)
    units = [unit for unit, _, _ in MIX]
    weights = [weight for _, weight, _ in MIX]
    drawers = {unit: draw for unit, _, draw in MIX}
    jobs = []
    for _ in range(count):
        unit = rng.choices(units, weights)[0]
        jobs.append((random_instant(rng), unit, drawers[unit](rng)))
    return jobs


def make_pairs(count: int, seed: int) -> list[tuple[datetime, datetime]]:
    rng = random.Random(seed + 1)
    pairs = []
    for _ in range(count):
        start = random_instant(rng)
        pairs.append((start, start + timedelta(seconds=rng.randrange(30 * 86_400))))
    return pairs


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The shortest wall time of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - began)
    return best


def build_calendar() -> Calendar:
    national_days.cache_clear()
    return calendar_from_days(national_days())


def run_due(calendar: Calendar, jobs: list[Job]) -> None:
    due = calendar.due
    for start, unit, duration in jobs:
        due(start, unit, duration)


def run_elapsed(calendar: Calendar, pairs: list[tuple[datetime, datetime]]) -> None:
    elapsed = calendar.elapsed
    for start, end in pairs:
        elapsed(start, end)


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else platform.processor() or "unknown CPU"


def machine() -> str:
    return f"{cpu_model()}, {platform.system()} {platform.machine()}"


def measure(count: int, repeat: int, seed: int) -> dict[str, float]:
    cold_s = best_of(1, build_calendar)  # first build in this process
    build_s = best_of(repeat, build_calendar)
    national_days.cache_clear()
    days = national_days()
    construct_s = best_of(repeat, lambda: calendar_from_days(days))
    calendar = calendar_from_days(days)
    jobs = make_jobs(count, seed)
    pairs = make_pairs(count, seed)
    due_s = best_of(repeat, lambda: run_due(calendar, jobs))
    elapsed_s = best_of(repeat, lambda: run_elapsed(calendar, pairs))
    by_unit = {}
    for unit, _, _ in MIX:
        subset = [job for job in jobs if job[1] == unit]
        seconds = best_of(repeat, lambda subset=subset: run_due(calendar, subset))
        by_unit[unit] = len(subset) / seconds
    return {
        "cold_build_ms": cold_s * 1000,
        "build_ms": build_s * 1000,
        "construct_ms": construct_s * 1000,
        "due_per_s": count / due_s,
        "elapsed_per_s": count / elapsed_s,
        **{f"due_per_s[{unit}]": rate for unit, rate in by_unit.items()},
    }


def report(result: dict[str, float], count: int, repeat: int) -> None:
    print(f"date:     {date.today():%Y-%m-%d}")
    print(f"machine:  {machine()}")
    print(f"platform: {platform.platform()}")
    print(f"python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"runs:     best of {repeat}, {count:,} computations each, one core")
    print()
    lines = (
        ("calendar build (holidays 2000–2100 + Calendar)", "build_ms"),
        ("  of which Calendar construction only", "construct_ms"),
        ("  first build in a fresh process", "cold_build_ms"),
    )
    for label, key in lines:
        print(f"{label:<48}{result[key]:>8.1f} ms")
    print(f"due:      {result['due_per_s']:>12,.0f} computations/s")
    for unit, _, _ in MIX:
        print(f"  {unit:<14}{result[f'due_per_s[{unit}]']:>12,.0f} /s")
    print(f"elapsed:  {result['elapsed_per_s']:>12,.0f} computations/s")
    verdict = "meets" if result["due_per_s"] >= TARGET_PER_SECOND else "BELOW"
    print(f"\ndue {verdict} the target of {TARGET_PER_SECOND:,}/s")


def table_row(result: dict[str, float]) -> list[str]:
    return [
        f"{date.today():%Y-%m-%d}",
        machine(),
        platform.python_version(),
        f"{result['due_per_s']:,.0f}",
        f"{result['elapsed_per_s']:,.0f}",
        f"{result['build_ms']:.0f}",
    ]


def record(row: list[str]) -> None:
    """Append the row to the table of RESULTS.md, or replace the row of the same
    date, machine and Python."""
    lines = RESULTS.read_text(encoding="utf-8").splitlines()
    text = "| " + " | ".join(row) + " |"
    header = next(i for i, line in enumerate(lines) if line.startswith("| date"))
    end = header + 2  # past the header and the separator
    while end < len(lines) and lines[end].startswith("|"):
        cells = [c.strip() for c in lines[end].strip("|").split("|")]
        if cells[:3] == row[:3]:
            lines[end] = text
            break
        end += 1
    else:
        lines.insert(end, text)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"recorded in {RESULTS}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--record", action="store_true", help="write RESULTS.md")
    args = parser.parse_args(argv)
    result = measure(args.count, args.repeat, args.seed)
    report(result, args.count, args.repeat)
    if args.record:
        record(table_row(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
