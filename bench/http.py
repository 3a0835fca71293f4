"""HTTP benchmark: gunicorn on 127.0.0.1 against a province of N dossiers.

Run from the repository root (``tools/system-deps.sh bench`` installs wrk and
pgbench; gunicorn comes with the project)::

    .venv/bin/python bench/http.py                    # 100,000 dossiers
    .venv/bin/python bench/http.py --dossiers 20000 --record

Without a PostgreSQL ``DATABASE_URL`` it runs itself again inside a throwaway
cluster (``tools/pg-test-cluster.sh``) that commits as a production server does
(``MOTCUA_PG_DURABLE=1``: fsync, synchronous_commit and full_page_writes on;
``MOTCUA_PG_DURABLE=0`` gives the test suite's fast cluster, to compare); the
recorded line says which. Then:

1. ``bench/generate.py --dossiers N`` fills the database (a province of 500
   agencies, one officer per ward, a province monitor; see its docstring);
2. API keys for the officer of the busiest ward and for the monitor
   (``security.tokens.token_issue``), and the request lists (codes, QR tokens
   with ``dossiers.links.token_for``, list cursors with the list's own
   ``encode_cursor``) are prepared in this process;
3. gunicorn serves ``motcua.config.wsgi`` on 127.0.0.1 with one worker per core;
4. every scenario runs with wrk (``bench/wrk.lua``) at 1 and then 16
   connections: 5 s of warm-up (not counted), then 20 s measured. Scenarios:
   list first page and a deep page — 100 items, the page after half of what the
   caller sees (officer of the busiest ward; province monitor),
   one dossier, public tracking (the slip's QR link ``/tra-cuu/qr/<token>/``,
   the HTML page: the typed look-up is a POST form with a second factor and a
   per-address limit), Biểu 06 of the ward for 2025 (JSON), create
   (``POST /api/v1/dossiers/``, a new applicant and Idempotency-Key each), and
   the floor: ``/healthz/``, the least a request costs through the same stack;
5. it reads the resident memory (VmRSS) of the gunicorn workers after each run,
   and runs ``pgbench`` (select-only ``-S`` and the default TPC-B-like script,
   16 clients, 10 s each, scale 10) on the same cluster, in its own database;
6. prints a table: requests/s, p50 and p99 latency, errors (non-2xx/3xx
   statuses and socket errors), the largest worker RSS, and the CPU time a
   request of the gunicorn workers, of PostgreSQL (the postmaster and its
   backends) and of wrk, from the kernel's counters over the measured run;
   ``--record`` appends it to ``bench/RESULTS.md`` with date, commit, machine
   and load.

``--profile FOLDER`` also records each measured run's workers with py-spy
(``pip install py-spy``; not a dependency of the project) and prints, per
scenario, the share of the samples in each area (templates, DRF, the ORM's
compiler, the driver, middleware …) and the 25 busiest innermost frames; the
raw stacks stay in the folder for a flame graph.

A/B (``--against ../other-checkout``, which has its own ``.venv`` and the same
migrations): a second gunicorn serves that checkout over the same database, and
each scenario alternates between the two servers — both warmed up, then
``--rounds`` slices of ``--seconds`` on each, in the order A B, B A, A B … — so
that a shared, noisy host's drift falls on both. It prints every slice's rate
and the median of the rounds' B/A ratios (B = this checkout)::

    .venv/bin/python -P bench/http.py --dossiers 20000 --against /tmp/before \
        --only list one --seconds 10 --rounds 4

Everything talks to 127.0.0.1 only; each wrk run is bounded by its duration.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
VENV = ROOT / ".venv" / "bin"
SECRET = "bench-only-not-secret"
# This file's folder first on sys.path would make it the standard library's
# ``http`` (imported by urllib and Django): take it out before those imports.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))


@dataclass
class Scenario:
    name: str
    mode: str  # "get" or "create"
    lines: list[str]
    token: str  # "-" for none


@dataclass
class Measure:
    scenario: str
    connections: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    rss_mb: float
    # CPU time a request, in ms, of the gunicorn workers, of PostgreSQL and of
    # wrk (the three share the machine's cores); None when not measured
    cpu_ms: tuple[float, float, float] | None = None


def in_postgres(argv: list[str]) -> None:
    """Run again inside a throwaway cluster unless DATABASE_URL is PostgreSQL."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    script = str(ROOT / "tools" / "pg-test-cluster.sh")
    # commits as in production (fsync on); MOTCUA_PG_DURABLE=0 for the test
    # suite's fast cluster (to compare)
    os.environ.setdefault("MOTCUA_PG_DURABLE", "1")
    os.execv(script, [script, sys.executable, __file__, *argv])


