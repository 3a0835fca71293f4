"""The list page reads the same dossiers as the visibility rule says, and
nothing else, whichever way it is computed (issue 15: a union of per-reason
first pages on PostgreSQL, the ``OR`` of the reasons on SQLite): for officers
of the owning agency, of an agency handling one step, of a consulted agency, of
a receiving centre, of another ward, a monitor, an administrator and an
account of no agency; newest first and by due date; filtered or not."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.agencies.models import Agency, Membership, Role
from motcua.agencies.selectors import roles_read_once, sees_every_agency
from motcua.agencies.services import agency_create
from motcua.dossiers import selectors, services
from motcua.dossiers.models import Dossier, Step
from tests.dossiers.builders import build_world, make_user, vn

pytestmark = pytest.mark.django_db


class Province:
    def __init__(self) -> None:
        w = self.world = build_world()
        self.centre = agency_create(
            code=f"000.99.{w.ward.pk % 100:02d}.H99", name="Trung tâm", level="district"
        )
        self.centre_officer = make_user(f"tt{w.ward.pk}", self.centre, Role.RECEPTION)
        self.monitor = make_user(f"gs{w.ward.pk}", w.district, Role.MONITOR)
        Membership.objects.filter(user=self.monitor).update(covers_subtree=True)
        # A monitor of the whole city and of the centre outside it: every agency
        # there is (``sees_every_agency``: the page takes no condition at all).
        self.everything = make_user(f"all{w.ward.pk}", w.city, Role.MONITOR)
        Membership.objects.filter(user=self.everything).update(covers_subtree=True)
        self.nobody = make_user(f"x{w.ward.pk}")
        self.root = get_user_model().objects.create_superuser(f"root{w.ward.pk}")
        self.owned = [w.receive(vn(2025, 6, d)) for d in (2, 3, 4, 5, 6)]
        self.others = [
            w.receive(vn(2025, 6, d), actor=w.other_reception, agency=w.other_ward)
            for d in (2, 3, 4, 5, 6)
        ]
        # the district handles a step of one of the other ward's dossiers…
        self.handled = self.others[1]
        step = Step.objects.filter(dossier=self.handled).order_by("id").first()
        assert step is not None
        Step.objects.filter(pk=step.pk).update(agency=w.district)
        # … is consulted on one of the ward's …
        self.consulted = w.processing(vn(2025, 6, 9))
        with w.at(vn(2025, 6, 9, 10)):
            services.dossier_consult(
                w.specialist, self.consulted, agency=w.district, question="?"
            )
        # … and the centre received one for the other ward.
        self.received = self.others[3]
        Dossier.objects.filter(pk=self.received.pk).update(
            received_by_agency=self.centre
        )
        Membership.objects.create(
            user=self.everything, agency=self.centre, role=Role.MONITOR
        )

    def users(self) -> dict[str, Any]:
        w = self.world
        return {
            "owning agency": w.specialist,
            "step-handling and consulted agency": w.district_specialist,
            "receiving centre": self.centre_officer,
            "other ward": w.other_reception,
            "monitor": self.monitor,
            "monitor of every agency": self.everything,
            "administrator": self.root,
            "no agency": self.nobody,
        }


def walk(user: Any, params: dict[str, str]) -> list[int]:
    """Every page of the list, two rows at a time."""
    seen: list[int] = []
    cursor = None
    while True:
        query = {**params, "limit": "2", **({"cursor": cursor} if cursor else {})}
        page = selectors.dossier_page(user, selectors.parse_filters(query))
        seen += [d.pk for d in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen


PARAMS = [
    {},
    {"ordering": "due_at"},
    {"status": "processing"},
    {"status": "received", "ordering": "due_at"},
    {"q": "nguyen"},
]


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: ",".join(p) or "all")
def test_pages_hold_exactly_the_visible_dossiers_in_order(params):
    province = Province()
    with province.world.at(vn(2025, 6, 20)):
        for who, user in province.users().items():
            expected = list(
                selectors.dossier_list(
                    user, selectors.parse_filters(params)
                ).values_list("pk", flat=True)
            )
            assert walk(user, params) == expected, who


def test_each_officer_sees_its_reasons_and_nothing_else():
    p = Province()
    w = p.world
    pk = {d.pk for d in (*p.owned, p.consulted)}
    expected = {
        "owning agency": pk,
        "step-handling and consulted agency": {p.handled.pk, p.consulted.pk},
        "receiving centre": {p.received.pk},
        "other ward": {d.pk for d in p.others},
        "monitor": pk | {d.pk for d in p.others},  # the district's subtree
        "monitor of every agency": set(Dossier.objects.values_list("pk", flat=True)),
        "administrator": set(Dossier.objects.values_list("pk", flat=True)),
        "no agency": set(),
    }
    with w.at(vn(2025, 6, 20)):
        for who, user in p.users().items():
            assert set(walk(user, {})) == expected[who], who
            visible = selectors.dossiers_visible_to(user).values_list("pk", flat=True)
            assert set(visible) == expected[who], who
            now = selectors.dossiers_visible_now(user).values_list("pk", flat=True)
            assert set(now) == expected[who], who
            with roles_read_once():  # twice in one request: the same answer
                for _ in range(2):
                    now = selectors.dossiers_visible_now(user)
                    assert set(now.values_list("pk", flat=True)) == expected[who]


def test_only_who_sees_every_agency_reads_the_list_without_a_condition():
    """The shortcut is taken for the administrator and a monitor of every
    agency, and for nobody else: a new agency outside the monitor's tree is
    enough to bring the conditions back (and the same dossiers)."""
    p = Province()
    w = p.world
    with w.at(vn(2025, 6, 20)):
        for who, user in p.users().items():
            every = who in ("monitor of every agency", "administrator")
            assert sees_every_agency(user) is every, who
        agency_create(code="000.98.01.H98", name="Xã khác", level="commune")
        assert not sees_every_agency(p.everything)
        assert set(walk(p.everything, {})) == set(
            Dossier.objects.values_list("pk", flat=True)
        )
        with CaptureQueriesContext(connection) as ctx:
            selectors.dossier_page(p.everything, selectors.parse_filters({}))
        assert all(" WHERE " in sql for sql in _dossier_statements(ctx))
        Agency.objects.filter(code="000.98.01.H98").delete()
        with CaptureQueriesContext(connection) as ctx:
            page = selectors.dossier_page(p.everything, selectors.parse_filters({}))
        assert len(page.items) == Dossier.objects.count()
        (sql,) = _dossier_statements(ctx)
        assert " WHERE " not in sql


def _dossier_statements(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx if 'FROM "dossiers_dossier"' in q["sql"]]


def test_the_agencies_seen_are_read_once_even_outside_a_read_once_block(
    django_assert_num_queries,
):
    """A writing request (no ``roles_read_once``) asks who sees every agency
    and which agencies in one read: the memberships, then the subtree."""
    p = Province()
    for user in (p.monitor, p.everything):
        with django_assert_num_queries(2):
            selectors.dossiers_visible_now(user)
    with django_assert_num_queries(1):  # no subtree: the memberships only
        selectors.dossiers_visible_now(p.world.specialist)


# The API's list page from statements kept per shape (ADR 0036) against the
# same page built by the ORM: every user, every shape that is kept, page by page.
KEPT_PARAMS = [
    {},
    {"ordering": "due_at"},
    {"status": "received,processing"},
    {"status": "processing,processing", "ordering": "due_at"},
    {"channel": "direct"},
    {"due_before": "2025-07-01T00:00:00+07:00", "ordering": "due_at"},
]


def _orm_values(user: Any, filters: Any) -> list[tuple[Any, ...]]:
    size = filters.limit + 1
    return list(selectors._row_values(selectors._page_rows(user, filters, size)))


def walk_rows(user: Any, params: dict[str, str]) -> list[int]:
    """Every page of the API list, two rows at a time; each page's values
    are compared with the ORM's."""
    seen: list[int] = []
    cursor = None
    while True:
        query = {**params, "limit": "2", **({"cursor": cursor} if cursor else {})}
        filters = selectors.parse_filters(query)
        kept = selectors._kept_row_values(user, filters, filters.limit + 1)
        assert kept == _orm_values(user, filters), (params, cursor)
        page = selectors.dossier_row_page(user, filters)
        seen += [row.pk for row in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen


@pytest.mark.parametrize("params", KEPT_PARAMS, ids=lambda p: ",".join(p) or "all")
def test_a_kept_list_page_reads_the_rows_the_orm_reads(params):
    p = Province()
    ward = p.world.ward
    # a dossier with no due date: the due-date walk passes the undated ones too
    Dossier.objects.filter(pk=p.owned[0].pk).update(due_at=None)
    with p.world.at(vn(2025, 6, 20)):
        for who, user in p.users().items():
            expected = list(
                selectors.dossier_list(
                    user, selectors.parse_filters(params)
                ).values_list("pk", flat=True)
            )
            assert walk_rows(user, params) == expected, who
            mine = {**params, "agency": ward.code}
            expected = list(
                selectors.dossier_list(user, selectors.parse_filters(mine)).values_list(
                    "pk", flat=True
                )
            )
            assert walk_rows(user, mine) == expected, who


def test_which_pages_are_kept_and_which_the_orm_builds():
    p = Province()
    user = p.world.specialist
    with p.world.at(vn(2025, 6, 20)):
        for params in ({}, {"status": "received"}, {"procedure": "x", "limit": "7"}):
            filters = selectors.parse_filters(params)
            assert selectors._kept_row_values(user, filters, 8) is not None
        for params in ({"q": "nguyen"}, {"overdue": "true"}, {"assignee": "me"}):
            filters = selectors.parse_filters(params)
            assert selectors._kept_row_values(user, filters, 8) is None
        # the same shape again compiles nothing: one statement a page (SQLite)
        # or the first ids and the rows (PostgreSQL)
        filters = selectors.parse_filters({"status": "received"})
        with roles_read_once():
            selectors._kept_row_values(user, filters, 8)
            with CaptureQueriesContext(connection) as seen:
                selectors._kept_row_values(user, filters, 8)
        assert len(seen) == (2 if connection.vendor == "postgresql" else 1)
