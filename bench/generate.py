"""A province with N dossiers, for benchmarks anyone can re-run (issue 15 item 4).

Run from the repository root::

    .venv/bin/python bench/generate.py --dossiers 2000          # SQLite, checked
    tools/pg-test-cluster.sh .venv/bin/python bench/generate.py --dossiers 100000

What it builds, in the database of ``DATABASE_URL`` (a fresh SQLite file when
unset), migrated first:

* the province: one province, 30 districts, 469 wards (500 agencies, ward codes
  as in ``bench/bieu06.py``); the reference catalogue offered at every ward;
* staff: at every ward one officer (``canbo.<n>``: reception and specialist,
  the roles ``agencies.Role`` defines) and a province monitor (``giamsat.tinh``,
  monitor over the subtree); the template ward also has the demo's full team;
* templates: ``--templates`` days of dossiers at ward 0 made **through the real
  services** by the demo's generator (``motcua.demo.generator.generate``, an
  injected clock): receptions, refusals, supplements, assignments, steps,
  results, returns, withdrawals — the rows and events the services write;
* the N dossiers: copies of those templates spread over the wards and over the
  weeks of 2023 → now (only settled, withdrawn or refused templates are moved
  into the past, so older dossiers are closed), written in bulk (PostgreSQL
  ``COPY`` from ``--jobs`` processes; SQLite ``bulk_create``): applicant,
  dossier, components, steps and events. A copy
  keeps the template's shape (every field, payload key and snapshot key) and
  changes the ward, the officer, the applicant (name, ID, phone, salt), the
  code (the ward's own per-day numbering, ``codes.format_code``), and moves
  every instant by whole weeks (weekday and hour kept; holidays are not
  re-checked). Each snapshot is the template's with those changes and the
  applicant's fingerprint from ``history.applicant_fingerprint``; each event's
  hash is computed with ``history.event_hash`` — the one definition
  (``verify_history`` then proves chain and snapshots against the rows);
* the figures: ``motcua recompute_figures`` (its ``rebuild``, which replays the
  events through the live observer's own functions); the daily counters set
  at the last numbers used, so live receptions go on from there;
* checks (``--check``, default for N ≤ 20,000): ``motcua verify_history`` and
  ``motcua recompute_figures --verify`` must pass.

Templates with a consultation, a file, a payment or a transfer between agencies
are not copied (they name another agency's rows); they stay as made.

It prints the rates (dossiers/s of the bulk write, of the figures, overall) on
standard error with a progress bar, and on standard output one line of JSON
(counts, seconds, the accounts) that ``bench/http.py`` reads.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# bench/http.py would stand for the standard library's ``http`` (Django imports
# it): this folder off sys.path, the sources on it.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))
OFFICER_PASSWORD = "motcua-bench-2026"
MONITOR = "giamsat.tinh"
PROVINCE_CODE = "000.00.00.H99"
FIRST_DAY = date(2023, 1, 2)  # a Monday: copies start on or after it
WEEK = timedelta(days=7)


def setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="motcua-bench-generate-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    os.environ.setdefault("MOTCUA_SECRET_KEY", "bench-only-not-secret")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Progress:
    """A progress bar with the rate, on standard error."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label = total, label
        self.started = self.shown = time.perf_counter()
        self.done = 0

    def add(self, n: int) -> None:
        self.done += n
        now = time.perf_counter()
        if now - self.shown >= 0.5 or self.done >= self.total:
            self.shown = now
            self.draw(now)

    def draw(self, now: float) -> None:
        share = self.done / self.total if self.total else 1.0
        rate = self.done / max(now - self.started, 1e-9)
        bar = "#" * int(share * 30)
        left = (self.total - self.done) / rate if rate else 0
        print(
            f"\r{self.label} [{bar:<30}] {self.done:,}/{self.total:,} "
            f"{rate:,.0f}/s, {left:,.0f} s left ",
            end="",
            file=sys.stderr,
            flush=True,
        )

    def close(self) -> float:
        seconds = time.perf_counter() - self.started
        self.draw(time.perf_counter())
        print(file=sys.stderr)
        return seconds


# ------------------------------------------------------------------ province
@dataclass
class Province:
    root: Any
    wards: list[Any]
    officers: list[Any]  # one a ward, same order
    monitor: Any


