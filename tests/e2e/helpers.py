"""Helpers that make a browser test read like the officer's work: sign in
through the real form, move with the keyboard, keep screenshots, read a slip,
run axe-core in the page."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_REPORT = ARTIFACTS / "axe"
DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def password_of(user: Any) -> str:
    """``build_world`` gives everyone the password ``pw-<username>``."""
    return "pw-" + user.get_username()


def login(page: Page, user: Any, *, keyboard: bool = False) -> None:
    """Sign in through the real allauth form and land on the staff home; people
    who must use two factors (issue 8) type the code their app shows."""
    from motcua.security import twofactor
    from tests.security.helpers import forget_used_codes, totp_code, totp_secret

    secret = totp_secret(user) if twofactor.required_for(user) else ""
    page.goto("/accounts/login/")
    if keyboard:
        tab_to(page, "id_login")
        page.keyboard.type(user.get_username())
        tab_to(page, "id_password")
        page.keyboard.type(password_of(user))
        page.keyboard.press("Enter")
    else:
        page.fill("#id_login", user.get_username())
        page.fill("#id_password", password_of(user))
        page.click("#login-submit")
    if secret:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        code = totp_code(secret)
        forget_used_codes(user, code)
        page.fill("#id_code", code)
        page.click("#mfa-submit")
    page.wait_for_url("**/can-bo/")


def tab_to(page: Page, element_id: str, *, limit: int = 80) -> None:
    """Press Tab until the element with ``element_id`` has the focus, as a
    keyboard user does (fails when it cannot be reached within ``limit``)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == (
            element_id
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} is not reachable with the Tab key")


def shot(page: Page, name: str) -> Path:
    """A full-page screenshot in ``test-artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def status_is(page: Page, text: str) -> None:
    expect(page.locator("#dossier-status")).to_have_text(text)


def open_action(page: Page, action: str) -> None:
    """Open an action's folded form on the dossier page."""
    page.locator(f"#action-{action} > summary").click()


def pdf_text(page: Page, url: str) -> str:
    """Fetch ``url`` with the page's session (cookies) and return the PDF's
    text, all white space removed so a wrapped code still matches."""
    response = page.request.get(url)
    assert response.ok, f"{url}: HTTP {response.status}"
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = "".join(p.extract_text() or "" for p in reader.pages)
    return re.sub(r"\s+", "", text)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_accessibility(page: Page, name: str) -> list[dict[str, Any]]:
    """Run axe-core in the page; keep its violations in
    ``test-artifacts/axe/<name>.json``; fail on a critical one. Returns the
    serious ones so the caller may report them."""
    results = Axe().run(page)
    violations = results.response["violations"]
    AXE_REPORT.mkdir(parents=True, exist_ok=True)
    summary = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:10],
        }
        for v in violations
    ]
    (AXE_REPORT / f"{name}.json").write_text(
        json.dumps({"url": page.url, "violations": summary}, indent=2) + "\n"
    )
    critical = [v for v in summary if v["impact"] == "critical"]
    assert not critical, f"{name}: critical accessibility violations: {critical}"
    return [v for v in summary if v["impact"] == "serious"]
