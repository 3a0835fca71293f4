"""The leaders' board agrees with itself (issue 9): the "overdue" tile is the
overdue-by-unit chart, point for point — regression examples found by
tests/dossiers/test_one_truth.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.agencies.models import Agency
from motcua.catalog.models import StepTemplate
from motcua.dossiers import services
from motcua.evaluation.dashboard import today_figures
from tests.dossiers.builders import build_world, vn

pytestmark = pytest.mark.django_db


def test_an_approved_dossier_not_yet_issued_is_in_the_units_chart():
    world = build_world()  # 3 working days: received Monday, due Thursday
    dossier = world.processing(vn(2025, 6, 2, 9))
    with world.at(vn(2025, 6, 2, 10)):
        dossier = services.dossier_submit(world.specialist, dossier)
    with world.at(vn(2025, 6, 2, 11)):
        dossier = services.dossier_approve(world.leader, dossier)
    assert not dossier.steps.filter(state="active").exists()
    today = today_figures(Agency.objects.filter(pk=world.ward.pk), vn(2025, 6, 6, 10))
    assert today.overdue == 1
    # it used to be left out: no active step, so no unit "held" it
    assert today.overdue_by_unit == [(world.ward.name, 1)]


def test_a_dossier_at_two_units_at_once_counts_at_each():
    world = build_world()
    StepTemplate.objects.create(
        version=world.version, position=2, name="Xác minh tại quận",
        role="specialist", unit=world.district, budget_hours=Decimal("4"),
    )  # fmt: skip
    world.receive(vn(2025, 6, 2, 9))
    today = today_figures(Agency.objects.filter(pk=world.ward.pk), vn(2025, 6, 6, 10))
    assert today.overdue == 1
    assert sorted(today.overdue_by_unit) == sorted(
        [(world.ward.name, 1), (world.district.name, 1)]
    )
