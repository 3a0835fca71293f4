"""An agency's transparency page (issue 13 item 4) on a 360 px phone: its
contacts and today's leader on duty, and this month's figures — the same as
the public figures page and Biểu 06 for the same month; printable; axe-core
finds no serious or critical violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from .helpers import check_accessibility, shot

pytestmark = pytest.mark.e2e
PHONE_360 = {"width": 360, "height": 740}


def _figures(page: Page, table: str) -> dict[str, str]:
    """Row label → the first figure cell of ``table`` (this month)."""
    rows = page.locator(f"{table} tbody tr")
    found = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        found[row.locator("th").inner_text().strip()] = (
            row.locator("td").first.inner_text().strip()
        )
    return found


def test_the_transparency_page_agrees_with_the_public_figures(
    new_page: Any, world: Any
) -> None:
    from motcua.agencies.models import Role
    from motcua.agencies.services import agency_public_contacts_set, parse_phone_lines
    from motcua.core import clock
    from motcua.dossiers import services
    from motcua.evaluation.periods import current_month
    from motcua.reports.selectors import ReportQuery, bieu06
    from tests.dossiers.builders import make_user

    admin = make_user("qt-congkhai", world.ward, Role.AGENCY_ADMIN)
    agency_public_contacts_set(
        admin,
        world.ward,
        address="12 Lê Thanh Nghị, Đà Nẵng",
        hotline="0236 3888 999",
        leader_phones=parse_phone_lines("Trần Thị Thu | Chủ tịch | 0905 111 222"),
        desk_phones=[],
    )
    dossier = world.processing(clock.now())
    services.dossier_finish(world.specialist, dossier)
    world.processing(clock.now())  # received, still open

    phone = new_page(viewport=PHONE_360)
    phone.goto(f"/cong-khai/{world.ward.code}/")
    assert "12 Lê Thanh Nghị" in phone.locator("main").inner_text()
    assert phone.locator("#t-leaders").inner_text().startswith("Trần Thị Thu")
    assert phone.locator("#t-duty li").count() >= 1  # today's signing duty
    overflow = phone.evaluate(
        "() => { const m = document.querySelector('main');"
        " return m.scrollWidth - m.clientWidth; }"
    )
    assert overflow <= 0
    serious = check_accessibility(phone, "transparency")
    assert not serious, serious
    shot(phone, "citizen-transparency")
    ours = _figures(phone, "#t-figures-table")
    assert ours["Hồ sơ tiếp nhận"] == "2" and ours["Hồ sơ đã giải quyết"] == "1"

    phone.goto(f"/danh-gia/cong-khai/?co-quan={world.ward.code}")
    public = {
        label: value for label, value in _figures(phone, "table.data-table").items()
    }
    for label in ("Hồ sơ tiếp nhận", "Hồ sơ đã giải quyết", "Trước hạn", "Đúng hạn"):
        assert public[label] == ours[label], label
    month = current_month(clock.today())
    settled = bieu06(ReportQuery(world.ward, month.first, month.last))["totals"][
        "settled"
    ]
    assert ours["Hồ sơ đã giải quyết"] == str(settled["total"])
    assert ours["Trước hạn"] == str(settled["early"])
    assert ours["Đúng hạn"] == str(settled["on_time"])
    assert ours["Quá hạn"] == str(settled["late"])
