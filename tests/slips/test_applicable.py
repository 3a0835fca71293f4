"""The dossier page offers only the slips a dossier has; each one renders."""

from __future__ import annotations

import pytest

from motcua.slips.services import applicable_kinds, render_slip

from . import scenarios as s

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("make", "form_set", "kinds"),
    [
        (s.received, "2018", ["receipt", "control"]),
        (s.supplement, "2018", ["receipt", "supplement", "control"]),
        (s.refusal_at_desk, "2018", ["refusal"]),
        (s.apology, "2018", ["receipt", "apology", "control"]),
        (s.stop, "2018", ["receipt", "control"]),  # no stop notice in the 2018 set
        (s.stop, "2025", ["receipt", "stop", "control"]),
    ],
)
def test_only_the_slips_a_dossier_has_are_offered(make, form_set, kinds):
    dossier = make(s.world_with(form_set))
    assert applicable_kinds(dossier) == kinds
    for kind in kinds:
        assert render_slip(dossier, kind, base_url="http://testserver/").startswith(
            b"%PDF"
        )
