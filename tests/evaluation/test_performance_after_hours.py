"""The staff page counts each officer's receptions outside working hours in
the month (issue 13: «làm hết việc chứ không làm hết giờ»)."""

from __future__ import annotations

import pytest

from motcua.agencies.selectors import subtree
from motcua.evaluation.performance import staff_performance
from motcua.evaluation.periods import month
from tests.backoffice.conftest import client_for
from tests.dossiers.builders import build_world, vn

pytestmark = pytest.mark.django_db


def test_receptions_outside_working_hours_per_officer_and_month():
    world = build_world()
    world.receive(vn(2026, 3, 10, 17, 30))  # Tuesday evening
    world.receive(vn(2026, 3, 14, 9))  # Saturday
    world.receive(vn(2026, 3, 10, 9))  # inside working hours
    world.receive(vn(2026, 4, 4, 9))  # Saturday of the next month
    rows = {
        (r.user, r.month): r
        for r in staff_performance(subtree(world.ward), month(2026, 3))
    }
    assert rows[(world.reception, (2026, 3))].after_hours == 2
    page = client_for(world.admin).get("/danh-gia/can-bo/", {"ky": "2026-03"})
    assert "Tiếp nhận ngoài giờ" in page.content.decode()
