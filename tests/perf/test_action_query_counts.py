"""Every lifecycle action costs the same number of queries however many
dossiers the agency holds (issue 15: constant query counts per action).

Each action of the buttons (``tests.dossiers.test_may_act.RUN``) runs, through
the real service, on a dossier in a state where the one rule of who may act
offers it to someone; the four ways a new dossier comes in run with their data.
Counted once in a small city and again after it has grown, on fresh dossiers in
the same state (a first run warms the per-process caches)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import permissions, services
from motcua.dossiers.models import Dossier
from tests.dossiers.test_may_act import BUTTONS, LATER, RUN, STATES, _loaded, _people

from .conftest import City
from .test_query_counts import _repeated

pytestmark = pytest.mark.django_db

NEW: dict[str, Callable[[City], Any]] = {
    "receive new": lambda c: services.dossier_receive(
        c.world.reception, data=c.world.input()
    ),
    "submit online": lambda c: services.dossier_submit_online(
        None, c.world.input(channel="online")
    ),
    "supplement at the desk": lambda c: services.dossier_request_supplement(
        c.world.reception, data=c.world.input(), reason="Thiếu bản sao"
    ),
    "refuse at the desk": lambda c: services.dossier_refuse(
        c.world.reception, data=c.world.input(), reason="Không thuộc thẩm quyền"
    ),
}


def _where_offered(city: City, people: dict[str, Any], action: str) -> tuple[str, Any]:
    """A state, and a person to whom the rule offers ``action`` in it."""
    for state, build in STATES.items():
        dossier = _loaded(build(city.world))
        with city.world.at(LATER):
            for user in people.values():
                if action in permissions.allowed_actions(user, dossier):
                    return state, user
    raise AssertionError(f"no state offers {action}")


def _count(run: Callable[[], Any]) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        run()
    return [q["sql"] for q in ctx.captured_queries]


def _action_queries(city: City, action: str, state: str, user: Any) -> list[str]:
    w = city.world
    dossier = Dossier.objects.get(pk=STATES[state](w).pk)
    with w.at(LATER):
        return _count(lambda: RUN[action](w, user, dossier))


def _assert_constant(name: str, city: City, counted: Callable[[], list[str]]) -> None:
    city.grow(1)
    counted()  # warm: law rules, templates, calendars cached per process
    few = counted()
    city.grow(4)
    many = counted()
    assert len(few) == len(many), (
        f"{name}: {len(few)} queries in a small city, {len(many)} in a larger one\n"
        + _repeated(many)
    )


@pytest.mark.parametrize("action", BUTTONS)
def test_every_action_costs_the_same_queries_however_many_dossiers(city, action):
    state, user = _where_offered(city, _people(city.world), action)
    _assert_constant(
        f"{action} ({state}, {user.get_username()})",
        city,
        lambda: _action_queries(city, action, state, user),
    )


@pytest.mark.parametrize("name", list(NEW))
def test_a_new_dossier_costs_the_same_queries_however_many_dossiers(city, name):
    def counted() -> list[str]:
        with city.world.at(LATER):
            return _count(lambda: NEW[name](city))

    _assert_constant(name, city, counted)
