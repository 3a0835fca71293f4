"""Found by schemathesis (tests/test_api_schemathesis.py): answers the schema
did not document, now in the house error body."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/citizen/online/drafts/null,null/",  # an id that is not a number
        "/api/v1/dossiers/a/b/c/",
        "/api/v1/khong-co/",
        "/danh-gia-hai-long/api/khong-co/",
    ],
)
def test_a_url_no_api_route_matches_answers_the_json_error_body(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "not_found",
        "message": "Không tìm thấy tài nguyên yêu cầu.",
    }


def test_a_page_no_route_matches_is_still_a_page() -> None:
    response = Client().get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_damaged_agency_list_cursor_is_a_bad_request_not_a_missing_list() -> None:
    response = Client().get("/api/v1/agencies/", {"cursor": "procedure"})
    assert response.status_code == 400
    assert response.json()["code"] == "filter.invalid"
