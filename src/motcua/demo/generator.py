"""The demo's dossiers, made through the real services with an injected clock — so
the history, the deadlines and every figure are exactly those of live use.
Deterministic for a given seed and end date.

The shape follows our source articles: a ward receives a few to a dozen dossiers a
working day, more before Tết and fewer in the Tết month, most settled early, some on
the due date, a few late (some after an apology and a new date), a few supplement
cycles, refusals, withdrawals, online submissions and consultations of another
agency.

Every dossier's life is a coroutine that yields the instant of its next action;
one agenda runs the actions of all lives in the order of time. So an event of the
city — the merger of wards on 01/07/2025 — happens between the actions before it
and those after it, as in live use: the dossiers open at that instant are moved
by the merger and go on at the successor.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable, Generator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from time import perf_counter as time_counter
from typing import Any

from django.db import transaction

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.deadlines.engine import VN_TZ, WORKING_DAY, Calendar
from motcua.deadlines.services import calendar_for
from motcua.dossiers import services as s
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantInput, DossierInput

from .rates import per_second
from .staff import WardStaff

# Share of the year's volume by month (Tết usually falls in late January or February).
SEASON = {1: 1.25, 2: 0.6, 3: 1.0, 4: 1.0, 5: 1.05, 6: 1.15, 7: 1.15, 8: 1.05, 9: 1.0,
          10: 1.0, 11: 1.0, 12: 1.2}  # fmt: skip
FIELD_WEIGHTS = {"HT": 35, "CT": 40, "BTXH": 10, "NCC": 5, "DD": 10}
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng",
                "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]  # fmt: skip
MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức"]
GIVEN_NAMES = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa",
               "Hùng", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc",
               "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]  # fmt: skip

# A life's plan: yields the instant of each next action, returns whether it went on.
Plan = Generator[datetime, None, bool]


@dataclass
class Report:
    dossiers: int = 0
    actions: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Consultee:
    """The agency a ward asks for an opinion and the officer who answers."""

    agency: Agency
    officer: Any


@dataclass(frozen=True)
class Merger:
    """A change of the city at an instant: ``run`` (under a clock frozen at
    ``at``) records it; from ``at`` the ``wards`` receive instead of the former
    ones, and ``successor_of`` maps a former ward's id to its successor's."""

    at: datetime
    run: Callable[[], None]
    wards: list[WardStaff]
    successor_of: dict[int, Agency]


@dataclass
class _Life:
    """One dossier's planned life: each step an instant and an action."""

    world: _World
    staff: WardStaff
    procedure: Procedure
    calendar: Calendar
    start: datetime
    dossier: Dossier | None = None
    last: datetime | None = None

    @property
    def d(self) -> Dossier:
        assert self.dossier is not None, "no dossier yet"
        return self.dossier

    def at(self, hours: float) -> datetime:
        return self.calendar.add_working_time(self.start, timedelta(hours=hours))

    def do(self, when: datetime, action: Callable[[], Dossier]) -> Plan:
        """Run ``action`` at ``when`` (never before the previous action) unless that
        is after the demo's "now". Yields ``when`` to the agenda, which resumes
        the life once every earlier action of the other lives has run."""
        if self.last is not None and when <= self.last:
            when = self.calendar.add_working_time(self.last, timedelta(minutes=5))
        if when > self.world.end:
            return False
        self.last = when
        yield when
        with clock.frozen_at(when):
            self.dossier = action()
        self.world.report.actions += 1
        return True


