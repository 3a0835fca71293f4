"""The plain-Vietnamese timeline of the public tracking page, derived from the
dossier's history: what happened (received with the code and due date, the
supplement asked with exactly what is missing, supplemented, extended with an
apology and the new date, the result early…), what the applicant does next,
and never an officer's name or the applicant's personal data."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from motcua.core.dates import vn_date, vn_time_date
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.portal import timeline
from motcua.portal.qr import qr_path
from motcua.portal.tracking import public_status
from tests.citizens.factories import link_dossier, make_citizen
from tests.dossiers.builders import World, build_world, vn

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2, 9)
OFFICERS = {
    "reception": ("Lê Thị", "Hoa"),
    "specialist": ("Phạm Văn", "Minh"),
    "leader": ("Trần Thị", "Bình"),
}
PERSONAL = ("Nguyễn Văn An", "048090001234", "0905123456")


@pytest.fixture
def world() -> World:
    built = build_world()
    for role, (last, first) in OFFICERS.items():
        person = getattr(built, role)
        person.last_name, person.first_name = last, first
        person.save(update_fields=["last_name", "first_name"])
    return built


def page_text(dossier: Dossier) -> str:
    """The tracking page opened by the slip's QR code, tags stripped."""
    response = Client().get(qr_path(dossier))
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def titles(dossier: Dossier) -> list[str]:
    return [e.title for e in public_status(dossier).timeline]


def _no_one_named(text: str) -> None:
    for last, first in OFFICERS.values():
        assert f"{last} {first}" not in text
        assert first not in text
    for personal in PERSONAL:
        assert personal not in text


def test_a_supplement_then_an_extension_then_an_early_result(world: World):
    dossier = world.processing(MON)
    received_due = dossier.due_at
    with world.at(MON + timedelta(hours=1)):
        dossier = services.dossier_request_supplement(
            world.specialist,
            dossier,
            reason="Bản sao giấy khai sinh bị mờ, không đọc được",
            items=["Bản sao giấy khai sinh", "Giấy xác nhận thông tin cư trú"],
        )
    waiting = page_text(dossier)
    assert "Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ" in waiting
    assert "Bản sao giấy khai sinh bị mờ, không đọc được" in waiting
    assert "Giấy xác nhận thông tin cư trú" in waiting
    assert "Bổ sung đủ các giấy tờ, nội dung còn thiếu" in waiting  # what to do
    with world.at(vn(2025, 6, 3, 9)):
        dossier = services.dossier_resubmit(world.reception, dossier)
    restarted_due = dossier.due_at
    assert restarted_due != received_due
    with world.at(vn(2025, 6, 4, 9)):
        dossier = services.dossier_extend(
            world.leader,
            dossier,
            new_due_at=restarted_due + timedelta(days=4),
            reason="Cần xác minh thêm tại nơi cư trú",
        )
    with world.at(vn(2025, 6, 4, 10)):
        dossier = services.dossier_submit(world.specialist, dossier)
        dossier = services.dossier_approve(world.leader, dossier)
        dossier = services.dossier_finish(world.reception, dossier)
    assert dossier.timing == "early"

    assert titles(dossier) == [
        "Hồ sơ đã được tiếp nhận",
        "Hồ sơ đang được giải quyết",
        "Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ",
        "Hồ sơ đã được bổ sung",
        "Xin lỗi và hẹn lại ngày trả kết quả",
        "Hồ sơ đã được trình lãnh đạo xem xét, phê duyệt",
        "Lãnh đạo đã phê duyệt, ký kết quả",
        "Đã có kết quả giải quyết",
    ]
    text = page_text(dossier)
    for expected in (
        f"Mã hồ sơ: {dossier.code}.",
        f"Hẹn trả kết quả: {vn_time_date(received_due)}.",  # as it was then
        "Thời hạn giải quyết được tính lại từ ngày bổ sung.",
        f"Hẹn trả kết quả: {vn_time_date(restarted_due)}.",
        "Cơ quan xin lỗi ông/bà",
        "Lý do: Cần xác minh thêm tại nơi cư trú",
        f"Ngày hẹn mới: {vn_time_date(restarted_due + timedelta(days=4))}.",
        f"Kết quả có sớm hơn ngày hẹn ({vn_date(restarted_due)}).",
        "Nhận kết quả tại Bộ phận Một cửa",  # what to do now
    ):
        assert expected in text, expected
    _no_one_named(text)


def test_hand_offs_between_officers_show_as_one_line(world: World):
    dossier = world.processing(MON)
    with world.at(MON + timedelta(hours=1)):
        dossier = services.dossier_submit(world.specialist, dossier)
        dossier = services.dossier_send_back(
            world.leader, dossier, reason="Bổ sung căn cứ pháp lý"
        )
    lines = titles(dossier)
    assert lines.count("Hồ sơ đang được giải quyết") == 1
    assert "Bổ sung căn cứ pháp lý" not in page_text(dossier)  # internal


