"""Fixtures of the signing tests: a throwaway CA, a leader's PKCS#12, a world."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from weasyprint import HTML

from tests.dossiers.builders import World, build_world

from .ca import Issued, ThrowawayCA, make_ca


@pytest.fixture(scope="session")
def ca() -> ThrowawayCA:
    return make_ca()


@pytest.fixture(scope="session")
def leader_p12(ca: ThrowawayCA) -> Issued:
    return ca.issue("Trần Thị Bình")


@pytest.fixture(scope="session")
def result_pdf() -> bytes:
    return make_pdf("Quyết định cải chính hộ tịch số 12/QĐ-UBND")


def make_pdf(title: str) -> bytes:
    html = (
        "<html lang='vi'><body><h1>" + title + "</h1>"
        "<p>Ủy ban nhân dân phường Hòa Cường Nam quyết định: cho phép cải chính "
        "thông tin hộ tịch của ông Nguyễn Văn An.</p></body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(db: None) -> World:
    return build_world()