@dataclass
class _World:
    rng: random.Random
    end: datetime
    consultees: dict[int, Consultee]
    procedures: dict[str, list[Procedure]]
    merger: Merger | None = None
    report: Report = field(default_factory=Report)
    online: dict[int, bool] = field(default_factory=dict)

    def person(self) -> ApplicantInput:
        rng = self.rng
        name = " ".join(
            (
                rng.choice(FAMILY_NAMES),
                rng.choice(MIDDLE_NAMES),
                rng.choice(GIVEN_NAMES),
            )
        )
        return ApplicantInput(
            name=name,
            id_number="0" + "".join(str(rng.randint(0, 9)) for _ in range(11)),
            phone="09" + "".join(str(rng.randint(0, 9)) for _ in range(8)),
            address=f"{rng.randint(1, 200)} đường {rng.choice(GIVEN_NAMES)}, Đà Nẵng",
        )

    def procedure(self) -> Procedure:
        fields = [f for f in FIELD_WEIGHTS if self.procedures.get(f)]
        chosen = self.rng.choices(fields, weights=[FIELD_WEIGHTS[f] for f in fields])[0]
        return self.rng.choice(self.procedures[chosen])

    def offers_online(self, procedure: Procedure) -> bool:
        """Whether the procedure's first version is offered online (read once a
        procedure: the catalogue does not change while the demo is made)."""
        if procedure.pk not in self.online:
            first = procedure.versions.first()
            self.online[procedure.pk] = (
                first is not None and first.online_level != "none"
            )
        return self.online[procedure.pk]

    def consultee(self, ward: Agency, when: datetime) -> Consultee:
        """Whom ``ward`` asks at ``when``: after a merger, whom its successor asks
        (the districts were abolished with it)."""
        if self.merger is not None and when >= self.merger.at:
            ward = self.merger.successor_of.get(ward.pk, ward)
        return self.consultees[ward.pk]


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _legal_hours(life: _Life) -> float:
    """Working hours from reception to the due date."""
    due = life.d.due_at
    assert due is not None, "demo procedures all have a due date"
    return life.calendar.elapsed(life.start, due).total_seconds() / 3600


def _reception(life: _Life, officer: Any) -> Plan:
    """Desk refusal, desk supplement then reception, or an online submission."""
    w, rng = life.world, life.world.rng
    channel = "direct"
    if w.offers_online(life.procedure) and rng.random() < 0.25:
        channel = "online"
    data = DossierInput(
        agency=life.staff.agency,
        procedure=life.procedure,
        channel=channel,
        applicant=w.person(),
    )
    roll = rng.random()
    if channel == "direct" and roll < 0.015:
        refusal = "Thủ tục không thuộc thẩm quyền của phường"
        yield from life.do(
            life.start, lambda: s.dossier_refuse(officer, data=data, reason=refusal)
        )
        return False
    if channel == "direct" and roll < 0.045:
        yield from life.do(life.start, lambda: s.dossier_request_supplement(
            officer, data=data, reason="Thiếu bản sao giấy tờ tùy thân",
            items=["Bản sao CCCD của người yêu cầu"]))  # fmt: skip
        back = life.at(rng.uniform(4, 24))
        life.start = back
        return (yield from life.do(back, lambda: s.dossier_receive(officer, life.d)))
    if channel == "online":
        yield from life.do(life.start, lambda: s.dossier_submit_online(None, data))
        life.start = life.at(rng.uniform(0.5, 4))
        return (
            yield from life.do(life.start, lambda: s.dossier_receive(officer, life.d))
        )
    return (
        yield from life.do(life.start, lambda: s.dossier_receive(officer, data=data))
    )


def _processing(life: _Life, officer: Any) -> Plan:
    rng, staff = life.world.rng, life.staff
    specialist = staff.specialist_for(life.procedure.field.code)
    if not (yield from life.do(life.at(0.1), lambda: s.dossier_assign(
            staff.leader, life.d, assignee=specialist))):  # fmt: skip
        return False
    legal = max(_legal_hours(life), 1.0)
    roll = rng.random()
    if roll < 0.03 and legal > 8:  # specialist asks for more, within 3 working days
        asked = life.at(rng.uniform(0.5, min(legal * 0.3, 20)))
        if not (yield from life.do(asked, lambda: s.dossier_request_supplement(
                specialist, life.d, reason="Cần bổ sung giấy xác nhận cư trú",
                items=["Giấy xác nhận thông tin về cư trú"]))):  # fmt: skip
            return False
        life.start = life.calendar.add_working_time(
            asked, timedelta(hours=rng.uniform(8, 40))
        )
        if not (yield from life.do(
                life.start, lambda: s.dossier_resubmit(officer, life.d))):  # fmt: skip
            return False
        legal = max(_legal_hours(life), 1.0)
    if roll > 0.97 and legal > 16:  # ask another agency
        asked = life.at(1)
        consultee = life.world.consultee(staff.agency, asked)
        if not (yield from life.do(asked, lambda: s.dossier_consult(
                specialist, life.d, agency=consultee.agency, working_days=3,
                question="Đề nghị xác nhận thông tin thửa đất"))):  # fmt: skip
            return False
        consultation = life.d.consultations.latest("id")
        if not (yield from life.do(life.at(rng.uniform(2, 16)), lambda: (
                s.dossier_answer_consult(consultee.officer, life.d,
                consultation_id=consultation.pk,
                answer="Thông tin đúng với hồ sơ địa chính")))):  # fmt: skip
            return False
    return (yield from _settle(life, officer, specialist, legal))


