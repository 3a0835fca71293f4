"""Every read of an applicant's data writes one row of the read log: the
back-office dossier page, the API (detail and list), slips and exports."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from motcua.core import clock
from motcua.privacy.models import ReadLog
from tests.dossiers.builders import World, vn

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows(**filters: Any) -> list[tuple[Any, ...]]:
    return list(
        ReadLog.objects.filter(**filters)
        .order_by("id")
        .values_list("username", "agency_id", "dossier_code", "what", "count")
    )


def test_opening_the_dossier_page_writes_a_row(world: World) -> None:
    dossier = world.receive(clock.now())
    response = signed_in(world.leader).get(f"/can-bo/ho-so/{dossier.code}/")
    assert response.status_code == 200
    assert rows() == [
        (world.leader.username, world.ward.pk, dossier.code, "dossier_view", 1)
    ]
    assert ReadLog.objects.get().dossier_id == dossier.pk


def test_a_page_the_officer_may_not_see_writes_nothing(world: World) -> None:
    dossier = world.receive(clock.now())
    response = signed_in(world.other_reception).get(f"/can-bo/ho-so/{dossier.code}/")
    assert response.status_code == 404
    assert rows() == []


def test_the_api_detail_writes_a_row(world: World) -> None:
    dossier = world.receive(clock.now())
    response = api(world.specialist).get(f"/api/v1/dossiers/{dossier.code}/")
    assert response.status_code == 200
    assert rows(what="api_detail") == [
        (world.specialist.username, world.ward.pk, dossier.code, "api_detail", 1)
    ]


def test_the_api_list_writes_one_row_per_page_with_the_count(world: World) -> None:
    for day in (1, 2, 3):
        world.receive(vn(2026, 3, day + 1))
    response = api(world.leader).get("/api/v1/dossiers/", {"limit": 2})
    assert response.status_code == 200
    assert rows() == [(world.leader.username, world.ward.pk, "", "api_list", 2)]


def test_a_slip_writes_a_row_with_its_kind(world: World) -> None:
    dossier = world.receive(clock.now())
    response = signed_in(world.reception).get(
        f"/can-bo/phieu/{dossier.code}/receipt.pdf"
    )
    assert response.status_code == 200
    assert rows() == [
        (world.reception.username, world.ward.pk, dossier.code, "slip", 1)
    ]
    assert ReadLog.objects.get().detail == "receipt"


def test_the_register_export_writes_a_row_with_the_number_of_dossiers(
    world: World,
) -> None:
    for day in (2, 3):
        world.receive(vn(2026, 3, day))
    response = signed_in(world.reception).get(
        "/can-bo/phieu/so-theo-doi/",
        {
            "agency": world.ward.code,
            "from": "2026-03-01",
            "to": "2026-03-31",
            "format": "xlsx",
        },
    )
    assert response.status_code == 200
    assert rows() == [(world.reception.username, world.ward.pk, "", "export", 2)]
    assert ReadLog.objects.get().detail.startswith("so-theo-doi-")


def test_the_jsonl_export_command_writes_one_row_per_agency(
    world: World, tmp_path: Any
) -> None:
    world.receive(vn(2026, 3, 2))
    world.receive(vn(2026, 3, 3), actor=world.other_reception, agency=world.other_ward)
    call_command("export_dossiers", str(tmp_path / "out.jsonl"), stdout=io.StringIO())
    assert sorted(rows()) == sorted(
        [
            ("", world.ward.pk, "", "export", 1),
            ("", world.other_ward.pk, "", "export", 1),
        ]
    )


def test_a_queue_page_writes_one_row_with_the_number_of_dossiers_shown(
    world: World,
) -> None:
    world.receive(vn(2026, 3, 2))
    world.receive(vn(2026, 3, 3))
    response = signed_in(world.leader).get("/can-bo/hang-doi/don-vi/")
    assert response.status_code == 200
    shown = len(response.context["rows"])
    assert shown == 2
    assert rows() == [(world.leader.username, world.ward.pk, "", "queue_list", 2)]
    assert ReadLog.objects.get().detail == "don-vi"


def test_an_empty_list_writes_nothing(world: World) -> None:
    response = signed_in(world.leader).get("/can-bo/hang-doi/don-vi/")
    assert response.status_code == 200
    assert rows() == []


def test_opening_a_file_of_the_dossier_writes_a_row(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.dossiers.files import dossier_file_upload

    dossier = world.receive(clock.now())
    item = dossier_file_upload(
        world.reception,
        dossier,
        upload=SimpleUploadedFile("cccd.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"),
    )
    page = signed_in(world.specialist).get(
        f"/can-bo/ho-so/{dossier.code}/tep/{item.pk}/"
    )
    assert page.status_code == 200
    by_api = api(world.specialist).get(
        f"/api/v1/dossiers/{dossier.code}/files/{item.pk}/"
    )
    assert by_api.status_code == 200, by_api.content
    assert [r[3] for r in rows()] == ["file_view", "file_view"]