def test_online_submission_then_a_supplement_before_reception(world: World):
    citizen = make_citizen()
    with world.at(MON):
        dossier = services.dossier_submit_online(
            citizen.user, world.input(channel="online")
        )
        link_dossier(citizen, dossier)
    submitted = page_text(dossier)
    assert "Ông/bà đã nộp hồ sơ trực tuyến" in submitted
    assert "Ông/bà chưa cần làm gì. Cán bộ một cửa sẽ kiểm tra hồ sơ" in submitted
    with world.at(MON + timedelta(hours=2)):
        dossier = services.dossier_request_supplement(
            world.reception, dossier, reason="Thiếu giấy chứng sinh"
        )
    status = public_status(dossier)
    assert status.supplement is not None
    assert status.supplement.before_reception
    assert status.supplement.reason == "Thiếu giấy chứng sinh"
    assert status.online_account
    assert "Bổ sung hồ sơ trực tuyến" in page_text(dossier)
    with world.at(MON + timedelta(hours=3)):
        dossier = services.dossier_resubmit(citizen.user, dossier, note="Đã bổ sung")
    assert dossier.status == Status.SUBMITTED
    last = public_status(dossier).timeline[-1]
    assert last.title == "Hồ sơ đã được bổ sung"
    assert last.details == (
        "Hồ sơ được chuyển lại cho bộ phận một cửa để kiểm tra, tiếp nhận.",
    )
    assert "Đã bổ sung" not in " ".join(last.details)  # the note stays private


def test_a_desk_dossier_waiting_for_a_supplement_says_to_bring_it(world: World):
    dossier = world.processing(MON)
    with world.at(MON + timedelta(hours=1)):
        dossier = services.dossier_request_supplement(
            world.specialist, dossier, reason="Thiếu tờ khai"
        )
    text = page_text(dossier)
    assert "mang giấy tờ bổ sung đến Bộ phận Một cửa" in text
    assert "Bổ sung hồ sơ trực tuyến" not in text


def test_a_dossier_refused_at_the_desk_says_why(world: World):
    with world.at(MON):
        dossier = services.dossier_refuse(
            world.reception, data=world.input(), reason="Không thuộc thẩm quyền"
        )
    text = page_text(dossier)
    assert "Hồ sơ không được tiếp nhận" in text
    assert "Lý do: Không thuộc thẩm quyền" in text
    assert "Ông/bà có thể nộp hồ sơ mới" in text


def test_a_late_result_and_its_return_at_the_desk(world: World):
    dossier = world.processing(MON)
    with world.at(vn(2025, 6, 12, 9)):
        dossier = services.dossier_finish(world.specialist, dossier)
        dossier = services.dossier_return_result(world.reception, dossier)
    assert dossier.timing == "late"
    text = page_text(dossier)
    assert "Kết quả có chậm hơn ngày hẹn ban đầu." in text
    assert "Hình thức trả: Tại bộ phận một cửa." in text
    assert "hồ sơ đã hoàn thành" in text
    _no_one_named(text)


def test_every_action_of_the_workflow_is_either_told_or_left_out_on_purpose():
    from motcua.dossiers.workflow import Action

    left_out = {
        Action.SEND_BACK,
        Action.ATTACH_FILE,
        Action.REMIND,
        Action.ANONYMISE,
        Action.SEAL,
    }
    assert set(Action.values) == set(timeline.DESCRIBE) | left_out


def test_a_fee_asked_shows_the_amount_and_the_payment_link(world: World):
    dossier = world.processing(MON)
    with world.at(MON + timedelta(hours=1)):
        dossier = services.dossier_request_payment(
            world.specialist, dossier, amount=50_000
        )
    status = public_status(dossier)
    assert status.fee_due == "50.000 đ"
    text = page_text(dossier)
    assert "Cơ quan đề nghị nộp phí, lệ phí" in text
    assert "Phí, lệ phí cần nộp: 50.000 đ" in text
    html = Client().get(qr_path(dossier)).content.decode()
    assert f'href="/thanh-toan/{status.token}/"' in html
    with world.at(MON + timedelta(hours=2)):
        dossier = services.dossier_record_payment(world.reception, dossier)
    assert public_status(dossier).fee_due == ""
    assert "Đã ghi nhận ông/bà nộp phí, lệ phí" in page_text(dossier)


def test_the_typed_look_up_shows_the_same_timeline(world: World):
    dossier = world.processing(MON)
    response = Client().post(
        "/tra-cuu/",
        {"code": dossier.code, "factor": "1234"},
        REMOTE_ADDR="203.0.113.40",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="timeline"' in html
    assert "Hồ sơ đã được tiếp nhận" in html and "Việc ông/bà cần làm" in html
    wrong = Client().post(
        "/tra-cuu/",
        {"code": dossier.code, "factor": "0000"},
        REMOTE_ADDR="203.0.113.41",
    )
    assert wrong.status_code == 404
    assert 'id="timeline"' not in wrong.content.decode()
