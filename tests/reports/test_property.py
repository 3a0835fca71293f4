"""The report equals a brute-force count of the event history, for random
histories through the real services (supplements, payments, extensions,
refusals at the desk and after appraisal, withdrawals, stops) across Tết 2026
and period boundaries — and every drill-down list is exactly those dossiers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from motcua.reports.recompute import verify
from motcua.reports.selectors import CELLS, ReportQuery, cell_dossiers, cell_value

from ..dossiers.builders import build_world, vn
from .brute import cells, stories
from .histories import ACTIONS, STARTS, play

pytestmark = pytest.mark.django_db

FIRST = date(2026, 1, 26)  # three weeks before Tết Bính Ngọ (16–20/02/2026)
DAYS = 50

gaps = st.sampled_from([0, 1, 3, 6, 20, 24, 30, 48, 72, 120, 200])
# Pauses and settlements weigh more: they make the interesting boundaries.
WEIGHTED = (*ACTIONS, "supplement", "request_payment", "resubmit", "finish_on_due")
step = st.tuples(gaps, st.sampled_from(WEIGHTED))
dossier = st.tuples(
    st.integers(0, DAYS - 1),
    st.integers(7, 18),
    st.sampled_from(STARTS),
    st.lists(step, max_size=7),
)
period = st.tuples(st.integers(0, DAYS + 15), st.integers(0, 40)).map(
    lambda p: (FIRST + timedelta(days=p[0]), FIRST + timedelta(days=p[0] + p[1]))
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    dossiers=st.lists(dossier, min_size=1, max_size=6),
    periods=st.lists(period, min_size=1, max_size=3),
    fee=st.sampled_from([0, 50000]),
    policy=st.sampled_from(["restart", "shift"]),
)
def test_report_equals_brute_force_count_of_the_history(dossiers, periods, fee, policy):
    world = build_world(value=3, fee=fee, policy=policy)
    for offset, hour, kind, steps in dossiers:
        day = FIRST + timedelta(days=offset)
        play(world, vn(day.year, day.month, day.day, hour), kind, steps)
    client = APIClient()
    client.force_authenticate(world.reception)
    history = stories([world.ward.pk])
    for start, end in periods:
        url = (
            f"/api/v1/reports/bieu06?agency={world.ward.code}"
            f"&from={start}&to={end}&group_by=procedure"
        )
        response = client.get(url)
        assert response.status_code == 200, response.json()
        body = response.json()
        expected = cells(history, start, end)
        query = ReportQuery(world.ward, start, end, False, "procedure")
        for cell in CELLS:
            want = expected.get(cell, set())
            assert cell_value(body["totals"], cell) == len(want), (cell, start, end)
            got = set(cell_dossiers(query, cell).values_list("code", flat=True))
            assert got == want, (cell, start, end)
        t = body["totals"]
        assert t["received"]["total"] == (
            t["settled"]["total"]
            + t["withdrawn"]
            + t["stopped"]
            + t["in_progress"]["total"]
        )
        if body["rows"]:
            assert (
                len(body["rows"]) == 1
                and {
                    k: v for k, v in body["rows"][0].items() if k not in ("key", "name")
                }
                == t
            )
    _, problems = verify()
    assert problems == []
