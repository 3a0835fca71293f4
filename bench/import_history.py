"""Benchmark of the historical import (``motcua import_dossiers``).

Run from the repository root::

    .venv/bin/python bench/import_history.py            # SQLite, 2 × 2,000 lines
    .venv/bin/python bench/import_history.py --per-year 5000 --record

For each way of writing — ``plain`` (each service writes its rows, as live use)
and ``unit`` (the replay unit of work, ``dossiers.unit``: the batch's rows held
in memory and written in bulk) — one after the other, each in its own process:
it migrates a fresh SQLite database, loads the reference catalogue at one ward,
writes two years (2017–2018) of that ward's history with
``motcua.demo.history.ward_history`` (the mix in its docstring) and imports the
file once through ``import_file`` — every line replayed through the real
services, one savepoint a line — timing the import alone with
``time.perf_counter``; then checks the history chains (``verify_all``) and the
figures (``recompute.verify``). It prints each rate and the ratio unit/plain
(measured back to back, so a loaded machine weighs on both alike) and the
machine's load. Aim (issue 9): at least 1,000 lines/s on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
# This folder holds other benchmarks (``http.py``) that must not hide the
# standard library's modules of the same name.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))
HEADER = (
    "| date | machine | python | lines | path | lines/s | lines per CPU second "
    "| machine load |"
)
MODES = ("plain", "unit")


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
    """Add a row at the end of the historical import section (its last table:
    date, machine, python, lines, path, lines/s, lines per CPU second, load)."""
    text = RESULTS.read_text(encoding="utf-8")
    title = "# Historical import benchmark"
    if title not in text:
        text = text.rstrip("\n") + f"\n\n{title}\n\n"
    start = text.index(title)
    end = text.find("\n# ", start + len(title))
    end = len(text) if end < 0 else end + 1
    section = text[start:end].rstrip("\n") + "\n"
    if not section.rstrip().endswith("|"):
        section += (
            f"\n{HEADER}\n| --- | --- | --- | ---: | --- | ---: | ---: | ---: |\n"
        )
    section += row + "\n"
    tail = text[end:]
    RESULTS.write_text(
        text[:start] + section + ("\n" + tail if tail else ""), encoding="utf-8"
    )


def one(per_year: int, mode: str) -> None:
    """Import in a fresh database; print one JSON object with the figures."""
    folder = setup()
    from motcua.agencies.services import agency_create
    from motcua.catalog.services import load_reference_catalogue
    from motcua.core import clock
    from motcua.demo.history import ward_history, write_jsonl
    from motcua.dossiers.history import verify_all
    from motcua.dossiers.importing import import_file
    from motcua.reports import recompute

    ward = agency_create(
        code="000.01.01.H17", name="UBND phường Hòa Cường Nam", level="commune"
    )
    load_reference_catalogue([ward])
    path = f"{folder}/history.jsonl"
    lines = write_jsonl(path, ward_history(ward.code, (2017, 2018), per_year))
    with clock.frozen_at(clock.now()):
        started, cpu = time.perf_counter(), time.process_time()
        report = import_file(path, unit_of_work=mode == "unit")
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        checked, problems = verify_all()
        figures = recompute.verify()[1]
    print(report.summary(), file=sys.stderr)
    result = {
        "mode": mode,
        "lines": lines,
        "seconds": seconds,
        "cpu": cpu,
        "events": report.events,
        "rejected": report.rejected,
        "plain": report.plain,
        "history_ok": not problems and checked == report.imported,
        "figures_ok": not figures,
    }
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-year", type=int, default=2000)
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--mode", choices=MODES, help="one way only (no ratio)")
    parser.add_argument("--one", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.per_year, args.one)
        return
    results, rows = {}, []
    load = os.getloadavg()[0]
    for mode in (args.mode,) if args.mode else MODES:
        run = subprocess.run(
            [sys.executable, __file__, "--per-year", str(args.per_year), "--one", mode],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        result = json.loads(run.stdout.strip().splitlines()[-1])
        rate = result["lines"] / result["seconds"]
        results[mode] = rate
        print(
            f"{mode}: {result['lines']} lines in {result['seconds']:.1f} s: "
            f"{rate:,.0f} lines/s; {result['lines'] / result['cpu']:,.0f} lines "
            f"a CPU second ({result['plain']} through the plain path; "
            f"history {'intact' if result['history_ok'] else 'BROKEN'}, figures "
            f"{'equal to a recompute' if result['figures_ok'] else 'DIFFERENT'})"
        )
        rows.append(
            f"| {date.today()} | {machine()} | {platform.python_version()} "
            f"| {result['lines']:,} | {mode} | {rate:,.0f} "
            f"| {result['lines'] / result['cpu']:,.0f} |"
        )
    load = max(load, os.getloadavg()[0])
    if args.record:
        for row in rows:
            record(f"{row} {load:.1f} |")
    if len(results) == 2:
        print(f"unit / plain: × {results['unit'] / results['plain']:.1f}")
    print(f"machine load (1 min, highest seen): {load:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
