from __future__ import annotations

import pytest

from motcua.citizens.models import CitizenDossier
from motcua.citizens.services import citizen_dossier_link
from motcua.core.errors import Conflict
from motcua.dossiers import services
from tests.citizens.factories import make_citizen
from tests.dossiers.builders import build_world

pytestmark = pytest.mark.django_db


def test_a_dossier_is_linked_once_and_never_to_a_second_citizen():
    world = build_world()
    dossier = services.dossier_receive(world.reception, data=world.input())
    an, binh = make_citizen(), make_citizen(full_name="Trần Thị Bình")
    first = citizen_dossier_link(an, dossier)
    assert citizen_dossier_link(an, dossier) == first
    with pytest.raises(Conflict) as refused:
        citizen_dossier_link(binh, dossier)
    assert refused.value.code == "citizens.dossier_taken"
    assert CitizenDossier.objects.get().citizen == an


def test_a_desk_officer_helping_is_recorded():
    world = build_world()
    dossier = services.dossier_receive(world.reception, data=world.input())
    link = citizen_dossier_link(
        make_citizen(),
        dossier,
        via=CitizenDossier.Via.HELPED,
        helped_by=world.reception,
    )
    assert link.via == "helped" and link.helped_by == world.reception
