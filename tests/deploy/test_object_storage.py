"""Uploaded files in S3-compatible object storage (issue 15, ADR 0030), against
a real local S3 server (``moto_server``, tests/deploy/s3.py): an upload lands in
the private bucket and nowhere else; a reader already checked gets the bytes
streamed by Django, or a redirect to a URL signed for a few seconds that names
no personal data; a refused reader gets neither; backup and restore carry the
objects."""

from __future__ import annotations

import io
import tarfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from motcua.config.settings import s3_storage
from tests.backoffice.conftest import client_for
from tests.deploy.s3 import LocalS3
from tests.deploy.test_protected_files import (
    PNG,
    _dossier_with_file,
    _file_reads,
    _file_url,
)
from tests.dossiers.builders import World, build_world
from tests.privacy.test_backup_restore import Site
from tests.security.helpers import issue_token

pytestmark = pytest.mark.django_db


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _fetch(url: str) -> tuple[int, Message, bytes]:
    """GET ``url`` as a browser following the redirect would (no cookies)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.fixture(scope="module")
def s3() -> Iterator[LocalS3]:
    server = LocalS3()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def bucket(s3: LocalS3, settings: Any, tmp_path: Path) -> str:
    name = s3.new_bucket()
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3.env(name))}
    # set as in deploy/motcua.env.example: nginx has no folder to send from
    settings.MOTCUA_X_ACCEL_REDIRECT_PREFIX = "/internal-files"
    settings.MOTCUA_S3_SIGNED_URL_SECONDS = 0
    return name


@pytest.fixture
def world(bucket: str) -> World:
    return build_world()


def test_an_upload_lands_in_the_bucket_only_and_django_streams_it(
    world: World, s3: LocalS3, bucket: str, settings: Any
) -> None:
    dossier, item = _dossier_with_file(world)
    assert item.file.name.startswith(f"dossiers/{dossier.agency_id}/{dossier.pk}/")
    assert item.file.name.endswith(".png") and "giay" not in item.file.name
    assert s3.keys(bucket) == [f"media/{item.file.name}"]
    assert s3.body(bucket, f"media/{item.file.name}") == PNG
    assert not Path(settings.MEDIA_ROOT).exists()

    shown = client_for(world.leader).get(_file_url(dossier, item) + "?tai=1")
    assert shown.status_code == 200 and "X-Accel-Redirect" not in shown
    assert b"".join(shown.streaming_content) == PNG
    assert shown["Content-Type"] == "image/png"
    assert "giay to.png" in shown["Content-Disposition"]
    assert "no-store" in shown["Cache-Control"]
    assert _file_reads(dossier).count() == 1


def test_with_signed_urls_the_reader_is_sent_to_the_bucket_for_a_few_seconds(
    world: World, s3: LocalS3, bucket: str, settings: Any
) -> None:
    settings.MOTCUA_S3_SIGNED_URL_SECONDS = 30
    dossier, item = _dossier_with_file(world)
    shown = client_for(world.leader).get(_file_url(dossier, item) + "?tai=1")
    assert shown.status_code == 302
    location = shown["Location"]
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == s3.url
    assert parts.path == f"/{bucket}/media/{item.file.name}"
    query = parse_qs(parts.query)
    assert query["X-Amz-Expires"] == ["30"]
    # the file's own name (personal data, often) stays out of the URL
    assert "giay" not in location
    assert query["response-content-disposition"][0].startswith("attachment;")
    assert shown["Referrer-Policy"] == "no-referrer"
    assert "no-store" in shown["Cache-Control"]
    assert _file_reads(dossier).count() == 1

    status, headers, body = _fetch(location)
    assert (status, body) == (200, PNG)
    assert headers["Content-Type"] == "image/png"
    assert headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in headers["Cache-Control"]
    # the bucket is private: the same object without the signature is refused
    assert _fetch(f"{s3.url}{parts.path}")[0] == 403


def test_a_file_shown_inside_our_pages_is_streamed_even_with_signed_urls(
    world: World, bucket: str, settings: Any
) -> None:
    """Inline (the dossier page's frame): our Content-Security-Policy lets our
    pages frame our own origin only, so the bytes come from us."""
    settings.MOTCUA_S3_SIGNED_URL_SECONDS = 30
    dossier, item = _dossier_with_file(world)
    shown = client_for(world.leader).get(_file_url(dossier, item))
    assert shown.status_code == 200 and "Location" not in shown
    assert shown["Content-Disposition"].startswith("inline;")
    assert b"".join(shown.streaming_content) == PNG


def test_the_api_download_is_signed_the_same_way(
    world: World, bucket: str, settings: Any
) -> None:
    settings.MOTCUA_S3_SIGNED_URL_SECONDS = 30
    dossier, item = _dossier_with_file(world)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(world.leader)}")
    answer = client.get(reverse("api-dossier-file", args=[dossier.code, item.pk]))
    assert answer.status_code == 302
    assert _fetch(answer["Location"])[2] == PNG


def test_a_refused_reader_gets_no_url_and_no_read_is_logged(
    world: World, bucket: str, settings: Any
) -> None:
    settings.MOTCUA_S3_SIGNED_URL_SECONDS = 30
    dossier, item = _dossier_with_file(world)
    anonymous = Client().get(_file_url(dossier, item))
    assert bucket not in anonymous.get("Location", "")
    api = Client().get(reverse("api-dossier-file", args=[dossier.code, item.pk]))
    assert api.status_code == 401 and bucket not in api.get("Location", "")
    assert _file_reads(dossier).count() == 0


def test_a_missing_object_is_404_streamed_or_signed(
    world: World, s3: LocalS3, bucket: str, settings: Any
) -> None:
    dossier, item = _dossier_with_file(world)
    s3.client().delete_object(Bucket=bucket, Key=f"media/{item.file.name}")
    for seconds in (0, 30):
        settings.MOTCUA_S3_SIGNED_URL_SECONDS = seconds
        answer = client_for(world.leader).get(_file_url(dossier, item))
        assert answer.status_code == 404 and "Location" not in answer


def test_backup_and_restore_carry_the_bucket_objects(
    s3: LocalS3, tmp_path: Path
) -> None:
    """``motcua backup`` and ``restore`` as their own processes, configured by
    the environment only, as on a server."""
    bucket = s3.new_bucket()
    site = Site(f"sqlite:///{tmp_path / 'site.sqlite3'}", tmp_path)
    site.env.update(s3.env(bucket))
    assert site.motcua("migrate", "--no-input").returncode == 0
    put = s3.client().put_object
    scan = b"%PDF-1.7\n% scan\n%%EOF\n"
    put(Bucket=bucket, Key="media/dossiers/7/42/a1b2.pdf", Body=scan)
    put(Bucket=bucket, Key="media/catalog/forms/mau.pdf", Body=b"%PDF-1.7 form")
    put(Bucket=bucket, Key="elsewhere/not-ours.txt", Body=b"another prefix")

    output = tmp_path / "backups" / "s3.bak"
    done = site.motcua("backup", "--output", str(output))
    assert done.returncode == 0, done.stderr[-3000:]
    with tarfile.open(f"{output}.media.tar.gz") as archive:
        names = sorted(m.name for m in archive.getmembers())
        copied = archive.extractfile("media/dossiers/7/42/a1b2.pdf")
        assert copied is not None and copied.read() == scan
    assert names == ["media/catalog/forms/mau.pdf", "media/dossiers/7/42/a1b2.pdf"]

    s3.client().delete_object(Bucket=bucket, Key="media/dossiers/7/42/a1b2.pdf")
    put(Bucket=bucket, Key="media/catalog/forms/mau.pdf", Body=b"changed since")
    put(Bucket=bucket, Key="media/dossiers/7/43/new.pdf", Body=b"added since")
    done = site.motcua("restore", str(output), "--yes")
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]

    assert s3.body(bucket, "media/dossiers/7/42/a1b2.pdf") == scan
    # what is there already is kept (orphans are not lost records)
    assert s3.body(bucket, "media/catalog/forms/mau.pdf") == b"changed since"
    assert s3.body(bucket, "media/dossiers/7/43/new.pdf") == b"added since"
    assert s3.body(bucket, "elsewhere/not-ours.txt") == b"another prefix"


def test_a_restore_refuses_a_name_that_climbs_out_of_the_storage(
    s3: LocalS3, tmp_path: Path
) -> None:
    bucket = s3.new_bucket()
    site = Site(f"sqlite:///{tmp_path / 'site.sqlite3'}", tmp_path)
    site.env.update(s3.env(bucket))
    assert site.motcua("migrate", "--no-input").returncode == 0
    output = tmp_path / "backups" / "bad.bak"
    assert site.motcua("backup", "--output", str(output)).returncode == 0
    with tarfile.open(f"{output}.media.tar.gz", "w:gz") as archive:
        info = tarfile.TarInfo("media/../../escape.txt")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"evil"))
    done = site.motcua("restore", str(output), "--yes")
    assert done.returncode != 0
    assert "không hợp lệ" in done.stdout + done.stderr
    assert s3.keys(bucket) == []
