"""Receptions outside working hours (issue 13): the reception service sets
``received_out_of_hours`` from the agency's calendar (evening, lunch break,
weekend, holiday, the agency's own day off; not a Saturday it works); the due
date is the engine's as for any reception; letters.selectors counts them."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.agencies.models import Role
from motcua.deadlines.models import CalendarOverride
from motcua.deadlines.services import calendar_on
from motcua.letters.selectors import out_of_hours_counts
from tests.dossiers.builders import World, build_world, make_user, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def flag(world: World, when) -> bool:
    return world.receive(when).received_out_of_hours


def test_inside_working_hours_is_not_flagged(world):
    assert flag(world, vn(2026, 3, 10, 9)) is False  # Tuesday 09:00
    assert flag(world, vn(2026, 3, 10, 16, 59)) is False


def test_17_30_on_a_weekday_is_flagged_and_due_as_the_engine_says(world):
    at = vn(2026, 3, 10, 17, 30)
    dossier = world.receive(at)
    assert dossier.received_out_of_hours is True
    unit, value = world.version.time_for("direct")
    assert dossier.due_at == calendar_on(world.ward, at).due(at, unit, value)
    assert dossier.received_at == at


def test_the_lunch_break_and_the_closing_minute_are_outside(world):
    assert flag(world, vn(2026, 3, 10, 12, 30)) is True
    assert flag(world, vn(2026, 3, 10, 17, 0)) is True
    assert flag(world, vn(2026, 3, 10, 7, 45)) is True


def test_saturday_is_flagged_and_due_as_the_engine_says(world):
    at = vn(2026, 3, 14, 9)  # Saturday
    dossier = world.receive(at)
    assert dossier.received_out_of_hours is True
    unit, value = world.version.time_for("direct")
    assert dossier.due_at == calendar_on(world.ward, at).due(at, unit, value)


def test_a_national_holiday_and_the_agencys_own_day_off_are_flagged(world):
    assert flag(world, vn(2026, 4, 30, 9)) is True  # Ngày Giải phóng miền Nam
    CalendarOverride.objects.create(
        agency=world.ward, date=date(2026, 3, 11), working=False, reason="Nghỉ bù"
    )
    assert flag(world, vn(2026, 3, 11, 9)) is True
    assert flag(world, vn(2026, 3, 12, 9)) is False


def test_a_saturday_the_agency_works_is_inside(world):
    CalendarOverride.objects.create(
        agency=world.ward, date=date(2026, 3, 21), working=True, reason="Làm bù"
    )
    assert flag(world, vn(2026, 3, 21, 9)) is False


def test_the_count_per_officer_over_a_period(world):
    evening = make_user("toi", world.ward, Role.RECEPTION)
    world.receive(vn(2026, 3, 10, 17, 30))  # world.reception, out
    world.receive(vn(2026, 3, 14, 8, 30))  # Saturday, out
    world.receive(vn(2026, 3, 10, 10))  # inside: not counted
    world.receive(vn(2026, 3, 12, 18), actor=evening)
    world.receive(vn(2026, 4, 4, 9))  # Saturday, outside the period
    world.receive(
        vn(2026, 3, 14, 9),
        actor=world.other_reception,
        agency=world.other_ward,
    )  # another agency
    counts = out_of_hours_counts(world.ward, date(2026, 3, 1), date(2026, 3, 31))
    assert counts == {world.reception.pk: 2, evening.pk: 1}
    assert out_of_hours_counts(
        world.other_ward, date(2026, 3, 1), date(2026, 3, 31)
    ) == {world.other_reception.pk: 1}
    # the period's last day counts until midnight, Vietnam time
    assert out_of_hours_counts(world.ward, date(2026, 3, 14), date(2026, 3, 14)) == {
        world.reception.pk: 1
    }


def test_the_count_per_officer_and_month_for_the_staff_page(world):
    from motcua.agencies.models import Agency
    from motcua.letters.selectors import out_of_hours_by_month

    world.receive(vn(2026, 3, 31, 23, 30))  # still March in Vietnam
    world.receive(vn(2026, 4, 4, 9))  # Saturday in April
    world.receive(vn(2026, 4, 6, 9))  # Monday 09:00: inside
    agencies = Agency.objects.filter(pk=world.ward.pk)
    counts = out_of_hours_by_month(agencies, vn(2026, 3, 1, 0), vn(2026, 5, 1, 0))
    assert counts == {
        (world.reception.pk, (2026, 3)): 1,
        (world.reception.pk, (2026, 4)): 1,
    }
