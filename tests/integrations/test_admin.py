"""The admin site: a client with scopes, a credential shown once, revocation,
the last use and the request log."""

from __future__ import annotations

import re

import pytest

from motcua.agencies.models import Membership, Role
from motcua.integrations.models import Client, ClientCredential
from tests.dossiers.builders import build_world, vn

from .conftest import api

pytestmark = pytest.mark.django_db
MON = vn(2025, 6, 2)


def _inline(prefix: str, rows: list[dict[str, str]]) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def test_an_administrator_creates_a_client_issues_a_key_and_revokes_it(admin_client):
    world = build_world()
    form = {
        "name": "Cổng DVC tỉnh",
        "description": "Đồng bộ hồ sơ",
        "access": "read_write",
        "endpoint_groups": ["dossiers.read", "dossiers.write"],
        "rate_limit": "60",
        **_inline("agency_scopes", [{"agency": str(world.ward.pk)}]),
        **_inline("credentials", []),
    }
    response = admin_client.post("/admin/integrations/client/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    client = Client.objects.get(name="Cổng DVC tỉnh")
    assert client.created_by is not None
    assert set(
        Membership.objects.filter(user=client.user).values_list("agency", "role")
    ) == {(world.ward.pk, Role.RECEPTION)}

    shown = admin_client.post(
        "/admin/integrations/client/",
        {"action": "issue_credential", "_selected_action": [client.pk]},
        follow=True,
    ).content.decode()
    key = re.search(r"mcc_[\w-]+\.[\w-]+", shown)[0]
    assert ClientCredential.objects.filter(client=client).count() == 1
    with world.at(MON):
        assert api(key).get("/api/v1/dossiers/").status_code == 200
    page = admin_client.get(f"/admin/integrations/client/{client.pk}/change/")
    assert key.split(".")[0] in page.content.decode()
    assert key not in page.content.decode()
    log = admin_client.get("/admin/integrations/clientrequest/")
    assert log.status_code == 200 and "api-dossiers" in log.content.decode()

    admin_client.post(
        "/admin/integrations/client/",
        {"action": "revoke_client", "_selected_action": [client.pk]},
    )
    with world.at(MON):
        assert api(key).get("/api/v1/dossiers/").json()["code"] == "client.revoked"
    # Revoked, never deleted: the history and the read log name its account.
    delete = admin_client.get(f"/admin/integrations/client/{client.pk}/delete/")
    assert delete.status_code == 403


def test_the_admin_refuses_a_write_group_for_a_read_client(admin_client):
    build_world()
    form = {
        "name": "Chỉ xem",
        "access": "read",
        "endpoint_groups": ["dossiers.write"],
        "rate_limit": "60",
        **_inline("agency_scopes", []),
        **_inline("credentials", []),
    }
    response = admin_client.post("/admin/integrations/client/add/", form)
    assert response.status_code == 200
    assert "chỉ được xem" in response.content.decode()
    assert not Client.objects.exists()
