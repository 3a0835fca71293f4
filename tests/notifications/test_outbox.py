"""Messages are written with the event that causes them, and only then."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings

from motcua.dossiers import observers, services
from motcua.dossiers.services import ApplicantInput
from motcua.notifications.models import Message, State
from tests.dossiers.builders import build_world, vn

MON = vn(2025, 6, 2)  # Monday 09:00; 3 working days → due Thursday 05/06

pytestmark = pytest.mark.django_db

APPLICANT = ApplicantInput(
    name="Nguyễn Văn An",
    id_number="048090001234",
    phone="0905123456",
    email="an@example.vn",
)


@pytest.fixture(autouse=True)
def _channels():
    with override_settings(MOTCUA_NOTIFY_CHANNELS="sms,email"):
        yield


def receive(world, when=MON):
    return world.receive(when, applicant=APPLICANT)


def processing(world, when=MON):
    dossier = receive(world, when)
    with world.at(when):
        return services.dossier_assign(world.leader, dossier, assignee=world.specialist)


def messages(dossier, key=None):
    rows = Message.objects.filter(dossier=dossier).order_by("id")
    return list(rows.filter(template_key=key) if key else rows)


def test_reception_writes_one_message_per_channel_with_code_due_date_and_link():
    world = build_world()
    dossier = receive(world)
    sms, email = messages(dossier, "received")
    assert (sms.channel, sms.recipient) == ("sms", "0905123456")
    assert (email.channel, email.recipient) == ("email", "an@example.vn")
    assert sms.state == State.CREATED and sms.next_attempt_at == MON
    assert sms.variables["code"] == dossier.code
    assert sms.variables["due_date"] == "05/06/2025"
    assert sms.variables["tracking_url"].endswith("/tra-cuu/")
    assert sms.idempotency_key == f"dossier:{dossier.pk}:event:1:sms:received"
    assert sms.template_version == 1


def test_only_the_channels_the_applicant_can_be_reached_on():
    world = build_world()
    dossier = world.receive(MON)  # phone only
    assert [m.channel for m in messages(dossier)] == ["sms"]


def test_a_rolled_back_action_writes_no_message():
    world = build_world()
    dossier = processing(world)
    before = Message.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        with world.at(MON + timedelta(hours=1)):
            services.dossier_request_supplement(
                world.specialist, dossier, reason="Thiếu giấy tờ", items=["Tờ khai"]
            )
        assert Message.objects.count() == before + 2  # written with the event…
        raise RuntimeError("the action fails later in its transaction")
    assert Message.objects.count() == before  # …and gone with it


def test_supplement_says_exactly_what_is_missing():
    world = build_world()
    dossier = processing(world)
    with world.at(MON + timedelta(hours=1)):
        services.dossier_request_supplement(
            world.specialist,
            dossier,
            reason="Hồ sơ chưa đủ",
            items=["Tờ khai có chữ ký", "Bản sao giấy khai sinh"],
        )
    (sms, _) = messages(dossier, "supplement_requested")
    assert sms.variables["missing_items"] == (
        "Tờ khai có chữ ký; Bản sao giấy khai sinh"
    )
    assert sms.variables["reason"] == "Hồ sơ chưa đủ"


def test_refusal_gives_the_reason():
    world = build_world()
    dossier = processing(world)
    with world.at(MON + timedelta(hours=2)):
        services.dossier_refuse(
            world.specialist, dossier, reason="Không thuộc thẩm quyền"
        )
    (sms, _) = messages(dossier, "refused")
    assert sms.variables["reason"] == "Không thuộc thẩm quyền"


def finish(world, dossier, when):
    with world.at(when):
        dossier = services.dossier_submit(world.specialist, dossier)
        dossier = services.dossier_approve(world.leader, dossier)
        return services.dossier_finish(world.reception, dossier)


def test_a_result_before_the_due_day_says_it_is_early():
    world = build_world()
    dossier = finish(world, processing(world), vn(2025, 6, 3, 10))  # due 05/06
    assert [m.template_key for m in messages(dossier)][-2:] == [
        "result_ready_early",
        "result_ready_early",
    ]


def test_a_result_on_the_due_day_is_simply_ready():
    world = build_world()
    dossier = finish(world, processing(world), vn(2025, 6, 5, 8))
    assert {m.template_key for m in messages(dossier)} == {"received", "result_ready"}


def test_extension_gives_the_new_date():
    world = build_world()
    dossier = processing(world)
    with world.at(vn(2025, 6, 3, 9)):
        services.dossier_extend(
            world.leader,
            dossier,
            new_due_at=vn(2025, 6, 10, 17),
            reason="Cần xác minh thêm",
        )
    (sms, _) = messages(dossier, "extended")
    assert sms.variables["new_date"] == "10/06/2025"


def test_return_writes_the_last_message_and_no_event_writes_twice():
    world = build_world()
    dossier = finish(world, processing(world), vn(2025, 6, 5, 8))
    with world.at(vn(2025, 6, 5, 10)):
        dossier = services.dossier_return_result(world.reception, dossier)
    keys = [m.idempotency_key for m in messages(dossier)]
    assert len(keys) == len(set(keys)) == 6  # received, result, returned × 2
    # the "returned" text invites to the dossier's own online rating page
    (returned, _) = messages(dossier, "returned")
    assert returned.template_version == 2
    assert "/danh-gia-hai-long/ho-so/" in returned.variables["rating_url"]
    assert returned.variables["rating_url"].startswith("http")


def test_bulk_work_replays_the_past_and_tells_nobody():
    world = build_world()
    with transaction.atomic(), observers.batched():
        dossier = receive(world)
    assert messages(dossier) == []


@pytest.mark.django_db(transaction=True)
def test_messages_exist_for_other_connections_only_after_commit():
    world = build_world()
    with transaction.atomic():
        dossier = receive(world)
        assert len(messages(dossier)) == 2
    assert len(messages(dossier)) == 2


def test_anonymising_the_applicant_forgets_the_recipients_and_sends_nothing_more():
    world = build_world()
    with world.at(MON):
        dossier = services.dossier_refuse(
            world.reception,
            data=world.input(applicant=APPLICANT),
            reason="Không thuộc thẩm quyền",
        )
    assert {m.recipient for m in messages(dossier)} == {"0905123456", "an@example.vn"}
    with world.at(MON + timedelta(days=1)):
        services.dossier_anonymise_applicant(dossier, reason="Hết thời hạn lưu trữ")
    rows = messages(dossier)
    assert {(m.recipient, m.state, str(m.variables)) for m in rows} == {
        ("", State.PERMANENT_FAILURE, "{}")
    }


def test_the_applicants_choice_of_channels_is_followed():
    from dataclasses import replace

    world = build_world()
    chosen = replace(APPLICANT, notify_channels=("email",))
    dossier = world.receive(MON, applicant=chosen)
    assert dossier.applicant.notify_channels == "email"
    assert [m.channel for m in messages(dossier, "received")] == ["email"]


def test_a_channel_without_its_contact_is_refused_at_reception():
    from dataclasses import replace

    from motcua.core.errors import DomainError
    from motcua.dossiers.models import Dossier

    world = build_world()
    no_phone = replace(APPLICANT, phone="", notify_channels=("sms",))
    with pytest.raises(DomainError) as refused:
        world.receive(MON, applicant=no_phone)
    assert refused.value.code == "applicant.notify_without_contact"
    assert not Dossier.objects.exists() and not Message.objects.exists()
    odd = replace(APPLICANT, notify_channels=("fax",))
    with pytest.raises(DomainError) as unknown:
        world.receive(MON, applicant=odd)
    assert unknown.value.code == "applicant.invalid_notify_channel"
