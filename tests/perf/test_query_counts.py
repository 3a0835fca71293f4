"""Every list and page that shows dossiers (or their parts) costs the same
number of queries for few rows as for many (issue 15 item 3): the count is
measured with a small world, the world grows, and the count must not move.

Rows are built through the services (``tests/dossiers/builders.py``) and are
varied on purpose: received, assigned, consulted with another agency, waiting
for a supplement, linked to a citizen, with feedback items beside them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.backoffice.conftest import client_for
from tests.citizens.factories import citizen_client
from tests.dossiers.builders import vn
from tests.pipelines import statements_seen

from .conftest import City

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2)


def queries(client: Client, url: str) -> list[str]:
    client.get(url)  # warm: sessions, caches filled once per process
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in ctx.captured_queries]


def _repeated(sqls: list[str]) -> str:
    """The statements run more than once (an N+1 shows there first)."""
    shapes = Counter(re.sub(r"\b\d+\b", "N", sql)[:300] for sql in sqls)
    return "\n".join(f"{n}× {shape}" for shape, n in shapes.most_common(3) if n > 1)


def assert_constant(
    city: City, client: Callable[[City], Client], url: Callable[[City], str]
) -> None:
    city.grow(1)
    few = queries(client(city), url(city))
    city.grow(4)
    many = queries(client(city), url(city))
    assert len(few) == len(many), (
        f"{url(city)}: {len(few)} queries with few rows, {len(many)} with many\n"
        + _repeated(many)
    )


def officer(city: City) -> Client:
    return client_for(city.world.specialist)


def leader(city: City) -> Client:
    return client_for(city.world.leader)


def reception(city: City) -> Client:
    return client_for(city.world.reception)


def monitor(city: City) -> Client:
    return client_for(city.monitor)


def district(city: City) -> Client:
    return client_for(city.world.district_specialist)


def anonymous(city: City) -> Client:
    return Client()


def citizen(city: City) -> Client:
    return citizen_client(city.citizen)


def june(city: City, path: str, more: str = "") -> str:
    """``path`` for the ward's June 2025 (reports, registers)."""
    return f"{path}?agency={city.world.ward.code}&from=2025-06-01&to=2025-06-30{more}"


def admin(city: City) -> Client:
    return client_for(city.world.admin)


def ward_period(city: City, period: str) -> str:
    return f"co-quan={city.world.ward.code}&ky={period}"


def first(city: City) -> str:
    return city.dossiers[1].code  # assigned and consulted: steps, consultations


def returned(city: City) -> str:
    """The slip's QR token of a returned, rated dossier: its whole story."""
    from motcua.portal.qr import token_for

    return token_for(city.dossiers[5])


PAGES: dict[str, tuple[Callable[[City], Client], Callable[[City], str]]] = {
    # API
    "api list": (officer, lambda c: "/api/v1/dossiers/?limit=200"),
    "api list due order": (
        leader,
        lambda c: "/api/v1/dossiers/?limit=200&ordering=due_at",
    ),
    "api list monitor": (monitor, lambda c: "/api/v1/dossiers/?limit=200"),
    "api list consulted agency": (district, lambda c: "/api/v1/dossiers/"),
    "api detail": (officer, lambda c: f"/api/v1/dossiers/{first(c)}/"),
    "api procedures": (officer, lambda c: "/api/v1/procedures/"),
    "api bieu06": (
        leader,
        lambda c: june(c, "/api/v1/reports/bieu06"),
    ),
    "api bieu06 dossiers": (
        leader,
        lambda c: june(c, "/api/v1/reports/bieu06/dossiers", "&cell=received.total"),
    ),
    "api citizen dossiers": (citizen, lambda c: "/api/v1/citizen/dossiers/"),
    # back office
    "home": (leader, lambda c: "/can-bo/"),
    "search": (officer, lambda c: "/can-bo/tim/?q=nguyen"),
    "dossier page": (leader, lambda c: f"/can-bo/ho-so/{first(c)}/"),
    "returns": (reception, lambda c: "/can-bo/tra-ket-qua/"),
    "leader board": (leader, lambda c: "/can-bo/lanh-dao/"),
    "sent messages": (leader, lambda c: "/can-bo/tin-nhan/"),
    "feedback staff list": (leader, lambda c: "/can-bo/phan-anh/"),
    "bieu06 page": (
        leader,
        lambda c: june(c, "/bao-cao/bieu-06/"),
    ),
    "register xlsx": (
        reception,
        lambda c: june(c, "/can-bo/phieu/so-theo-doi/", "&format=xlsx"),
    ),
    "desk": (reception, lambda c: "/can-bo/quay/"),
    "read log": (admin, lambda c: "/can-bo/nhat-ky-truy-cap/"),
    "bieu06 dossiers page": (
        leader,
        lambda c: june(c, "/bao-cao/bieu-06/ho-so", "&cell=received.total"),
    ),
    # evaluation (ratings of the returned dossiers, some with a follow-up)
    "evaluation board": (leader, lambda c: f"/danh-gia/?{ward_period(c, '')}"),
    "circular 01": (
        leader,
        lambda c: f"/danh-gia/thong-tu-01/?{ward_period(c, '2025-Q2')}",
    ),
    "index 766": (
        leader,
        lambda c: f"/danh-gia/chi-so-766/?{ward_period(c, '2025-06')}",
    ),
    "staff figures": (
        leader,
        lambda c: f"/danh-gia/can-bo/?{ward_period(c, '2025-06')}",
    ),
    "bottlenecks": (
        leader,
        lambda c: f"/danh-gia/khau-cham/?{ward_period(c, '2025-06')}",
    ),
    "follow-ups": (leader, lambda c: "/danh-gia/theo-doi/"),
    "public evaluation": (anonymous, lambda c: "/danh-gia/cong-khai/"),
    # portal and citizens
    "portal tracking": (anonymous, lambda c: f"/tra-cuu/{first(c)}"),
    "portal tracking by qr": (anonymous, lambda c: f"/tra-cuu/qr/{returned(c)}/"),
    "readiness check": (anonymous, lambda c: "/healthz/"),
    "catalogue": (anonymous, lambda c: "/thu-tuc/"),
    "catalogue agency": (anonymous, lambda c: f"/thu-tuc/?agency={c.world.ward.code}"),
    "transparency": (anonymous, lambda c: f"/cong-khai/{c.world.ward.code}/"),
    "feedback answered": (anonymous, lambda c: "/phan-anh/da-tra-loi/"),
    "my dossiers": (citizen, lambda c: "/cong-dan/ho-so/"),
    "citizen drafts": (citizen, lambda c: "/nop-ho-so/ban-nhap/"),
    "transparency index": (anonymous, lambda c: "/cong-khai/"),
    "api agencies": (officer, lambda c: "/api/v1/agencies/"),
    "api public procedures": (anonymous, lambda c: "/api/v1/public/procedures/"),
    "api citizen drafts": (citizen, lambda c: "/api/v1/citizen/online/drafts/"),
}
QUEUE_SLUGS = [
    "cua-toi",
    "don-vi",
    "sap-den-han",
    "qua-han",
    "cho-bo-sung",
    "cho-duyet",
    "cho-tra",
]


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_costs_the_same_queries_for_few_and_many_rows(city, name):
    client, url = PAGES[name]
    assert_constant(city, client, url)