def build_province(n_wards: int = 469, n_districts: int = 30) -> Province:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from motcua.agencies.models import Agency, Membership, Role
    from motcua.agencies.services import agency_create
    from motcua.catalog.services import load_reference_catalogue

    level = Agency.Level
    root = agency_create(code=PROVINCE_CODE, name="UBND tỉnh (bench)", level="province")
    districts = [
        agency_create(
            code=f"000.00.{d:02d}.H99",
            name=f"UBND huyện {d} (đến 30/06/2025)",
            level=level.DISTRICT,
            parent=root,
        )
        for d in range(1, n_districts + 1)
    ]
    wards = [
        agency_create(
            code=f"000.{w // 100:02d}.{w % 100:02d}.W99",
            name=f"UBND xã {w}",
            level=level.COMMUNE,
            parent=districts[w % n_districts],
        )
        for w in range(n_wards)
    ]
    load_reference_catalogue(wards)
    users = get_user_model()
    password = make_password(OFFICER_PASSWORD)  # hashed once for all of them
    officers = users.objects.bulk_create(
        [
            users(
                username=f"canbo.{n}",
                password=password,
                last_name="Cán bộ",
                first_name=f"xã {n}",
            )
            for n in range(len(wards))
        ]
    )
    Membership.objects.bulk_create(
        Membership(user=user, agency=ward, role=role)
        for user, ward in zip(officers, wards, strict=True)
        for role in (Role.RECEPTION, Role.SPECIALIST)
    )
    monitor = users.objects.create(
        username=MONITOR, password=password, last_name="Giám sát", first_name="tỉnh"
    )
    Membership.objects.create(
        user=monitor, agency=root, role=Role.MONITOR, covers_subtree=True
    )
    return Province(root, wards, officers, monitor)


def make_templates(province: Province, days: int, per_day: float) -> int:
    """``days`` days of dossiers at ward 0, through the real services."""
    from django.db import transaction

    from motcua.core import clock
    from motcua.demo.generator import Consultee, generate
    from motcua.demo.staff import ward_staff
    from motcua.dossiers import observers
    from motcua.dossiers.services import bulk_work

    ward = province.wards[0]
    staff = ward_staff(ward, "bench", OFFICER_PASSWORD)
    consultee = Consultee(ward.parent, staff.social_specialist)
    end = clock.now()
    with transaction.atomic(), bulk_work(), observers.batched() as figures:
        report = generate(
            [staff],
            consultees={ward.pk: consultee},
            start=end.date() - timedelta(days=days),
            end=end,
            per_day=per_day,
            line=figures.line,
        )
    return report.dossiers


# ------------------------------------------------------------------ templates
TABLES = ("applicant", "dossier", "component", "step", "event")


@dataclass
class Template:
    """One dossier made through the services, as rows (attribute names)."""

    applicant: dict[str, Any]
    dossier: dict[str, Any]
    components: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    events: list[dict[str, Any]]
    fingerprints: dict[str, bool]  # template fingerprint → after the return
    closed: bool


def _rows(model: Any, **filters: Any) -> list[dict[str, Any]]:
    names = [f.attname for f in model._meta.concrete_fields]
    return list(model.objects.filter(**filters).order_by("id").values(*names))


def load_templates(ward: Any) -> list[Template]:
    """Ward 0's dossiers whose rows are only applicant, components, steps and
    events (nothing naming another agency or a file)."""
    from types import SimpleNamespace

    from motcua.dossiers.history import applicant_fingerprint
    from motcua.dossiers.models import (
        Applicant,
        Consultation,
        Dossier,
        DossierComponent,
        DossierFile,
        Event,
        Step,
    )
    from motcua.dossiers.workflow import Status

    skip = set(Consultation.objects.values_list("dossier_id", flat=True))
    skip |= set(DossierFile.objects.values_list("dossier_id", flat=True))
    by_id: dict[str, dict[int, list]] = {}
    for name, model in (
        ("component", DossierComponent),
        ("step", Step),
        ("event", Event),
    ):
        grouped: dict[int, list] = defaultdict(list)
        for row in _rows(model, dossier__agency=ward):
            grouped[row["dossier_id"]].append(row)
        by_id[name] = grouped
    applicants = {a["id"]: a for a in _rows(Applicant, agency=ward)}
    final = {Status.RETURNED, Status.WITHDRAWN, Status.NOT_RECEIVED}
    templates = []
    for d in _rows(Dossier, agency=ward):
        events = by_id["event"][d["id"]]
        if d["id"] in skip or d["payment_status"] not in ("not_required", ""):
            continue
        if any(e["agency_id"] != ward.pk for e in events):
            continue
        applicant = applicants[d["applicant_id"]]
        person = SimpleNamespace(**applicant)
        before = SimpleNamespace(
            applicant=person, returned_to_name="", returned_to_id_number=""
        )
        after = SimpleNamespace(
            applicant=person,
            returned_to_name=d["returned_to_name"],
            returned_to_id_number=d["returned_to_id_number"],
        )
        prints = {
            applicant_fingerprint(before): False,  # type: ignore[arg-type]
            applicant_fingerprint(after): True,  # type: ignore[arg-type]
        }
        if any(e["payload"]["snapshot"]["applicant"] not in prints for e in events):
            continue
        templates.append(
            Template(
                applicant,
                d,
                by_id["component"][d["id"]],
                by_id["step"][d["id"]],
                events,
                prints,
                d["status"] in final,
            )
        )
    return templates


