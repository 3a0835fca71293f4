"""Staff API tokens: POST /api/v1/auth/token/, Bearer auth, create_api_token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import path
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.models import Role
from motcua.agencies.selectors import visible_agencies

from .conftest import City, grant

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "mat-khau-dai-1"
VIETNAMESE_LETTER = re.compile("[àáảãạăâđèéêìíòóôơùúưýạộổờớợủứừữựệềếểọ]", re.I)

pytestmark = pytest.mark.django_db


class WhoAmIView(APIView):
    """A test-only endpoint with the default (login required) permissions."""

    def get(self, request: Request) -> Response:
        agencies = visible_agencies(request.user).values_list("code", flat=True)
        return Response({"username": request.user.username, "agencies": list(agencies)})


urlpatterns = [path("whoami/", WhoAmIView.as_view())]


def post_token(client: Any, **body: Any) -> Any:
    return client.post(TOKEN_URL, body, content_type="application/json")


def assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert VIETNAMESE_LETTER.search(body["message"]), body["message"]


@pytest.fixture
def officer(city: City, make_user) -> Any:
    user = make_user("officer", password=PASSWORD)
    grant(user, city.ward_1a, Role.RECEPTION)
    return user


def test_a_staff_login_gets_a_token(client, officer):
    response = post_token(client, username="officer", password=PASSWORD)
    assert response.status_code == 200, response.content
    assert response.json() == {"token": Token.objects.get(user=officer).key}
    again = post_token(client, username="officer", password=PASSWORD)
    assert again.json() == response.json()


def test_a_superuser_without_roles_gets_a_token(client, make_user):
    make_user("root", password=PASSWORD, is_superuser=True)
    response = post_token(client, username="root", password=PASSWORD)
    assert response.status_code == 200


def test_a_wrong_password_is_refused(client, officer):
    response = post_token(client, username="officer", password="sai")
    assert_error(response, 400, "auth.invalid_credentials")
    assert not Token.objects.exists()


def test_an_unknown_user_is_refused_like_a_wrong_password(client, db):
    response = post_token(client, username="nobody", password=PASSWORD)
    assert_error(response, 400, "auth.invalid_credentials")


def test_an_inactive_account_gets_no_token(client, officer):
    officer.is_active = False
    officer.save()
    response = post_token(client, username="officer", password=PASSWORD)
    assert_error(response, 400, "auth.invalid_credentials")


def test_an_account_without_a_role_gets_no_token(client, make_user, city):
    citizen = make_user("citizen", password=PASSWORD)
    grant(citizen, city.ward_2, Role.RECEPTION, is_active=False)
    response = post_token(client, username="citizen", password=PASSWORD)
    assert_error(response, 400, "auth.not_staff")


@pytest.mark.parametrize(
    "body",
    [{}, {"username": "officer"}, {"password": PASSWORD}, {"username": ""}],
)
def test_missing_fields_are_a_400(client, officer, body):
    assert_error(post_token(client, **body), 400, "invalid")


def test_a_body_that_is_not_json_is_a_400(client, officer):
    response = client.post(TOKEN_URL, "{not json", content_type="application/json")
    assert_error(response, 400, "http.parse_error")
    response = client.post(TOKEN_URL, "[1, 2]", content_type="application/json")
    assert_error(response, 400, "invalid")


def test_get_is_not_allowed(client, db):
    assert_error(client.get(TOKEN_URL), 405, "http.method_not_allowed")


@pytest.mark.urls(__name__)
def test_a_bearer_token_opens_an_authenticated_endpoint(client, officer, city):
    token = Token.objects.create(user=officer)
    response = client.get("/whoami/", HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert response.status_code == 200, response.content
    assert response.json() == {"username": "officer", "agencies": [city.ward_1a.code]}


@pytest.mark.urls(__name__)
def test_without_a_token_the_endpoint_asks_for_one(client, db):
    response = client.get("/whoami/")
    assert_error(response, 401, "auth.required")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "header", ["Bearer not-a-token", "Bearer", "Bearer a b", "Token {key}"]
)
def test_a_bad_authorization_header_is_refused(client, officer, header):
    token = Token.objects.create(user=officer)
    response = client.get("/whoami/", HTTP_AUTHORIZATION=header.format(key=token.key))
    assert response.status_code == 401, response.content
    assert response.json()["code"] in {"auth.failed", "auth.required"}


@pytest.mark.urls(__name__)
def test_the_token_of_an_inactive_user_no_longer_works(client, officer):
    token = Token.objects.create(user=officer)
    officer.is_active = False
    officer.save()
    response = client.get("/whoami/", HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert_error(response, 401, "auth.failed")


def test_create_api_token_prints_the_users_token(officer, capsys):
    call_command("create_api_token", "officer")
    first = capsys.readouterr().out.strip()
    assert first == Token.objects.get(user=officer).key
    call_command("create_api_token", "officer")
    assert capsys.readouterr().out.strip() == first
    call_command("create_api_token", "officer", "--reset")
    renewed = capsys.readouterr().out.strip()
    assert renewed != first and renewed == Token.objects.get(user=officer).key


def test_create_api_token_for_an_unknown_user_fails_in_vietnamese(db):
    with pytest.raises(CommandError, match="Không có tài khoản «ai-do»"):
        call_command("create_api_token", "ai-do")


def test_create_api_token_for_a_locked_account_fails(officer):
    officer.is_active = False
    officer.save()
    with pytest.raises(CommandError, match="đã bị khoá"):
        call_command("create_api_token", "officer")
    assert not Token.objects.exists()
