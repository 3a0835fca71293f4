"""Work queues and searches: visibility, filters, keyset pages, constant queries."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.agencies.models import Membership, Role
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.dossiers import selectors, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantInput

from .builders import World, build_world, make_user, vn
from .test_api import URL, assert_error, client_for

pytestmark = pytest.mark.django_db

MON, TUE, WED = vn(2025, 6, 2), vn(2025, 6, 3), vn(2025, 6, 4)


@dataclass
class Queue:
    world: World
    monitor: Any
    an: Dossier  # ward, Monday, direct, assigned to the specialist
    binh: Dossier  # ward, Tuesday, online channel, another field
    other: Dossier  # other ward, Monday, postal
    waiting: Dossier  # ward, submitted online on Wednesday: no due date yet


def codes(rows: Any) -> list[str]:
    return [d.code for d in rows]


@pytest.fixture
def queue() -> Queue:
    world = build_world()
    field = Field.objects.create(code=f"CT{world.ward.pk}", name="Chứng thực")
    procedure = Procedure.objects.create(code=f"2.{world.ward.pk:06d}", field=field)
    procedure.agencies.set([world.ward])
    ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        effective_from=date(2020, 1, 1),
        name="Chứng thực bản sao",
        time_value=Decimal(1),
    )
    an = world.processing(MON)
    binh = world.receive(
        TUE,
        channel="online",
        procedure=procedure,
        applicant=ApplicantInput(name="Trần Thị Bình", id_number="048090009999"),
    )
    other = world.receive(
        MON, actor=world.other_reception, agency=world.other_ward, channel="postal"
    )
    with world.at(WED):
        waiting = services.dossier_submit_online(
            world.reception, world.input(channel="online")
        )
    monitor = make_user(f"gs{world.district.pk}", world.district, Role.MONITOR)
    Membership.objects.filter(user=monitor).update(covers_subtree=True)
    return Queue(world, monitor, an, binh, other, waiting)


def find(queue: Queue, user: Any = None, **params: str) -> list[str]:
    filters = selectors.parse_filters(params)
    with queue.world.at(vn(2025, 6, 6, 10)):  # Friday: the Monday ones are late
        return codes(selectors.dossier_list(user or queue.monitor, filters))


# ------------------------------------------------------------------ visibility
def test_visibility_is_one_query_by_agency_step_or_consultation(queue):
    world = queue.world
    with CaptureQueriesContext(connection) as ctx:
        seen = set(codes(selectors.dossiers_visible_to(world.reception)))
    assert len(ctx.captured_queries) == 1
    assert seen == {queue.an.code, queue.binh.code, queue.waiting.code}
    assert set(codes(selectors.dossiers_visible_to(world.other_reception))) == {
        queue.other.code
    }
    assert codes(selectors.dossiers_visible_to(world.district_specialist)) == []
    with world.at(MON):
        services.dossier_consult(
            world.specialist, queue.an, agency=world.district, question="Cư trú?"
        )
    assert codes(selectors.dossiers_visible_to(world.district_specialist)) == [
        queue.an.code
    ]
    assert codes(selectors.dossiers_visible_to(None)) == []


# ------------------------------------------------------------------ filters
def test_filter_by_agency_status_procedure_field_and_channel(queue):
    world = queue.world
    everything = {queue.an.code, queue.binh.code, queue.other.code, queue.waiting.code}
    assert set(find(queue)) == everything
    assert set(find(queue, agency=world.other_ward.code)) == {queue.other.code}
    assert find(queue, status="processing") == [queue.an.code]
    assert set(find(queue, status="processing,submitted")) == {
        queue.an.code,
        queue.waiting.code,
    }
    assert find(queue, procedure=queue.binh.procedure.code) == [queue.binh.code]
    assert find(queue, field=queue.binh.field.code) == [queue.binh.code]
    assert find(queue, channel="postal") == [queue.other.code]
    assert set(find(queue, channel="online")) == {queue.binh.code, queue.waiting.code}


def test_filter_by_assignee_name_or_me(queue):
    world = queue.world
    assert find(queue, assignee=world.specialist.username) == [queue.an.code]
    assert find(queue, world.specialist, assignee="me") == [queue.an.code]
    assert find(queue, world.reception, assignee="me") == []
    assert find(queue, assignee="khong-ai") == []


def test_filter_overdue_and_due_before(queue):
    # Friday 06/06 10:00: Monday's dossiers were due Thursday 09:00; Tuesday's
    # (1 working day) Wednesday 09:00.
    late = {queue.an.code, queue.binh.code, queue.other.code}
    assert set(find(queue, overdue="true")) == late
    assert find(queue, overdue="false") == [queue.waiting.code]
    assert find(queue, due_before="2025-06-05") == [queue.binh.code]
    assert set(find(queue, due_before="2025-06-05T09:00:01+07:00")) == late
    # an unencoded "+" arrives as a space
    assert set(find(queue, due_before="2025-06-05T09:00:01 07:00")) == late


def test_filter_received_between_dates_in_vietnam_time(queue):
    assert set(find(queue, received_from="2025-06-02", received_to="2025-06-02")) == {
        queue.an.code,
        queue.other.code,
    }
    assert find(queue, received_from="2025-06-03") == [queue.binh.code]
    assert find(queue, received_to="2025-06-01") == []


def test_search_folds_accents_and_needs_every_word(queue):
    assert find(queue, q="tran thi binh") == [queue.binh.code]
    assert find(queue, q="TRẦN  Bình") == [queue.binh.code]
    assert find(queue, q="bình nguyễn") == []
    assert find(queue, q=queue.other.code) == [queue.other.code]
    assert set(find(queue, q="nguyen van an")) == {
        queue.an.code,
        queue.other.code,
        queue.waiting.code,
    }


@pytest.mark.parametrize(
    "params",
    [
        {"status": "done"},
        {"status": "processing,bogus"},
        {"channel": "fax"},
        {"overdue": "maybe"},
        {"due_before": "2025-06-05T09:00:00"},
        {"due_before": "tomorrow"},
        {"due_before": "2025-02-30"},
        {"received_from": "02/06/2025"},
        {"received_from": "2025-06-05", "received_to": "2025-06-01"},
        {"ordering": "code"},
        {"limit": "0"},
        {"limit": "-1"},
        {"limit": "ten"},
        {"limit": "9" * 40},
        {"cursor": "!!!"},
    ],
)
def test_invalid_filters_are_400_filter_invalid(queue, params):
    response = client_for(queue.monitor).get(URL, params)
    assert_error(response, 400, "filter.invalid")


# ------------------------------------------------------------------ pages
def many(world: World, n: int) -> list[Dossier]:
    return [world.receive(MON) for _ in range(n)]


def walk(user: Any, **params: Any) -> list[list[str]]:
    pages, cursor = [], None
    client = client_for(user)
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(URL, query)
        assert response.status_code == 200, response.content
        data = response.json()
        pages.append([row["code"] for row in data["results"]])
        cursor = data["next_cursor"]
        if cursor is None:
            assert data["next"] is None
            return pages
        assert f"cursor={cursor}" in data["next"]


def test_keyset_pages_do_not_overlap_and_cover_everything():
    world = build_world()
    made = many(world, 7)
    pages = walk(world.reception, limit=3)
    assert [len(p) for p in pages] == [3, 3, 1]
    flat = [code for page in pages for code in page]
    assert flat == [d.code for d in reversed(made)]  # newest first


def test_due_date_pages_put_dossiers_without_due_date_last(queue):
    world = queue.world
    with world.at(WED):
        services.dossier_submit_online(world.reception, world.input(channel="online"))
    extra = many(world, 3)
    pages = walk(world.reception, limit=2, ordering="due_at")
    flat = [code for page in pages for code in page]
    rows = Dossier.objects.filter(code__in=flat)
    assert len(flat) == len(set(flat)) == rows.count() == 7
    dues = [rows.get(code=c).due_at for c in flat]
    known = [d for d in dues if d is not None]
    assert known == sorted(known)
    assert dues[-2:] == [None, None]
    assert set(flat) >= {d.code for d in extra}


def test_a_tampered_cursor_is_400():
    world = build_world()
    many(world, 3)
    client = client_for(world.reception)
    cursor = client.get(URL, {"limit": 1}).json()["next_cursor"]
    key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    assert key["o"] == "-id"

    def encoded(value: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()

    for bad in [
        cursor[:-2] + "!!",
        encoded({"o": "-id", "id": "1 OR 1=1"}),
        encoded({"o": "-id", "id": 10**40}),
        encoded({"o": "due_at", "id": 1, "due": "yesterday"}),
        encoded([1, 2]),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ]:
        assert_error(client.get(URL, {"cursor": bad}), 400, "filter.invalid")
    # a cursor of one ordering is not valid for another
    response = client.get(URL, {"cursor": cursor, "ordering": "due_at"})
    assert_error(response, 400, "filter.invalid")


def test_limit_above_the_maximum_is_capped():
    filters = selectors.parse_filters({"limit": "100000"})
    assert filters.limit == selectors.MAX_LIMIT


def _count_list_queries(user: Any, limit: int) -> tuple[int, int]:
    client = client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"limit": limit, "ordering": "due_at"})
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def test_the_list_costs_the_same_number_of_queries_for_5_or_50_rows(
    django_assert_max_num_queries,
):
    world = build_world()
    many(world, 5)
    small, rows = _count_list_queries(world.reception, 5)
    assert rows == 5
    many(world, 45)
    large, rows = _count_list_queries(world.reception, 50)
    assert rows == 50
    assert small == large
    with django_assert_max_num_queries(small):
        client_for(world.reception).get(URL, {"limit": 50, "assignee": "me", "q": "an"})
