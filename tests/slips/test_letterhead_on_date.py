"""A slip's letterhead is the issuing agency as it was on the slip's own date
(issue 10): a rename or a merger later never changes a reprint."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua.agencies.services import agency_create, agency_rename
from motcua.core import clock
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import transfer
from motcua.slips.services import render_slip

from . import scenarios as s
from .pdfs import text

pytestmark = pytest.mark.django_db
BASE = "https://motcua.example.vn/"
JUNE_16 = s.Week(datetime(2025, 6, 16, 9, tzinfo=VN_TZ))


def receipt(dossier: Dossier) -> str:
    return text(
        render_slip(Dossier.objects.get(pk=dossier.pk), "receipt", base_url=BASE)
    )


def test_a_rename_after_the_slip_does_not_change_its_reprint():
    world = s.world_with(week=JUNE_16)
    dossier = s.received(world)
    old = world.ward.name.upper()
    first = receipt(dossier)
    assert old in first
    with clock.frozen_at(datetime(2025, 7, 2, 9, tzinfo=VN_TZ)):
        agency_rename(world.ward, "UBND phường Hòa Cường", on=date(2025, 7, 1))
        again = receipt(dossier)
    assert again == first
    assert "UBND PHƯỜNG HÒA CƯỜNG " not in again.replace(old, "")


def test_a_merger_after_the_slip_keeps_the_former_wards_letterhead():
    world = s.world_with(week=JUNE_16)
    dossier = s.received(world)  # still being processed on the merger day
    first = receipt(dossier)
    successor = agency_create(
        code=f"{world.ward.code[:-3]}HC1",
        name="UBND phường Hòa Cường",
        level="ward",
        parent=world.ward.parent,
    )
    on_the_day = datetime(2025, 7, 1, 8, 30, tzinfo=VN_TZ)
    with clock.frozen_at(on_the_day):
        transfer.agencies_merge(None, [world.ward], successor, on=on_the_day.date())
    moved = Dossier.objects.get(pk=dossier.pk)
    assert moved.agency_id == successor.pk  # the dossier now belongs to the successor
    with clock.frozen_at(datetime(2025, 7, 2, 9, tzinfo=VN_TZ)):
        assert receipt(moved) == first  # its receipt was issued by the former ward
