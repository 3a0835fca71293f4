"""Browser tests: Debian's chromium driven by Playwright (sync API) against
pytest-django's live server.

The data is built with ``build_world()`` plus what the officers' flows need:
names, passwords (``pw-<username>``), a checklist, a leader's signing
certificate issued by a throwaway CA that the system trusts, and today's
signing duty. The live server runs in another thread, where
``clock.frozen_at`` does not reach (it is a ContextVar): the flows run at the
real current time and assert only relative facts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.dossiers.builders import World, build_world

CHROMIUM = os.environ.get("MOTCUA_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
NAMES = {  # (family and middle name, given name), shown as "Lê Thị Hoa"
    "reception": ("Lê Thị", "Hoa"),
    "specialist": ("Phạm Văn", "Minh"),
    "leader": ("Trần Thị", "Bình"),
    "admin": ("Nguyễn Văn", "Quản"),
    "district_specialist": ("Võ Văn", "Tài"),
    "other_reception": ("Đặng Thị", "Lan"),
}
COMPONENTS = [
    ("Tờ khai đăng ký khai sinh", "original"),
    ("Giấy chứng sinh", "original"),
    ("Giấy tờ tùy thân của người đi đăng ký", "shown"),
]


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """No chromium, no browser tests (said, not hidden)."""
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"chromium not found at {CHROMIUM}")
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One chromium for the whole e2e package.

    Package rather than session scope on purpose: a live sync Playwright keeps
    an asyncio loop marked as running in the main thread, which makes Django
    refuse ORM calls (SynchronousOnlyOperation). The browser is stopped when
    the package is done, so the rest of a full run is not affected; while it
    runs, DJANGO_ALLOW_ASYNC_UNSAFE lets the tests build data and read it."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Factory: ``new_page(viewport=...)`` opens a page in a fresh browser
    context (its own cookies: one per officer) on the live server."""
    contexts = []

    def make(viewport: dict[str, int] = DESKTOP) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        # a bound on waiting, not a speed check: a shared 2-core machine under a
        # full test run may take several seconds to sign in (Argon2) and render
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


@dataclass
class Signing:
    p12: Any
    certificate: Any


@pytest.fixture(scope="package")
def throwaway_ca() -> Any:
    from tests.signing.ca import make_ca

    return make_ca("MotCua E2E Root CA")


@pytest.fixture
def world(live_server: Any, settings: Any, tmp_path: Path, throwaway_ca: Any) -> World:
    """A small city ready for the officers: the ward's birth registration
    («Đăng ký khai sinh») with its checklist, named staff with passwords, the
    leader's certificate (and its CA trusted), and today's signing duty."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from motcua.catalog.models import Component
    from motcua.catalog.services import refresh_search_text
    from motcua.core import clock
    from motcua.deadlines.engine import VN_TZ
    from motcua.signing.services import (
        certificate_upload,
        duty_set,
        trusted_root_upload,
    )

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # the tracking page's and the login's rate limits
    built = build_world()
    for role, (last, first) in NAMES.items():
        person = getattr(built, role)
        person.last_name, person.first_name = last, first
        person.save(update_fields=["last_name", "first_name"])
    built.version.name = "Đăng ký khai sinh"
    built.version.save(update_fields=["name"])
    for position, (name, kind) in enumerate(COMPONENTS, start=1):
        Component.objects.create(
            version=built.version, position=position, name=name, kind=kind
        )
    refresh_search_text(built.version)

    root = get_user_model().objects.create_superuser("root-e2e", password="x")
    trusted_root_upload(root, name="CA thử nghiệm", data=throwaway_ca.pem.encode())
    issued = throwaway_ca.issue("Trần Thị Bình")
    certificate_upload(
        built.admin,
        user=built.leader,
        agency=built.ward,
        p12_bytes=issued.p12,
        password=issued.password,
    )
    today = clock.now().astimezone(VN_TZ).date()
    for session in ("morning", "afternoon"):
        duty_set(
            built.leader,
            agency=built.ward,
            date=today,
            session=session,
            leader=built.leader,
        )
    return built


@pytest.fixture(scope="session")
def scan_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small one-page PDF, as a desk scanner makes."""
    return _pdf(tmp_path_factory, "to-khai.pdf", "Tờ khai đăng ký khai sinh")


@pytest.fixture(scope="session")
def result_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _pdf(
        tmp_path_factory, "quyet-dinh.pdf", "Giấy khai sinh — bản chính số 123/2026"
    )


def _pdf(factory: pytest.TempPathFactory, name: str, title: str) -> Path:
    from weasyprint import HTML

    path = factory.mktemp("pdf") / name
    html = f"<html lang='vi'><body><h1>{title}</h1><p>Nguyễn Văn An</p></body></html>"
    path.write_bytes(HTML(string=html).write_pdf())
    return path


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshots() -> None:
    """Screenshots of this run only (the folder is git-ignored)."""
    from .helpers import AXE_REPORT, SCREENSHOTS

    for folder in (SCREENSHOTS, AXE_REPORT):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