def _settle(life: _Life, officer: Any, specialist: Any, legal: float) -> Plan:
    rng, staff = life.world.rng, life.staff
    roll = rng.random()
    if roll < 0.015:
        refusal = "Không đủ điều kiện theo quy định"
        when = life.at(legal * rng.uniform(0.3, 0.8))
        if (yield from life.do(when, lambda: s.dossier_refuse(
                specialist, life.d, reason=refusal))):  # fmt: skip
            yield from _hand_over(life, officer)
        return True
    if roll < 0.02:
        yield from life.do(life.at(legal * 0.3), lambda: s.dossier_withdraw(
            officer, life.d, reason="Công dân xin rút hồ sơ"))  # fmt: skip
        return True
    if roll < 0.05:  # late
        if legal > 16 and rng.random() < 0.6:
            notice = life.at(legal - 8 - rng.uniform(1, 6))
            due = life.d.due_at
            assert due is not None
            new_due = life.calendar.add_working_time(due, timedelta(hours=40))
            if not (yield from life.do(notice, lambda: s.dossier_extend(
                    staff.leader, life.d, new_due_at=new_due,
                    reason="Cần thêm thời gian xác minh"))):  # fmt: skip
                return False
        finish = legal + rng.uniform(2, 20)
    elif roll < 0.20:  # on the due date
        finish = max(legal - rng.uniform(0, 2), 0.5)
    else:
        finish = legal * rng.uniform(0.25, 0.85)
    finish = max(finish, 0.4)
    steps = [
        (finish * 0.6, lambda: s.dossier_submit(specialist, life.d)),
        (finish * 0.85, lambda: s.dossier_approve(staff.leader, life.d)),
        (finish, lambda: s.dossier_finish(officer, life.d)),
    ]
    for hours, action in steps:
        if not (yield from life.do(life.at(max(hours, 0.15)), action)):
            return False
    return (yield from _hand_over(life, officer))


def _hand_over(life: _Life, officer: Any) -> Plan:
    rng = life.world.rng
    if rng.random() < 0.05:  # not collected yet
        return True
    finished = life.d.finished_at
    assert finished is not None, "called after finish or refusal"
    when = life.calendar.add_working_time(
        finished, timedelta(hours=rng.choice([0.5, 2, 6, 10, 20]))
    )
    return (yield from life.do(when, lambda: s.dossier_return_result(officer, life.d)))


def _one_dossier(
    world: _World, staff: WardStaff, start: datetime, calendar: Calendar
) -> Plan:
    life = _Life(world, staff, world.procedure(), calendar, start)
    officer = world.rng.choice(staff.reception)
    world.report.dossiers += 1
    return _life_plan(life, officer)


def _life_plan(life: _Life, officer: Any) -> Plan:
    if (yield from _reception(life, officer)):
        return (yield from _processing(life, officer))
    return False


