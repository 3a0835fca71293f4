"""The dossier page and its actions: only what the officer may do, each a POST
with the version shown; a concurrent change is a clear 409, a refused action a
message (never a 500); the extension rules; internal notes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from motcua.backoffice.models import Note
from motcua.core import clock
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers import services
from motcua.dossiers.models import Dossier

from .conftest import activate_totp, client_for

pytestmark = pytest.mark.django_db


def page_url(code):
    return reverse("backoffice:dossier", args=[code])


def action_url(code, action):
    return reverse("backoffice:dossier_action", args=[code, action])


def test_the_page_shows_code_qr_status_steps_history_and_only_allowed_actions(world):
    dossier = world.receive(clock.now())
    html = client_for(world.leader).get(page_url(dossier.code)).content.decode()
    assert dossier.code in html and "<svg" in html
    assert "Đã tiếp nhận" in html and "Thụ lý, thẩm định" in html
    assert 'id="steps-table"' in html and 'id="history-table"' in html
    assert 'id="action-assign"' in html and 'id="action-stop"' in html
    assert 'id="action-return_result"' not in html
    desk_html = client_for(world.reception).get(page_url(dossier.code)).content.decode()
    assert 'id="action-stop"' not in desk_html


def test_the_assignee_list_holds_only_staff_with_the_steps_role(world):
    dossier = world.receive(clock.now())
    page = client_for(world.leader).get(page_url(dossier.code))
    form = next(a["form"] for a in page.context["actions"] if a["action"] == "assign")
    assert list(form.fields["assignee"].queryset) == [world.specialist]


def test_assigning_then_a_stale_form_gets_a_clear_conflict(world):
    dossier = world.receive(clock.now())
    client = client_for(world.leader)
    step = dossier.steps.get(state="active")
    data = {
        "expected_version": dossier.lock_version,
        "assign-step_id": step.pk,
        "assign-assignee": world.specialist.pk,
    }
    first = client.post(action_url(dossier.code, "assign"), data)
    assert first.status_code == 302
    again = client.post(action_url(dossier.code, "assign"), data)
    assert again.status_code == 409
    assert "vừa được người khác cập nhật" in again.content.decode()
    assert Dossier.objects.get().events.count() == 2


def test_a_refused_action_shows_the_message_and_changes_nothing(world):
    dossier = world.processing(clock.now())
    response = client_for(world.leader).post(
        action_url(dossier.code, "send_back"),
        {"expected_version": dossier.lock_version, "send_back-reason": "Sai"},
    )
    assert response.status_code == 409
    assert "chưa được trình lãnh đạo" in response.content.decode()
    assert Dossier.objects.get().lock_version == dossier.lock_version


def test_a_missing_field_is_400_with_the_form_open(world):
    dossier = world.processing(clock.now())
    response = client_for(world.leader).post(
        action_url(dossier.code, "stop"), {"expected_version": dossier.lock_version}
    )
    assert response.status_code == 400
    assert 'id="action-stop" open' in response.content.decode()


def test_the_whole_processing_runs_from_the_page(world):
    dossier = world.processing(clock.now())
    specialist, leader, desk = (
        client_for(world.specialist),
        client_for(world.leader),
        client_for(world.reception),
    )

    def version():
        return Dossier.objects.get().lock_version

    r = specialist.post(
        action_url(dossier.code, "submit"), {"expected_version": version()}
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    r = leader.post(
        action_url(dossier.code, "approve"), {"expected_version": version()}
    )
    assert r.status_code == 302
    r = desk.post(
        action_url(dossier.code, "finish"),
        {"expected_version": version(), "finish-result_summary": "Đã cải chính"},
    )
    assert r.status_code == 302
    assert Dossier.objects.get().status == "result_ready"
    r = desk.post(
        action_url(dossier.code, "return_result"),
        {
            "expected_version": version(),
            "return_result-method": "desk",
            "return_result-is_applicant": "0",
            "return_result-to_name": "Trần Văn Cường",
            "return_result-to_id_number": "048090009999",
            "return_result-id_checked": "on",
        },
    )
    assert r.status_code == 302
    done = Dossier.objects.get()
    assert done.status == "returned" and done.returned_to_name == "Trần Văn Cường"


def test_consulting_another_agency(world):
    dossier = world.processing(clock.now())
    r = client_for(world.specialist).post(
        action_url(dossier.code, "consult"),
        {
            "expected_version": dossier.lock_version,
            "consult-agency": world.district.pk,
            "consult-question": "Xác minh nơi cư trú",
            "consult-working_days": "3",
        },
    )
    assert r.status_code == 302
    html = client_for(world.district_specialist).get(page_url(dossier.code))
    assert "Xác minh nơi cư trú" in html.content.decode()
    assert 'id="action-answer_consult"' in html.content.decode()


def _extend(client, dossier, when, **extra):
    data = {
        "expected_version": Dossier.objects.get().lock_version,
        "extend-new_due_at": when.astimezone(VN_TZ).strftime("%Y-%m-%dT%H:%M"),
        "extend-reason": "Chờ xác minh",
    }
    data.update(extra)
    return client.post(action_url(dossier.code, "extend"), data)


def test_an_extension_is_allowed_once_and_offers_the_apology_slip(world):
    dossier = world.processing(clock.now())
    leader = client_for(world.leader)
    new_due = dossier.due_at + timedelta(days=7)
    assert _extend(leader, dossier, new_due).status_code == 302
    extended = Dossier.objects.get()
    assert extended.extended and extended.original_due_at == dossier.due_at
    second = _extend(leader, dossier, new_due + timedelta(days=1))
    assert second.status_code == 400
    assert "không được hẹn lại lần thứ hai" in second.content.decode()
    # The link names the slip as the forms of the dossier's own day do
    # (Circular 03/2025 for a dossier received from 15/09/2025).
    assert extended.received_at.date() >= date(2025, 9, 16)
    page = leader.get(page_url(dossier.code)).content.decode()
    assert 'id="slip-apology"' in page
    assert "Mẫu số 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" in page


def test_an_extension_less_than_a_day_before_is_refused_unless_an_admin_overrides(
    world,
):
    received = clock.now() - timedelta(days=10)
    dossier = world.processing(received)  # already overdue
    new_due = clock.now() + timedelta(days=7)
    refused = _extend(client_for(world.leader), dossier, new_due)
    assert refused.status_code == 400
    assert "01 ngày làm việc" in refused.content.decode()
    page = client_for(world.leader).get(page_url(dossier.code)).content.decode()
    assert "extend-override" not in page
    activate_totp(world.admin)
    admin = client_for(world.admin)
    assert "extend-override" in admin.get(page_url(dossier.code)).content.decode()
    ok = _extend(admin, dossier, new_due, **{"extend-override": "on"})
    assert ok.status_code == 302
    assert Dossier.objects.get().events.last().payload["override"] is True


def test_an_online_dossier_is_received_from_its_page_and_prints_the_receipt(world):
    with world.at(clock.now()):
        online = services.dossier_submit_online(None, world.input(channel="online"))
    desk = client_for(world.reception)
    queue = desk.get(reverse("backoffice:queue", args=["truc-tuyen"]))
    assert online.code in queue.content.decode()
    version = online.lock_version
    r = desk.post(action_url(online.code, "receive"), {"expected_version": version})
    assert r.status_code == 302 and r["Location"].endswith("?phieu=receipt")
    assert Dossier.objects.get().status == "received"


def test_internal_notes_are_kept_apart_from_the_history(world):
    dossier = world.receive(clock.now())
    client = client_for(world.specialist)
    r = client.post(
        reverse("backoffice:dossier_note", args=[dossier.code]),
        {"text": "Đã gọi xác minh"},
    )
    assert r.status_code == 302
    assert Note.objects.get().author == world.specialist
    assert dossier.events.count() == 1
    assert "Đã gọi xác minh" in client.get(page_url(dossier.code)).content.decode()


def test_files_are_previewed_inline_for_those_who_see_the_dossier(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = world.receive(clock.now())
    client = client_for(world.reception)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    r = client.post(
        reverse("backoffice:dossier_upload", args=[dossier.code]),
        {"files": [SimpleUploadedFile("a.png", png, "image/png")], "kind": "scan"},
    )
    assert r.status_code == 302
    item = dossier.files.get()
    url = reverse("backoffice:dossier_file", args=[dossier.code, item.pk])
    shown = client_for(world.leader).get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(shown.streaming_content) == png
