"""Tin nhắn đã gửi (issue 11): the outbox of the agency's dossiers for its
leaders and administrators — masked recipients, the read log, retry by an
administrator only, and never another agency's messages."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse

from motcua.core import clock
from motcua.notifications.models import Message, State
from motcua.notifications.staff import mask_recipient
from motcua.privacy.models import ReadLog
from tests.dossiers.builders import make_user

from .conftest import client_for

pytestmark = pytest.mark.django_db
PAGE = "/can-bo/tin-nhan/"
_keys = count(1)


def message(
    agency,
    *,
    recipient="0905123456",
    channel="sms",
    state=State.DELIVERED,
    error="",
    dossier=None,
) -> Message:
    now = clock.now()
    return Message.objects.create(
        agency=agency,
        dossier=dossier,
        channel=channel,
        recipient=recipient,
        template_key="received",
        template_version=1,
        idempotency_key=f"test-{next(_keys)}",
        state=state,
        attempts=3 if state == State.FAILED else 1,
        last_error=error,
        next_attempt_at=now,
        give_up_at=now + timedelta(hours=24),
        created_at=now,
    )


def test_masking() -> None:
    assert mask_recipient("0905123456") == "0905***456"
    assert mask_recipient("an.nguyen@example.vn") == "a***@example.vn"
    assert mask_recipient("") == "—"
    assert mask_recipient("12345") == "12***"


def test_leaders_and_admins_see_the_page_others_do_not(world) -> None:
    for user in (world.leader, world.admin):
        r = client_for(user).get(PAGE)
        assert r.status_code == 200
        assert 'id="nav-sent-messages"' in r.content.decode()
    for user in (world.reception, world.specialist):
        r = client_for(user).get(PAGE)
        assert r.status_code == 403
        assert (
            'id="nav-sent-messages"'
            not in client_for(user).get("/can-bo/").content.decode()
        )
    assert client_for(world.reception).get(PAGE).status_code == 403


def test_recipients_are_masked_and_the_read_is_logged(world) -> None:
    dossier = world.receive(clock.now())
    sms = message(world.ward, dossier=dossier)
    mail = message(
        world.ward,
        recipient="an.nguyen@example.vn",
        channel="email",
        state=State.FAILED,
        error="SMTPRecipientsRefused",
    )
    before = ReadLog.objects.count()
    html = client_for(world.leader).get(PAGE).content.decode()
    assert "0905***456" in html and "a***@example.vn" in html
    assert "0905123456" not in html and "an.nguyen@example.vn" not in html
    assert f'id="tin-nhan-{sms.pk}"' in html and f'id="tin-nhan-{mail.pk}"' in html
    assert "Gửi không thành công" in html and "SMTPRecipientsRefused" in html
    assert dossier.code in html
    log = ReadLog.objects.order_by("-id").first()
    assert ReadLog.objects.count() == before + 1
    assert log.user == world.leader and log.agency_id == world.ward.pk
    assert log.what == "queue_list" and log.detail.startswith("tin-nhan")
    assert log.count >= 2
    # a leader sees no retry button
    assert f'id="retry-{mail.pk}"' not in html


def test_filter_by_state(world) -> None:
    ok = message(world.ward)
    failed = message(world.ward, state=State.FAILED)
    html = client_for(world.admin).get(PAGE, {"trang_thai": "failed"}).content.decode()
    assert f'id="tin-nhan-{failed.pk}"' in html
    assert f'id="tin-nhan-{ok.pk}"' not in html


def test_an_admin_retries_a_failed_message(world) -> None:
    failed = message(world.ward, state=State.FAILED, error="HTTP 503")
    delivered = message(world.ward)
    admin = client_for(world.admin)
    assert f'id="retry-{failed.pk}"' in admin.get(PAGE).content.decode()
    url = reverse("backoffice:retry_message", args=[failed.pk])
    r = admin.post(url)
    assert r.status_code == 302 and r["Location"] == PAGE
    failed.refresh_from_db()
    assert failed.state == State.CREATED and failed.next_attempt_at <= clock.now()
    # a delivered message is not sent again
    r = admin.post(reverse("backoffice:retry_message", args=[delivered.pk]))
    assert r.status_code == 302
    delivered.refresh_from_db()
    assert delivered.state == State.DELIVERED
    # GET is refused
    assert admin.get(url).status_code == 405


def test_a_leader_cannot_retry(world) -> None:
    failed = message(world.ward, state=State.FAILED)
    r = client_for(world.leader).post(
        reverse("backoffice:retry_message", args=[failed.pk])
    )
    assert r.status_code == 403
    failed.refresh_from_db()
    assert failed.state == State.FAILED


def test_agencies_never_see_or_retry_each_others_messages(world) -> None:
    mine = message(world.ward, recipient="0905000111")
    theirs = message(world.other_ward, recipient="0912000222", state=State.FAILED)
    other_admin = make_user("qt_other_ward", world.other_ward, "agency_admin")
    html = client_for(world.admin).get(PAGE).content.decode()
    assert f'id="tin-nhan-{mine.pk}"' in html
    assert f'id="tin-nhan-{theirs.pk}"' not in html and "0912***222" not in html
    r = client_for(world.admin).post(
        reverse("backoffice:retry_message", args=[theirs.pk])
    )
    assert r.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == State.FAILED
    other = client_for(other_admin).get(PAGE).content.decode()
    assert f'id="tin-nhan-{theirs.pk}"' in other
    assert f'id="tin-nhan-{mine.pk}"' not in other
    log = ReadLog.objects.filter(user=other_admin).get()
    assert log.agency_id == world.other_ward.pk and log.count == 1