def generate(n: int, check: bool) -> dict[str, Any]:
    command = [sys.executable, str(ROOT / "bench" / "generate.py"), "--dossiers"]
    command += [str(n), "--check" if check else "--no-check"]
    out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    os.environ["MOTCUA_SECRET_KEY"] = SECRET
    import django

    django.setup()


def _key(username: str) -> str:
    from django.contrib.auth import get_user_model

    from motcua.security.tokens import token_issue

    user = get_user_model().objects.get(username=username)
    return token_issue(user, name="bench", created_by=None, client="bench/http.py").key


def _deep(rows: Any, share: float = 0.5) -> str:
    """The list's own cursor after the dossier at ``share`` of the list."""
    from motcua.dossiers.selectors import encode_cursor

    ids = rows.order_by("-id").values_list("id", flat=True)
    count = ids.count()
    last = rows.model.objects.get(pk=ids[int(count * share)])
    return encode_cursor("-id", last)


def scenarios(info: dict[str, Any], sample: int = 500) -> list[Scenario]:
    from motcua.agencies.models import Agency
    from motcua.catalog.models import Procedure
    from motcua.dossiers.links import token_for
    from motcua.dossiers.models import Dossier

    ward = Agency.objects.get(code=info["ward"])
    officer, monitor = _key(info["officer"]), _key(info["monitor"])
    mine = Dossier.objects.filter(agency=ward)
    every = Dossier.objects.all()
    list_url = "/api/v1/dossiers/?limit=100"
    codes = list(mine.order_by("?").values_list("code", flat=True)[:sample])
    tracked = list(every.order_by("?").only("id", "code")[:sample])
    procedures = list(
        Procedure.objects.filter(agencies=ward, versions__isnull=False)
        .distinct()
        .values_list("code", flat=True)[:20]
    )
    bodies = [
        json.dumps(
            {
                "agency": ward.code,
                "procedure": procedures[i % len(procedures)],
                "channel": "direct",
                "applicant": {
                    "name": "Nguyễn Văn An",
                    "id_number": f"0{48090000000 + i:011d}",
                    "phone": f"09{10000000 + i:08d}",
                },
            },
            ensure_ascii=False,
        )
        for i in range(sample)
    ]
    year = "from=2025-01-01&to=2025-12-31"
    return [
        Scenario("list first, officer", "get", [list_url], officer),
        Scenario(
            "list deep, officer",
            "get",
            [f"{list_url}&cursor={_deep(mine)}"],
            officer,
        ),
        Scenario("list first, monitor", "get", [list_url], monitor),
        Scenario(
            "list deep, monitor",
            "get",
            [f"{list_url}&cursor={_deep(every)}"],
            monitor,
        ),
        Scenario(
            "one dossier", "get", [f"/api/v1/dossiers/{c}/" for c in codes], officer
        ),
        Scenario(
            "public tracking (QR)",
            "get",
            [f"/tra-cuu/qr/{token_for(d)}/" for d in tracked],
            "-",
        ),
        Scenario(
            "Biểu 06 ward-year",
            "get",
            [f"/api/v1/reports/bieu06?agency={ward.code}&{year}"],
            officer,
        ),
        Scenario("create", "create", bodies, officer),
        # the least any request costs here: the whole middleware stack, one
        # SELECT, a small JSON (the readiness check, ADR 0039) — the ceiling
        # against which the pages' rates read
        Scenario("floor: readiness check", "get", ["/healthz/"], "-"),
    ]


