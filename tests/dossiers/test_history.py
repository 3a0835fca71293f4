"""The hash-chained history: any quiet edit is found and the dossier named."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers import services
from motcua.dossiers.history import GENESIS, verify_dossier
from motcua.dossiers.models import Dossier, Event

from .builders import build_world, vn

pytestmark = pytest.mark.django_db
MON = vn(2025, 6, 2)


def settled_dossier(world):
    dossier = world.processing(MON)
    with world.at(vn(2025, 6, 3, 10)):
        return services.dossier_finish(world.specialist, dossier)


def test_an_intact_history_chains_from_genesis():
    world = build_world()
    dossier = settled_dossier(world)
    events = list(dossier.events.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(events))
    assert verify_dossier(dossier) == []


def test_verify_history_names_a_dossier_whose_event_date_was_edited(capsys):
    world = build_world()
    honest = settled_dossier(world)
    faked = settled_dossier(world)
    # Move the finish earlier to fake an on-time figure, straight in the database.
    finish = Event.objects.get(dossier=faked, action="finish")
    Event.objects.filter(pk=finish.pk).update(at=finish.at - timedelta(days=2))
    with pytest.raises(CommandError) as error:
        call_command("verify_history")
    out = capsys.readouterr().out
    assert faked.code in out and honest.code not in out
    assert "nội dung sự kiện đã bị sửa" in out
    assert "1 hồ sơ có lịch sử không toàn vẹn" in str(error.value)


def test_a_deleted_event_breaks_the_chain():
    world = build_world()
    dossier = settled_dossier(world)
    Event.objects.filter(dossier=dossier, action="assign").delete()
    messages = [p.message for p in verify_dossier(dossier)]
    assert "thiếu sự kiện số 2" in messages
    assert "liên kết với sự kiện trước bị sai" in messages


def test_a_dossier_date_edited_without_touching_events_is_found():
    world = build_world()
    dossier = settled_dossier(world)
    Dossier.objects.filter(pk=dossier.pk).update(
        finished_at=dossier.finished_at - timedelta(days=1)
    )
    problems = verify_dossier(Dossier.objects.get(pk=dossier.pk))
    assert [p.message for p in problems] == [
        "dữ liệu hồ sơ khác với lịch sử (ngày, trạng thái đã bị sửa)"
    ]


def test_verify_history_passes_on_honest_data(capsys):
    world = build_world()
    settled_dossier(world)
    call_command("verify_history", "--agency", world.ward.code)
    assert "0 hồ sơ có lịch sử không toàn vẹn" in capsys.readouterr().out
