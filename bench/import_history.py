"""Benchmark of the historical import (``motcua import_dossiers``).

Run from the repository root::

    .venv/bin/python bench/import_history.py            # SQLite, 2 × 2,000 lines
    .venv/bin/python bench/import_history.py --per-year 5000 --record

It migrates a fresh SQLite database, loads the reference catalogue at one ward,
writes two years (2017–2018) of that ward's history with
``motcua.demo.history.ward_history`` (the mix in its docstring) and imports the
file once through ``import_file`` — every line replayed through the real
services, one savepoint a line — timing the import alone with
``time.perf_counter``. Aim (issue 9): at least 1,000 lines/s on SQLite.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
sys.path.insert(0, str(ROOT / "src"))
HEADER = "| date | machine | python | lines | lines/s | events | rejected |"


def setup() -> str:
    folder = tempfile.mkdtemp(prefix="motcua-bench-import-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return folder


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip().split(" ")[:2]
                cpu = " ".join(cpu)
                break
    except OSError:
        pass
    return f"{cpu}, {platform.system()} {platform.machine()}"


def record(row: str) -> None:
    text = RESULTS.read_text(encoding="utf-8")
    if "# Historical import benchmark" not in text:
        text += (
            "\n# Historical import benchmark\n\n"
            "`bench/import_history.py` (see its docstring): two years of one ward's "
            "history imported through the services on SQLite. Aim: ≥ 1,000 lines/s.\n\n"
            f"{HEADER}\n| --- | --- | --- | ---: | ---: | ---: | ---: |\n"
        )
    RESULTS.write_text(text.rstrip("\n") + "\n" + row + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-year", type=int, default=2000)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    folder = setup()
    from motcua.agencies.services import agency_create
    from motcua.catalog.services import load_reference_catalogue
    from motcua.core import clock
    from motcua.demo.history import ward_history, write_jsonl
    from motcua.dossiers.importing import import_file

    ward = agency_create(
        code="000.01.01.H17", name="UBND phường Hòa Cường Nam", level="commune"
    )
    load_reference_catalogue([ward])
    path = f"{folder}/history.jsonl"
    lines = write_jsonl(path, ward_history(ward.code, (2017, 2018), args.per_year))
    with clock.frozen_at(clock.now()):
        started = time.perf_counter()
        report = import_file(path)
        seconds = time.perf_counter() - started
    rate = lines / seconds
    print(report.summary())
    print(f"{lines} lines in {seconds:.1f} s: {rate:,.0f} lines/s")
    if args.record:
        python = platform.python_version()
        record(
            f"| {date.today()} | {machine()} | {python} | {lines:,} | {rate:,.0f} "
            f"| {report.events:,} | {report.rejected} |"
        )


if __name__ == "__main__":
    main()