# ------------------------------------------------------------------ gunicorn
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    port: int, workers: int, log: Path, tree: Path = ROOT
) -> subprocess.Popen:
    """gunicorn of checkout ``tree`` (its own ``.venv``) on 127.0.0.1:``port``;
    its output (and Django's log) in ``log``."""
    import urllib.request

    gunicorn = tree / ".venv" / "bin" / "gunicorn"
    if not gunicorn.exists():
        sys.exit(f"bench/http.py: gunicorn is missing from {tree}/.venv (make install)")
    env = {**os.environ, "MOTCUA_SECRET_KEY": SECRET, "MOTCUA_DEBUG": "0"}
    server = subprocess.Popen(
        [
            str(gunicorn),
            "motcua.config.wsgi:application",
            *("--workers", str(workers), "--bind", f"127.0.0.1:{port}"),
            *("--log-level", "warning"),
        ],
        env=env,
        cwd=tree,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/v1/public/fields/", timeout=5
            ) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("bench/http.py: gunicorn did not answer within 60 s")


def workers_rss_mb(master: int) -> float:
    """The largest VmRSS of the master's children (the workers), in MB."""
    largest = 0
    for worker in _children(master):
        try:
            status = Path(f"/proc/{worker}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        largest = max(largest, int(fields.get("VmRSS", "0 kB").split()[0]))
    return largest / 1024


# ------------------------------------------------------------------ wrk
def wrk(
    url: str, scenario: Scenario, file: Path, connections: int, seconds: int
) -> dict[str, Any]:
    threads = min(connections, os.cpu_count() or 1)
    command = ["wrk", "-c", str(connections), "-t", str(threads)]
    command += ["-d", f"{seconds}s", "--timeout", "10s", "-s"]
    command += [str(ROOT / "bench" / "wrk.lua"), url, "--"]
    command += [scenario.mode, str(file), scenario.token]
    out = subprocess.run(
        command, check=True, stdout=subprocess.PIPE, text=True, timeout=seconds + 30
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(
    url: str, master: int, scenario: Scenario, folder: Path, args: Any
) -> list[Measure]:
    file = folder / f"{abs(hash(scenario.name))}.txt"
    file.write_text("\n".join(scenario.lines) + "\n", encoding="utf-8")
    rows = []
    for connections in args.connections:
        wrk(url, scenario, file, connections, args.warmup)
        spies = profile_start(args.profile, master, scenario, connections, args.seconds)
        before = cpu_ticks(master, args.postmaster)
        r = wrk(url, scenario, file, connections, args.seconds)
        after = cpu_ticks(master, args.postmaster)
        row = _measured(r, scenario.name, connections, workers_rss_mb(master))
        row.cpu_ms = cpu_per_request(before, after, r["requests"])
        rows.append(row)
        print(format_row(rows[-1]), file=sys.stderr)
        profile_end(spies, args.profile, scenario, connections, row)
    return rows


# ------------------------------------------------------------------ CPU
def _ticks(pid: int) -> tuple[int, int]:
    """CPU clock ticks of ``pid`` (user + system) and of its waited-for
    children; (0, 0) when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0, 0
    fields = stat[stat.rindex(")") + 2 :].split()
    # after the name: state ppid … utime(12) stime(13) cutime(14) cstime(15)
    return int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == parent:
                found.append(int(entry.name))
    return found


def _tree(root: int) -> int:
    """Ticks of ``root`` and its children, living and ended."""
    own, ended = _ticks(root)
    return own + ended + sum(sum(_ticks(child)) for child in _children(root))


def cpu_ticks(master: int, postmaster: int) -> tuple[int, int, int]:
    """Ticks so far of gunicorn (master and workers), of PostgreSQL (the
    postmaster and its backends) and of this process's ended children (wrk)."""
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_ticks = round((used.ru_utime + used.ru_stime) * os.sysconf("SC_CLK_TCK"))
    return _tree(master), _tree(postmaster) if postmaster else 0, wrk_ticks


def cpu_per_request(
    before: tuple[int, int, int], after: tuple[int, int, int], requests: int
) -> tuple[float, float, float]:
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    n = max(requests, 1)
    app, pg, load = ((a - b) * tick_ms / n for a, b in zip(after, before, strict=True))
    return app, pg, load


def postmaster_pid() -> int:
    """The PostgreSQL server's main process (its data folder's postmaster.pid)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        folder = cursor.fetchone()[0]
    connection.close()
    try:
        return int(Path(folder, "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError):
        return 0  # another machine, or not readable: PostgreSQL's CPU unknown


# ------------------------------------------------------------------ profile
def profile_start(
    folder: Path | None, master: int, scenario: Scenario, connections: int, seconds: int
) -> list[subprocess.Popen]:
    """``py-spy record`` on each worker for the measured run (``--profile``)."""
    if folder is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    spies = []
    for n, worker in enumerate(sorted(_children(master))):
        out = folder / f"{_slug(scenario.name)}-{connections}c-worker{n}.txt"
        command = ["py-spy", "record", "--pid", str(worker), "--rate", "250"]
        command += ["--duration", str(seconds), "--format", "raw", "--nonblocking"]
        command += ["--output", str(out)]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        spies.append(subprocess.Popen(command, **quiet))
    return spies


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# Where a worker's CPU goes, by the frames on its stack (a sample counts for
# every area one of its frames is in; "own code" = the innermost frame's file).
AREAS = {
    "templates (django.template)": "(django/template/",
    "forms": "(django/forms/",
    "DRF": "(rest_framework/",
    "ORM: compiling SQL": "as_sql (django/db/models/sql/",
    "ORM: model instances": "from_db (django/db/models/base",
    "database driver (psycopg)": "(psycopg/",
    "middleware (Django's and ours)": "middleware",
    "translation (gettext)": "gettext",
    "JSON": "(json/",
    "gunicorn": "(gunicorn/",
    "MotCua code": "(motcua/",
}


def profile_end(
    spies: list[subprocess.Popen],
    folder: Path | None,
    scenario: Scenario,
    connections: int,
    row: Measure,
) -> None:
    """Wait for py-spy, then write and print where the workers' CPU went."""
    if folder is None:
        return
    for spy in spies:
        spy.wait(timeout=60)
    stacks: dict[str, int] = {}
    stem = f"{_slug(scenario.name)}-{connections}c"
    for file in folder.glob(f"{stem}-worker*.txt"):
        for line in file.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if stack and count.isdigit():
                stacks[stack] = stacks.get(stack, 0) + int(count)
    total = sum(stacks.values()) or 1
    own: dict[str, int] = {}
    for stack, count in stacks.items():
        leaf = stack.rsplit(";", 1)[-1]
        own[leaf] = own.get(leaf, 0) + count
    lines = [f"{scenario.name}, {connections} connections: {total} samples"]
    if row.cpu_ms:
        app, pg, load = row.cpu_ms
        lines.append(
            f"CPU a request: gunicorn {app:.2f} ms, PostgreSQL {pg:.2f} ms, "
            f"wrk {load:.2f} ms"
        )
    lines.append("areas (share of the workers' samples with a frame there):")
    for area, mark in AREAS.items():
        share = sum(c for s, c in stacks.items() if mark in s) / total
        lines.append(f"  {share:6.1%}  {area}")
    lines.append("innermost frames (own time):")
    for leaf, count in sorted(own.items(), key=lambda kv: -kv[1])[:25]:
        lines.append(f"  {count / total:6.1%}  {leaf}")
    text = "\n".join(lines) + "\n"
    (folder / f"{stem}.summary.txt").write_text(text, encoding="utf-8")
    print(text, file=sys.stderr)


def _measured(
    r: dict[str, Any], scenario: str, connections: int, rss: float
) -> Measure:
    errors = r["status"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
    return Measure(
        scenario,
        connections,
        r["requests"] / (r["duration_us"] / 1e6),
        r["p50_us"] / 1000,
        r["p99_us"] / 1000,
        errors,
        r["requests"],
        rss,
    )


@dataclass
class Pair:
    """One scenario at one connection count, measured on two servers in
    alternating slices (``--against``)."""

    scenario: str
    connections: int
    a: list[Measure]  # the other checkout's server, one a round
    b: list[Measure]  # this checkout's

    def ratio(self) -> float:
        """The median of the rounds' B/A request rates."""
        ratios = sorted(b.rps / a.rps for a, b in zip(self.a, self.b, strict=True))
        return ratios[len(ratios) // 2]


def measure_ab(
    servers: list[tuple[str, int]], scenario: Scenario, folder: Path, args: Any
) -> list[Pair]:
    """``scenario`` on servers A and B (``(url, master pid)``): both warmed up,
    then ``args.rounds`` rounds of one slice each, the order reversed every
    other round (A B, B A, …) so that the host's drift falls on both."""
    file = folder / f"{abs(hash(scenario.name))}.txt"
    file.write_text("\n".join(scenario.lines) + "\n", encoding="utf-8")
    pairs = []
    for connections in args.connections:
        for url, _ in servers:
            wrk(url, scenario, file, connections, args.warmup)
        runs: list[list[Measure]] = [[], []]
        for round_ in range(args.rounds):
            order = (0, 1) if round_ % 2 == 0 else (1, 0)
            for side in order:
                url, master = servers[side]
                r = wrk(url, scenario, file, connections, args.seconds)
                runs[side].append(
                    _measured(r, scenario.name, connections, workers_rss_mb(master))
                )
        pair = Pair(scenario.name, connections, runs[0], runs[1])
        print(format_pair(pair), file=sys.stderr)
        pairs.append(pair)
    return pairs


# ------------------------------------------------------------------ pgbench
def pgbench(seconds: int) -> dict[str, float]:
    """Today's pgbench on the same cluster, in a database of its own."""
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS pgbench")
        conn.execute("CREATE DATABASE pgbench")
    where = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    where += ["-U", url.username or "postgres"]
    tool = shutil.which("pgbench") or "pgbench"
    subprocess.run(
        [tool, *where, "-i", "-q", "-s", "10", "pgbench"],
        check=True,
        capture_output=True,
    )
    results = {}
    for name, extra in (("select-only (-S)", ["-S"]), ("TPC-B-like", [])):
        out = subprocess.run(
            [
                tool,
                *where,
                "-c",
                "16",
                "-j",
                "2",
                "-T",
                str(seconds),
                *extra,
                "pgbench",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        tps = re.search(r"tps = ([\d.]+)", out)
        results[name] = float(tps.group(1)) if tps else 0.0
    return results


# ------------------------------------------------------------------ output
def format_row(m: Measure) -> str:
    cpu = " / ".join(f"{ms:.2f}" for ms in m.cpu_ms) if m.cpu_ms else "–"
    return (
        f"| {m.scenario} | {m.connections} | {m.rps:,.1f} | {m.p50_ms:.1f} "
        f"| {m.p99_ms:.1f} | {m.errors} | {m.rss_mb:.0f} | {cpu} |"
    )


HEADER = (
    "| scenario | conns | req/s | p50 ms | p99 ms | errors | worker RSS MB "
    "| CPU ms a request: gunicorn / PostgreSQL / wrk |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def format_pair(p: Pair) -> str:
    def rates(runs: list[Measure]) -> str:
        return " / ".join(f"{m.rps:,.1f}" for m in runs)

    def p50(runs: list[Measure]) -> float:
        return sorted(m.p50_ms for m in runs)[len(runs) // 2]

    errors = sum(m.errors for m in p.a + p.b)
    rss = f"{max(m.rss_mb for m in p.a):.0f} / {max(m.rss_mb for m in p.b):.0f}"
    return (
        f"| {p.scenario} | {p.connections} | {rates(p.a)} | {rates(p.b)} "
        f"| {p50(p.a):.1f} / {p50(p.b):.1f} | **× {p.ratio():.2f}** | {errors} "
        f"| {rss} |"
    )


HEADER_AB = (
    "| scenario | conns | A req/s (rounds) | B req/s (rounds) | p50 ms A / B "
    "| B/A (median) | errors | worker RSS MB A / B |\n"
    "| --- | ---: | --- | --- | --- | ---: | ---: | --- |"
)


def machine() -> str:
    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()}"


def commit(tree: Path = ROOT) -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() or "unknown"


def durability() -> str:
    """How the cluster commits (``SHOW`` on the benchmark's own connection)."""
    from django.db import connection

    with connection.cursor() as cursor:
        shown = []
        for name in ("fsync", "synchronous_commit", "full_page_writes"):
            cursor.execute(f"SHOW {name}")
            shown.append(f"{name} {cursor.fetchone()[0]}")
    return "PostgreSQL " + ", ".join(shown)


def pgbench_line(pg: dict[str, float], args: Any) -> str:
    return (
        "pgbench on the same cluster (scale 10, 16 clients, "
        f"{args.pgbench} s): "
        + ", ".join(f"{name} {tps:,.0f} tps" for name, tps in pg.items())
        + "."
    )


def report(info: dict, rows: list[Measure], pg: dict, load: tuple, args: Any) -> str:
    lines = [
        f"### {date.today().isoformat()} · commit {commit()} · {machine()}",
        "",
        f"{info['dossiers']:,} dossiers on PostgreSQL (generated: copies at "
        f"{info['write_per_s']:,}/s, figures rebuilt at {info['figures_per_s']:,}/s); "
        f"{durability()}; "
        f"gunicorn {args.workers} workers (sync); wrk {args.warmup} s warm-up + "
        f"{args.seconds} s measured; load average {load[0]:.1f} before, "
        f"{load[1]:.1f} after."
        + (
            " verify_history and recompute_figures --verify passed."
            if "check_s" in info
            else ""
        ),
        "",
        HEADER,
        *[format_row(m) for m in rows],
        "",
        pgbench_line(pg, args),
        "",
    ]
    return "\n".join(lines)


def report_ab(info: dict, pairs: list[Pair], pg: dict, load: tuple, args: Any) -> str:
    lines = [
        f"### {date.today().isoformat()} · A/B: A = commit {commit(args.against)}, "
        f"B = commit {commit()} · {machine()}",
        "",
        f"{info['dossiers']:,} dossiers on PostgreSQL, one database for both; "
        f"{durability()}; each server gunicorn {args.workers} workers (sync); wrk "
        f"{args.warmup} s warm-up on each, then {args.rounds} rounds of "
        f"{args.seconds} s on each, alternating (A B, B A, …); load average "
        f"{load[0]:.1f} before, {load[1]:.1f} after.",
        "",
        HEADER_AB,
        *[format_pair(p) for p in pairs],
        "",
        pgbench_line(pg, args),
        "",
    ]
    return "\n".join(lines)


def record(text: str) -> None:
    body = RESULTS.read_text(encoding="utf-8")
    marker = "\n# HTTP benchmark\n"
    if marker not in body:
        body += (
            marker + "\n`bench/http.py` (see its docstring; `make bench`): gunicorn on "
            "127.0.0.1 against a generated province (`bench/generate.py`), wrk at 1 "
            "and 16 connections. Targets (issue 15): create ≥ 300/s at 16 "
            "connections with p99 ≤ 100 ms and ≥ 100/s at 1; a 100-item list page, "
            "first or deep, p50 ≤ 20 ms at 100 k; one dossier and public tracking "
            "≥ 1,000 req/s with p99 ≤ 20 ms; worker RSS ≤ 150 MB. The peer (Open "
            "Zaak 1.30, same box): create 12.9/s at 1 connection, 25.8/s at 16; "
            "list first page 3.9/s and 6.9/s; deep page 2.1/s; one by code 14/s "
            "and 38.8/s.\n\n"
        )
    # at the end of this section: before the next top-level heading, if any
    end = body.find("\n# ", body.index(marker) + len(marker))
    end = len(body) if end < 0 else end + 1
    head, tail = body[:end].rstrip("\n") + "\n\n", body[end:]
    RESULTS.write_text(head + text + ("\n" + tail if tail else ""), encoding="utf-8")


def _check_profile(args: Any) -> None:
    if args.profile is None:
        return
    if args.against is not None:
        sys.exit("bench/http.py: --profile measures one server, not an A/B")
    if not shutil.which("py-spy"):
        sys.exit("bench/http.py: --profile needs py-spy (pip install py-spy)")
    args.profile = args.profile.resolve()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--pgbench", type=int, default=10, help="seconds per run")
    parser.add_argument("--only", nargs="*", help="scenario names starting so")
    parser.add_argument("--record", action="store_true")
    parser.add_argument(
        "--against",
        type=Path,
        help="A/B: another checkout (with its own .venv and the same schema) "
        "served beside this one over the same database; every scenario "
        "alternates between the two in slices of --seconds",
    )
    parser.add_argument("--rounds", type=int, default=3, help="A/B slices per side")
    parser.add_argument(
        "--profile",
        type=Path,
        help="record each measured run's workers with py-spy (on PATH) into "
        "this folder and print where their CPU went (not with --against)",
    )
    args = parser.parse_args()
    _check_profile(args)
    if args.against is not None:
        args.against = args.against.resolve()
    if not shutil.which("wrk"):
        sys.exit("bench/http.py: wrk is missing (tools/system-deps.sh bench)")
    in_postgres(sys.argv[1:])
    info = generate(args.dossiers, check=args.dossiers <= 20_000)
    setup_django()
    args.postmaster = postmaster_pid()
    chosen = scenarios(info)
    if args.only:
        chosen = [s for s in chosen if any(s.name.startswith(o) for o in args.only)]
    load_before = os.getloadavg()[0]
    rows: list[Measure] = []
    pairs: list[Pair] = []
    trees = [ROOT] if args.against is None else [args.against, ROOT]
    with tempfile.TemporaryDirectory(prefix="motcua-http-") as folder:
        servers: list[tuple[str, subprocess.Popen]] = []
        try:
            for n, tree in enumerate(trees):
                port = free_port()
                log = Path(folder) / f"gunicorn-{n}.log"
                servers.append(
                    (
                        f"http://127.0.0.1:{port}",
                        start_gunicorn(port, args.workers, log, tree),
                    )
                )
            for scenario in chosen:
                if args.against is None:
                    url, server = servers[0]
                    rows += measure(url, server.pid, scenario, Path(folder), args)
                else:
                    pairs += measure_ab(
                        [(url, server.pid) for url, server in servers],
                        scenario,
                        Path(folder),
                        args,
                    )
        finally:
            for _, server in servers:
                server.terminate()
                server.wait(timeout=30)
    pg = pgbench(args.pgbench)
    load = (load_before, os.getloadavg()[0])
    if args.against is None:
        text = report(info, rows, pg, load, args)
    else:
        text = report_ab(info, pairs, pg, load, args)
    print(text)
    if args.record:
        record(text)


if __name__ == "__main__":
    main()
