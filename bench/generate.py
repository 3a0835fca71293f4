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
  ``COPY`` from ``--jobs`` processes; SQLite: the same text read back by each
  field, ``bulk_create``): applicant, dossier, components, steps and events.
  A copy keeps the template's shape (every field, payload key and snapshot
  key) and changes the ward, the officer, the applicant (name, ID, phone,
  salt), the code (the ward's own per-day numbering, ``codes.format_code``),
  and moves every instant by whole weeks (weekday and hour kept; holidays are
  not re-checked);
* the figures of the copies (fact, intervals, buckets), written with them.

How a copy is made fast (issue 15) and why it is the same:

* **Patterns.** Each template is rendered once — COPY lines of its five tables
  — with a *slot* wherever a copy differs (ids, ward, officer, applicant, code,
  each instant, fingerprints, hashes); a copy is a few ``str.format_map``.
  The text each event's hash covers is **captured from** ``history.event_hash``
  (called once on the template's event with slots, ``hashlib`` stood in for),
  and so is the text of ``history.applicant_fingerprint``: the one definition
  gives the bytes, a copy only fills values in (ints and strings that JSON
  writes as they are — tested) and hashes them with SHA-256. The plain way
  (:class:`Reference`: rows as dicts, ``event_hash`` and
  ``applicant_fingerprint`` called for every event) is kept: every template's
  first copy in each process and one copy in ``check_every`` (1,000) are also
  made that way and must be equal character for character, or the run stops;
  the tests compare every template at several shifts (SQLite, PostgreSQL).
* **Figures.** The template's timeline is folded once by the functions
  ``recompute_figures`` replays with (``state_after``, ``local_day``,
  ``advance``; rows by ``fact_row``, ``interval_rows``; changes by
  ``contributions``), with a slot for every day. A copy's are those moved by
  its whole weeks: the fold only compares days and adds whole days
  (``day_timing``, ``first_overdue_day``) and reads no calendar, and a copy's
  events are its template's moved by whole weeks (UTC has no summer time).
  Not taken on trust: the sampled copies above are also folded from their own
  moved events and compared (rows and dated changes), and ``--check`` runs
  ``recompute_figures --verify`` (the one definition, over every dossier).
  The buckets are ``bucket_changes`` of the summed changes, written with
  ``add_to_buckets``, or (PostgreSQL, no bucket of the copies' wards yet) one
  COPY of the same rows. ``--replay-figures`` rebuilds them all the old way.
* **Load.** PostgreSQL: one transaction, no foreign-key triggers (rows made
  consistent here), the plain indexes (not primary, not unique) of the seven
  tables dropped and rebuilt from their own definitions after the load
  (``--no-drop-indexes`` keeps them);
* the daily counters set at the last numbers used, so live receptions go on
  from there;
* checks (``--check``, default for N ≤ 20,000): ``motcua verify_history`` and
  ``motcua recompute_figures --verify`` must pass.

Templates with a consultation, a file, a payment or a transfer between agencies
are not copied (they name another agency's rows); they stay as made.

It prints the rate (dossiers/s, copies with their figures) on standard error
with a progress bar, and on standard output one line of JSON (counts, seconds,
the CPU seconds of the workers, of this process and of its PostgreSQL server
process, the load, the accounts) that ``bench/http.py`` reads.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
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
FIGURES = ("fact", "interval")  # the figure rows a copy adds (reports tables)


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
    check_every: int = 1000  # a copy in so many is also made the reference way


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa"]


@dataclass(frozen=True)
class Person:
    """The applicant a copy gets instead of the template's."""

    name: str
    id_number: str
    phone: str
    salt: str


def draw_person(rng: random.Random) -> Person:
    return Person(
        f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        f"0{rng.randrange(10**11):011d}",
        f"09{rng.randrange(10**8):08d}",
        f"{rng.getrandbits(128):032x}",  # a fresh salt, as token_hex(16) makes
    )


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


def shift_text(text: str | None, weeks: int, days: dict[tuple[str, int], str]) -> Any:
    """An instant as written in UTC ISO form (a snapshot's, or a column's
    ``isoformat()``), ``weeks`` earlier: the date moves, the time stays (UTC
    has no summer time). ``days`` caches the dates."""
    if text is None:
        return None
    key = (text[:10], weeks)
    day = days.get(key)
    if day is None:
        day = (date.fromisoformat(text[:10]) - weeks * WEEK).isoformat()
        days[key] = day
    return day + text[10:]


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


def target_of(plan: Plan, index: int, ward: int, weeks: int) -> Target:
    return Target(
        plan,
        plan.wards[ward][0],
        *plan.officers[ward],
        weeks,
        {
            name: plan.first_id[name] + index * plan.per_dossier[name]
            for name in (*TABLES, "interval")
        },
    )


class Reference:
    """A copy the plain way (the generator before issue 15's speed-up): rows as
    dicts, every snapshot rebuilt, every hash by ``history.event_hash``. The
    fast :class:`Copier` must write exactly the text this one renders; it is
    compared on a sample of copies while generating and in the tests."""

    def __init__(self) -> None:
        from motcua.dossiers.history import SNAPSHOT_FIELDS

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

    def render(self, rows: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
        """COPY text of ``rows`` (every column, in the model's order)."""
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
                for row in rows[name]
            )
            for name in TABLES
        }

    def copy(
        self,
        t: Template,
        to: Target,
        ward_code: str,
        number: int,
        person: Person,
        out: dict[str, list],
    ) -> None:
        from motcua.core.text import fold
        from motcua.dossiers.codes import format_code

        # the applicant: another person, a fresh salt
        a = to.moved(t.applicant, self.instants["applicant"])
        a.update(
            id=to.ids["applicant"],
            agency_id=to.ward_id,
            name=person.name,
            id_number=person.id_number,
            phone=person.phone if a["phone"] else "",
            fingerprint_salt=person.salt,
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
            search_text=fold(f"{code} {person.name}")[:600],
        )
        if d["returned_to_name"] == t.applicant["name"]:
            d["returned_to_name"] = person.name
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
                snap[key] = shift_text(snap[key], to.weeks, self.days)
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


# ------------------------------------------------------------------ patterns
# The fast copy: each template is rendered once with a *slot* (a name between
# two private-use characters) wherever a copy differs — ids, ward, officer,
# applicant, code, every instant, fingerprints, hashes. The rendered text is
# turned into a ``str.format_map`` pattern, so a copy costs a few formats and
# one SHA-256 an event. The hashed text of each event is the very text
# ``history.event_hash`` hashes: it is captured from that function (called on
# the template's event with slots), never rebuilt here.
_MARK = "\ue000%s\ue001"
_QUOTED = re.compile('"\ue000(\\w+)\ue001"')  # a slot inside JSON


class Slot(str):
    """A value given per copy, marked by its name."""


def _slot(name: str) -> Slot:
    return Slot(_MARK % name)


def _pattern(text: str, json_names: set[str]) -> str:
    """``text`` (with slots inside JSON) as a ``format_map`` pattern; a slot in
    JSON is filled with the JSON of the value (``name__j``)."""

    def fill(match: re.Match[str]) -> str:
        json_names.add(match[1])
        return f"{{{match[1]}__j}}"

    text = _QUOTED.sub(fill, text.replace("{", "{{").replace("}", "}}"))
    if "\ue000" in text or "\ue001" in text:
        raise ValueError(f"a slot not alone in its JSON string: {text!r}")
    return text


class _Recorder:
    """Stands for ``hashlib`` in ``motcua.dossiers.history`` for one call of
    ``event_hash``: keeps the bytes it hashes."""

    def __init__(self) -> None:
        self.data = b""

    def sha256(self, data: bytes) -> Any:
        self.data = data
        return hashlib.sha256(data)


def hashed_text(event: Any, code: str) -> str:
    """The text ``history.event_hash(event, code)`` hashes."""
    from motcua.dossiers import history

    return _captured(history.event_hash, event, code)


def fingerprinted_text(dossier: Any) -> str:
    """The text ``history.applicant_fingerprint(dossier)`` hashes."""
    from motcua.dossiers import history

    return _captured(history.applicant_fingerprint, dossier)


def _captured(function: Any, *args: Any) -> str:
    from motcua.dossiers import history

    recorder = _Recorder()
    history.hashlib = recorder  # type: ignore[assignment]
    try:
        function(*args)
    finally:
        history.hashlib = hashlib
    return recorder.data.decode()


def fingerprint_patterns(
    t: Template, used: list[str], json_names: set[str]
) -> list[tuple[str, str]]:
    """(slot, pattern of the text its fingerprint hashes) for ``fp0`` (as
    received) and ``fp1`` (after the return) as the template's events use them:
    the copy's applicant, and who collected the result when it was them."""
    from types import SimpleNamespace

    applicant = {
        **t.applicant,
        "agency_id": _slot("ward"),
        "name": _slot("name"),
        "id_number": _slot("idn"),
        "phone": _slot("phone") if t.applicant["phone"] else "",
        "fingerprint_salt": _slot("salt"),
    }
    swap = t.dossier["returned_to_name"] == t.applicant["name"]
    receiver = (
        (_slot("name"), _slot("idn"))
        if swap
        else (t.dossier["returned_to_name"], t.dossier["returned_to_id_number"])
    )
    salt = _slot("salt")
    out = []
    for name in used:
        after = name == "fp1"
        holder = SimpleNamespace(
            applicant=SimpleNamespace(**applicant),
            returned_to_name=receiver[0] if after else "",
            returned_to_id_number=receiver[1] if after else "",
        )
        text = fingerprinted_text(holder)
        if not text.startswith(salt):
            raise ValueError("the fingerprint no longer starts with the salt")
        out.append((name, "{salt}" + _pattern(text[len(salt) :], json_names)))
    return out


@dataclass
class Pattern:
    """One template rendered with slots."""

    rows: dict[str, str]  # COPY lines per table (TABLES)
    bodies: list[str]  # per event, the text its hash covers
    times: list[str]  # instants as written; slot t<k> is times[k] moved
    json_names: list[tuple[str, str]]  # (slot, slot as JSON) but instants
    prints: list[tuple[str, str]]  # (slot, the text its fingerprint hashes)
    ids: list[tuple[str, list[str]]]  # (table, the slots of its ids)


class _Maker:
    """Renders one template with slots (see :func:`make_pattern`)."""

    def __init__(
        self, plan: Plan, converters: dict[str, list[Any]], instants: Any
    ) -> None:
        self.plan, self.converters, self.instants = plan, converters, instants
        self.times: dict[str, str] = {}
        self.json_names: set[str] = set()

    def at(self, text: str | None) -> Slot | None:
        """The slot of an instant written as ``text`` (moved per copy)."""
        if text is None:
            return None
        return _slot(self.times.setdefault(text, f"t{len(self.times)}"))

    def moved(self, row: dict[str, Any], table: str) -> dict[str, Any]:
        row = dict(row)
        for name in self.instants[table]:
            if row[name] is not None:
                row[name] = self.at(row[name].isoformat())
        return row

    def who(self, user_id: int | None) -> Any:
        return _slot("officer") if user_id in self.plan.template_users else user_id

    def where(self, agency_id: int | None) -> Any:
        return _slot("ward") if agency_id == self.plan.template_ward else agency_id

    def line(self, table: str, row: dict[str, Any]) -> str:
        cells = []
        for f, v in zip(self.converters[table], row.values(), strict=True):
            if isinstance(v, Slot):
                cells.append(f"{{{v[1:-1]}}}")
            else:
                cells.append(_pattern(f(v), self.json_names))
        return "\t".join(cells) + "\n"

    def dossier(self, t: Template, rows: dict[str, list[str]]) -> None:
        a = self.moved(t.applicant, "applicant")
        a.update(
            id=_slot("aid"),
            agency_id=_slot("ward"),
            name=_slot("name"),
            id_number=_slot("idn"),
            phone=_slot("phone") if a["phone"] else "",
            fingerprint_salt=_slot("salt"),
        )
        d = self.moved(t.dossier, "dossier")
        d.update(
            id=_slot("did"),
            agency_id=_slot("ward"),
            code=_slot("code"),
            applicant_id=_slot("aid"),
            received_by_id=self.who(d["received_by_id"]),
            received_by_agency_id=self.where(d["received_by_agency_id"]),
            signed_by_id=self.who(d["signed_by_id"]),
            counter_id=None,
            search_text=_slot("search"),
        )
        if d["returned_to_name"] == t.applicant["name"]:
            d["returned_to_name"] = _slot("name")
            d["returned_to_id_number"] = _slot("idn")
        rows["applicant"].append(self.line("applicant", a))
        rows["dossier"].append(self.line("dossier", d))
        for j, c in enumerate(t.components):
            c = {**c, "id": _slot(f"c{j}"), "dossier_id": _slot("did")}
            rows["component"].append(self.line("component", c))

    def steps(self, t: Template, rows: dict[str, list[str]]) -> dict[int, Slot]:
        step_ids = {s["id"]: _slot(f"s{j}") for j, s in enumerate(t.steps)}
        for s in t.steps:
            s = self.moved(s, "step")
            s.update(
                id=step_ids[s["id"]],
                dossier_id=_slot("did"),
                agency_id=self.where(s["agency_id"]),
                assignee_id=self.who(s["assignee_id"]),
                ended_by_id=self.who(s["ended_by_id"]),
            )
            rows["step"].append(self.line("step", s))
        return step_ids

    def events(
        self, t: Template, step_ids: dict[int, Slot], rows: dict[str, list[str]]
    ) -> list[str]:
        """The event lines, and per event the text its hash covers."""
        from types import SimpleNamespace

        from motcua.dossiers.history import SNAPSHOT_FIELDS, _json_value

        prints = {
            old: _slot("fp1" if after else "fp0")
            for old, after in t.fingerprints.items()
        }
        snapshot_times = [n for n in SNAPSHOT_FIELDS if n.endswith("_at")]
        bodies = []
        for j, e in enumerate(t.events):
            payload = dict(e["payload"])
            snap = dict(payload["snapshot"])
            for key in snapshot_times:
                snap[key] = self.at(snap[key])
            snap.update(
                agency_id=self.where(snap["agency_id"]),
                code=_slot("code"),
                applicant=prints[snap["applicant"]],
            )
            payload["snapshot"] = snap
            if payload.get("assignee"):
                payload["assignee"] = _slot("oname")
            if "opened" in payload:
                payload["opened"] = [step_ids[i] for i in payload["opened"]]
            row = self.moved(e, "event")
            row.update(
                id=_slot(f"e{j}"),
                dossier_id=_slot("did"),
                agency_id=self.where(e["agency_id"]),
                actor_id=self.who(e["actor_id"]),
                actor_name=_slot("oname") if e["actor_name"] else "",
                step_id=step_ids.get(e["step_id"]),
                payload=payload,
                prev_hash=_slot(f"h{j - 1}") if j else t.events[0]["prev_hash"],
                hash=_slot(f"h{j}"),
            )
            rows["event"].append(self.line("event", row))
            hashed = SimpleNamespace(**{**row, "at": self.at(_json_value(e["at"]))})
            text = hashed_text(hashed, _slot("code"))
            bodies.append(_pattern(text, self.json_names))
        return bodies


def make_pattern(
    t: Template, plan: Plan, converters: dict[str, list[Any]], instants: Any
) -> Pattern:
    """``t`` rendered once with slots: applicant, dossier, components, steps,
    events (COPY lines) and the text of every event's hash."""
    maker = _Maker(plan, converters, instants)
    rows: dict[str, list[str]] = {name: [] for name in TABLES}
    maker.dossier(t, rows)
    step_ids = maker.steps(t, rows)
    bodies = maker.events(t, step_ids, rows)
    used = [n for n in ("fp0", "fp1") if n in maker.json_names]
    prints = fingerprint_patterns(t, used, maker.json_names)
    given = {f"h{j}" for j in range(len(t.events))} | set(maker.times.values())
    given |= {"fp0", "fp1"}
    return Pattern(
        rows={name: "".join(lines) for name, lines in rows.items()},
        bodies=bodies,
        times=list(maker.times),
        json_names=[(n, f"{n}__j") for n in sorted(maker.json_names - given)],
        prints=prints,
        ids=[
            ("component", [f"c{j}" for j in range(len(t.components))]),
            ("step", [f"s{j}" for j in range(len(t.steps))]),
            ("event", [f"e{j}" for j in range(len(t.events))]),
        ],
    )


def _json(value: Any) -> str:
    """The JSON of a slot's value (ints; strings without characters to escape:
    ids, codes, user names, instants, hex digests — tested)."""
    return f'"{value}"' if isinstance(value, str) else str(value)


@dataclass
class Figures:
    """A template's figure rows with slots (``did``, ``ward``, ``i<j>``, and
    ``f<k>`` for each day, moved per copy), and its dated changes."""

    text: str  # COPY lines: fact
    intervals: str  # COPY lines: intervals
    interval_ids: list[str]
    days: list[str]
    changes: list[tuple[date, str, int]]


class Copier:
    """Writes copies of the templates: one instance a worker process. Returns
    COPY text per table (the dossier's rows and its figure rows) and the
    copies' dated figure changes per (agency, procedure, field)."""

    def __init__(self, plan: Plan) -> None:
        from motcua.core.text import fold

        self.plan = plan
        self.reference = Reference()
        self.days: dict[tuple[str, int], str] = {}
        self.converters = self.reference.converters
        self.figure_converters = {
            name: [_converter(f.get_internal_type()) for f in fs]
            for name, fs in _figure_fields().items()
        }
        self.patterns = [
            make_pattern(t, plan, self.converters, self.reference.instants)
            for t in plan.templates
        ]
        self.figures = [self.figure_pattern(t) for t in plan.templates]
        self.moved: dict[tuple[int, int], dict[str, str]] = {}
        self.checked: set[int] = set()
        self.folded = {name: fold(name) for name in map(" ".join, _all_names())} | {
            code: fold(code) for _, code in plan.wards
        }

    def chunk(self, start: int, picks: list[tuple[int, int, int, int]]) -> Any:
        """COPY text of copies ``start…`` as picked (template, ward, weeks moved
        back, number of the day), and their figure changes."""
        plan = self.plan
        rng = random.Random(plan.seed * 1_000_003 + start)
        out: dict[str, list[str]] = {name: [] for name in (*TABLES, *FIGURES)}
        same: Counter[tuple[int, int, int]] = Counter()  # (pick, ward, weeks)
        for n, (pick, ward, weeks, number) in enumerate(picks):
            index = start + n
            person = draw_person(rng)
            p, f = self.patterns[pick], self.figures[pick]
            v = self.values(pick, index, ward, weeks, number, person)
            for name, text in p.rows.items():
                out[name].append(text.format_map(v))
            if f.text:  # received: its figure rows
                first = plan.first_id["interval"] + index * plan.per_dossier["interval"]
                ids = range(first, first + len(f.interval_ids))
                v.update(zip(f.interval_ids, ids, strict=True))
                out["fact"].append(f.text.format_map(v))
                out["interval"].append(f.intervals.format_map(v))
                same[(pick, ward, weeks)] += 1
            if pick not in self.checked or index % plan.check_every == 0:
                self.checked.add(pick)
                made = {name: out[name][-1] for name in TABLES}
                for name in FIGURES:
                    made[name] = out[name][-1] if f.text else ""
                self.check(pick, index, ward, weeks, number, person, made)
        return {name: "".join(texts) for name, texts in out.items()}, self.dated(same)

    def dated(
        self, same: Counter[tuple[int, int, int]]
    ) -> dict[tuple[int, int, int], Counter]:
        """The dated changes of the copies, per (ward, procedure, field): each
        copy's are its template's moved by its weeks."""
        plan = self.plan
        changes: dict[tuple[int, int, int], Counter] = defaultdict(Counter)
        for (pick, ward, weeks), count in same.items():
            d = plan.templates[pick].dossier
            mine = changes[(plan.wards[ward][0], d["procedure_id"], d["field_id"])]
            delta = weeks * WEEK
            for day, column, n in self.figures[pick].changes:
                mine[(day - delta, column)] += n * count
        return dict(changes)

    def values(
        self,
        pick: int,
        index: int,
        ward: int,
        weeks: int,
        number: int,
        person: Person,
    ) -> dict[str, Any]:
        """Every slot of copy ``index``, its hashes last (each covers the one
        before)."""
        from motcua.dossiers.codes import format_code

        plan = self.plan
        t, p = plan.templates[pick], self.patterns[pick]
        ward_id, ward_code = plan.wards[ward]
        officer_id, officer_name = plan.officers[ward]
        code = format_code(ward_code, code_day(t) - weeks * WEEK, number)
        # fold(f"{code} {name}"): the ward part and the name folded once each,
        # the rest of the code is digits and dashes (tested; checked below)
        search = f"{self.folded[ward_code]}{code[len(ward_code) :]} "
        v: dict[str, Any] = {
            "aid": plan.first_id["applicant"] + index,
            "did": plan.first_id["dossier"] + index,
            "ward": ward_id,
            "officer": officer_id,
            "oname": officer_name,
            "code": code,
            "name": person.name,
            "idn": person.id_number,
            "phone": person.phone,
            "salt": person.salt,
            "search": (search + self.folded[person.name])[:600],
        }
        v.update(self.instants(pick, weeks))
        for name, names in p.ids:
            first = plan.first_id[name] + index * plan.per_dossier[name]
            v.update(zip(names, range(first, first + len(names)), strict=True))
        for name, as_json in p.json_names:
            v[as_json] = _json(v[name])
        sha256 = hashlib.sha256
        for name, text in p.prints:
            v[name] = digest = sha256(text.format_map(v).encode()).hexdigest()
            v[f"{name}__j"] = f'"{digest}"'
        for j, body in enumerate(p.bodies):
            digest = sha256(body.format_map(v).encode()).hexdigest()
            v[f"h{j}"] = digest
            v[f"h{j}__j"] = f'"{digest}"'
        return v

    def instants(self, pick: int, weeks: int) -> dict[str, str]:
        """The template's instants and days moved back by ``weeks`` (slots
        ``t<k>``, their JSON, and the figures' ``f<k>``)."""
        key = (pick, weeks)
        known = self.moved.get(key)
        if known is None:
            known = {}
            for k, text in enumerate(self.patterns[pick].times):
                known[f"t{k}"] = moved = shift_text(text, weeks, self.days)
                known[f"t{k}__j"] = f'"{moved}"'
            for k, text in enumerate(self.figures[pick].days):
                known[f"f{k}"] = shift_text(text, weeks, self.days)
            self.moved[key] = known
        return known

    def figure_pattern(self, t: Template) -> Figures:
        """The template's figures by the functions ``recompute_figures``
        replays with (``state_after``, ``local_day``, ``advance``,
        ``contributions``, ``fact_row``, ``interval_rows``), with a slot for
        every day. A copy's are these moved by its weeks: those functions only
        compare days and add whole days (``day_timing``, ``first_overdue_day``),
        read no calendar, and a copy's events are its template's moved by whole
        weeks — checked on a sample of copies while generating (and by
        ``recompute_figures --verify``)."""
        timeline = figure_timeline(t, 0, self.days)
        if timeline is None:
            return Figures("", "", [], [], [])
        from motcua.reports.figures import contributions
        from motcua.reports.store import fact_row, interval_rows

        days: dict[str, str] = {}
        ident = (_slot("ward"), t.dossier["procedure_id"], t.dossier["field_id"])
        fact = fact_row(_slot("did"), ident, timeline)  # type: ignore[arg-type]
        text = self.figure_line("fact", fact, days)
        rows = interval_rows(_slot("did"), ident, timeline)  # type: ignore[arg-type]
        ids = [f"i{j}" for j in range(len(rows))]
        for row, name in zip(rows, ids, strict=True):
            row.id = _slot(name)
        intervals = "".join(self.figure_line("interval", r, days) for r in rows)
        changes = [(day, col, n) for (day, col), n in contributions(timeline).items()]
        return Figures(text, intervals, ids, list(days), changes)

    def figure_line(self, table: str, obj: Any, days: dict[str, str]) -> str:
        cells = []
        fields = _figure_fields()[table]
        for f, convert in zip(fields, self.figure_converters[table], strict=True):
            value = getattr(obj, f.attname)
            if isinstance(value, Slot):
                cells.append(f"{{{value[1:-1]}}}")
            elif isinstance(value, date):
                name = days.setdefault(value.isoformat(), f"f{len(days)}")
                cells.append(f"{{{name}}}")
            else:
                cells.append(_pattern(convert(value), set()))
        return "\t".join(cells) + "\n"

    def check(
        self,
        pick: int,
        index: int,
        ward: int,
        weeks: int,
        number: int,
        person: Person,
        fast: dict[str, str],
    ) -> None:
        """The copy just made equals the reference's, character for character,
        and so do its figures and those the one fold gives for it."""
        plan = self.plan
        t = plan.templates[pick]
        to = target_of(plan, index, ward, weeks)
        rows: dict[str, list] = {name: [] for name in TABLES}
        self.reference.copy(t, to, plan.wards[ward][1], number, person, rows)
        want = self.reference.render(rows)
        want.update(self.reference_figures(t, to))
        for name in (*TABLES, *FIGURES):
            if fast[name] != want[name]:
                raise AssertionError(
                    f"copy {to.ids['dossier']} ({name}) differs from the reference:"
                    f"\n{fast[name]!r}\n{want[name]!r}"
                )
        same: Counter[tuple[int, int, int]] = Counter({(pick, ward, weeks): 1})
        mine = self.dated(same)
        ident = (to.ward_id, t.dossier["procedure_id"], t.dossier["field_id"])
        from motcua.reports.figures import contributions

        timeline = figure_timeline(t, weeks, self.days)
        folded = {k: n for k, n in contributions(timeline).items() if n}
        if {k: n for k, n in mine.get(ident, Counter()).items() if n} != folded:
            raise AssertionError(f"copy {to.ids['dossier']}: dated changes differ")

    def reference_figures(self, t: Template, to: Target) -> dict[str, str]:
        """The copy's figure rows by the one fold over its own (moved) events."""
        from motcua.reports.store import fact_row, interval_rows

        timeline = figure_timeline(t, to.weeks, self.days)
        if timeline is None:
            return {"fact": "", "interval": ""}
        ident = (to.ward_id, t.dossier["procedure_id"], t.dossier["field_id"])
        out = {}
        fact = fact_row(to.ids["dossier"], ident, timeline)
        rows = interval_rows(to.ids["dossier"], ident, timeline)
        for j, row in enumerate(rows):
            row.id = to.ids["interval"] + j
        for name, objects in (("fact", [fact]), ("interval", rows)):
            converters = self.figure_converters[name]
            fields = _figure_fields()[name]
            out[name] = "".join(
                "\t".join(
                    c(getattr(o, f.attname))
                    for f, c in zip(fields, converters, strict=True)
                )
                + "\n"
                for o in objects
            )
        return out


def figure_timeline(t: Template, weeks: int, days: dict[tuple[str, int], str]) -> Any:
    """The timeline ``recompute_figures`` replays for a copy of ``t`` moved
    back by ``weeks`` (its events in order, through ``state_after``,
    ``local_day`` and ``advance``)."""
    from motcua.dossiers.history import SNAPSHOT_FIELDS
    from motcua.reports.figures import advance, local_day, state_after

    timeline = None
    delta = weeks * WEEK
    for e in sorted(t.events, key=lambda e: e["seq"]):
        snap = dict(e["payload"].get("snapshot", {}))
        for name in SNAPSHOT_FIELDS:
            if name.endswith("_at") and name in snap:
                snap[name] = shift_text(snap[name], weeks, days)
        day = local_day(e["at"] - delta)
        assert day is not None
        state = state_after(e["to_status"], snap)
        timeline = advance(timeline, state, day, t.dossier["channel"])
    return timeline


def _all_names() -> Iterator[tuple[str, str, str]]:
    return itertools.product(FAMILY, MIDDLE, GIVEN)


_copier: Copier | None = None


def _init_worker(plan: Plan) -> None:
    global _copier
    _copier = Copier(plan)


def _work(job: tuple[int, list]) -> tuple[int, Any]:
    """One chunk in a worker; its text as UTF-8 (what COPY sends), so the
    main process passes bytes on instead of encoding them."""
    assert _copier is not None
    texts, changes = _copier.chunk(*job)
    return len(job[1]), ({n: t.encode() for n, t in texts.items()}, changes)


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
    from motcua.reports.models import DossierFact, ProgressInterval

    return {
        "applicant": Applicant,
        "dossier": Dossier,
        "component": DossierComponent,
        "step": Step,
        "event": Event,
        "fact": DossierFact,
        "interval": ProgressInterval,
    }


def _fields() -> dict[str, list[Any]]:
    models = _models()
    return {name: list(models[name]._meta.concrete_fields) for name in TABLES}


def _figure_fields() -> dict[str, list[Any]]:
    models = _models()
    return {name: list(models[name]._meta.concrete_fields) for name in FIGURES}


def make_plan(province: Province, templates: list[Template], seed: int) -> Plan:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Max

    models = _models()
    first_id = {
        name: (models[name].objects.aggregate(m=Max("id"))["m"] or 0) + 1
        for name in (*TABLES, "interval")
    }
    per = {
        "applicant": 1,
        "dossier": 1,
        "component": max(len(t.components) for t in templates) or 1,
        "step": max(len(t.steps) for t in templates) or 1,
        "event": max(len(t.events) for t in templates),
        # a timeline has at most one interval an event
        "interval": max(len(t.events) for t in templates),
    }
    latest = max(t.dossier["created_at"] for t in templates).date()
    weeks = (latest - FIRST_DAY).days // 7 - 9  # the templates span ~60 days
    template_ward = province.wards[0].pk
    users = set(
        get_user_model()
        .objects.filter(memberships__agency_id=template_ward)
        .exclude(username__startswith="canbo.")
        .values_list("id", flat=True)
    )
    wards = province.wards[1:]
    officers = province.officers[1:]
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


def write_postgres(texts: dict[str, str] | dict[str, bytes]) -> None:
    from django.db import connection

    models = _models()
    with connection.cursor() as cursor:
        for name, text in texts.items():
            if not text:
                continue
            model = models[name]
            columns = ", ".join(
                connection.ops.quote_name(f.column) for f in model._meta.concrete_fields
            )
            table = connection.ops.quote_name(model._meta.db_table)
            sql = f"COPY {table} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                copy.write(text)


_UNESCAPE = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}


def _from_copy(text: str) -> str | None:
    if text == "\\N":
        return None
    return re.sub(r"\\[\\tnr]", lambda m: _UNESCAPE[m[0]], text)


def write_rows(texts: dict[str, str] | dict[str, bytes]) -> None:
    """The same COPY text into a database without COPY (SQLite): each cell read
    back by its field, the rows by ``bulk_create``."""
    models = _models()
    for name, text in texts.items():
        model = models[name]
        fields = model._meta.concrete_fields
        objects = []
        if isinstance(text, bytes):
            text = text.decode()
        for line in text.splitlines():
            values = {}
            for f, cell in zip(fields, line.split("\t"), strict=True):
                value: Any = _from_copy(cell)
                if value is not None:
                    kind = f.get_internal_type()
                    if kind == "JSONField":
                        value = json.loads(value)
                    elif kind == "BooleanField":
                        value = value == "t"
                    else:
                        value = f.to_python(value)
                values[f.attname] = value
            objects.append(model(**values))
        model.objects.bulk_create(objects, batch_size=500)


def write_copies(
    plan: Plan, total: int, jobs: int, chunk: int, drop_indexes: bool = True
) -> dict[str, float]:
    """The copies and their figures, made by ``jobs`` processes and written by
    this one in one transaction; returns the seconds taken: in all, in COPY,
    rebuilding the indexes, writing the buckets."""
    import multiprocessing

    from django.db import connection, transaction

    numbers: dict[tuple[int, date], int] = defaultdict(int)
    dated: dict[tuple[int, int, int], Counter] = defaultdict(Counter)
    seconds = dict.fromkeys(("all", "copy", "indexes", "buckets"), 0.0)
    progress = Progress(total, "dossiers")
    connection.close()  # not shared with the forked workers
    context = multiprocessing.get_context("fork")
    cpu = (time.process_time(), _children_cpu())
    with context.Pool(jobs, _init_worker, (plan,)) as pool, transaction.atomic():
        dropped: list[str] = []
        backend = _backend_cpu()
        if plan.postgres:  # rows made consistent here: no foreign-key triggers
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            if drop_indexes:
                dropped = drop_plain_indexes()
        for count, (texts, changes) in pool.imap(
            _work, picks(plan, total, chunk, numbers)
        ):
            t0 = time.perf_counter()
            if plan.postgres:
                write_postgres(texts)
            else:
                write_rows(texts)
            seconds["copy"] += time.perf_counter() - t0
            for ident, counter in changes.items():
                dated[ident].update(counter)
            progress.add(count)
        progress.close()
        pool.close()
        pool.join()
        seconds["cpu_workers"] = _children_cpu() - cpu[1]
        t0 = time.perf_counter()
        create_indexes(dropped)
        seconds["indexes"] = time.perf_counter() - t0
        save_counters(numbers)
        t0 = time.perf_counter()
        save_buckets(dated, [w for w, _ in plan.wards], plan.postgres)
        seconds["buckets"] = time.perf_counter() - t0
        reset_sequences()
        seconds["cpu_postgres"] = _backend_cpu() - backend
    seconds["all"] = time.perf_counter() - progress.started
    seconds["cpu_main"] = time.process_time() - cpu[0]
    return seconds


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL server process (on this
    machine, from /proc); 0 elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drop_plain_indexes() -> list[str]:
    """Drop the indexes of the tables the copies go to that enforce nothing
    (not primary, not unique), returning their definitions: built once after
    the load (:func:`create_indexes`) they hold the same entries, under the
    same names, as kept up row by row."""
    from django.db import connection

    tables = [m._meta.db_table for m in _models().values()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary "
            "ORDER BY 1",
            [tables],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def create_indexes(definitions: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for definition in definitions:
            cursor.execute(definition)


def save_buckets(
    dated: dict[tuple[int, int, int], Counter], wards: list[int], postgres: bool
) -> int:
    """The copies' dated changes into the day, month and year buckets, as
    ``recompute_figures`` adds them (``bucket_changes``, then the sum of every
    copy's). Written by ``add_to_buckets``; on PostgreSQL, when no bucket of
    the copies' wards exists yet (the templates are at ward 0), by one COPY —
    the same rows, as adding to nothing is writing. Returns the rows."""
    from django.db import connection

    from motcua.reports.models import FIGURE_COLUMNS, FigureBucket
    from motcua.reports.store import add_to_buckets, bucket_changes

    rows: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for ident, changes in dated.items():
        for key, values in bucket_changes(ident, changes).items():
            for column, n in values.items():
                rows[key][column] += n
    nonzero = {k: v for k, v in rows.items() if any(v.values())}
    keys = sorted(nonzero)
    if not postgres or FigureBucket.objects.filter(agency_id__in=wards).exists():
        for start in range(0, len(keys), 500):
            add_to_buckets({k: nonzero[k] for k in keys[start : start + 500]})
        return len(keys)
    q = connection.ops.quote_name
    names = ["agency_id", "procedure_id", "field_id", "grain", "bucket"]
    table = q(FigureBucket._meta.db_table)
    columns = ", ".join(q(n) for n in [*names, *FIGURE_COLUMNS])
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for start in range(0, len(keys), 20_000):
            copy.write(
                "".join(
                    f"{a}\t{p}\t{f}\t{g}\t{b.isoformat()}\t"
                    + "\t".join(str(nonzero[k].get(c, 0)) for c in FIGURE_COLUMNS)
                    + "\n"
                    for k in keys[start : start + 20_000]
                    for a, p, f, g, b in (k,)
                )
            )
    return len(keys)


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
        "--drop-indexes",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="PostgreSQL: plain indexes of the copied tables rebuilt after the load",
    )
    parser.add_argument(
        "--replay-figures",
        action="store_true",
        help="then rebuild every figure with recompute_figures' replay (slow)",
    )
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
    seconds = write_copies(
        plan, copies, args.jobs, args.chunk, drop_indexes=args.drop_indexes
    )
    write_s, figures_s = seconds["all"], seconds["buckets"]
    if args.replay_figures:
        from motcua.reports.recompute import rebuild

        print("figures: recompute_figures (replay of every event) …", file=sys.stderr)
        t0 = time.perf_counter()
        rebuild()
        figures_s = time.perf_counter() - t0
    size_mb = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SELECT pg_database_size(current_database())")
            size_mb = round(cursor.fetchone()[0] / 2**20)
    total_s = time.perf_counter() - started
    summary = {
        "database": connection.vendor,
        "dossiers": made + copies,
        "templates": made,
        "copies": copies,
        "write_s": round(write_s, 1),
        "write_per_s": round(copies / write_s) if write_s else 0,
        "figures_s": round(figures_s, 1),
        "figures": "replay" if args.replay_figures else "with the copies",
        # bench/http.py reads it: the figures are written in the same pass
        "figures_per_s": round(
            ((made + copies) / figures_s if args.replay_figures else copies / write_s)
            if figures_s and write_s
            else 0
        ),
        "copy_s": round(seconds["copy"], 1),
        "cpu_workers_s": round(seconds["cpu_workers"], 1),
        "cpu_postgres_s": round(seconds["cpu_postgres"], 1),
        "cpu_main_s": round(seconds["cpu_main"], 1),
        "load": os.getloadavg(),
        "indexes_s": round(seconds["indexes"], 1),
        "total_s": round(total_s, 1),
        "database_mb": size_mb,
        "officer": province.officers[1].username,
        "ward": province.wards[1].code,
        "monitor": MONITOR,
        "province": PROVINCE_CODE,
    }
    print(
        f"{summary['dossiers']:,} dossiers on {summary['database']}: copies and "
        f"their figures written at {summary['write_per_s']:,}/s ({write_s:.1f} s, "
        f"of which COPY {seconds['copy']:.1f} s, indexes {seconds['indexes']:.1f} s,"
        f" buckets {seconds['buckets']:.1f} s); {total_s:.0f} s in all",
        file=sys.stderr,
    )
    if args.check if args.check is not None else args.dossiers <= 20_000:
        t0 = time.perf_counter()
        check()
        summary["check_s"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
