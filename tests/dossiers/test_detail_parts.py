"""A dossier's detail parts (components, files, steps, consultations, events),
read by compiled statements (ADR 0033) or taken from what a creation wrote:
the same rows, in the same order, as ``prefetch_related`` reads, and each part
still a query set a caller may query further."""

from __future__ import annotations

from django.db.models import Prefetch

from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import (
    _PART_JOINS,
    DETAIL_PARTS,
    created_for,
    dossier_for,
)
from tests.dossiers.builders import build_world


def _prefetched(pk: int) -> Dossier:
    parts = []
    for name, model, order in DETAIL_PARTS:
        rows = model._default_manager.order_by(order)
        if name in _PART_JOINS:
            rows = rows.select_related(*_PART_JOINS[name])
        parts.append(Prefetch(name, queryset=rows))
    return Dossier.objects.prefetch_related(*parts).get(pk=pk)


def test_the_parts_equal_a_prefetch_and_can_be_queried_further(db):
    world = build_world()
    dossier = world.processing(clock.now())
    other = world.processing(clock.now())  # its rows must not leak in
    expected = _prefetched(dossier.pk)
    got = dossier_for(world.leader, dossier.code)
    assert got is not None and got.pk == dossier.pk != other.pk
    for name, _, _ in DETAIL_PARTS:
        rows = list(getattr(got, name).all())
        assert rows == list(getattr(expected, name).all()), name
        assert all(row.dossier is got for row in rows)
    assert [e.seq for e in got.events.all()] == [1, 2]
    assert list(got.events.values_list("action", flat=True).order_by("seq")) == [
        "receive",
        "assign",
    ]
    assert got.steps.filter(state="active").count() == 1


def test_a_created_dossier_gets_the_same_parts_from_what_it_wrote(db):
    from motcua.dossiers import unit

    world = build_world()
    with unit.remembered() as written, world.at(clock.now()):
        from motcua.dossiers import services

        dossier = services.dossier_receive(world.reception, data=world.input())
    got = created_for(world.reception, dossier, written)
    expected = _prefetched(dossier.pk)
    assert got is not None
    for name, _, _ in DETAIL_PARTS:
        assert list(getattr(got, name).all()) == list(getattr(expected, name).all())
    assert list(got.events.values_list("action", flat=True)) == ["receive"]
