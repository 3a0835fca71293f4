"""One sign-in path, from the attacker's side: the admin site has no password
form of its own, a password alone never opens it for someone who must use two
factors, and guessing passwords or codes is throttled per account and per
address in the attempt table (not in a cache that culls)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.security import throttle
from tests.security.helpers import (
    PASSWORD,
    forget_used_codes,
    password_sign_in,
    sign_in_with_mfa,
    totp_code,
    totp_secret,
)

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"
TOO_MANY = "Bạn đã thử quá nhiều lần. Vui lòng thử lại sau"


@pytest.fixture
def root() -> Any:
    """A system administrator with an authenticator app."""
    user = get_user_model().objects.create_superuser("root", password=PASSWORD)
    totp_secret(user)
    return user


@pytest.fixture
def clerk() -> Any:
    """A staff account (``is_staff``) of whom two factors are not required."""
    return get_user_model().objects.create_user(
        "clerk", password=PASSWORD, is_staff=True
    )


def attempt(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"login": username, "password": password})


def test_the_admin_login_is_a_redirect_to_the_one_sign_in_page(client, db):
    response = client.get("/admin/login/?next=/admin/auth/user/")
    assert response.status_code == 302
    url = urlparse(response["Location"])
    assert url.path == LOGIN
    assert parse_qs(url.query)["next"] == ["/admin/auth/user/"]
    assert client.get("/admin/").status_code == 302


def test_the_admin_login_takes_no_password(client, root):
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_admin_login_does_not_redirect_elsewhere(client, db):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert (
        "evil.example" not in parse_qs(urlparse(response["Location"]).query)["next"][0]
    )


def test_a_password_alone_does_not_sign_in_an_administrator_with_totp(client, root):
    response = attempt(client, "root", PASSWORD)
    assert response["Location"].startswith(MFA)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/auth/user/").status_code == 302


def test_a_password_only_session_of_a_totp_user_is_not_admitted(root):
    client = Client()
    client.force_login(root)  # as an old session or another path would make
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/") or response[
        "Location"
    ].startswith("/accounts/2fa/reauthenticate/")
    assert client.get("/admin/auth/user/").status_code == 302


def test_the_second_factor_opens_the_admin_site(root):
    client = sign_in_with_mfa(Client(), root, PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/").status_code == 302  # already in


def test_a_code_prompt_in_the_same_session_admits_it(root):
    client = Client()
    client.force_login(root)
    prompt = client.get("/admin/")["Location"]
    code = totp_code(totp_secret(root))
    forget_used_codes(root, code)
    response = client.post(prompt, {"code": code})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_administrator_without_an_app_must_set_it_up_first(client, db):
    get_user_model().objects.create_superuser("newroot", password=PASSWORD)
    attempt(client, "newroot", PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_staff_who_need_no_second_factor_sign_in_at_the_same_page(client, clerk):
    response = attempt(client, "clerk", PASSWORD)
    assert response.status_code == 302 and not response["Location"].startswith(MFA)
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_person_who_is_not_staff_gets_a_403_not_a_loop(client, db):
    get_user_model().objects.create_user("citizen", password=PASSWORD)
    attempt(client, "citizen", PASSWORD)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    assert "không được vào trang quản trị" in response.content.decode()


# --- guessing -----------------------------------------------------------------


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, clerk):
    for _ in range(30):
        attempt(client, "clerk", "sai-mat-khau")
    response = attempt(client, "clerk", PASSWORD)
    # Refused by our counter, or before it by allauth's 30 requests a minute.
    assert response.status_code == 429 or TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = attempt(Client(REMOTE_ADDR="198.51.100.30"), "clerk", PASSWORD)
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()


def test_the_account_is_throttled_from_every_address(clerk):
    for n in range(throttle.LOGIN_ACCOUNT.free):
        attempt(Client(REMOTE_ADDR=f"203.0.113.{n}"), "clerk", "sai")
    response = attempt(Client(REMOTE_ADDR="198.51.100.1"), "clerk", PASSWORD)
    assert TOO_MANY in response.content.decode()


def test_one_address_is_throttled_across_accounts(db):
    client = Client(REMOTE_ADDR="203.0.113.50")
    for n in range(throttle.LOGIN_ADDRESS.free):
        attempt(client, f"user{n}", "sai")
    response = attempt(client, "someone-else", "sai")
    assert TOO_MANY in response.content.decode()


def test_a_good_password_clears_the_accounts_failures(client, clerk):
    for _ in range(throttle.LOGIN_ACCOUNT.free - 1):
        attempt(client, "clerk", "sai")
    attempt(client, "clerk", PASSWORD)
    assert throttle.failures(throttle.LOGIN_ACCOUNT, "clerk") == 0


def test_an_office_signing_in_all_day_is_not_blocked_by_its_own_address(db):
    users = get_user_model().objects
    client_address = "203.0.113.80"
    for n in range(throttle.LOGIN_ADDRESS.free + 10):
        users.create_user(f"staff{n}", password=PASSWORD)
        client = Client(REMOTE_ADDR=client_address)
        response = attempt(client, f"staff{n}", PASSWORD)
        assert response.status_code == 302, n


def test_the_user_name_is_counted_whatever_its_case(client, clerk):
    for n in range(throttle.LOGIN_ACCOUNT.free):
        attempt(
            Client(REMOTE_ADDR=f"203.0.113.{n}"), "CLERK" if n % 2 else "clerk", "x"
        )
    assert TOO_MANY in attempt(client, "Clerk", PASSWORD).content.decode()


def test_guessing_the_code_is_throttled_and_then_the_right_code_is_refused(root):
    client = Client()
    password_sign_in(client, root, PASSWORD)
    for n in range(throttle.MFA_ACCOUNT.free):
        client.post(MFA, {"code": f"{n:06d}"})
    code = totp_code(totp_secret(root))
    forget_used_codes(root, code)
    response = client.post(MFA, {"code": code})
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_code_stage_counts_per_account_across_sessions(root):
    for n in range(throttle.MFA_ACCOUNT.free):
        client = Client(REMOTE_ADDR=f"203.0.113.{n}")
        password_sign_in(client, root, PASSWORD)
        client.post(MFA, {"code": "000000"})
    client = Client(REMOTE_ADDR="198.51.100.2")
    password_sign_in(client, root, PASSWORD)
    code = totp_code(totp_secret(root))
    forget_used_codes(root, code)
    assert TOO_MANY in client.post(MFA, {"code": code}).content.decode()


def test_guessing_the_code_at_the_reauthentication_prompt_is_throttled(root):
    client = Client()
    client.force_login(root)
    prompt = client.get("/admin/")["Location"]
    for _ in range(throttle.MFA_ACCOUNT.free):
        client.post(prompt, {"code": "000000"})
    code = totp_code(totp_secret(root))
    forget_used_codes(root, code)
    assert TOO_MANY in client.post(prompt, {"code": code}).content.decode()
    assert client.get("/admin/").status_code == 302


def code_prompt(user: Any) -> tuple[Client, str]:
    client = Client()
    response = password_sign_in(client, user, PASSWORD)
    assert response["Location"].startswith(MFA)
    return client, response["Location"]


def test_a_code_typed_in_the_last_seconds_of_its_period_is_accepted(root):
    """RFC 6238 §5.2: one period of transmission delay is allowed."""
    client, prompt = code_prompt(root)
    code = totp_code(totp_secret(root), steps_ago=1)
    forget_used_codes(root, code)
    assert client.post(prompt, {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_code_two_periods_old_is_refused(root):
    client, prompt = code_prompt(root)
    code = totp_code(totp_secret(root), steps_ago=2)
    forget_used_codes(root, code)
    response = client.post(prompt, {"code": code})
    assert response.status_code == 200  # the prompt again, with its error
    assert client.get("/admin/").status_code == 302


def test_a_code_opens_one_session_only(root):
    first, prompt = code_prompt(root)
    code = totp_code(totp_secret(root))
    forget_used_codes(root, code)
    assert first.post(prompt, {"code": code}).status_code == 302
    second, prompt = code_prompt(root)
    assert second.post(prompt, {"code": code}).status_code == 200
    assert second.get("/admin/").status_code == 302
