"""The dossier API's JSON is byte for byte what it was before the serializer
work of issue 15 (labels from a map read once per language instead of DRF's
per-row ``get_status_display`` probing), in both languages, on a fixed world."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import translation
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from motcua.core import clock
from motcua.dossiers import serializers as s
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.workflow import Status
from tests.dossiers.builders import vn

from .conftest import City

pytestmark = pytest.mark.django_db


class BeforeList(s.DossierListSerializer):
    status_label = serializers.CharField(source="get_status_display")


class BeforeDetail(s.DossierDetailSerializer):
    status_label = serializers.CharField(source="get_status_display")


def _render(serializer: type[Any], instance: Any, many: bool = False) -> bytes:
    request = RequestFactory().get("/api/v1/dossiers/")
    request.user = None  # type: ignore[attr-defined]
    data = serializer(instance, many=many, context={"request": request}).data
    return JSONRenderer().render(data)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_list_and_detail_json_are_byte_identical_to_drf_display_probing(
    city: City, language: str
) -> None:
    city.grow(2)
    city.monitor.is_superuser = True  # sees every dossier of the world
    rows = list(
        Dossier.objects.select_related(
            "agency", "procedure", "procedure_version", "field", "applicant"
        ).order_by("-id")
    )
    assert {d.status for d in rows} >= {
        Status.RECEIVED,
        Status.PROCESSING,
        Status.WAITING_SUPPLEMENT,
        Status.RESULT_READY,
        Status.RETURNED,
    }
    with translation.override(language), clock.frozen_at(vn(2025, 6, 20)):
        assert _render(s.DossierListSerializer, rows, many=True) == _render(
            BeforeList, rows, many=True
        )
        for dossier in city.dossiers[:6]:
            loaded = dossier_for(city.monitor, dossier.code)
            assert loaded is not None
            assert _render(s.DossierDetailSerializer, loaded) == _render(
                BeforeDetail, loaded
            )


def test_a_label_follows_the_language_of_the_request(city: City) -> None:
    city.grow(1)
    rows = list(Dossier.objects.order_by("id"))
    field = s.ChoiceLabelField(Dossier, "status")
    for language in ("vi", "en", "vi"):
        with translation.override(language):
            assert [field.to_representation(d.status) for d in rows] == [
                d.get_status_display() for d in rows
            ]
    assert field.to_representation("no-such-status") == "no-such-status"
