"""One truth for "early / on time / late" and "overdue" (issue 9): for random
histories through the real services, every screen classifies each dossier and
step as motcua.dossiers.timing does — the API, the back-office badges, slip 05,
the overdue queue, both leaders' boards — and the board's overdue count is
Biểu 06's overdue figure for the same day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Max
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.backoffice.access import Desk, roles_in
from motcua.backoffice.queues import conditions, leader_board
from motcua.backoffice.timeleft import Badges
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import selectors
from motcua.dossiers import services as sv
from motcua.dossiers import timing as t
from motcua.dossiers.models import Dossier, Event, Step
from motcua.dossiers.serializers import DossierListSerializer, DossierStepSerializer
from motcua.evaluation.dashboard import today_figures
from motcua.reports.selectors import ReportQuery, cell_dossiers
from motcua.slips import content

from ..reports.histories import ACTIONS, play
from .builders import World, build_world, vn

pytestmark = pytest.mark.django_db

FIRST = date(2025, 6, 2)  # a Monday
EXTRA = ("submit", "approve", "supplement", "extend")
SLIP = {t.EARLY: "Trước hạn", t.ON_TIME: "Đúng hạn", t.LATE: "Quá hạn", "": ""}
API_STEP = {t.EARLY: "early", t.ON_TIME: "on_time", t.LATE: "late", "": ""}
BADGE_STEP = {t.EARLY: "ok", t.ON_TIME: "ok", t.LATE: "late", "": "none"}

gaps = st.sampled_from([0, 1, 3, 6, 20, 30, 48, 72])
history = st.tuples(
    st.integers(0, 6),  # day of reception
    st.integers(7, 17),  # hour
    st.sampled_from(["direct", "direct", "online", "desk_supplement"]),
    st.lists(st.tuples(gaps, st.sampled_from((*ACTIONS, *EXTRA))), max_size=5),
)


def _play(world: World, story: tuple) -> None:
    day, hour, kind, steps = story
    start = vn(2025, 6, FIRST.day + day, hour)
    shared = [(h, a) for h, a in steps if a not in ("submit", "approve")]
    dossier = play(world, start, kind, shared)
    # Step hand-overs (submit, approve) the shared histories do not play.
    when = max(e.at for e in dossier.events.all())
    for hours, action in steps:
        if action not in ("submit", "approve"):
            continue
        when += timedelta(hours=hours)
        with world.at(when):
            try:
                if action == "submit":
                    dossier = sv.dossier_submit(world.specialist, dossier)
                else:
                    dossier = sv.dossier_approve(world.leader, dossier)
            except DomainError:
                dossier = Dossier.objects.get(pk=dossier.pk)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    stories=st.lists(history, min_size=1, max_size=5),
    value=st.sampled_from([3, 10]),
    later=st.sampled_from([0, 2, 8, 20, 30, 50, 100, 200, 400, 700]),
    policy=st.sampled_from(["restart", "shift"]),
)
def test_every_screen_classifies_as_the_one_rule(stories, value, later, policy):
    world = build_world(value=value, policy=policy)
    for story in stories:
        _play(world, story)
    # Look after the last event, so the report's day is complete.
    last = Event.objects.filter(dossier__agency=world.ward).aggregate(m=Max("at"))
    now = last["m"] + timedelta(hours=later, minutes=1)
    today = t.local_day(now)
    desk = Desk(
        world.leader, world.ward, [world.ward], roles_in(world.leader, world.ward)
    )
    dossiers = list(Dossier.objects.filter(agency=world.ward).select_related("agency"))
    with clock.frozen_at(now):
        badges = Badges(now)
        soon = badges.soon_until(world.ward)
        queue = set(
            Dossier.objects.filter(conditions(desk, now)["qua-han"]).values_list(
                "pk", flat=True
            )
        )
        api_filter = set(
            selectors.dossiers_visible_to(world.leader)
            .filter(selectors._overdue())
            .values_list("pk", flat=True)
        )
        expected = set()
        for d in dossiers:
            state = t.state_at(d, now, soon)
            overdue = state == t.OVERDUE
            if overdue:
                expected.add(d.pk)
            assert DossierListSerializer().get_overdue(d) is overdue
            badge = badges.for_dossier(d)
            assert (badge.tone == "late") is overdue, (state, badge)
            assert (badge.tone == "paused") is (state == t.PAUSED_STATE)
            assert (d.pk in queue) is overdue
            if state == t.DUE_SOON:
                assert badge.tone == "soon"
            if d.finished_at is not None:
                assert d.timing == t.timing(d.finished_at, d.original_due_at)
            for step in d.steps.select_related("agency", "dossier"):
                rule = t.step_timing(step)
                api = DossierStepSerializer().get_timing(step)
                assert api == ("open" if step.ended_at is None else API_STEP[rule])
                slip = content.step_timing(step)
                if step.ended_at is not None and step.state != "cancelled":
                    assert slip == SLIP[rule]
                    assert badges.for_step(step).tone == BADGE_STEP[rule]
                elif step.state == "active":
                    late = t.step_state_at(step, now, soon) == t.OVERDUE
                    assert (badges.for_step(step).tone == "late") is late
                    found = Step.objects.filter(t.step_overdue_q(now), pk=step.pk)
                    assert found.exists() is late
        assert queue == expected
        assert expected <= api_filter
        board = leader_board(desk, now)
        assert board["totals"]["overdue"] == len(expected)
        late_steps = Step.objects.filter(
            t.step_overdue_q(now), dossier__agency=world.ward
        ).count()
        assert sum(r["n"] for r in board["late_steps"]) == late_steps
        figures = today_figures(type(world.ward).objects.filter(pk=world.ward.pk), now)
        assert figures.overdue == len(expected)
    report = ReportQuery(world.ward, today, today)
    bieu06 = set(
        cell_dossiers(report, "in_progress.overdue").values_list("pk", flat=True)
    )
    assert bieu06 == expected