class _Agenda:
    """The next action of every life under way, run in the order of time."""

    def __init__(
        self,
        report: Report,
        line: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:
        self.report = report
        self.queue: list[tuple[datetime, int, Plan]] = []
        self.count = 0
        self.line = line  # one action's unit of work (the observers' batch)

    def add(self, plan: Plan) -> None:
        self._advance(plan)

    def _advance(self, plan: Plan) -> None:
        """The life's next step, all or nothing: its actions in one savepoint,
        with the figures the observers keep for it (``line``)."""
        try:
            with self.line(), transaction.atomic():
                when = next(plan, None)
        except DomainError as exc:  # a rule refused a planned step: keep the rest
            self.report.skipped.append(f"{exc.code}: {exc.message}")
            return
        if when is None:  # the life is over
            return
        self.count += 1
        heapq.heappush(self.queue, (when, self.count, plan))

    def run_until(self, instant: datetime | None = None) -> None:
        """Run every action due before ``instant`` (all, when ``None``)."""
        while self.queue and (instant is None or self.queue[0][0] < instant):
            _, _, plan = heapq.heappop(self.queue)
            self._advance(plan)


def _day_starts(
    rng: random.Random, calendar: Calendar, day: date, n: int
) -> list[datetime]:
    opening = datetime.combine(day, time(0), tzinfo=VN_TZ)
    day_minutes = int(WORKING_DAY.total_seconds() // 60)
    minutes = sorted(rng.randrange(0, day_minutes) for _ in range(n))
    return [
        calendar.add_working_time(opening, timedelta(minutes=m, seconds=1))
        for m in minutes
    ]


def generate(
    wards: list[WardStaff],
    *,
    consultees: dict[int, Consultee],
    start: date,
    end: datetime,
    per_day: float = 3.0,
    seed: int = 2015,
    merger: Merger | None = None,
    progress: Callable[[str], None] | None = None,
    line: Callable[[], AbstractContextManager[None]] = nullcontext,
) -> Report:
    """Dossiers for every working day in ``[start, end)`` at each of ``wards``,
    then — from ``merger.at`` — at the merger's wards; the merger itself runs at
    its instant, between the actions before it and those after. ``consultees``:
    whom each ward (by id) asks for an opinion."""
    procedures: dict[str, list[Procedure]] = {}
    for procedure in Procedure.objects.select_related("field").order_by("code"):
        procedures.setdefault(procedure.field.code, []).append(procedure)
    world = _World(random.Random(seed), end, consultees, procedures, merger)
    agenda = _Agenda(world.report, line)
    pending = merger if merger is not None and merger.at <= end else None
    day, last_day = start, end.astimezone(VN_TZ).date()
    received = 0
    months = (last_day.year - start.year) * 12 + last_day.month - start.month + 1
    month, started = 0, time_counter()
    while day < last_day:
        midnight = datetime.combine(day, time(0), tzinfo=VN_TZ)
        if pending is not None and midnight >= pending.at:
            _merge(agenda, pending)
            wards, pending = pending.wards, None
        for staff in wards:
            calendar = calendar_for(staff.agency)
            if not calendar.is_working_day(day):
                continue
            n = _poisson(world.rng, per_day * SEASON[day.month])
            for when in _day_starts(world.rng, calendar, day, n):
                agenda.add(_one_dossier(world, staff, when, calendar))
                received += 1
        agenda.run_until(midnight + timedelta(days=1))
        day += timedelta(days=1)
        if progress is not None and (day.day == 1 or day == last_day):
            before = day - timedelta(days=1)
            month, seconds = month + 1, time_counter() - started
            rate = per_second(received, seconds)
            progress(
                f"{before:%m/%Y}: {received} hồ sơ mới "
                f"({rate} hồ sơ/giây, tháng {month}/{months})"
            )
            received, started = 0, time_counter()
    if pending is not None:
        _merge(agenda, pending)
    agenda.run_until(None)
    return world.report


def _merge(agenda: _Agenda, merger: Merger) -> None:
    agenda.run_until(merger.at)
    with clock.frozen_at(merger.at):
        merger.run()


def at_successor(staff: WardStaff, successor: Agency) -> WardStaff:
    """The same officers working at ``successor`` (the merger gave them their
    roles there)."""
    return replace(staff, agency=successor)
