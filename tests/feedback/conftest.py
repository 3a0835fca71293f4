"""Fixtures of the feedback box's tests: a small city (``build_world``), files
as a phone or scanner makes them, the message texts seeded again (a
transactional test elsewhere flushes what migrations filled), media in a
temporary folder."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.dossiers.builders import World, build_world

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def seed_texts() -> None:
    from django.apps import apps

    for app, name in (
        ("notifications", "0002_seed_templates"),
        ("feedback", "0002_message_templates"),
    ):
        importlib.import_module(f"motcua.{app}.migrations.{name}").seed(apps, None)


@pytest.fixture(autouse=True)
def _media_and_texts(request: pytest.FixtureRequest, settings: Any, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_NOTIFY_CHANNELS = "sms,email"
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        seed_texts()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def pdf(name: str = "anh-chup.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fake_pdf(name: str = "hoa-don.pdf") -> SimpleUploadedFile:
    """A text file renamed .pdf and declared as a PDF."""
    return SimpleUploadedFile(name, b"not a pdf at all", content_type="application/pdf")