# ------------------------------------------------------------------ copies
@dataclass
class Plan:
    """What every worker needs to write copies ``[start, stop)``."""

    templates: list[Template]
    wards: list[tuple[int, str]]  # (id, code) — copies go to wards 1…
    officers: list[tuple[int, str]]  # (id, username), same order
    weights: list[int]
    template_ward: int
    template_users: set[int]
    weeks: int  # copies are moved back by 0…weeks weeks
    first_id: dict[str, int]  # first free id per table
    per_dossier: dict[str, int]  # id slots a copy takes per table
    seed: int
    postgres: bool


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa"]


def _escaped(text: str) -> str:
    """Text as COPY's text format wants it."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _converter(internal_type: str) -> Any:
    """value → COPY text, by the column's Django type."""
    if internal_type == "JSONField":
        return lambda v: _escaped(
            json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        )
    if internal_type == "BooleanField":
        return lambda v: "t" if v else "f"
    if internal_type in ("DateTimeField", "DateField"):
        return lambda v: "\\N" if v is None else v.isoformat()
    if internal_type in ("CharField", "TextField", "EmailField", "SlugField"):
        return lambda v: "\\N" if v is None else _escaped(v)
    return lambda v: "\\N" if v is None else str(v)


@dataclass
class Target:
    """Where one copy goes: its ward, officer, ids and how far back it moves."""

    plan: Plan
    ward_id: int
    officer_id: int
    officer_name: str
    weeks: int
    ids: dict[str, int]

    @property
    def delta(self) -> timedelta:
        return self.weeks * WEEK

    def who(self, user_id: int | None) -> int | None:
        return self.officer_id if user_id in self.plan.template_users else user_id

    def where(self, agency_id: int | None) -> int | None:
        return self.ward_id if agency_id == self.plan.template_ward else agency_id

    def moved(self, row: dict[str, Any], instants: list[str]) -> dict[str, Any]:
        """A copy of ``row`` with its ``instants`` (column names) moved back."""
        row, delta = dict(row), self.delta
        for name in instants:
            if row[name] is not None:
                row[name] -= delta
        return row


