from __future__ import annotations

from datetime import UTC, datetime

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.services import load_reference_catalogue, procedure_offer
from motcua.core import clock

pytestmark = pytest.mark.urls("tests.catalog.urls")

URL = "/api/v1/procedures/"


@pytest.fixture
def ward(agency):
    ward = agency(code="000.01.01.H17", name="UBND phường Hòa Cường Nam")
    load_reference_catalogue([ward])
    with clock.frozen_at(datetime(2025, 6, 2, 3, 0, tzinfo=UTC)):
        yield ward


def test_list_needs_no_login_and_shows_the_published_facts(client, ward):
    response = client.get(URL, {"q": "khai sinh"})
    assert response.status_code == 200
    body = response.json()
    first = body["results"][0]
    assert first["code"] == "1.001193"
    assert first["field"] == {"code": "HT", "name": "Hộ tịch"}
    assert first["time"] == {"value": 0, "unit": "same_day"}
    assert first["online_level"] == "full"
    assert first["fee"] == {"text": "Miễn lệ phí nếu đăng ký đúng hạn", "amount": 0}
    assert first["components"][0] == {
        "name": "Tờ khai đăng ký khai sinh (theo mẫu)",
        "kind": "original",
        "count": 1,
        "required": True,
    }
    assert first["agencies"] == ["000.01.01.H17"]
    assert first["result_documents"] == ["Giấy khai sinh"]
    # version 1 is the 2016–2020 period of the same procedure (Thông tư 15/2015)
    assert first["level"] == "commune" and first["version"] == 2


def test_time_value_is_an_int_when_whole(client, ward):
    body = client.get(URL, {"q": "1.004873"}).json()
    assert body["results"][0]["time"] == {"value": 3, "unit": "working_days"}
    assert isinstance(body["results"][0]["time"]["value"], int)


def test_filters_by_agency_and_field(client, ward, agency):
    other = agency(code="000.02.02.H17")
    procedure_offer(Procedure.objects.get(code="1.000656"), [other])
    body = client.get(URL, {"agency": other.code}).json()
    assert [p["code"] for p in body["results"]] == ["1.000656"]
    body = client.get(URL, {"field": "DD", "agency": ward.code}).json()
    assert [p["code"] for p in body["results"]] == ["1.012789", "1.013967", "1.013992"]
    body = client.get(URL, {"q": "so do", "field": "DD"}).json()
    assert "1.013992" in [p["code"] for p in body["results"]]


def test_paginated_with_limit_and_offset(client, ward):
    body = client.get(URL, {"limit": 5, "offset": 20}).json()
    assert body["count"] == 23
    assert len(body["results"]) == 3
    assert body["next"] is None and body["previous"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"agency": "999.99.99.H99"}, "agency.unknown"),
        ({"field": "XX"}, "catalog.unknown_field"),
    ],
)
def test_unknown_filters_are_400(client, ward, params, code):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_query_count_does_not_grow_with_the_page(
    client, ward, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        small = client.get(URL, {"limit": 1})
    with django_assert_max_num_queries(5):
        large = client.get(URL, {"limit": 23})
    assert len(small.json()["results"]) == 1 and len(large.json()["results"]) == 23


def test_detail(client, ward):
    response = client.get(f"{URL}1.000656/")
    assert response.status_code == 200
    assert response.json()["aliases"] == ["báo tử", "giấy chứng tử", "khai tử"]


def test_detail_unknown_or_not_yet_in_force_is_404(client, ward):
    assert client.get(f"{URL}9.999999/").json()["code"] == "catalog.unknown_procedure"
    with clock.frozen_at(datetime(2015, 6, 1, tzinfo=UTC)):  # before Luật Hộ tịch
        response = client.get(f"{URL}1.000656/")
    assert response.status_code == 404


def test_only_versions_in_force_today_are_listed(client, ward):
    # The reference catalogue's earliest periods: hòa giải tranh chấp đất đai
    # from 01/07/2014 (Luật Đất đai 2013), chứng thực from 10/04/2015, hộ tịch
    # from 01/01/2016; the rest from their own legal bases (docs/catalogue.md).
    with clock.frozen_at(datetime(2015, 12, 31, 16, 59, tzinfo=UTC)):
        assert client.get(URL).json()["count"] == 6  # 23:59 in Việt Nam
    with clock.frozen_at(datetime(2015, 12, 31, 17, 0, tzinfo=UTC)):
        assert client.get(URL).json()["count"] == 15  # 00:00 on 1 January 2016
    with clock.frozen_at(datetime(2025, 1, 1, 3, 0, tzinfo=UTC)):
        assert client.get(URL).json()["count"] == 23


def test_schema_documents_the_endpoint(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/procedures/" in response.content
