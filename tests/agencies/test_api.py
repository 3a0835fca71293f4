"""The public agency list: GET /api/v1/agencies/ and /api/v1/agencies/<code>/."""

from __future__ import annotations

import pytest

from motcua.agencies.models import Agency

from .conftest import City, new_agency

LIST = "/api/v1/agencies/"

pytestmark = pytest.mark.django_db


def test_the_list_is_public_and_shows_what_the_law_publishes(client, city: City):
    city.ward_1a.address = "1 Lê Duẩn"
    city.ward_1a.hotline = "0236 3822 000"
    city.ward_1a.leader_phones = [
        {"name": "Nguyễn Văn A", "title": "Chủ tịch", "phone": "0905 000 000"}
    ]
    city.ward_1a.save()
    response = client.get(LIST)
    assert response.status_code == 200, response.content
    rows = {row["code"]: row for row in response.json()["results"]}
    assert len(rows) == 6
    assert rows[city.ward_1a.code] == {
        "code": city.ward_1a.code,
        "e_identifier": "",
        "name": "Phường 1A",
        "level": "commune",
        "parent_code": city.district_1.code,
        "address": "1 Lê Duẩn",
        "hotline": "0236 3822 000",
        "leader_phones": [
            {"name": "Nguyễn Văn A", "title": "Chủ tịch", "phone": "0905 000 000"}
        ],
        "desk_phones": [],
    }
    assert rows[city.province.code]["parent_code"] is None


def test_filter_by_parent_and_level(client, city: City):
    response = client.get(LIST, {"parent": city.district_1.code})
    assert {r["code"] for r in response.json()["results"]} == {
        city.ward_1a.code,
        city.ward_1b.code,
    }
    response = client.get(LIST, {"level": "district"})
    assert {r["code"] for r in response.json()["results"]} == {
        city.district_1.code,
        city.district_2.code,
    }
    response = client.get(LIST, {"parent": "999.99.99.H99"})
    assert response.json()["results"] == []


def test_an_unknown_level_is_a_400_in_vietnamese(client, city: City):
    response = client.get(LIST, {"level": "village"})
    assert response.status_code == 400
    assert response.json()["code"] == "agency.invalid_level"
    assert "Cấp cơ quan" in response.json()["message"]


def test_inactive_agencies_are_not_listed(client, city: City):
    Agency.objects.filter(pk=city.ward_2.pk).update(is_active=False)
    codes = {r["code"] for r in client.get(LIST).json()["results"]}
    assert city.ward_2.code not in codes
    assert client.get(f"{LIST}{city.ward_2.code}/").status_code == 404


def test_pages_are_one_query_each_and_follow_the_code_order(
    client, city: City, django_assert_num_queries
):
    for _ in range(10):
        new_agency(city.ward_2)
    with django_assert_num_queries(1):
        first = client.get(LIST, {"page_size": 10}).json()
    assert len(first["results"]) == 10
    with django_assert_num_queries(1):
        second = client.get(first["next"]).json()
    codes = [r["code"] for r in first["results"] + second["results"]]
    assert codes == sorted(codes) and len(codes) == 16
    assert second["next"] is None


def test_one_agency_by_code(client, city: City):
    response = client.get(f"{LIST}{city.district_2.code}/")
    assert response.status_code == 200
    assert response.json()["parent_code"] == city.province.code


def test_an_unknown_code_is_a_json_404(client, db):
    response = client.get(f"{LIST}000.00.00.X00/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_bad_cursor_is_not_a_500(client, city: City):
    response = client.get(LIST, {"cursor": "%%%garbage"})
    assert response.status_code in {400, 404}
    assert "code" in response.json()


def test_the_openapi_schema_documents_the_new_endpoints(client, db, capsys):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/agencies/", "/api/v1/agencies/{code}/"} <= set(paths)
    assert "/api/v1/auth/token/" in paths
    assert "Warning" not in capsys.readouterr().err