class Copier:
    """Writes copies of the templates: one instance a worker process."""

    def __init__(self, plan: Plan) -> None:
        from motcua.dossiers.history import SNAPSHOT_FIELDS

        self.plan = plan
        self.days: dict[tuple[str, int], str] = {}
        self.times = [n for n in SNAPSHOT_FIELDS if n.endswith("_at")]
        self.converters = {
            name: [_converter(f.get_internal_type()) for f in fields]
            for name, fields in _fields().items()
        }
        self.instants = {
            name: [
                f.attname for f in fields if f.get_internal_type() == "DateTimeField"
            ]
            for name, fields in _fields().items()
        }

    def shift_text(self, text: str | None, weeks: int) -> str | None:
        """An instant as the snapshot writes it (UTC ISO), ``weeks`` earlier."""
        if text is None:
            return None
        key = (text[:10], weeks)
        day = self.days.get(key)
        if day is None:
            day = (date.fromisoformat(text[:10]) - weeks * WEEK).isoformat()
            self.days[key] = day
        return day + text[10:]

    def chunk(self, start: int, picks: list[tuple[int, int, int, int]]) -> Any:
        """Rows (or COPY text on PostgreSQL) of copies ``start…`` as picked:
        (template, ward, weeks moved back, number of the day)."""
        plan = self.plan
        rng = random.Random(plan.seed * 1_000_003 + start)
        out: dict[str, list] = {name: [] for name in TABLES}
        for n, (pick, ward, weeks, number) in enumerate(picks):
            index = start + n
            target = Target(
                plan,
                plan.wards[ward][0],
                *plan.officers[ward],
                weeks,
                {
                    name: plan.first_id[name] + index * plan.per_dossier[name]
                    for name in TABLES
                },
            )
            self.copy(
                plan.templates[pick], target, plan.wards[ward][1], number, rng, out
            )
        if not plan.postgres:
            return out
        return {
            name: "".join(
                "\t".join(
                    [
                        f(v)
                        for f, v in zip(
                            self.converters[name], row.values(), strict=True
                        )
                    ]
                )
                + "\n"
                for row in rows
            )
            for name, rows in out.items()
        }

    def copy(
        self,
        t: Template,
        to: Target,
        ward_code: str,
        number: int,
        rng: random.Random,
        out: dict[str, list],
    ) -> None:
        from motcua.core.text import fold
        from motcua.dossiers.codes import format_code

        # the applicant: another person, a fresh salt
        a = to.moved(t.applicant, self.instants["applicant"])
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        a.update(
            id=to.ids["applicant"],
            agency_id=to.ward_id,
            name=name,
            id_number=f"0{rng.randrange(10**11):011d}",
            phone=f"09{rng.randrange(10**8):08d}" if a["phone"] else "",
            fingerprint_salt=secrets.token_hex(16),
        )
        # the dossier: the ward's own code for the (moved) day
        d = to.moved(t.dossier, self.instants["dossier"])
        code = format_code(ward_code, code_day(t) - to.delta, number)
        d.update(
            id=to.ids["dossier"],
            agency_id=to.ward_id,
            code=code,
            applicant_id=a["id"],
            received_by_id=to.who(d["received_by_id"]),
            received_by_agency_id=to.where(d["received_by_agency_id"]),
            signed_by_id=to.who(d["signed_by_id"]),
            counter_id=None,
            search_text=fold(f"{code} {name}")[:600],
        )
        if d["returned_to_name"] == t.applicant["name"]:
            d["returned_to_name"] = name
            d["returned_to_id_number"] = a["id_number"]
        step_ids = {s["id"]: to.ids["step"] + j for j, s in enumerate(t.steps)}
        for j, c in enumerate(t.components):
            out["component"].append(
                {**c, "id": to.ids["component"] + j, "dossier_id": d["id"]}
            )
        for s in t.steps:
            s = to.moved(s, self.instants["step"])
            s.update(
                id=step_ids[s["id"]],
                dossier_id=d["id"],
                agency_id=to.where(s["agency_id"]),
                assignee_id=to.who(s["assignee_id"]),
                ended_by_id=to.who(s["ended_by_id"]),
            )
            out["step"].append(s)
        out["event"] += self.events(t, to, d, a, step_ids)
        out["applicant"].append(a)
        out["dossier"].append(d)

    def events(
        self,
        t: Template,
        to: Target,
        d: dict[str, Any],
        a: dict[str, Any],
        step_ids: dict[int, int],
    ) -> list[dict[str, Any]]:
        """The copy's events: snapshots rebuilt, each hash by ``event_hash``."""
        from types import SimpleNamespace

        from motcua.dossiers.history import applicant_fingerprint, event_hash

        person = SimpleNamespace(**a)
        prints = {}
        for old, after in t.fingerprints.items():
            holder = SimpleNamespace(
                applicant=person,
                returned_to_name=d["returned_to_name"] if after else "",
                returned_to_id_number=d["returned_to_id_number"] if after else "",
            )
            prints[old] = applicant_fingerprint(holder)  # type: ignore[arg-type]
        rows = []
        prev = t.events[0]["prev_hash"]
        for j, e in enumerate(t.events):
            payload = dict(e["payload"])
            snap = dict(payload["snapshot"])
            for key in self.times:
                snap[key] = self.shift_text(snap[key], to.weeks)
            snap.update(
                agency_id=to.where(snap["agency_id"]),
                code=d["code"],
                applicant=prints[snap["applicant"]],
            )
            payload["snapshot"] = snap
            if payload.get("assignee"):
                payload["assignee"] = to.officer_name
            if "opened" in payload:
                payload["opened"] = [step_ids[i] for i in payload["opened"]]
            row = to.moved(e, self.instants["event"])
            row.update(
                id=to.ids["event"] + j,
                dossier_id=d["id"],
                agency_id=to.where(e["agency_id"]),
                actor_id=to.who(e["actor_id"]),
                actor_name=to.officer_name if e["actor_name"] else "",
                step_id=step_ids.get(e["step_id"]),
                payload=payload,
                prev_hash=prev,
            )
            row["hash"] = prev = event_hash(SimpleNamespace(**row), d["code"])  # type: ignore[arg-type]
            rows.append(row)
        return rows


