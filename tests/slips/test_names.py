"""Slips print the officer's name in Vietnamese order: "Trần Thị Thu"."""

from __future__ import annotations

import pytest

from motcua.slips.services import render_slip

from . import scenarios as s
from .pdfs import text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form_set", ["2018", "2025"])
def test_the_receipt_names_the_officer_family_name_first(form_set):
    world = s.world_with(form_set)
    officer = world.reception
    officer.first_name, officer.last_name = "Thu", "Trần Thị"
    officer.save()
    printed = text(render_slip(s.received(world), "receipt", base_url="http://x/"))
    assert "Trần Thị Thu" in printed
    assert "Thu Trần Thị" not in printed
