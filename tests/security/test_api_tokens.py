"""API keys from the attacker's side: only a hash is stored, expired, revoked
and orphaned keys are refused, guessing keys is throttled per address, a key
never comes from a password, and the officer's "Khóa API" page."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from motcua.agencies.models import Role
from motcua.core import clock
from motcua.security import throttle, tokens
from motcua.security.models import ApiToken
from tests.backoffice.conftest import client_for, password_only_client
from tests.dossiers.builders import World, build_world, make_user
from tests.pipelines import statements_seen
from tests.security.helpers import issue_token

pytestmark = pytest.mark.django_db
API = "/api/v1/dossiers/"
PAGE = "/can-bo/khoa-api/"


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def bearer(key: str, **extra: Any) -> Any:
    return Client(**extra).get(API, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_key_opens_the_api_and_only_its_hash_is_stored(world):
    key = issue_token(world.reception)
    assert bearer(key).status_code == 200
    row = ApiToken.objects.values().get()
    assert key not in str(row)
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(row["prefix"]) and len(row["prefix"]) < len(key) // 4


def test_keys_expire_after_the_configured_days(world, settings):
    settings.MOTCUA_API_TOKEN_DAYS = 90
    key = issue_token(world.reception)
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == timedelta(days=90)
    with clock.frozen_at(token.expires_at + timedelta(seconds=1)):
        response = bearer(key)
    assert response.status_code == 401 and response.json()["code"] == "auth.failed"


def test_a_revoked_key_stops_at_once(world):
    key = issue_token(world.reception)
    tokens.token_revoke(ApiToken.objects.get())
    assert bearer(key).status_code == 401


def test_the_key_of_a_locked_account_stops(world):
    key = issue_token(world.reception)
    world.reception.is_active = False
    world.reception.save()
    assert bearer(key).status_code == 401


def test_the_last_use_is_written_at_most_once_a_minute(world):
    key = issue_token(world.reception)
    start = clock.now()
    with clock.frozen_at(start):
        bearer(key)
    with clock.frozen_at(start + timedelta(seconds=30)):
        bearer(key)
    assert ApiToken.objects.get().last_used_at == start
    with clock.frozen_at(start + timedelta(seconds=61)):
        bearer(key)
    assert ApiToken.objects.get().last_used_at == start + timedelta(seconds=61)


def test_guessing_keys_is_throttled_per_address_with_429_and_retry_after(world):
    key = issue_token(world.reception)
    for n in range(throttle.TOKEN_ADDRESS.free):
        assert bearer(f"mc_guess{n}", REMOTE_ADDR="203.0.113.9").status_code == 401
    response = bearer(f"mc_guess{n}", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "auth.throttled"
    assert body["message"].startswith("Bạn đã thử quá nhiều lần.")
    assert int(response["Retry-After"]) >= 1
    # Even the right key waits at that address; another address is not held up.
    assert bearer(key, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert bearer(key, REMOTE_ADDR="198.51.100.3").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL pipelines")
def test_the_address_counter_and_the_key_are_read_in_one_round_trip(world):
    """ADR 0035: both reads in one pipeline, the address still decided first
    (the test above: the right key waits at a throttled address), and the
    user's memberships and the request's configuration stamp with them."""
    key = issue_token(world.reception)
    with statements_seen() as seen:
        assert bearer(key).status_code == 200
    first = seen[:4]
    assert ["attemptcounter" in sql for sql, _ in first] == [True, False, False, False]
    assert "apitoken" in first[1][0]
    # The key's user's memberships and the request's configuration stamp are
    # read with them, and neither again.
    assert first[2][0].startswith('SELECT "agencies_membership"')
    assert "apitoken" in first[2][0]
    assert "core_configstamp" in first[3][0]
    for table in ("agencies_membership", "core_configstamp"):
        assert sum(f'FROM "{table}"' in sql for sql, _ in seen) == 1
    assert all(in_pipeline for _, in_pipeline in first)


def test_the_memberships_read_with_a_key_are_its_users_as_held_roles_reads_them(
    world,
):
    """The key's user's memberships (read with the key, ADR 0035) are the rows
    ``held_roles`` reads by the user's id: active ones only, with their
    fields, and nobody else's."""
    from motcua.agencies.models import Membership
    from motcua.agencies.selectors import _HELD

    officer = make_user("field-officer", world.ward, Role.SPECIALIST, Role.RECEPTION)
    Membership.objects.filter(user=officer, role=Role.SPECIALIST).get().fields.set(
        [world.procedure.field_id]
    )
    Membership.objects.create(
        user=officer, agency=world.other_ward, role=Role.LEADER, is_active=False
    )
    key = issue_token(officer)
    statement, values = tokens.roles_read(key)
    by_key = sorted(statement.all(**values), key=repr)
    assert by_key == sorted(_HELD.all(user_id=officer.pk), key=repr)
    assert {row[2] for row in by_key} == {Role.SPECIALIST, Role.RECEPTION}
    assert statement.all(key_hash=tokens.key_hash("nobody's key")) == []


