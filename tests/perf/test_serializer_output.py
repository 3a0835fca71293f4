"""The dossier API's JSON is byte for byte what it was before the serializer
work of issue 15 (labels from a map read once per language instead of DRF's
per-row ``get_status_display`` probing; rows rendered through
``output_plans`` instead of DRF's per-field loop), in both languages, on a
fixed world."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from motcua.core import clock
from motcua.dossiers import serializers as s
from motcua.dossiers import services
from motcua.dossiers.files import dossier_file_upload
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import (
    dossier_for,
    dossier_page,
    dossier_row_page,
    parse_filters,
)
from motcua.dossiers.workflow import Status
from tests.dossiers.builders import vn

from .conftest import City

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class BeforeList(s.DossierListSerializer):
    status_label = serializers.CharField(source="get_status_display")

    def to_representation(self, instance: Any) -> Any:  # DRF's own loop
        return serializers.ModelSerializer.to_representation(self, instance)


class BeforeDetail(s.DossierDetailSerializer):
    status_label = serializers.CharField(source="get_status_display")

    def to_representation(self, instance: Any) -> Any:
        return serializers.ModelSerializer.to_representation(self, instance)


def _render(
    serializer: type[Any], instance: Any, many: bool = False, user: Any = None
) -> bytes:
    request = RequestFactory().get("/api/v1/dossiers/")
    request.user = user  # type: ignore[attr-defined]
    data = serializer(instance, many=many, context={"request": request}).data
    return JSONRenderer().render(data)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_list_and_detail_json_are_byte_identical_to_drf_display_probing(
    city: City, language: str
) -> None:
    city.grow(2)
    _with_file_and_answer(city)
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
            for user in (city.world.specialist, city.world.leader):
                assert _render(s.DossierDetailSerializer, loaded, user=user) == (
                    _render(BeforeDetail, loaded, user=user)
                )


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("ordering", ["-id", "due_at"])
def test_list_rows_read_as_values_give_the_json_of_model_rows(
    city: City, language: str, ordering: str
) -> None:
    city.grow(3)
    w = city.world
    for user in (w.specialist, w.leader, w.district_specialist, city.monitor):
        filters = parse_filters({"limit": "7", "ordering": ordering})
        for _ in range(4):  # a few pages, through the cursor
            models = dossier_page(user, filters)
            rows = dossier_row_page(user, filters)
            assert rows.next_cursor == models.next_cursor
            assert [r.agency_id for r in rows.items] == [
                d.agency_id for d in models.items
            ]
            with translation.override(language), clock.frozen_at(vn(2025, 6, 20)):
                assert _render(s.DossierListSerializer, rows.items, many=True) == (
                    _render(BeforeList, models.items, many=True)
                )
            if models.next_cursor is None:
                break
            filters = parse_filters(
                {"limit": "7", "ordering": ordering, "cursor": models.next_cursor}
            )


def _with_file_and_answer(city: City) -> None:
    """A scan (download link, uploader) and an answered consultation."""
    w = city.world
    consulted = city.dossiers[1]
    upload = SimpleUploadedFile("scan.pdf", PDF, "application/pdf")
    with w.at(vn(2025, 6, 3)):
        dossier_file_upload(w.reception, consulted, upload=upload)
        consultation = consulted.consultations.get()
        services.dossier_answer_consult(
            w.district_specialist,
            consulted,
            consultation_id=consultation.pk,
            answer="Đồng ý",
        )
    assert consulted.files.count() == 1


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
