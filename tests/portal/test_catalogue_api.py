"""The public catalogue API (/api/v1/public/): anonymous, read-only, the same
search as the pages, details of the version in force, the agencies that offer
a procedure, errors in the house shape, in the OpenAPI schema."""

from __future__ import annotations

import pytest

from tests.portal.test_catalogue import (
    BIRTH,
    DEATH,
    MEDIATION,
    Catalogue,
    build_catalogue,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/public"


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return build_catalogue()


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    return response.json()


def test_search_without_accents_ranks_the_procedure_people_mean_first(
    client, catalogue
):
    body = get(client, f"{API}/procedures/?q=lam giay khai sinh cho con")
    assert body["results"][0]["code"] == BIRTH
    first = body["results"][0]
    assert first["name"] == "Đăng ký khai sinh"
    assert first["field"] == {"code": "HT", "name": "Hộ tịch"}
    assert first["time"] == "Trong ngày" and first["online_level"] == "full"
    assert first["url"] == f"http://testserver/thu-tuc/{BIRTH}/"
    same = get(client, f"{API}/procedures/?q=làm giấy khai sinh cho con")
    assert same == body


def test_search_pages_are_bounded(client, catalogue):
    body = get(client, f"{API}/procedures/?limit=5")
    assert body["count"] == 23 and len(body["results"]) == 5
    assert body["next"]
    big = get(client, f"{API}/procedures/?limit=100000")
    assert len(big["results"]) == 23  # capped at 100, fewer exist


def test_search_filters_by_agency_and_field(client, catalogue):
    body = get(client, f"{API}/procedures/?agency={catalogue.other.code}")
    assert [r["code"] for r in body["results"]] == [BIRTH]
    land = get(client, f"{API}/procedures/?field=DD&q=so do")
    assert {r["code"] for r in land["results"]} == {"1.012789", "1.013992"}


def test_bad_filters_are_coded_vietnamese_400s(client, catalogue):
    body = get(client, f"{API}/procedures/?field=XX", status=400)
    assert body == {
        "code": "catalog.unknown_field",
        "message": "Không có lĩnh vực này.",
    }
    body = get(client, f"{API}/procedures/?agency=nope", status=400)
    assert body["code"] == "catalog.unknown_agency"
    body = get(client, f"{API}/procedures/?q=" + "a" * 201, status=400)
    assert body["code"] == "catalog.invalid_query" and "200" in body["message"]
    # a NUL is refused by the site-wide guard before the search
    assert get(client, f"{API}/procedures/?q=so%00do", status=400)["code"] == (
        "request.invalid_character"
    )


def test_one_procedure_with_everything_the_page_shows(client, catalogue):
    body = get(client, f"{API}/procedures/{BIRTH}/")
    assert body["code"] == BIRTH and body["version"] == 2
    assert body["effective_from"] == "2020-07-16"
    assert body["components"][0]["name"].startswith("Tờ khai đăng ký khai sinh")
    assert body["components"][0]["blank_form_url"] is None
    assert body["steps"][0] == "Tiếp nhận hồ sơ"
    assert {t["channel"] for t in body["times"]} == {"direct", "online", "postal"}
    assert body["fee"] == "Miễn lệ phí nếu đăng ký đúng hạn"
    assert body["legal_basis"][0].startswith("Luật Hộ tịch")
    assert body["online"] == {
        "available": True,
        "level": "full",
        "submit_url": f"http://testserver/nop-ho-so/{BIRTH}/",
    }
    assert body["poster_url"] == f"http://testserver/thu-tuc/{BIRTH}/ma-qr.pdf"
    names = [a["name"] for a in body["agencies"]]
    assert names == ["UBND phường Hòa Cường", "UBND phường Hòa Hiệp Bắc"]


def test_information_only_procedures_cannot_be_submitted_online(client, catalogue):
    body = get(client, f"{API}/procedures/{MEDIATION}/")
    assert body["online"] == {"available": False, "level": "none", "submit_url": None}


def test_the_agencies_that_offer_a_procedure(client, catalogue):
    body = get(client, f"{API}/procedures/{DEATH}/agencies/")
    assert body == [
        {
            "code": catalogue.ward.code,
            "name": "UBND phường Hòa Cường",
            "level": "commune",
            "address": "135 Núi Thành, Hải Châu, Đà Nẵng",
            "hotline": "0236 3600 001",
            "working_hours": "07:30-11:30, 13:30-17:00",
        }
    ]


def test_unknown_procedures_are_404_in_the_house_shape(client, catalogue):
    body = get(client, f"{API}/procedures/9.999999/", status=404)
    assert body["code"] == "catalog.unknown_procedure"
    assert "9.999999" in body["message"]
    assert get(client, f"{API}/procedures/9.999999/agencies/", status=404)["code"] == (
        "catalog.unknown_procedure"
    )


def test_fields(client, catalogue):
    body = get(client, f"{API}/fields/")
    assert {"code": "HT", "name": "Hộ tịch"} in body and len(body) == 5


def test_the_api_is_read_only_and_needs_no_sign_in(client, catalogue):
    response = client.post(f"{API}/procedures/", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["code"] == "http.method_not_allowed"
    bearer = client.get(f"{API}/procedures/", HTTP_AUTHORIZATION="Bearer nonsense")
    assert bearer.status_code == 200  # a bad key on a public endpoint is ignored


def test_the_public_api_is_in_the_openapi_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = (
        response.json()["paths"]
        if response["Content-Type"].startswith("application/json")
        else response.content.decode()
    )
    for path in (
        "/api/v1/public/procedures/",
        "/api/v1/public/procedures/{code}/",
        "/api/v1/public/procedures/{code}/agencies/",
        "/api/v1/public/fields/",
    ):
        assert path in paths, path
