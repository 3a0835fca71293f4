"""Figures in the browser: every number of Biểu 06 opens the list of dossiers
behind it, and that list is exactly as long as the number; the figures pages
have no critical accessibility violation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.core import clock
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers import services

from .helpers import check_accessibility, login, shot

pytestmark = pytest.mark.e2e


def a_few_weeks_of_work(world) -> None:
    """Settled early and late, in progress, withdrawn, refused at the desk."""
    now = clock.now()
    early = world.processing(now - timedelta(days=12))
    with world.at(now - timedelta(days=11)):
        services.dossier_finish(world.specialist, early)
    late = world.processing(now - timedelta(days=16))
    with world.at(now - timedelta(days=6)):
        services.dossier_finish(world.specialist, late)
    world.processing(now - timedelta(days=3))
    world.processing(now - timedelta(days=1))
    gone = world.processing(now - timedelta(days=9))
    with world.at(now - timedelta(days=8)):
        services.dossier_withdraw(world.reception, gone, reason="Công dân rút")
    with world.at(now - timedelta(days=2)):
        services.dossier_refuse(world.reception, data=world.input(), reason="Sai")


def test_every_bieu06_number_opens_a_list_of_exactly_that_many_dossiers(
    page, live_server, world
):
    a_few_weeks_of_work(world)
    today = clock.now().astimezone(VN_TZ).date()
    start = today - timedelta(days=20)
    login(page, world.leader)
    page.goto(
        f"{live_server.url}/bao-cao/bieu-06/?agency={world.ward.code}"
        f"&from={start.isoformat()}&to={today.isoformat()}&group_by=field"
    )
    shot(page, "bieu06")
    links = page.locator("a[data-cell]")
    cells = [
        (links.nth(i).get_attribute("href"), int(links.nth(i).inner_text()))
        for i in range(links.count())
    ]
    assert cells, "the report shows no number"
    assert sum(value for _, value in cells) > 0
    checked = 0
    for href, value in cells:
        if value == 0 and checked % 3:  # most zeros are alike; sample some
            checked += 1
            continue
        page.goto(f"{live_server.url}{href}")
        count = int(page.locator("strong[data-count]").get_attribute("data-count"))
        rows = page.locator("tr.dossier-row").count()
        assert count == value == rows, href
        checked += 1
    assert checked >= 5


def test_figures_pages_have_no_critical_accessibility_violation(
    page, live_server, world
):
    a_few_weeks_of_work(world)
    today = clock.now().astimezone(VN_TZ).date()
    period = f"from={(today - timedelta(days=20)).isoformat()}&to={today.isoformat()}"
    login(page, world.leader)
    pages = {
        "bieu06": f"/bao-cao/bieu-06/?agency={world.ward.code}&{period}",
        "evaluation-board": f"/danh-gia/?agency={world.ward.code}",
        "evaluation-public": f"/danh-gia/cong-khai/?agency={world.ward.code}",
    }
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status < 400, (name, response)
        check_accessibility(page, name)
        shot(page, name)
