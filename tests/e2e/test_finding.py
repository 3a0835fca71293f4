"""Finding dossiers: the work queues with their counts, a barcode scanner
typing a code + Enter in the header search box, and the public tracking page
opened with the last 4 digits of the applicant's ID or the slip's QR link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from motcua.backoffice.access import Desk, roles_in
from motcua.backoffice.queues import queue_counts, visible_queues
from motcua.core import clock
from motcua.dossiers import services
from motcua.portal.qr import qr_path

from .helpers import login, shot, tab_to

pytestmark = pytest.mark.e2e


def fill_the_queues(world) -> dict[str, object]:
    """One dossier in each state the desk watches, made in the past."""
    now = clock.now()
    overdue = world.processing(now - timedelta(days=10))
    on_time = world.processing(now - timedelta(hours=1))
    ready = world.processing(now - timedelta(days=1))
    with world.at(now - timedelta(hours=2)):
        ready = services.dossier_finish(world.specialist, ready, result_summary="Xong")
        waiting = services.dossier_request_supplement(
            world.reception,
            reason="Thiếu giấy chứng sinh",
            items=["Giấy chứng sinh"],
            data=world.input(),
        )
        online = services.dossier_submit_online(None, world.input(channel="online"))
    return {
        "overdue": overdue,
        "on_time": on_time,
        "ready": ready,
        "waiting": waiting,
        "online": online,
    }


def test_the_queues_show_their_counts_and_their_dossiers(world, page):
    made = fill_the_queues(world)
    desk = Desk(
        world.reception, world.ward, [world.ward], roles_in(world.reception, world.ward)
    )
    expected = queue_counts(desk)
    assert expected["qua-han"] >= 1 and expected["cho-tra"] == 1
    assert expected["cho-bo-sung"] == 1 and expected["truc-tuyen"] == 1

    login(page, world.reception)
    for queue in visible_queues(desk):
        count = str(expected[queue.slug])
        expect(page.locator(f"#tile-{queue.slug} .queue-tiles__count")).to_have_text(
            count
        )
        expect(page.locator(f"#nav-queue-{queue.slug} .count")).to_have_text(count)
    for queue in visible_queues(desk):
        page.click(f"#nav-queue-{queue.slug}")
        expect(page.locator("h1 .count")).to_have_text(str(expected[queue.slug]))
        rows = page.locator(".dossier-table tbody a.code")
        expect(rows).to_have_count(expected[queue.slug])
    page.click("#nav-queue-don-vi")
    table = page.locator(".dossier-table")
    expect(table).to_contain_text(made["overdue"].code)
    expect(table).to_contain_text("quá hạn")
    shot(page, "queue")


def test_a_scanned_code_in_the_header_opens_the_dossier(world, page):
    dossier = world.receive(clock.now() - timedelta(hours=1))
    login(page, world.reception)
    page.goto("/can-bo/hang-doi/cho-bo-sung/")  # any other page
    tab_to(page, "global-search")
    page.keyboard.type(dossier.code)  # what a USB scanner does…
    page.keyboard.press("Enter")  # …followed by Enter
    page.wait_for_url(f"**/can-bo/ho-so/{dossier.code}/")
    expect(page.locator("#dossier-code")).to_have_text(dossier.code)


def test_the_applicant_tracks_the_dossier_with_the_last_four_digits(world, new_page):
    dossier = world.processing(clock.now() - timedelta(hours=1))
    page = new_page()  # anonymous: no sign-in
    page.goto(f"/tra-cuu/{dossier.code}")
    expect(page.locator("#id_code")).to_have_value(dossier.code)
    page.fill("#id_factor", "1234")  # last 4 digits of 048090001234
    page.press("#id_factor", "Enter")
    expect(page.locator(".track-status")).to_have_text("Đang xử lý")
    result = page.locator(".track-result")
    expect(result).to_contain_text(dossier.code)
    expect(result).to_contain_text("N. V. A.")
    expect(result).not_to_contain_text("Nguyễn Văn An")  # initials only
    shot(page, "tracking")


def test_the_applicant_scans_the_slips_qr_code_and_sees_the_status(world, new_page):
    dossier = world.processing(clock.now() - timedelta(hours=1))
    page = new_page()  # anonymous, no factor: the slip is the proof
    page.goto(qr_path(dossier))
    expect(page.locator(".track-status")).to_have_text("Đang xử lý")
    expect(page.locator(".track-result")).to_contain_text("N. V. A.")
    page.goto(qr_path(dossier)[:-3] + "xx/")  # a forged link
    expect(page.locator(".track-result")).to_contain_text("Không tìm thấy hồ sơ")
    expect(page.locator(".track-status")).to_have_count(0)
