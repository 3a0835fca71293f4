"""The interface is Vietnamese unless the visitor chose English."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_vietnamese_by_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert 'lang="vi"' in response.content.decode()


def test_the_chosen_language_is_kept(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.get("/")["Content-Language"] == "en"


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "vi"
