"""The one definition of early / on time / late and of overdue
(motcua.dossiers.timing): pure rules, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from motcua.dossiers import timing as t

from .builders import vn


def test_timing_compares_local_days_and_no_due_date_is_on_time():
    due = vn(2025, 6, 4, 11)
    assert t.timing(vn(2025, 6, 3, 17), due) == t.EARLY
    assert t.timing(vn(2025, 6, 4, 8), due) == t.ON_TIME
    assert t.timing(vn(2025, 6, 4, 16), due) == t.ON_TIME  # same day, later hour
    assert t.timing(vn(2025, 6, 5, 8), due) == t.LATE
    assert t.timing(vn(2025, 6, 5, 8), None) == t.ON_TIME
    assert t.timing(None, due) == ""


def test_days_are_vietnamese_days_not_utc_days():
    # 06:30 in Hà Nội is still the previous day in UTC.
    due = vn(2025, 6, 4, 6, 30)
    assert t.timing(vn(2025, 6, 3, 23, 30), due) == t.EARLY
    assert t.local_day(due).day == 4
    assert t.day_start(vn(2025, 6, 4, 15)) == vn(2025, 6, 4, 0)


@dataclass
class FakeDossier:
    status: str
    original_due_at: datetime | None
    received_at: datetime | None = field(default_factory=lambda: vn(2025, 6, 2))


@dataclass
class FakeStep:
    budget_hours: Decimal
    due_at: datetime | None
    ended_at: datetime | None = None
    state: str = "active"
    dossier: Any = None


def test_overdue_only_after_the_due_day_and_never_while_paused():
    d = FakeDossier("processing", vn(2025, 6, 4, 11))
    assert t.state_at(d, vn(2025, 6, 4, 16)) == t.WITHIN  # due today: not yet
    assert t.state_at(d, vn(2025, 6, 5, 7)) == t.OVERDUE
    assert t.is_overdue(d, vn(2025, 6, 5, 7))
    for paused in ("waiting_supplement", "waiting_payment"):
        d.status = paused
        assert t.state_at(d, vn(2025, 7, 1)) == t.PAUSED_STATE
    for ended in ("returned", "result_ready", "withdrawn", "stopped"):
        d.status = ended
        assert t.state_at(d, vn(2025, 7, 1)) == ""


def test_due_soon_up_to_the_given_instant():
    d = FakeDossier("received", vn(2025, 6, 4, 11))
    assert t.state_at(d, vn(2025, 6, 3, 9), vn(2025, 6, 4, 9)) == t.WITHIN
    assert t.state_at(d, vn(2025, 6, 3, 12), vn(2025, 6, 4, 12)) == t.DUE_SOON
    assert t.state_at(FakeDossier("received", None), vn(2030, 1, 1)) == t.WITHIN


def test_a_step_without_its_own_budget_has_no_timing_and_is_never_overdue():
    working = FakeDossier("processing", vn(2025, 6, 4))
    hand_over = FakeStep(Decimal(0), vn(2025, 6, 3), vn(2025, 6, 9), "done", working)
    assert t.step_timing(hand_over) == ""
    hand_over.ended_at, hand_over.state = None, "active"
    assert t.step_state_at(hand_over, vn(2025, 6, 20)) == t.WITHIN


def test_a_step_follows_the_dossier_rule_against_its_own_due_moment():
    working = FakeDossier("processing", vn(2025, 6, 20))
    step = FakeStep(Decimal(4), vn(2025, 6, 3, 11), dossier=working)
    assert t.step_state_at(step, vn(2025, 6, 3, 16)) == t.WITHIN
    assert t.step_state_at(step, vn(2025, 6, 4, 8)) == t.OVERDUE
    working.status = "waiting_supplement"
    assert t.step_state_at(step, vn(2025, 6, 4, 8)) == t.PAUSED_STATE
    step.ended_at, step.state = vn(2025, 6, 3, 16), "done"
    assert t.step_timing(step) == t.ON_TIME
    step.ended_at = vn(2025, 6, 2, 16)
    assert t.step_timing(step) == t.EARLY
    step.ended_at = vn(2025, 6, 4, 8)
    assert t.step_timing(step) == t.LATE
    step.state = "cancelled"
    assert t.step_timing(step) == ""


def test_the_filters_say_what_the_functions_say():
    now = vn(2025, 6, 5, 10)
    overdue = dict(t.overdue_q(now).children)
    assert overdue["original_due_at__lt"] == vn(2025, 6, 5, 0)
    assert set(overdue["status__in"]) == {"received", "processing"}  # not paused
    assert "dossier__status__in" in str(t.step_overdue_q(now))