@pytest.mark.parametrize("slug", QUEUE_SLUGS)
def test_every_queue_costs_the_same_queries_for_few_and_many_rows(city, slug):
    assert_constant(city, leader, lambda c: f"/can-bo/hang-doi/{slug}/")


def test_the_online_queue_costs_the_same_for_few_and_many_rows(city):
    assert_constant(city, reception, lambda c: "/can-bo/hang-doi/truc-tuyen/")


def test_a_page_over_several_agencies_costs_the_same_as_over_one(city):
    """The read log has one row per agency of the page: one statement."""
    w = city.world
    w.receive(MON)
    one = queries(monitor(city), "/api/v1/dossiers/")
    w.receive(MON, actor=w.other_reception, agency=w.other_ward)
    two = queries(monitor(city), "/api/v1/dossiers/")
    assert len(one) == len(two), _repeated(two)


# The dossier API's own answers, and the public QR page and the readiness check
# (the benchmark's), pinned (issue 15 item 3): a list page reads its
# rows in one statement (on PostgreSQL the union of per-reason first ids before
# it) and, for a monitor covering a subtree, the agency ids with the number of
# agencies there are (on SQLite too: one who sees them all reads the list
# without a condition); an officer's agencies come from the memberships already
# read. One dossier reads the caller's roles once (``roles_read_once``), and
# that read also answers the agencies seen, "is the caller a citizen?" and the
# two-factor rule (a certificate is looked up for a leader only). Around them:
# the session, the user and the read log's INSERT.
PINNED = {
    "api list": {"sqlite": 5, "postgresql": 6},
    "api list monitor": {"sqlite": 6, "postgresql": 7},
    "api detail": {"sqlite": 11, "postgresql": 11},
    # the slip's QR page: the dossier by its token, the code's guesses, the
    # story, steps and citizen link (one pipeline on PostgreSQL), the signed
    # results, the rating
    "portal tracking by qr": {"sqlite": 7, "postgresql": 7},
    # once the process has seen every migration applied: SELECT 1
    "readiness check": {"sqlite": 1, "postgresql": 1},
}


@pytest.mark.parametrize("name", list(PINNED))
def test_the_dossier_api_costs_its_pinned_number_of_queries(city, name):
    client, url = PAGES[name]
    city.grow(2)
    sqls = queries(client(city), url(city))
    assert len(sqls) == PINNED[name][connection.vendor], "\n".join(
        sql[:120] for sql in sqls
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL pipelines")
def test_the_qr_page_reads_the_story_and_what_hangs_on_it_in_one_round_trip(city):
    """ADR 0035: after the dossier (by its token) and the code's guesses, the
    story, steps, citizen link, signed results and online rating of a
    returned dossier travel in one pipeline."""
    city.grow(1)
    client, url = PAGES["portal tracking by qr"]
    client(city).get(url(city))  # warm
    with statements_seen() as seen:
        assert client(city).get(url(city)).status_code == 200
    tables = ["event", "step", "citizendossier", "dossierfile", "rating"]
    piped = [sql for sql, in_pipeline in seen if in_pipeline]
    assert len(seen) == 7 and len(piped) == 5, seen
    for table, sql in zip(tables, piped, strict=True):
        assert f'_{table}"' in sql.split(" FROM ")[1][:60], (table, sql[:200])
