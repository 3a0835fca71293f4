"""Staff API keys: POST /api/v1/auth/token/ (signed-in session + CSRF, no
password grant), Bearer auth, create_api_token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.models import Role
from motcua.agencies.selectors import visible_agencies
from motcua.security.models import ApiToken
from tests.security.helpers import issue_token, password_sign_in

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


def signed_in(user: Any) -> Client:
    """A browser session (signed in through allauth) that enforces CSRF."""
    browser = Client()
    password_sign_in(browser, user, PASSWORD)
    client = Client(enforce_csrf_checks=True)
    client.cookies = browser.cookies
    return client


def csrf_post(client: Client, **body: Any) -> Any:
    client.get("/accounts/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    return client.post(
        TOKEN_URL, body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )


def test_a_signed_in_officer_gets_a_key_shown_once(officer):
    response = csrf_post(signed_in(officer), name="phần mềm kế toán")
    assert response.status_code == 201, response.content
    body = response.json()
    token = ApiToken.objects.get(user=officer)
    assert body["token"].startswith(token.prefix) and token.name == "phần mềm kế toán"
    assert body["token"] not in str(ApiToken.objects.values().get())  # hash only
    assert token.created_by == officer


def test_the_password_grant_is_gone(client, officer):
    response = post_token(client, username="officer", password=PASSWORD)
    assert_error(response, 400, "auth.password_grant_removed")
    assert not ApiToken.objects.exists()


def test_a_session_without_csrf_gets_no_key(officer):
    client = signed_in(officer)
    response = client.post(TOKEN_URL, {}, content_type="application/json")
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_an_anonymous_client_gets_no_key(client, db):
    assert_error(post_token(client), 403, "auth.required")


def test_a_bearer_key_does_not_mint_keys(client, officer):
    key = issue_token(officer)
    response = client.post(
        TOKEN_URL,
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_an_account_without_a_role_gets_no_key(make_user, city):
    citizen = make_user("citizen", password=PASSWORD)
    grant(citizen, city.ward_2, Role.RECEPTION, is_active=False)
    assert_error(csrf_post(signed_in(citizen)), 403, "auth.not_staff")


def test_a_body_that_is_not_json_is_a_400(officer):
    client = signed_in(officer)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        TOKEN_URL, "{not json", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 400  # the parse error, never a key
    assert not ApiToken.objects.exists()


def test_get_is_not_allowed(client, db):
    assert client.get(TOKEN_URL).status_code in (403, 405)


@pytest.mark.urls(__name__)
def test_a_bearer_token_opens_an_authenticated_endpoint(client, officer, city):
    key = issue_token(officer)
    response = client.get("/whoami/", HTTP_AUTHORIZATION=f"Bearer {key}")
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
    key = issue_token(officer)
    response = client.get("/whoami/", HTTP_AUTHORIZATION=header.format(key=key))
    assert response.status_code == 401, response.content
    assert response.json()["code"] in {"auth.failed", "auth.required"}


@pytest.mark.urls(__name__)
def test_the_token_of_an_inactive_user_no_longer_works(client, officer):
    key = issue_token(officer)
    officer.is_active = False
    officer.save()
    response = client.get("/whoami/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert_error(response, 401, "auth.failed")


def test_create_api_token_prints_a_key_for_an_integration_client(officer, capsys):
    call_command("create_api_token", "officer", "--client", "Cổng DVCQG")
    first = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=officer)
    assert token.client == "Cổng DVCQG" and first.startswith(token.prefix)
    call_command("create_api_token", "officer", "--client", "Cổng DVCQG", "--reset")
    renewed = capsys.readouterr().out.strip()
    assert renewed != first
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_create_api_token_for_an_unknown_user_fails_in_vietnamese(db):
    with pytest.raises(CommandError, match="Không có tài khoản «ai-do»"):
        call_command("create_api_token", "ai-do", "--client", "x")


def test_create_api_token_for_a_locked_account_fails(officer):
    officer.is_active = False
    officer.save()
    with pytest.raises(CommandError, match="đã bị khoá"):
        call_command("create_api_token", "officer", "--client", "x")
    assert not ApiToken.objects.exists()
