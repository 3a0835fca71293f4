"""The synchronised share feeding 766 indicator 1.2, and the admin page of
sync states with its retry action."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.urls import reverse

from motcua.agencies.selectors import subtree
from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.evaluation import index766 as ix
from motcua.evaluation.periods import month
from motcua.nationalportal.models import SyncState
from motcua.notifications import worker
from tests.dossiers.builders import build_world, vn
from tests.security.helpers import mfa_client

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2)


def run(at):
    with clock.frozen_at(at):
        return worker.run_once()


def three_dossiers(world, portal):
    """June 2025 at the ward: one synchronised, one whose sync failed (its
    history was tampered with), one the portal never got (down)."""
    synced = world.receive(MON)
    tampered = world.receive(MON + timedelta(hours=1))
    Dossier.objects.filter(pk=tampered.pk).update(
        original_due_at=tampered.original_due_at + timedelta(days=3)
    )
    run(MON + timedelta(hours=2))
    portal.down()
    never = world.receive(MON + timedelta(hours=3))
    run(MON + timedelta(hours=3))
    return synced, tampered, never


def test_indicator_1_2_is_the_share_of_received_dossiers_the_portal_accepted(portal):
    world = build_world()
    synced, tampered, never = three_dossiers(world, portal)
    states = dict(SyncState.objects.values_list("dossier_id", "state"))
    assert states == {
        synced.pk: "synced",
        tampered.pk: "failed",
        never.pk: "retrying",
    }
    rows = ix.rate_national_sync(subtree(world.city), month(2025, 6))
    assert rows == {(world.ward.pk, (2025, 6)): ix.Measure(D(1), D(3))}
    report = ix.index_report(world.city, subtree(world.city), month(2025, 6))
    scores = {
        i.indicator.code: (i.score, i.indicator.note)
        for g in report.total.groups
        for i in g.indicators
    }
    score, note = scores["1.2"]
    assert score == D("2.67")  # 33.33 % of the 100 % target × 8 points
    assert "không có dữ liệu" not in note.split(";")[0]


def test_indicator_1_2_has_no_data_while_the_sync_is_off():
    world = build_world()
    world.receive(MON)
    with override_settings(MOTCUA_DVCQG_URL=""):
        assert ix.rate_national_sync(subtree(world.city), month(2025, 6)) == {}


def test_admin_lists_states_and_retries_a_failure(portal, admin_client):
    world = build_world()
    _, tampered, _ = three_dossiers(world, portal)
    portal.up()
    Dossier.objects.filter(pk=tampered.pk).update(
        original_due_at=tampered.original_due_at  # the date put back
    )
    client = admin_client
    url = "/admin/nationalportal/syncstate/"
    page = client.get(url)
    assert page.status_code == 200
    assert tampered.code in page.content.decode()
    failed = SyncState.objects.get(dossier=tampered)
    with clock.frozen_at(MON + timedelta(hours=4)):
        answer = client.post(
            url, {"action": "retry", "_selected_action": [failed.pk]}, follow=True
        )
    assert answer.status_code == 200
    assert "hàng đồng bộ lại" in answer.content.decode()
    failed.refresh_from_db()
    assert failed.state == SyncState.State.PENDING
    run(MON + timedelta(hours=4))
    failed.refresh_from_db()
    assert failed.state == SyncState.State.SYNCED


def test_admin_shows_staff_only_their_agencies(portal):
    world = build_world()
    dossier = world.receive(MON)
    view = Permission.objects.get(codename="view_syncstate")
    seen = {}
    for officer in (world.other_reception, world.reception):
        officer.is_staff = True
        officer.save()
        officer.user_permissions.add(view)
        page = mfa_client(officer).get("/admin/nationalportal/syncstate/")
        assert page.status_code == 200
        seen[officer.username] = dossier.code in page.content.decode()
    assert seen == {
        world.other_reception.username: False,
        world.reception.username: True,
    }


def test_the_dossier_page_shows_its_sync_state(portal, settings, tmp_path):
    from tests.backoffice.conftest import client_for

    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    dossier = world.receive(MON)
    url = reverse("backoffice:dossier", args=[dossier.code])
    page = client_for(world.reception).get(url).content.decode()
    assert 'id="dong-bo-dvcqg">Chờ đồng bộ<' in page
    run(MON + timedelta(hours=1))
    page = client_for(world.reception).get(url).content.decode()
    assert (
        'id="dong-bo-dvcqg">Đã đồng bộ — lần gần nhất 10:00 thứ Hai, 02/06/2025<'
        in page
    )
