"""Integration clients: scopes, read/write, endpoint groups, credentials
(hash only, expiry, revocation, rotation), last use (issue 14 item 1)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from motcua.agencies.models import Membership, Role
from motcua.dossiers.models import Dossier
from motcua.integrations import services
from motcua.integrations.models import Client, ClientCredential
from motcua.privacy.models import ReadLog
from tests.dossiers.builders import World, build_world, vn

from .conftest import api

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2)
DOSSIERS = "/api/v1/dossiers/"
GROUPS_RW = ["dossiers.read", "dossiers.write", "reports.read"]


def new_dossier_body(world: World, agency: Any = None) -> dict[str, Any]:
    return {
        "agency": (agency or world.ward).code,
        "procedure": world.procedure.code,
        "channel": "direct",
        "applicant": {"name": "Trần Thị Bình", "id_number": "048090009876"},
    }


def writer(world: World, make_client: Any, **options: Any) -> tuple[Client, str]:
    options.setdefault("endpoint_groups", GROUPS_RW)
    client = make_client(access="read_write", agencies=[world.ward], **options)
    with world.at(MON):
        return client, services.credential_issue(client).key


def reader(world: World, make_client: Any, **options: Any) -> tuple[Client, str]:
    options.setdefault("endpoint_groups", ["dossiers.read"])
    client = make_client(access="read", agencies=[world.ward], **options)
    with world.at(MON):
        return client, services.credential_issue(client).key


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    data = response.json()
    assert data["code"] == code, data
    assert data["message"]
    return data


# --------------------------------------------------------------- credentials
def test_only_the_hash_and_a_prefix_of_a_credential_are_kept(make_client):
    world = build_world()
    client, key = reader(world, make_client)
    credential = ClientCredential.objects.get(client=client)
    prefix, _, secret = key.partition(".")
    assert key.startswith("mcc_") and prefix == credential.prefix
    assert len(secret) >= 40
    stored = " ".join(str(v) for v in ClientCredential.objects.values().get().values())
    assert secret not in stored and key not in stored


def test_a_credential_stops_at_its_expiry(make_client):
    world = build_world()
    client = make_client(
        access="read", agencies=[world.ward], endpoint_groups=["dossiers.read"]
    )
    with world.at(MON):
        key = services.credential_issue(client, days=30).key
    with world.at(MON + timedelta(days=30) - timedelta(seconds=1)):
        assert api(key).get(DOSSIERS).status_code == 200
    with world.at(MON + timedelta(days=30)):
        error(api(key).get(DOSSIERS), 401, "client.credential_expired")


def test_a_revoked_credential_and_a_revoked_client_are_refused(make_client):
    world = build_world()
    client, key = reader(world, make_client)
    with world.at(MON):
        other = services.credential_issue(client).key
        services.credential_revoke(
            ClientCredential.objects.get(prefix=key.split(".")[0])
        )
        error(api(key).get(DOSSIERS), 401, "client.credential_revoked")
        assert api(other).get(DOSSIERS).status_code == 200
        services.client_revoke(client)
        error(api(other).get(DOSSIERS), 401, "client.revoked")
    client.user.refresh_from_db()
    assert not client.user.is_active
    assert not Membership.objects.filter(user=client.user).exists()
    with pytest.raises(Exception, match="thu hồi"):
        services.credential_issue(client)


def test_rotation_keeps_the_old_credential_until_it_is_revoked(make_client):
    world = build_world()
    client, old = reader(world, make_client)
    with world.at(MON + timedelta(days=1)):
        new = services.credential_issue(client).key
        assert api(old).get(DOSSIERS).status_code == 200
        assert api(new).get(DOSSIERS).status_code == 200
        services.credential_revoke(
            ClientCredential.objects.get(prefix=old.split(".")[0])
        )
        assert api(old).get(DOSSIERS).status_code == 401
        assert api(new).get(DOSSIERS).status_code == 200


def test_an_unknown_client_key_is_auth_failed_and_counted_per_address(make_client):
    from motcua.security import throttle

    world = build_world()
    _, key = reader(world, make_client)
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    with world.at(MON):
        error(api(forged).get(DOSSIERS), 401, "auth.failed")
        assert throttle.failures(throttle.TOKEN_ADDRESS, "127.0.0.1") == 1
        assert api(key).get(DOSSIERS).status_code == 200


def test_last_use_is_written_at_most_once_a_minute(make_client):
    world = build_world()
    client, key = reader(world, make_client)
    credential = ClientCredential.objects.get(client=client)
    assert credential.last_used_at is None
    with world.at(MON):
        api(key).get(DOSSIERS)
    with world.at(MON + timedelta(seconds=30)):
        api(key).get(DOSSIERS)
    credential.refresh_from_db()
    assert credential.last_used_at == MON
    with world.at(MON + timedelta(minutes=2)):
        api(key).get(DOSSIERS)
    credential.refresh_from_db()
    assert credential.last_used_at == MON + timedelta(minutes=2)


# --------------------------------------------------------------- scopes
def test_a_reader_sees_its_agency_and_not_another(make_client):
    world = build_world()
    mine = world.receive(MON)
    theirs = world.receive(MON, actor=world.other_reception, agency=world.other_ward)
    _, key = reader(world, make_client)
    with world.at(MON):
        listed = api(key).get(DOSSIERS).json()["results"]
        assert [d["code"] for d in listed] == [mine.code]
        assert api(key).get(f"{DOSSIERS}{mine.code}/").status_code == 200
        error(api(key).get(f"{DOSSIERS}{theirs.code}/"), 404, "dossier.not_found")


def test_a_read_only_client_cannot_write(make_client):
    world = build_world()
    mine = world.receive(MON)
    _, key = reader(world, make_client)
    with world.at(MON):
        error(
            api(key).post(DOSSIERS, new_dossier_body(world), format="json"),
            403,
            "client.read_only",
        )
        error(
            api(key).post(
                f"{DOSSIERS}{mine.code}/withdraw/", {"reason": "x"}, format="json"
            ),
            403,
            "client.read_only",
        )
    assert mine.events.count() == 1


def test_an_endpoint_group_not_granted_is_refused(make_client):
    world = build_world()
    _, key = writer(world, make_client, endpoint_groups=["dossiers.read"])
    query = {"agency": world.ward.code, "from": "2025-06-01", "to": "2025-06-30"}
    with world.at(MON):
        error(
            api(key).get("/api/v1/reports/bieu06", query),
            403,
            "client.endpoint_not_allowed",
        )
        error(
            api(key).post(DOSSIERS, new_dossier_body(world), format="json"),
            403,
            "client.endpoint_not_allowed",
        )
        # A URL in no group at all (the staff key endpoint, which does not
        # even take bearer keys): refused, nothing issued.
        refused = api(key).post("/api/v1/auth/token/", {"name": "x"}, format="json")
        assert refused.status_code == 403
    from motcua.security.models import ApiToken

    assert not ApiToken.objects.exists()


def test_urls_outside_every_area_are_in_no_group():
    from motcua.integrations.scopes import group_of

    assert group_of("api-dossiers", "GET") == "dossiers.read"
    assert group_of("api-dossier-finish", "POST") == "dossiers.write"
    assert group_of("reports-bieu06", "GET") == "reports.read"
    assert group_of("reports-bieu06", "POST") is None
    assert group_of("public_api:procedures", "GET") == "catalog.read"
    assert group_of("api-auth-token", "POST") is None
    assert group_of("citizen-dossiers", "GET") is None
    assert group_of("", "GET") is None


def test_a_writer_receives_moves_and_reports_in_its_agency_only(make_client):
    world = build_world()
    client, key = writer(world, make_client)
    with world.at(MON):
        made = api(key).post(DOSSIERS, new_dossier_body(world), format="json")
        assert made.status_code == 201, made.content
        code = made.json()["code"]
        finished = api(key).post(
            f"{DOSSIERS}{code}/finish/", {"result_summary": "Đã cấp"}, format="json"
        )
        assert finished.status_code == 200, finished.content
        returned = api(key).post(
            f"{DOSSIERS}{code}/return_result/", {"method": "desk"}, format="json"
        )
        assert returned.json()["status"] == "returned", returned.content
        elsewhere = api(key).post(
            DOSSIERS, new_dossier_body(world, world.other_ward), format="json"
        )
        error(elsewhere, 403, "auth.forbidden")
        report = api(key).get(
            "/api/v1/reports/bieu06",
            {"agency": world.ward.code, "from": "2025-06-01", "to": "2025-06-30"},
        )
        assert report.status_code == 200, report.content
        assert report.json()["totals"]["received"]["total"] == 1
    # The dossier's history and the read log name the client's account.
    event = Dossier.objects.get(code=code).events.first()
    assert event.actor_id == client.user.pk
    reads = ReadLog.objects.filter(user=client.user)
    assert reads.exists()
    assert all("Cổng DVC tỉnh" in r.username for r in reads)


def test_a_subtree_scope_widens_reading_not_writing(make_client):
    world = build_world()
    in_ward = world.receive(MON)
    client = make_client(
        access="read_write",
        agencies=[world.district],
        subtree=True,
        endpoint_groups=GROUPS_RW,
    )
    with world.at(MON):
        key = services.credential_issue(client).key
        assert api(key).get(f"{DOSSIERS}{in_ward.code}/").status_code == 200
        error(
            api(key).post(
                f"{DOSSIERS}{in_ward.code}/withdraw/", {"reason": "Rút"}, format="json"
            ),
            403,
            "auth.forbidden",
        )


def test_changing_the_scopes_changes_the_technical_users_roles_at_once(make_client):
    world = build_world()
    mine = world.receive(MON)
    client, key = reader(world, make_client)
    assert set(
        Membership.objects.filter(user=client.user).values_list("agency", "role")
    ) == {(world.ward.pk, Role.MONITOR)}
    services.client_update(client, scopes=[services.Scope(world.other_ward)])
    with world.at(MON):
        error(api(key).get(f"{DOSSIERS}{mine.code}/"), 404, "dossier.not_found")
    services.client_update(
        client,
        access="read_write",
        endpoint_groups=GROUPS_RW,
        scopes=[services.Scope(world.ward)],
    )
    assert set(
        Membership.objects.filter(user=client.user).values_list("agency", "role")
    ) == {(world.ward.pk, Role.RECEPTION)}
    with world.at(MON):
        assert api(key).get(f"{DOSSIERS}{mine.code}/").status_code == 200


def test_a_read_client_cannot_be_given_a_write_group(make_client):
    build_world()
    with pytest.raises(Exception) as raised:
        make_client(access="read", endpoint_groups=["dossiers.write"])
    assert raised.value.code == "client.write_group_needs_write_access"
    with pytest.raises(Exception) as raised:
        make_client(access="read", endpoint_groups=["everything.read"])
    assert raised.value.code == "client.unknown_group"


def test_the_scope_permission_class_says_the_same(make_client, rf):
    from rest_framework.request import Request

    from motcua.integrations.authentication import ClientScopePermission

    world = build_world()
    client, _key = reader(world, make_client)
    credential = ClientCredential.objects.get(client=client)
    django_request = rf.get("/api/v1/reports/bieu06")
    from django.urls import resolve

    django_request.resolver_match = resolve("/api/v1/reports/bieu06")
    request = Request(django_request)
    request._authenticator = None
    request.user, request.auth = client.user, credential
    with pytest.raises(Exception) as raised:
        ClientScopePermission().has_permission(request, None)
    assert raised.value.code == "client.endpoint_not_allowed"
    request.auth = None  # a staff member: the services check their roles
    assert ClientScopePermission().has_permission(request, None)


def test_the_technical_user_cannot_sign_in_nor_reach_pages(make_client, client):
    world = build_world()
    integration, key = writer(world, make_client)
    user = integration.user
    assert (
        not user.has_usable_password() and not user.is_staff and not user.is_superuser
    )
    assert not hasattr(user, "citizen") or user.citizen is None
    for password in ("", "password", key, key.split(".")[1]):
        client.post("/accounts/login/", {"login": user.username, "password": password})
        assert "_auth_user_id" not in client.session
    for path in ("/can-bo/", "/bao-cao/bieu-06/", "/admin/"):
        response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code in (302, 403), (path, response.status_code)
        assert response.status_code != 200


def test_a_step_is_never_given_to_a_client_account(make_client: Any) -> None:
    """The technical account holds the reception role for the API, but steps
    are people's work: it is never offered as an assignee, and the one rule of
    who may take a step says so (``permissions.is_integration_account``)."""
    from motcua.agencies.models import Role
    from motcua.backoffice.actions import staff_for
    from motcua.dossiers import permissions

    world = build_world()
    client = make_client(access="read_write", agencies=[world.ward])
    offered = staff_for(world.ward, Role.RECEPTION, None)
    assert world.reception in offered and client.user not in offered
    assert permissions.is_integration_account(client.user)
    assert not permissions.is_integration_account(world.reception)
