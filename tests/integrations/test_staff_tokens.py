"""Staff keys keep working beside client keys; create_api_token says it is
deprecated for integrations and still issues a key."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from motcua.security import tokens
from tests.dossiers.builders import build_world, vn

from .conftest import api

pytestmark = pytest.mark.django_db
MON = vn(2025, 6, 2)


def test_a_staff_key_still_works_and_is_not_logged_as_a_client(make_client):
    from motcua.integrations.models import ClientRequest

    world = build_world()
    dossier = world.receive(MON)
    with world.at(MON):
        key = tokens.token_issue(world.reception, name="máy", created_by=None).key
        response = api(key).get(f"/api/v1/dossiers/{dossier.code}/")
    assert response.status_code == 200
    assert not ClientRequest.objects.exists()


def test_create_api_token_prints_a_deprecation_notice_and_still_issues(db):
    world = build_world()
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token",
        world.reception.username,
        "--client",
        "Cổng cũ",
        stdout=out,
        stderr=err,
    )
    assert out.getvalue().startswith("mc_")
    assert "integration_client create" in err.getvalue()