def test_good_keys_are_not_counted_as_failures(world):
    key = issue_token(world.reception)
    for _ in range(throttle.TOKEN_ADDRESS.free + 5):
        assert bearer(key, REMOTE_ADDR="203.0.113.10").status_code == 200


def test_a_key_of_someone_who_needs_two_factors_but_has_no_app_is_refused(world):
    key = issue_token(world.admin)  # e.g. an old key migrated from authtoken
    response = bearer(key)
    assert response.status_code == 403
    assert response.json()["code"] == "auth.two_factor_setup_required"


def test_a_password_only_session_of_an_admin_cannot_use_the_api(world):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(world.admin, generate_totp_secret())
    response = password_only_client(world.admin).get(API)
    assert response.status_code == 403
    assert response.json()["code"] == "auth.two_factor_required"
    assert client_for(world.admin).get(API).status_code == 200


def test_the_token_endpoint_needs_the_second_factor_too(world):
    client = password_only_client(world.admin)
    response = client.post("/api/v1/auth/token/", {}, content_type="application/json")
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_signed_in_officer_with_two_factors_gets_a_key_from_the_endpoint(world):
    response = client_for(world.admin).post(
        "/api/v1/auth/token/", {"name": "Kế toán"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert bearer(response.json()["token"]).status_code == 200


def test_the_password_grant_answers_a_stable_code_in_vietnamese(client, world):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": world.reception.username, "password": "pw-reception"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "auth.password_grant_removed"
    assert "Khóa API" in response.json()["message"]


def test_a_person_cannot_hold_unlimited_live_keys(world, settings):
    settings.MOTCUA_API_TOKEN_MAX_LIVE = 2
    issue_token(world.reception)
    issue_token(world.reception)
    with pytest.raises(Exception, match="quá nhiều khóa"):
        issue_token(world.reception)


# --- the back-office page --------------------------------------------------------


def test_the_page_makes_a_key_shown_once(world):
    client = client_for(world.reception)
    response = client.post(PAGE, {"name": "Phần mềm kế toán"})
    assert response.status_code == 200
    html = response.content.decode()
    token = ApiToken.objects.get()
    start = html.index('id="new-key-value"')
    key = html[start:].split('value="', 1)[1].split('"', 1)[0]
    assert key.startswith(token.prefix) and bearer(key).status_code == 200
    assert (
        response["Cache-Control"].startswith("no-store")
        or "no-store" in response["Cache-Control"]
    )
    again = client.get(PAGE).content.decode()
    assert key not in again and token.prefix in again


def test_an_empty_name_is_a_400_in_vietnamese(world):
    response = client_for(world.reception).post(PAGE, {"name": "  "})
    assert response.status_code == 400
    assert "Vui lòng đặt tên" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_officer_revokes_their_key(world):
    client = client_for(world.reception)
    key = issue_token(world.reception)
    token = ApiToken.objects.get()
    url = reverse("security:revoke_api_key", args=[token.pk])
    assert client.post(url).status_code == 302
    assert bearer(key).status_code == 401


def test_nobody_sees_or_revokes_another_persons_key(world):
    issue_token(world.reception, name="khóa của chị Lan")
    token = ApiToken.objects.get()
    other = client_for(world.specialist)
    assert "khóa của chị Lan" not in other.get(PAGE).content.decode()
    url = reverse("security:revoke_api_key", args=[token.pk])
    assert other.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_needs_a_signed_in_staff_member(client, world):
    assert client.get(PAGE).status_code == 302
    citizen = get_user_model().objects.create_user("citizen", password="x")
    assert password_only_client(citizen).get(PAGE).status_code == 403


def test_the_page_needs_the_second_factor_where_required(world):
    leader = make_user("leader2", world.ward, Role.AGENCY_ADMIN)
    response = password_only_client(leader).post(PAGE, {"name": "x"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_the_admin_site_lists_and_revokes_but_never_shows_or_adds_keys(world):
    key = issue_token(world.reception, client="Cổng DVCQG")
    root = get_user_model().objects.create_superuser("root", password="x")
    admin = client_for(root)
    listing = admin.get("/admin/security/apitoken/").content.decode()
    assert "Cổng DVCQG" in listing and key not in listing
    assert admin.get("/admin/security/apitoken/add/").status_code == 403
    token = ApiToken.objects.get()
    admin.post(
        "/admin/security/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert bearer(key).status_code == 401


# --- the migration of DRF authtoken keys -------------------------------------------


def test_old_authtoken_keys_become_hashed_expiring_keys(world, settings):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "motcua.security.migrations.0003_api_tokens_from_authtoken"
    )
    settings.MOTCUA_API_TOKEN_DAYS = 30
    old_key = "a" * 40
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "user_id integer NOT NULL, created timestamp NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [old_key, world.reception.pk, clock.now()],
        )
    # The function reads only ``schema_editor.connection``.
    migration.move_legacy_tokens(apps, SimpleNamespace(connection=connection))
    token = ApiToken.objects.get()
    assert token.user == world.reception and token.prefix == old_key[:10]
    assert timedelta(days=29) < token.expires_at - clock.now() <= timedelta(days=30)
    assert bearer(old_key).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0  # the clear keys are gone
        cursor.execute("DROP TABLE authtoken_token")
