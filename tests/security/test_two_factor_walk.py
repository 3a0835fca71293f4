"""Permission walk for two factors: whoever must use them (system admin,
agency admin, leader holding a signing certificate) reaches no page of the
project — back office, signing, reports, evaluation, slips, admin site — and no
API, until the app is set up and used in this session. The walk goes over
every URL pattern the project has, so a page added later is covered too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from motcua.agencies.models import Role
from motcua.security import twofactor
from motcua.security.middleware import _is_open
from motcua.signing.services import certificate_upload
from tests.backoffice.conftest import client_for, password_only_client
from tests.dossiers.builders import World, build_world, make_user
from tests.security.helpers import issue_token, totp_secret
from tests.signing.ca import make_ca

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/totp/activate/"
PROMPT = "/accounts/2fa/reauthenticate/"
CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")
SAMPLE = {"int": "1", "slug": "x", "str": "x", "path": "x", None: "x"}
API_SAMPLES = [
    "/api/v1/dossiers/",
    "/api/v1/reports/bieu06",
]


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = str(pattern.pattern)
        if route.startswith("^") or "(?P" in route:  # admin's regexes: sampled
            continue
        path = CONVERTER.sub(lambda m: SAMPLE.get(m.group(1), "x"), route)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + path)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + path


def gated_paths() -> list[str]:
    paths = sorted(set(_walk(get_resolver().url_patterns)))
    return [p for p in paths if not _is_open(p)]


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def signing_leader(world: World) -> Any:
    issued = make_ca().issue("Trần Thị Bình")
    certificate_upload(
        world.admin,
        user=world.leader,
        agency=world.ward,
        p12_bytes=issued.p12,
        password=issued.password,
    )
    return world.leader


@pytest.fixture
def who(request: pytest.FixtureRequest, world: World) -> Any:
    if request.param == "system_admin":
        return get_user_model().objects.create_superuser("root", password="x")
    if request.param == "agency_admin":
        return world.admin
    return request.getfixturevalue("signing_leader")


ALL = pytest.mark.parametrize(
    "who", ["system_admin", "agency_admin", "signing_leader"], indirect=True
)


def test_the_walk_covers_the_areas_named_in_the_issue():
    paths = gated_paths()
    for area in ("/can-bo/", "/can-bo/ky-so/", "/bao-cao/", "/admin/"):
        assert any(p.startswith(area) for p in paths), area
    assert "/can-bo/khoa-api/" in paths


def test_who_must_use_two_factors(world, signing_leader):
    root = get_user_model().objects.create_superuser("root", password="x")
    assert twofactor.required_for(root)
    assert twofactor.required_for(world.admin)
    assert twofactor.required_for(signing_leader)
    for officer in (world.reception, world.specialist, world.other_reception):
        assert not twofactor.required_for(officer)
    leader_without_certificate = make_user("leader9", world.ward, Role.LEADER)
    assert not twofactor.required_for(leader_without_certificate)


def test_a_certificate_counts_while_its_holder_is_a_leader(
    world, signing_leader, django_assert_num_queries
):
    """Only a leader signs (``signing.services``): a leader's certificate asks
    for two factors; once the leader role is gone, the certificate gives no
    power and asks for nothing. Officers cost no certificate look-up."""
    with django_assert_num_queries(1):  # the memberships only
        assert not twofactor.required_for(world.specialist)
    signing_leader.memberships.filter(role=Role.LEADER).update(is_active=False)
    signing_leader.memberships.create(agency=world.ward, role=Role.SPECIALIST)
    assert not twofactor.required_for(signing_leader)
    signing_leader.memberships.filter(role=Role.LEADER).update(is_active=True)
    assert twofactor.required_for(signing_leader)


@ALL
def test_without_an_app_every_page_sends_them_to_set_it_up(who):
    client = password_only_client(who)
    for path in [*gated_paths(), "/danh-gia/", "/admin/auth/user/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == SETUP, path


@ALL
def test_with_an_app_a_password_only_session_is_asked_for_the_code(who):
    totp_secret(who)
    client = password_only_client(who)
    for path in [*gated_paths(), "/danh-gia/", "/admin/auth/user/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(PROMPT), path


@ALL
def test_without_an_app_no_api(who):
    client = password_only_client(who)
    key = issue_token(who)
    for path in API_SAMPLES:
        for response in (
            client.get(path),
            Client().get(path, HTTP_AUTHORIZATION=f"Bearer {key}"),
        ):
            assert response.status_code == 403, path
            assert response.json()["code"] == "auth.two_factor_setup_required"
    response = client.post("/api/v1/auth/token/", {}, content_type="application/json")
    assert response.status_code == 403


@ALL
def test_with_an_app_a_password_only_session_has_no_api(who):
    totp_secret(who)
    client = password_only_client(who)
    for path in API_SAMPLES:
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "auth.two_factor_required"


@ALL
def test_after_both_factors_the_pages_open(who):
    client = client_for(who)
    for path in ("/can-bo/", "/can-bo/khoa-api/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/dossiers/").status_code == 200
    admin = client.get("/admin/")
    assert admin.status_code == (200 if who.is_superuser else 302)


def test_officers_of_whom_two_factors_are_not_required_work_with_a_password(world):
    client = password_only_client(world.reception)
    assert client.get("/can-bo/").status_code == 200
    assert client.get("/api/v1/dossiers/").status_code == 200


def test_public_pages_stay_open_to_a_session_awaiting_its_code(world):
    client = password_only_client(world.admin)
    for path in (
        "/",
        "/tra-cuu/",
        "/thu-tuc/",
        "/cong-khai/",
        "/phan-anh/",
        "/accounts/logout/",
        "/api/v1/agencies/",
    ):
        assert client.get(path).status_code in (200, 405), path