_copier: Copier | None = None


def _init_worker(plan: Plan) -> None:
    global _copier
    _copier = Copier(plan)


def _work(job: tuple[int, list]) -> tuple[int, Any]:
    assert _copier is not None
    return len(job[1]), _copier.chunk(*job)


def code_day(t: Template) -> date:
    """The day in the template's code (the day its number was given)."""
    day = t.dossier["code"].rsplit("-", 2)[1]
    return date(2000 + int(day[:2]), int(day[2:4]), int(day[4:]))


def picks(
    plan: Plan, total: int, chunk: int, numbers: dict[tuple[int, date], int]
) -> Iterator[tuple[int, list[tuple[int, int, int, int]]]]:
    """For each chunk of copies: which template, ward and week each copy is,
    and its number of the day at that ward (counted here, in one process)."""
    rng = random.Random(plan.seed)
    closed = [i for i, t in enumerate(plan.templates) if t.closed]
    every = list(range(len(plan.templates)))
    days = [code_day(t) for t in plan.templates]
    for start in range(0, total, chunk):
        size = min(chunk, total - start)
        wards = rng.choices(range(len(plan.wards)), plan.weights, k=size)
        batch = []
        for ward in wards:
            weeks = rng.randint(0, plan.weeks)
            pick = rng.choice(closed if weeks else every)
            key = (plan.wards[ward][0], days[pick] - weeks * WEEK)
            numbers[key] += 1
            batch.append((pick, ward, weeks, numbers[key]))
        yield start, batch


# ------------------------------------------------------------------ writing
def _models() -> dict[str, Any]:
    from motcua.dossiers.models import (
        Applicant,
        Dossier,
        DossierComponent,
        Event,
        Step,
    )

    return {
        "applicant": Applicant,
        "dossier": Dossier,
        "component": DossierComponent,
        "step": Step,
        "event": Event,
    }


def _fields() -> dict[str, list[Any]]:
    return {name: list(m._meta.concrete_fields) for name, m in _models().items()}


def make_plan(province: Province, templates: list[Template], seed: int) -> Plan:
    from django.db import connection
    from django.db.models import Max

    from motcua.core import clock

    models = _models()
    first_id = {
        name: (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        for name, model in models.items()
    }
    per = {
        "applicant": 1,
        "dossier": 1,
        "component": max(len(t.components) for t in templates) or 1,
        "step": max(len(t.steps) for t in templates) or 1,
        "event": max(len(t.events) for t in templates),
    }
    latest = max(t.dossier["created_at"] for t in templates).date()
    weeks = (latest - FIRST_DAY).days // 7 - 9  # the templates span ~60 days
    template_ward = province.wards[0].pk
    from django.contrib.auth import get_user_model

    users = set(
        get_user_model()
        .objects.filter(memberships__agency_id=template_ward)
        .exclude(username__startswith="canbo.")
        .values_list("id", flat=True)
    )
    wards = province.wards[1:]
    officers = province.officers[1:]
    del clock
    return Plan(
        templates=templates,
        wards=[(w.pk, w.code) for w in wards],
        officers=[(o.pk, o.username) for o in officers],
        weights=[20 if i == 0 else 1 for i in range(len(wards))],
        template_ward=template_ward,
        template_users=users,
        weeks=max(weeks, 0),
        first_id=first_id,
        per_dossier=per,
        seed=seed,
        postgres=connection.vendor == "postgresql",
    )


def write_postgres(texts: dict[str, str]) -> None:
    from django.db import connection

    models = _models()
    with connection.cursor() as cursor:
        for name in TABLES:
            model = models[name]
            columns = ", ".join(
                connection.ops.quote_name(f.column) for f in model._meta.concrete_fields
            )
            table = connection.ops.quote_name(model._meta.db_table)
            sql = f"COPY {table} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                copy.write(texts[name])


def write_rows(rows: dict[str, list[dict[str, Any]]]) -> None:
    models = _models()
    for name in TABLES:
        model = models[name]
        model.objects.bulk_create([model(**r) for r in rows[name]], batch_size=500)


def write_copies(plan: Plan, total: int, jobs: int, chunk: int) -> float:
    """The copies, made by ``jobs`` processes and written by this one in one
    transaction; returns the seconds taken."""
    import multiprocessing

    from django.db import connection, transaction

    numbers: dict[tuple[int, date], int] = defaultdict(int)
    progress = Progress(total, "dossiers")
    connection.close()  # not shared with the forked workers
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, _init_worker, (plan,)) as pool, transaction.atomic():
        if plan.postgres:  # rows made consistent here: no foreign-key triggers
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        for count, rows in pool.imap(_work, picks(plan, total, chunk, numbers)):
            if plan.postgres:
                write_postgres(rows)
            else:
                write_rows(rows)
            progress.add(count)
        save_counters(numbers)
        reset_sequences()
    return progress.close()


