"""Work queues: counts in one query, filters, due-date order, keyset pages and
the remaining working time as a badge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.backoffice.access import Desk, roles_in
from motcua.backoffice.queues import queue_counts, queue_page
from motcua.backoffice.timeleft import remaining, span_text
from motcua.core import clock
from motcua.deadlines.services import calendar_for
from motcua.dossiers import services, timing

from ..dossiers.builders import vn
from .conftest import client_for

pytestmark = pytest.mark.django_db


def desk(world, user):
    return Desk(user, world.ward, [world.ward], roles_in(user, world.ward))


def test_all_queue_counts_come_from_one_query(world):
    now = clock.now()
    late = world.processing(vn(2025, 6, 2))  # long overdue, assigned to specialist
    fresh = world.receive(now)
    with world.at(now):
        services.dossier_request_supplement(
            world.reception, reason="Thiếu", data=world.input()
        )
    d = desk(world, world.leader)
    with CaptureQueriesContext(connection) as queries:
        counts = queue_counts(d)
    assert len(queries) <= 3  # the aggregate (+ calendar cache fingerprint)
    assert counts["qua-han"] == 1
    assert counts["don-vi"] == 2
    assert counts["cho-bo-sung"] == 1
    assert counts["cho-duyet"] == 0
    mine = queue_counts(desk(world, world.specialist))
    assert mine["cua-toi"] == 1 and "cho-duyet" not in mine
    assert late.code != fresh.code


def test_the_queue_pages_when_longer_than_a_page(world, monkeypatch):
    original = queue_page

    def small(desk, slug, params, *, limit=25):
        return original(desk, slug, params, limit=2)

    monkeypatch.setattr("motcua.backoffice.views.queues.queue_page", small)
    for day in (2, 3, 4, 5, 6):
        world.receive(vn(2025, 6, day))
    client = client_for(world.specialist)
    url = reverse("backoffice:queue", args=["don-vi"])
    first = client.get(url)
    assert len(first.context["rows"]) == 2 and first.context["next_query"]
    second = client.get(f"{url}?{first.context['next_query']}")
    codes1 = [d.code for d, _ in first.context["rows"]]
    codes2 = [d.code for d, _ in second.context["rows"]]
    assert not set(codes1) & set(codes2)
    due1 = [d.due_at for d, _ in first.context["rows"]]
    assert due1 == sorted(due1) and max(due1) <= min(
        d.due_at for d, _ in second.context["rows"]
    )


def test_filters_and_a_bad_filter_give_a_message_not_a_500(world):
    world.receive(vn(2025, 6, 2))
    client = client_for(world.specialist)
    url = reverse("backoffice:queue", args=["don-vi"])
    assert len(client.get(url, {"channel": "online"}).context["rows"]) == 0
    assert len(client.get(url, {"q": "nguyen van"}).context["rows"]) == 1
    bad = client.get(url, {"ordering": "nonsense"})
    assert bad.status_code == 400
    assert "Thứ tự không hợp lệ" in bad.content.decode()


def test_a_queue_the_role_does_not_see_is_404(world):
    client = client_for(world.specialist)
    assert (
        client.get(reverse("backoffice:queue", args=["cho-duyet"])).status_code == 404
    )
    assert client.get(reverse("backoffice:queue", args=["khong-co"])).status_code == 404


def test_remaining_time_reads_in_working_days_and_hours(world):
    calendar = calendar_for(world.ward)
    monday = vn(2025, 6, 2, 8)
    badge = remaining(calendar, monday, vn(2025, 6, 4, 11), timing.WITHIN)
    assert badge.text == "còn 2 ngày 3 giờ" and badge.tone == "ok"
    soon = remaining(calendar, monday, vn(2025, 6, 2, 15), timing.DUE_SOON)
    assert soon.tone == "soon"
    # Past the due moment but still on the due day: not overdue (one rule,
    # motcua.dossiers.timing), the badge says it is due today.
    today = remaining(calendar, vn(2025, 6, 2, 13), vn(2025, 6, 2, 8), timing.WITHIN)
    assert today.text == "đến hạn hôm nay" and today.tone == "soon"
    late = remaining(calendar, vn(2025, 6, 3, 13), vn(2025, 6, 2, 8), timing.OVERDUE)
    assert late.text.startswith("quá hạn") and late.tone == "late"
    assert span_text(timedelta(minutes=45)) == "45 phút"


def test_queue_rows_show_the_badge_with_words_not_only_colour(world):
    world.receive(vn(2025, 6, 2))
    page = client_for(world.specialist).get(
        reverse("backoffice:queue", args=["qua-han"])
    )
    assert 'class="badge badge--late">quá hạn' in page.content.decode()
