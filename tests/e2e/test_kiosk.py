"""The citizen's voice in the browser (issue 13): the satisfaction kiosk of a
desk counter at tablet size, tied to the counter and to the officer on duty,
with a vote queued while the server cannot be reached and sent when it can;
the online rating at phone size, whose unhappy answer opens a follow-up that
the leader answers; axe-core finds no serious or critical violation on the
kiosk and rating pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from motcua.agencies.models import Counter
from motcua.core import clock
from motcua.evaluation.models import FollowUp, Rating, RatingQuestion, UnhappyReason
from motcua.evaluation.voice_defaults import install_defaults
from motcua.portal.qr import token_for
from tests.evaluation.world import settle

from .helpers import check_accessibility, login, shot

pytestmark = pytest.mark.e2e
TABLET = {"width": 800, "height": 1280}
PHONE = {"width": 360, "height": 740}
# The kiosk polls every 4 s, retries every 5 s and resets after 6 s: a bound on
# waiting for those timers on a busy machine, not a speed check.
WAIT = 30_000


@pytest.fixture(autouse=True)
def voice_defaults(world):
    """The questions and reasons a migration installs (a live-server test
    flushes the tables between tests)."""
    install_defaults(RatingQuestion, UnhappyReason)


def returned_dossier(world, hours_ago: int = 1):
    now = clock.now()
    return settle(
        world,
        received=now - timedelta(days=2),
        submitted=now - timedelta(days=1, hours=2),
        approved=now - timedelta(days=1),
        finished=now - timedelta(hours=hours_ago + 2),
        returned=now - timedelta(hours=hours_ago),
    )


def no_serious_violation(page, name: str) -> None:
    serious = check_accessibility(page, name)  # fails on a critical one
    assert not serious, f"{name}: serious accessibility violations: {serious}"


def queued(kiosk) -> int:
    return int(kiosk.locator("#kiosk").get_attribute("data-queued") or "0")


def wait_sent(kiosk) -> None:
    expect(kiosk.locator("#kiosk")).to_have_attribute("data-queued", "0", timeout=WAIT)


def test_a_kiosk_vote_is_tied_to_counter_and_officer_and_survives_a_lost_connection(
    new_page, live_server, world
):
    counter = Counter.objects.create(agency=world.ward, number=1, name="Quầy 1")
    dossier = returned_dossier(world)

    # the officer declares being on duty at counter 1 (her desk computer)
    desk = new_page()
    login(desk, world.reception)
    desk.goto(f"{live_server.url}/danh-gia/quay/")
    desk.click(f"#duty-start-{counter.pk}")
    expect(desk.locator("#my-duty")).to_contain_text("Quầy 1")

    # the tablet is set up once with her sign-in, then runs on its own
    kiosk = new_page(viewport=TABLET)
    kiosk.goto(f"{live_server.url}/danh-gia-hai-long/quay/{counter.pk}/")
    expect(kiosk.locator("#kiosk-missing")).to_be_visible()
    login(kiosk, world.reception)
    kiosk.goto(f"{live_server.url}/danh-gia-hai-long/quay/{counter.pk}/cai-dat/")
    kiosk.fill("#kiosk-name", "Máy tính bảng quầy 1")
    kiosk.click("#kiosk-setup-submit")
    # the setup redirects to the kiosk: let it land before the officer leaves
    expect(kiosk).to_have_url(f"{live_server.url}/danh-gia-hai-long/quay/{counter.pk}/")
    kiosk.context.clear_cookies(name="sessionid")  # the officer leaves the tablet
    kiosk.reload()
    expect(kiosk.locator("#kiosk-officer")).to_contain_text("Lê Thị Hoa")
    expect(kiosk.locator("#level-very_satisfied")).to_be_visible()
    shot(kiosk, "kiosk-tablet")
    no_serious_violation(kiosk, "kiosk")

    kiosk.click("#level-very_satisfied")
    expect(kiosk.locator("#kiosk-thanks")).to_be_visible()
    wait_sent(kiosk)
    first = Rating.objects.get()
    assert (first.counter_id, first.officer_id) == (counter.pk, world.reception.pk)
    assert first.source == "kiosk" and first.level == "very_satisfied"

    # the connection is lost: the vote waits in the tablet, then is sent once
    expect(kiosk.locator("#kiosk-form")).to_be_visible(timeout=WAIT)  # reset
    kiosk.context.set_offline(True)
    kiosk.click("#level-satisfied")
    expect(kiosk.locator("#kiosk-queue")).to_contain_text("1 phiếu")
    assert queued(kiosk) == 1 and Rating.objects.count() == 1
    shot(kiosk, "kiosk-offline")
    kiosk.context.set_offline(False)
    wait_sent(kiosk)
    assert Rating.objects.count() == 2
    second = Rating.objects.exclude(pk=first.pk).get()
    assert second.level == "satisfied" and second.officer_id == world.reception.pk

    # the officer invites the kiosk to rate the dossier just returned
    desk.goto(f"{live_server.url}/danh-gia/quay/")
    desk.click(f"#invite-{dossier.pk}")
    expect(kiosk.locator("#kiosk-dossier")).to_be_visible(timeout=WAIT)
    expect(kiosk.locator("#kiosk-dossier-code")).to_have_text(dossier.code)
    kiosk.click("label[for='q-attitude-0']")
    shot(kiosk, "kiosk-dossier")
    no_serious_violation(kiosk, "kiosk-dossier")
    kiosk.click("#level-satisfied")
    wait_sent(kiosk)
    rated = Rating.objects.get(dossier=dossier)
    assert rated.attitude_points == 2 and rated.counter_id == counter.pk
    assert rated.officer_id == world.reception.pk
    expect(kiosk.locator("#kiosk-dossier")).to_be_hidden(timeout=WAIT)


def test_a_kiosk_at_phone_size_keeps_its_big_buttons(new_page, live_server, world):
    counter = Counter.objects.create(agency=world.ward, number=2)
    page = new_page(viewport=PHONE)
    login(page, world.reception)
    page.goto(f"{live_server.url}/danh-gia-hai-long/quay/{counter.pk}/cai-dat/")
    page.click("#kiosk-setup-submit")
    for level in ("very_satisfied", "satisfied", "unsatisfied"):
        box = page.locator(f"#level-{level}").bounding_box()
        assert box and box["width"] >= 300 and box["height"] >= 100, level
    no_serious_violation(page, "kiosk-phone")


def test_an_unhappy_online_rating_opens_a_follow_up_the_leader_answers(
    new_page, live_server, world
):
    dossier = returned_dossier(world)
    phone = new_page(viewport=PHONE)
    phone.goto(f"{live_server.url}/danh-gia-hai-long/ho-so/{token_for(dossier)}/")
    expect(phone.locator("h1")).to_have_text("Đánh giá mức độ hài lòng")
    no_serious_violation(phone, "rating")
    phone.check("#level-unsatisfied")
    phone.click("#rate-submit")
    expect(phone.locator("#error-summary")).to_contain_text("lý do")
    no_serious_violation(phone, "rating-error")
    phone.check("#reason-late")
    phone.fill("#comment", "Hẹn thứ Năm nhưng thứ Sáu mới có kết quả.")
    phone.check("#may-contact")
    shot(phone, "rating-phone")
    phone.click("#rate-submit")
    expect(phone.locator("#rate-done")).to_contain_text("Không hài lòng")
    follow_up = FollowUp.objects.get()
    assert follow_up.rating.dossier_id == dossier.pk and follow_up.may_contact

    leader = new_page()
    login(leader, world.leader)
    leader.goto(f"{live_server.url}/danh-gia/theo-doi/")
    leader.click(f"#followup-{follow_up.pk}")
    expect(leader.locator("#followup-comment")).to_contain_text("thứ Sáu")
    leader.fill("#answer", "Xin lỗi ông/bà vì trả kết quả trễ một ngày.")
    leader.fill("#action-taken", "Nhắc chuyên viên; phân công người dự phòng.")
    leader.click("#followup-submit")
    expect(leader.locator("#followup-answer")).to_contain_text("Trần Thị Bình")
    shot(leader, "followup-answered")
    follow_up.refresh_from_db()
    assert follow_up.answered_by_id == world.leader.pk and follow_up.answered_at
