"""Per-client rate limit with a fixed clock; the request log (route name, no
query string, no personal data); retention; the operators' command."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.integrations import services
from motcua.integrations.models import Client, ClientCredential, ClientRequest
from tests.dossiers.builders import build_world, vn

from .conftest import api

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2, 9, 0)
DOSSIERS = "/api/v1/dossiers/"


def reader(make_client, world, **options):
    client = make_client(
        access="read",
        agencies=[world.ward],
        endpoint_groups=["dossiers.read"],
        **options,
    )
    with world.at(MON):
        return client, services.credential_issue(client).key


def test_past_its_rate_limit_a_client_waits_until_the_next_minute(make_client):
    world = build_world()
    _client, key = reader(make_client, world, rate_limit=3)
    at = MON + timedelta(seconds=15)
    with world.at(at):
        assert [api(key).get(DOSSIERS).status_code for _ in range(3)] == [200] * 3
        refused = api(key).get(DOSSIERS)
    assert refused.status_code == 429
    assert refused.json()["code"] == "client.rate_limited"
    assert "giây" in refused.json()["message"]
    assert refused["Retry-After"] == "45"
    with world.at(MON + timedelta(seconds=59)):
        assert api(key).get(DOSSIERS)["Retry-After"] == "1"
    with world.at(MON + timedelta(minutes=1)):
        assert api(key).get(DOSSIERS).status_code == 200


def test_the_limit_is_per_client_not_per_credential(make_client):
    world = build_world()
    client, first = reader(make_client, world, rate_limit=2)
    _other_client, other = reader(
        make_client, world, name="Hệ thống khác", rate_limit=2
    )
    with world.at(MON):
        second = services.credential_issue(client).key
        assert api(first).get(DOSSIERS).status_code == 200
        assert api(second).get(DOSSIERS).status_code == 200
        assert api(first).get(DOSSIERS).status_code == 429
        assert api(second).get(DOSSIERS).status_code == 429
        assert api(other).get(DOSSIERS).status_code == 200


def test_each_request_is_logged_by_route_without_query_or_personal_data(make_client):
    world = build_world()
    dossier = world.receive(MON)
    client, key = reader(make_client, world)
    with world.at(MON):
        api(key).get(DOSSIERS, {"q": "Nguyen Van An", "agency": world.ward.code})
        api(key).get(f"{DOSSIERS}{dossier.code}/")
        api(key).post(
            DOSSIERS, {"applicant": {"id_number": "048090001234"}}, format="json"
        )
    rows = list(ClientRequest.objects.order_by("id"))
    assert [(r.method, r.route, r.dossier_code, r.status) for r in rows] == [
        ("GET", "api-dossiers", "", 200),
        ("GET", "api-dossier", dossier.code, 200),
        ("POST", "api-dossiers", "", 403),
    ]
    prefix = ClientCredential.objects.get(client=client).prefix
    assert all(r.credential_prefix == prefix and r.at == MON for r in rows)
    assert all(r.duration_ms >= 0 for r in rows)
    text = " ".join(
        str(v) for row in ClientRequest.objects.values() for v in row.values()
    )
    for personal in ("Nguyen", "048090001234", "0905123456", "?", "q="):
        assert personal not in text


def test_requests_of_staff_and_anonymous_callers_are_not_in_the_client_log(make_client):
    world = build_world()
    reader(make_client, world)
    with world.at(MON):
        api().get(DOSSIERS)
    assert not ClientRequest.objects.exists()


def test_purge_keeps_only_the_retention_period(make_client):
    world = build_world()
    _, key = reader(make_client, world)
    with world.at(MON):
        api(key).get(DOSSIERS)
    with world.at(MON + timedelta(days=100)):
        api(key).get(DOSSIERS)
        out = StringIO()
        call_command("integration_client", "purge", "--days", "90", stdout=out)
    assert "1" in out.getvalue()
    assert list(ClientRequest.objects.values_list("at", flat=True)) == [
        MON + timedelta(days=100)
    ]


def test_the_scheduler_purges_the_request_log_every_night(make_client, settings):
    from motcua.notifications import scheduler

    settings.MOTCUA_CLIENT_LOG_DAYS = 30
    world = build_world()
    _, key = reader(make_client, world)
    with world.at(MON):
        api(key).get(DOSSIERS)
    with world.at(MON + timedelta(days=29)):
        api(key).get(DOSSIERS)
    assert scheduler.run(["client_log_purge"], MON + timedelta(days=29)) == {
        "client_log_purge": 0
    }
    assert scheduler.run(["client_log_purge"], MON + timedelta(days=31)) == {
        "client_log_purge": 1
    }
    assert list(ClientRequest.objects.values_list("at", flat=True)) == [
        MON + timedelta(days=29)
    ]


def test_the_operators_command_creates_issues_lists_and_revokes(db):
    world = build_world()
    out, err = StringIO(), StringIO()
    call_command(
        "integration_client",
        "create",
        "Phần mềm hộ tịch",
        "--access",
        "read_write",
        "--agency",
        world.ward.code,
        "--agency",
        f"{world.district.code}:subtree",
        "--group",
        "dossiers.read",
        "--group",
        "dossiers.write",
        "--rate-limit",
        "30",
        stdout=out,
    )
    client = Client.objects.get(name="Phần mềm hộ tịch")
    assert client.rate_limit == 30 and client.access == "read_write"
    assert {(s.agency_id, s.covers_subtree) for s in client.agency_scopes.all()} == {
        (world.ward.pk, False),
        (world.district.pk, True),
    }
    with world.at(MON):
        call_command(
            "integration_client", "issue", "Phần mềm hộ tịch", stdout=out, stderr=err
        )
    key = out.getvalue().strip().splitlines()[-1]
    assert key.startswith("mcc_") and "chỉ hiện một lần" in err.getvalue()
    with world.at(MON):
        assert api(key).get(DOSSIERS).status_code == 200
    listing = StringIO()
    call_command("integration_client", "list", stdout=listing)
    assert key.split(".")[0] in listing.getvalue() and key not in listing.getvalue()
    call_command(
        "integration_client", "revoke", "--credential", key.split(".")[0], stdout=out
    )
    with world.at(MON):
        assert api(key).get(DOSSIERS).json()["code"] == "client.credential_revoked"
    call_command("integration_client", "revoke", "Phần mềm hộ tịch", stdout=out)
    client.refresh_from_db()
    assert client.revoked_at is not None and not client.is_active


def test_the_command_refuses_bad_input_in_vietnamese(db):
    from django.core.management.base import CommandError

    build_world()
    with pytest.raises(CommandError, match="Không có cơ quan"):
        call_command("integration_client", "create", "X", "--agency", "000.99.99.H99")
    with pytest.raises(CommandError, match="Không có hệ thống"):
        call_command("integration_client", "issue", "Không tồn tại")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_never_pass_the_rate_limit(make_client):
    """Twelve threads with their own connections, three requests each, from
    the very first one (the window row does not exist yet): exactly the limit
    goes through."""
    import threading

    from django.db import connections

    from motcua.integrations import access

    client = make_client(rate_limit=10)
    results: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(12)

    def call() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                wait = access.take_request(client, now=MON)
                with lock:
                    results.append(wait)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 36
    assert results.count(0) == 10
