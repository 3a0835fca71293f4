"""The signing rota prints a leader's name in Vietnamese order."""

from __future__ import annotations

import pytest

from motcua.core import clock
from motcua.signing.models import DutyRota
from tests.backoffice.conftest import client_for
from tests.dossiers.builders import vn

pytestmark = pytest.mark.django_db
MON = vn(2025, 6, 2)


def test_the_rota_shows_tran_thi_thu_not_thu_tran_thi(world):
    leader = world.leader
    leader.first_name, leader.last_name = "Thu", "Trần Thị"
    leader.save()
    DutyRota.objects.create(
        agency=world.ward,
        leader=leader,
        date=MON.date(),
        session="morning",
        updated_by=leader,
        updated_at=MON,
    )
    with clock.frozen_at(MON):
        page = client_for(leader).get("/can-bo/ky-so/lich-truc/?tuan=2025-06-02")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Trần Thị Thu" in text and "Thu Trần Thị" not in text
