"""The local account: a phone number or an e-mail address proved by a
one-time code sent through the outbox (6 digits, hashed, 10 minutes, 5 tries,
one valid at a time, throttled, never shown to staff and never logged)."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from motcua.citizens import codes
from motcua.citizens.models import Citizen, SignInCode
from motcua.core import clock
from motcua.notifications import worker
from motcua.notifications.models import Message, State
from tests.backoffice.conftest import client_for
from tests.dossiers.builders import build_world

pytestmark = pytest.mark.django_db

# 10:00 in Vietnam on a Monday: no SMS quiet hours
MORNING = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)
EMAIL = "an.nguyen@example.vn"


def _ask(client: Client, address: str = EMAIL, **extra: str):
    return client.post("/cong-dan/dang-nhap/", {"address": address, **extra})


def _code_sent() -> str:
    message = Message.objects.filter(template_key="citizen_code").latest("pk")
    return str(message.variables["code"])


def _enter(client: Client, code: str):
    return client.post("/cong-dan/nhap-ma/", {"code": code})


@pytest.fixture(autouse=True)
def _morning():
    with clock.frozen_at(MORNING):
        yield


def test_a_code_registers_and_signs_in_a_new_citizen():
    client = Client()
    response = _ask(client, full_name="Nguyễn Văn An")
    assert response.status_code == 302
    assert response["Location"] == "/cong-dan/nhap-ma/"
    page = client.get("/cong-dan/nhap-ma/").content.decode()
    assert "a***@example.vn" in page and EMAIL not in page
    response = _enter(client, _code_sent())
    assert response.status_code == 302
    assert response["Location"] == "/cong-dan/ho-so/"
    citizen = Citizen.objects.get()
    assert citizen.verified_by == Citizen.VerifiedBy.EMAIL
    assert citizen.email == EMAIL and citizen.identity_number == ""
    assert citizen.full_name == "Nguyễn Văn An"
    assert client.get("/cong-dan/ho-so/").status_code == 200


def test_the_same_address_signs_in_to_the_same_account():
    for _ in range(2):
        client = Client()
        _ask(client, address="  An.Nguyen@Example.VN ")
        _enter(client, _code_sent())
    assert Citizen.objects.count() == 1


def test_a_phone_number_in_any_usual_form_gets_an_sms():
    client = Client()
    assert _ask(client, address="+84 905.123.456").status_code == 302
    message = Message.objects.get(template_key="citizen_code")
    assert message.channel == "sms" and message.recipient == "0905123456"
    _enter(client, _code_sent())
    assert Citizen.objects.get().phone == "0905123456"


def test_the_code_is_stored_hashed_and_the_message_belongs_to_no_agency():
    _ask(Client())
    code = _code_sent()
    row = SignInCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert EMAIL not in row.address_key
    assert row.message.agency_id is None and row.message.dossier_id is None
    assert re.fullmatch(r"[0-9]{6}", code)


def test_a_wrong_code_is_refused_with_a_clear_message_and_changes_nothing():
    client = Client()
    _ask(client)
    right = _code_sent()
    wrong = "000000" if right != "000000" else "111111"
    response = _enter(client, wrong)
    assert response.status_code == 400
    assert "Mã xác thực không đúng hoặc đã hết hạn" in response.content.decode()
    assert not Citizen.objects.exists()
    assert "_auth_user_id" not in client.session


def test_after_five_wrong_tries_the_code_is_dead():
    client = Client()
    _ask(client)
    right = _code_sent()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        _enter(client, wrong)
    assert _enter(client, right).status_code == 400
    assert not Citizen.objects.exists()


def test_a_code_expires_after_ten_minutes():
    client = Client()
    _ask(client)
    code = _code_sent()
    with clock.frozen_at(MORNING + dt.timedelta(minutes=10, seconds=1)):
        assert _enter(client, code).status_code == 400
    assert not Citizen.objects.exists()


def test_a_code_works_within_its_ten_minutes():
    client = Client()
    _ask(client)
    code = _code_sent()
    with clock.frozen_at(MORNING + dt.timedelta(minutes=9, seconds=59)):
        assert _enter(client, code).status_code == 302


def test_a_new_code_replaces_the_previous_one():
    client = Client()
    _ask(client)
    first = _code_sent()
    _ask(client)
    second = _code_sent()
    if first != second:
        assert _enter(client, first).status_code == 400
    assert _enter(client, second).status_code == 302


def test_a_used_code_cannot_be_used_again():
    client = Client()
    _ask(client)
    code = _code_sent()
    assert _enter(client, code).status_code == 302
    other = Client()
    other.session  # noqa: B018 (a session)
    session = other.session
    session["motcua.citizens.pending"] = {"channel": "email", "value": EMAIL}
    session.save()
    assert _enter(other, code).status_code == 400


def test_sending_is_throttled_per_address():
    for _ in range(3):
        assert _ask(Client()).status_code == 302
    response = _ask(Client())
    assert response.status_code == 429
    assert "Bạn đã thử quá nhiều lần" in response.content.decode()
    assert Message.objects.filter(template_key="citizen_code").count() == 3
    # a minute later the address may ask again
    with clock.frozen_at(MORNING + dt.timedelta(seconds=61)):
        assert _ask(Client()).status_code == 302


def test_sending_is_throttled_per_client_address():
    for n in range(20):
        assert _ask(Client(), address=f"nguoi{n}@example.vn").status_code == 302
    assert _ask(Client(), address="nguoi-khac@example.vn").status_code == 429


def test_checking_is_throttled_per_address_across_codes():
    client = Client()
    _ask(client)
    first = _code_sent()
    for _ in range(5):
        _enter(client, "000000" if first != "000000" else "111111")
    _ask(client)
    second = _code_sent()
    for _ in range(3):
        _enter(client, "000000" if second != "000000" else "111111")
    response = _enter(client, second)  # the 9th check in the hour
    assert response.status_code == 429
    assert not Citizen.objects.exists()


def test_bad_addresses_are_refused_in_vietnamese():
    for typed in ("", "12345", "an@", "0123456789"):
        response = _ask(Client(), address=typed)
        assert response.status_code == 400
    assert not Message.objects.exists()


def test_the_code_page_needs_an_address_first():
    response = Client().get("/cong-dan/nhap-ma/")
    assert response["Location"] == "/cong-dan/dang-nhap/"


@override_settings(MOTCUA_SMS_QUIET_HOURS="21:00-07:00")
def test_a_code_asked_for_at_night_goes_at_once_quiet_hours_are_for_other_sms():
    """SMS quiet hours hold unsolicited messages; a code the citizen asked for
    this minute would expire unread if held (notifications.texts.SECRET)."""
    night = dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)  # 23:00 in Vietnam
    with clock.frozen_at(night):
        assert _ask(Client(), address="0905123456").status_code == 302
        message = Message.objects.get(template_key="citizen_code")
        assert message.channel == "sms" and message.next_attempt_at <= night
        assert worker.quiet_until("sms", night) is not None  # others are held
        claimed = worker.claim(night, 10, dt.timedelta(minutes=5))
    assert [c.message_id for c in claimed] == [message.pk]


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_delivered_code_is_erased_from_the_outbox_once_used():
    client = Client()
    _ask(client)
    assert worker.run_once() == {"delivered": 1}
    (sent,) = mail.outbox
    code = re.search(r"\b([0-9]{6})\b", sent.body).group(1)
    message = Message.objects.get(template_key="citizen_code")
    assert message.state == State.DELIVERED
    assert message.variables == {}  # erased as soon as the gateway took it
    assert _enter(client, code).status_code == 302
    message.refresh_from_db()
    assert message.variables == {}


def test_a_replaced_code_not_yet_sent_is_not_sent_and_is_erased():
    _ask(Client())
    first = Message.objects.get(template_key="citizen_code")
    _ask(Client())
    first.refresh_from_db()
    assert first.state == State.PERMANENT_FAILURE
    assert first.variables == {}


def test_an_expired_code_is_erased_at_the_next_request():
    _ask(Client())
    first = Message.objects.get(template_key="citizen_code")
    with clock.frozen_at(MORNING + dt.timedelta(minutes=11)):
        _ask(Client(), address="khac@example.vn")
    first.refresh_from_db()
    assert first.variables == {}


def test_the_code_is_never_logged(caplog):
    caplog.set_level(logging.DEBUG)
    client = Client()
    _ask(client)
    code = _code_sent()
    _enter(client, code)
    assert code not in caplog.text
    assert EMAIL not in caplog.text


def test_the_sent_messages_page_never_shows_a_code():
    world = build_world()
    client = Client()
    _ask(client)
    code = _code_sent()
    page = client_for(world.leader).get("/can-bo/tin-nhan/")
    assert page.status_code == 200
    assert code not in page.content.decode()
    assert EMAIL not in page.content.decode()


def test_a_local_account_never_takes_over_a_staff_account():
    world = build_world()
    world.reception.email = EMAIL
    world.reception.save()
    client = Client()
    _ask(client)
    _enter(client, _code_sent())
    citizen = Citizen.objects.get()
    assert citizen.user != world.reception
    assert not citizen.user.memberships.exists()


def test_a_local_citizen_who_became_staff_is_refused():
    from motcua.agencies.models import Membership, Role

    client = Client()
    _ask(client)
    _enter(client, _code_sent())
    user = Citizen.objects.get().user
    Membership.objects.create(user=user, agency=build_world().ward, role=Role.RECEPTION)
    again = Client()
    with clock.frozen_at(MORNING + dt.timedelta(minutes=2)):
        _ask(again)
        response = _enter(again, _code_sent())
    assert response.status_code == 403
    assert "_auth_user_id" not in again.session


def test_parse_address_keeps_one_form():
    assert codes.parse_address("0905 123 456").value == "0905123456"
    assert codes.parse_address("84905123456").value == "0905123456"
    assert codes.parse_address("A@B.VN").value == "a@b.vn"