def save_counters(numbers: dict[tuple[int, date], int]) -> None:
    """Each (ward, day) counter at the last number the copies took, so that
    live receptions go on from there."""
    from motcua.dossiers.models import DailyCounter

    DailyCounter.objects.bulk_create(
        [DailyCounter(agency_id=a, day=d, last=n) for (a, d), n in numbers.items()],
        batch_size=5000,
    )


def reset_sequences() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    sql = connection.ops.sequence_reset_sql(no_style(), list(_models().values()))
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


# ------------------------------------------------------------------ main
def check() -> None:
    """The two proofs the issue asks for: every chain and snapshot intact, the
    figures equal to a replay of the history."""
    from django.core.management import call_command

    call_command("verify_history")
    call_command("recompute_figures", verify=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--wards", type=int, default=469)
    parser.add_argument(
        "--templates", type=int, default=60, help="days of template dossiers"
    )
    parser.add_argument("--per-day", type=float, default=8.0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--check",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="verify_history and recompute_figures --verify (default: N ≤ 20,000)",
    )
    args = parser.parse_args()
    random.seed(args.seed)
    setup()
    from django.db import connection

    started = time.perf_counter()
    province = build_province(args.wards)
    made = make_templates(province, args.templates, args.per_day)
    templates = load_templates(province.wards[0])
    prepared = time.perf_counter() - started
    print(
        f"province: {len(province.wards)} wards; {made} template dossiers through "
        f"the services, {len(templates)} copied; {prepared:.0f} s",
        file=sys.stderr,
    )
    plan = make_plan(province, templates, args.seed)
    copies = max(args.dossiers - made, 0)
    write_s = write_copies(plan, copies, args.jobs, args.chunk)
    from motcua.reports.recompute import rebuild

    print("figures: recompute_figures (replay of every event) …", file=sys.stderr)
    t0 = time.perf_counter()
    rebuild()
    figures_s = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    total_s = time.perf_counter() - started
    summary = {
        "database": connection.vendor,
        "dossiers": made + copies,
        "templates": made,
        "copies": copies,
        "write_s": round(write_s, 1),
        "write_per_s": round(copies / write_s) if write_s else 0,
        "figures_s": round(figures_s, 1),
        "figures_per_s": round((made + copies) / figures_s) if figures_s else 0,
        "total_s": round(total_s, 1),
        "officer": province.officers[1].username,
        "ward": province.wards[1].code,
        "monitor": MONITOR,
        "province": PROVINCE_CODE,
    }
    print(
        f"{summary['dossiers']:,} dossiers on {summary['database']}: copies written "
        f"at {summary['write_per_s']:,}/s ({write_s:.1f} s), figures rebuilt at "
        f"{summary['figures_per_s']:,}/s ({figures_s:.1f} s); {total_s:.0f} s in all",
        file=sys.stderr,
    )
    if args.check if args.check is not None else args.dossiers <= 20_000:
        t0 = time.perf_counter()
        check()
        summary["check_s"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
