"""Citizens' ratings: only settled dossiers, one per dossier and source."""

from __future__ import annotations

import random

import pytest

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.evaluation.demo import add_demo_ratings
from motcua.evaluation.models import Rating
from motcua.evaluation.services import rating_record
from tests.dossiers.builders import vn

from .world import MON, evaluated_world

pytestmark = pytest.mark.django_db


def test_a_returned_or_result_ready_dossier_is_rated_once_per_source():
    e = evaluated_world()
    rating = rating_record(e.early, "very_satisfied", at=vn(2025, 6, 2, 17))
    assert rating.agency == e.world.ward and rating.source == "kiosk"
    rating_record(e.on_time, "satisfied", source="online")  # result ready
    with pytest.raises(DomainError) as twice:
        rating_record(e.early, "satisfied")
    assert twice.value.code == "rating.already_rated" and twice.value.status == 409
    rating_record(e.early, "satisfied", source="phone")
    assert Rating.objects.filter(dossier=e.early).count() == 2


def test_an_unsettled_dossier_or_bad_values_are_refused():
    e = evaluated_world()
    open_dossier = e.world.receive(MON)
    cases = [
        ((open_dossier, "satisfied"), {}, "rating.not_settled"),
        ((e.early, "great"), {}, "rating.invalid_level"),
        ((e.early, "satisfied"), {"source": "fax"}, "rating.invalid_source"),
        ((e.early, "satisfied"), {"attitude_points": 3}, "rating.invalid_points"),
    ]
    for args, kwargs, code in cases:
        with pytest.raises(DomainError) as refused:
            rating_record(*args, **kwargs)
        assert refused.value.code == code
    assert not Rating.objects.exists()


def test_demo_ratings_rate_most_returned_dossiers_mostly_satisfied():
    e = evaluated_world()
    dossiers = list(Dossier.objects.filter(agency=e.world.ward))
    count = add_demo_ratings(random.Random(3), dossiers)
    rated = Rating.objects.filter(dossier__in=dossiers)
    assert count == rated.count() <= 2  # only the two returned dossiers
    assert not rated.exclude(dossier__status="returned").exists()
