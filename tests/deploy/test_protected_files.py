"""Protected files are sent by Django or, behind nginx, by X-Accel-Redirect —
after the same permission check and with the same personal-data read log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.core import clock
from motcua.privacy.models import ReadLog
from tests.backoffice.conftest import client_for
from tests.dossiers.builders import World, build_world
from tests.security.helpers import issue_token

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _dossier_with_file(world: World) -> tuple[Any, Any]:
    dossier = world.receive(clock.now())
    r = client_for(world.reception).post(
        reverse("backoffice:dossier_upload", args=[dossier.code]),
        {"files": [SimpleUploadedFile("giay to.png", PNG, "image/png")]},
    )
    assert r.status_code == 302
    return dossier, dossier.files.get()


def _file_reads(dossier: Any) -> Any:
    return ReadLog.objects.filter(dossier_code=dossier.code, what="file_view")


def _file_url(dossier: Any, item: Any) -> str:
    return reverse("backoffice:dossier_file", args=[dossier.code, item.pk])


def test_without_a_prefix_django_streams_the_file(world: World, settings: Any) -> None:
    settings.MOTCUA_X_ACCEL_REDIRECT_PREFIX = ""
    dossier, item = _dossier_with_file(world)
    shown = client_for(world.leader).get(_file_url(dossier, item) + "?tai=1")
    assert shown.status_code == 200 and "X-Accel-Redirect" not in shown
    assert b"".join(shown.streaming_content) == PNG
    assert "no-store" in shown["Cache-Control"]
    assert _file_reads(dossier).count() == 1


def test_behind_nginx_the_answer_is_empty_and_names_the_internal_file(
    world: World, settings: Any
) -> None:
    settings.MOTCUA_X_ACCEL_REDIRECT_PREFIX = "/internal-files/"
    dossier, item = _dossier_with_file(world)
    shown = client_for(world.leader).get(_file_url(dossier, item) + "?tai=1")
    assert shown.status_code == 200 and shown.content == b""
    assert shown["X-Accel-Redirect"] == f"/internal-files/{item.file.name}"
    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("attachment;")
    assert "giay to.png" in shown["Content-Disposition"]
    assert "no-store" in shown["Cache-Control"]
    assert shown["X-Content-Type-Options"] == "nosniff"
    # the read is logged exactly as when Django sends the bytes
    assert _file_reads(dossier).count() == 1


def test_behind_nginx_a_refused_reader_gets_no_redirect(
    world: World, settings: Any
) -> None:
    settings.MOTCUA_X_ACCEL_REDIRECT_PREFIX = "/internal-files"
    dossier, item = _dossier_with_file(world)
    anonymous = Client().get(_file_url(dossier, item))
    assert anonymous.status_code in (302, 403) and "X-Accel-Redirect" not in anonymous
    api = reverse("api-dossier-file", args=[dossier.code, item.pk])
    assert "X-Accel-Redirect" not in Client().get(api)
    assert not ReadLog.objects.filter(
        dossier_code=dossier.code, what="file_view"
    ).exists()


def test_behind_nginx_the_api_download_redirects_too(
    world: World, settings: Any
) -> None:
    settings.MOTCUA_X_ACCEL_REDIRECT_PREFIX = "/internal-files"
    dossier, item = _dossier_with_file(world)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(world.leader)}")
    r = client.get(reverse("api-dossier-file", args=[dossier.code, item.pk]))
    assert r.status_code == 200 and r.content == b""
    assert r["X-Accel-Redirect"] == f"/internal-files/{item.file.name}"


def test_a_missing_stored_file_is_404_in_both_modes(
    world: World, settings: Any
) -> None:
    dossier, item = _dossier_with_file(world)
    item.file.storage.delete(item.file.name)
    for prefix in ("", "/internal-files"):
        settings.MOTCUA_X_ACCEL_REDIRECT_PREFIX = prefix
        r = client_for(world.leader).get(_file_url(dossier, item))
        assert r.status_code == 404 and "X-Accel-Redirect" not in r
