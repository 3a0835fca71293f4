"""Scans and results attached to a dossier: up and down, checked by content."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.models import DossierFile

from .builders import build_world, vn
from .test_api import URL, assert_error, client_for

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def upload(user: Any, code: str, name: str, content: bytes, **fields: Any) -> Any:
    data = {"file": SimpleUploadedFile(name, content, "application/pdf"), **fields}
    return client_for(user).post(f"{URL}{code}/files/", data, format="multipart")


def test_the_desk_uploads_a_scan_and_anyone_who_sees_the_dossier_downloads_it(media):
    world = build_world()
    code = world.receive(MON).code
    response = upload(world.reception, code, "to-khai.pdf", PDF)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["content_type"] == "application/pdf"
    assert data["size"] == len(PDF)
    assert data["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert data["original_name"] == "to-khai.pdf"
    assert data["kind"] == "scan"
    assert data["uploaded_by"] == world.reception.username
    assert data["download_url"].endswith(f"{URL}{code}/files/{data['id']}/")
    detail = client_for(world.leader).get(f"{URL}{code}/").json()
    assert [f["id"] for f in detail["files"]] == [data["id"]]
    download = client_for(world.specialist).get(
        data["download_url"], HTTP_ACCEPT="application/pdf"
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="to-khai.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("anh.png", PNG, "image/png"), ("anh.jpeg", JPEG, "image/jpeg")],
)
def test_images_are_accepted_by_their_magic_number(media, name, content, kind):
    world = build_world()
    code = world.receive(MON).code
    response = upload(world.specialist, code, name, content, kind="result")
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == kind
    assert response.json()["kind"] == "result"


def test_a_fake_pdf_is_refused_and_leaves_nothing(media):
    world = build_world()
    code = world.receive(MON).code
    response = upload(world.reception, code, "virus.pdf", b"MZ\x90\x00 not a pdf")
    assert_error(response, 400, "file.invalid_type")
    assert not DossierFile.objects.exists()
    assert stored_files(media) == []


def test_an_oversized_file_is_refused_and_leaves_nothing(media, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 100
    world = build_world()
    code = world.receive(MON).code
    response = upload(world.reception, code, "big.pdf", PDF + b"0" * 200)
    assert_error(response, 400, "file.too_large")
    assert not DossierFile.objects.exists()
    assert stored_files(media) == []
    assert upload(world.reception, code, "small.pdf", PDF).status_code == 201


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "other"}, "file.invalid_kind"),
        ({"kind": "x" * 40}, "invalid"),
        ({"component": "abc"}, "invalid"),
        ({"component": 10**30}, "invalid"),
        ({"component": 987654}, "file.unknown_component"),
    ],
)
def test_bad_upload_fields_are_400(media, fields, code):
    world = build_world()
    dossier = world.receive(MON)
    response = upload(world.reception, dossier.code, "a.pdf", PDF, **fields)
    assert_error(response, 400, code)
    assert stored_files(media) == []


def test_a_scan_may_name_its_component(media):
    world = build_world()
    dossier = world.receive(MON)
    component = dossier.components.create(name="Tờ khai", kind="original")
    response = upload(
        world.reception, dossier.code, "a.pdf", PDF, component=component.pk
    )
    assert response.status_code == 201, response.content
    assert response.json()["component"] == component.pk


def test_missing_or_empty_file_is_400(media):
    world = build_world()
    code = world.receive(MON).code
    client = client_for(world.reception)
    missing = client.post(f"{URL}{code}/files/", {"kind": "scan"}, format="multipart")
    assert_error(missing, 400, "invalid")
    empty = upload(world.reception, code, "a.pdf", b"")
    assert_error(empty, 400, "invalid")
    as_json = client.post(f"{URL}{code}/files/", {"file": "x"}, format="json")
    assert_error(as_json, 415, "http.unsupported_media_type")


def test_an_unknown_or_huge_file_id_is_a_json_404(media):
    world = build_world()
    code = world.receive(MON).code
    client = client_for(world.reception)
    assert_error(client.get(f"{URL}{code}/files/12345/"), 404, "file.not_found")
    assert_error(client.get(f"{URL}{code}/files/{10**30}/"), 404, "file.not_found")


def test_a_file_lost_from_storage_is_a_404_not_a_500(media):
    world = build_world()
    code = world.receive(MON).code
    data = upload(world.reception, code, "a.pdf", PDF).json()
    for path in stored_files(media):
        path.unlink()
    assert_error(client_for(world.reception).get(data["download_url"]), 404)
