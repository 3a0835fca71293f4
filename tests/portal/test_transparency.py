"""Trang công khai (issue 13 item 4): an agency's public page shows its contacts,
today's leader on duty, this month's and this year's figures — the evaluation
pages' and Biểu 06's own numbers for the same periods — and its procedures;
its administrator edits the published contacts in the back office."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from motcua.agencies.models import Membership, Role
from motcua.agencies.selectors import subtree
from motcua.agencies.services import agency_public_contacts_set, parse_phone_lines
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.evaluation import dashboard
from motcua.evaluation.periods import current_month, year
from motcua.evaluation.services import rating_record
from motcua.reports.selectors import ReportQuery, bieu06
from motcua.signing.models import DutyRota
from tests.dossiers.builders import build_world, make_user, vn
from tests.privacy.test_read_log_page import two_factor_client

pytestmark = pytest.mark.django_db

NOW = vn(2025, 6, 20, 10)


def world_with_history():
    world = build_world()
    early = world.processing(vn(2025, 6, 2))
    with world.at(vn(2025, 6, 3)):
        services.dossier_finish(world.specialist, early)
        rating_record(early, "very_satisfied", source="kiosk")
    late = world.processing(vn(2025, 5, 5))
    with world.at(vn(2025, 6, 16)):
        services.dossier_finish(world.specialist, late)
        rating_record(late, "unsatisfied", source="online")
    world.processing(vn(2025, 6, 18))  # received, still open
    return world


def row(html: str, label: str) -> str:
    start = html.index(f'<th scope="row">{label}</th>')
    return html[start : html.index("</tr>", start)]


def test_the_page_shows_the_same_figures_as_the_evaluation_pages_and_bieu_06():
    world = world_with_history()
    with clock.frozen_at(NOW):
        html = Client().get(f"/cong-khai/{world.ward.code}/").content.decode()
        units = subtree(world.ward).filter(is_active=True)
        for period in (current_month(NOW.date()), year(2025)):
            f = dashboard.figures(units, period)
            report = bieu06(ReportQuery(world.ward, period.first, period.last))
            settled = report["totals"]["settled"]
            assert (f.settled, f.early, f.on_time, f.late) == (
                settled["total"],
                settled["early"],
                settled["on_time"],
                settled["late"],
            )
    month, whole_year = (
        dashboard.figures(units, current_month(NOW.date())),
        dashboard.figures(units, year(2025)),
    )
    # June: two received (2 and 18 June), both settled ones settled in June
    assert (month.received, month.settled, month.early, month.late) == (2, 2, 1, 1)
    assert (whole_year.received, whole_year.settled) == (3, 2)
    assert (month.ratings, month.satisfied) == (2, 1)
    assert "06/2025" in html and "2025" in html
    assert row(html, "Hồ sơ tiếp nhận").count('<td class="num">') == 2
    assert '<td class="num">2</td><td class="num">3</td>' in row(
        html, "Hồ sơ tiếp nhận"
    )
    assert '<td class="num">1</td><td class="num">1</td>' in row(html, "Quá hạn")
    assert "1/2 (50" in row(html, "Hài lòng / phiếu đánh giá")


def test_contacts_duty_and_procedures_are_published():
    world = build_world()
    admin = make_user("qt-ward", world.ward, Role.AGENCY_ADMIN)
    agency_public_contacts_set(
        admin,
        world.ward,
        address="12 Lê Thanh Nghị, Đà Nẵng",
        hotline="0236 3888 999",
        leader_phones=parse_phone_lines("Trần Thị Thu | Chủ tịch | 0905 111 222"),
        desk_phones=parse_phone_lines("Lê Văn Bình | 0905 333 444"),
    )
    DutyRota.objects.create(
        agency=world.ward,
        leader=world.leader,
        date=date(2025, 6, 20),
        session="morning",
        updated_by=admin,
        updated_at=NOW,
    )
    with clock.frozen_at(NOW):
        html = Client().get(f"/cong-khai/{world.ward.code}/").content.decode()
    assert "12 Lê Thanh Nghị, Đà Nẵng" in html
    assert 'href="tel:0236 3888 999"' in html
    assert "Trần Thị Thu, Chủ tịch" in html and "Lê Văn Bình: " in html
    assert "Sáng:" in html  # today's leader on signing duty
    assert world.version.name in html
    assert f"/thu-tuc/{world.procedure.code}/" in html
    assert f"/thu-tuc/co-quan/{world.ward.code}/ma-qr.pdf" in html


def test_an_unknown_or_former_agency_is_a_clear_404():
    assert Client().get("/cong-khai/khong-co/").status_code == 404
    world = build_world()
    world.ward.is_active = False
    world.ward.save()
    answer = Client().get(f"/cong-khai/{world.ward.code}/")
    assert answer.status_code == 404
    assert "Không tìm thấy cơ quan" in answer.content.decode()


def test_only_the_agencys_administrator_edits_and_bad_lines_change_nothing():
    world = build_world()
    admin = make_user("qt-ward2", world.ward, Role.AGENCY_ADMIN)
    other = make_user("qt-other", world.other_ward, Role.AGENCY_ADMIN)
    with pytest.raises(DomainError) as refused:
        agency_public_contacts_set(
            other, world.ward, address="x", hotline="", leader_phones=[], desk_phones=[]
        )
    assert refused.value.status == 403
    client = two_factor_client(admin)  # an administrator signs in with two factors
    page = client.get("/can-bo/thong-tin-cong-khai/")
    assert page.status_code == 200
    bad = client.post(
        "/can-bo/thong-tin-cong-khai/",
        {
            "address": "Địa chỉ mới",
            "hotline": "1022",
            "leader_phones": "Trần Thị Thu | Chủ tịch | không có số",
            "desk_phones": "",
        },
    )
    assert bad.status_code == 400
    assert "Số điện thoại lãnh đạo" in bad.content.decode()
    world.ward.refresh_from_db()
    assert world.ward.address == "" and world.ward.leader_phones == []
    good = client.post(
        "/can-bo/thong-tin-cong-khai/",
        {
            "address": "Địa chỉ mới",
            "hotline": "1022",
            "leader_phones": "Trần Thị Thu | Chủ tịch | 0905 111 222\n\n",
            "desk_phones": "Lê Văn Bình | 0905 333 444",
        },
    )
    assert good.status_code == 302
    world.ward.refresh_from_db()
    assert world.ward.leader_phones == [
        {"name": "Trần Thị Thu", "title": "Chủ tịch", "phone": "0905 111 222"}
    ]
    assert world.ward.desk_phones[0]["title"] == ""
    # a specialist has no such page
    specialist = Client()
    specialist.force_login(world.specialist)
    assert specialist.get("/can-bo/thong-tin-cong-khai/").status_code == 403
    assert Membership.objects.filter(user=admin).exists()


def test_answered_feedback_is_shown_as_published_and_nothing_else():
    from motcua.feedback.services import feedback_answer, feedback_publish
    from tests.feedback.builders import submit

    world = build_world()
    with clock.frozen_at(NOW):
        item = submit(world.ward, content="Chị Lan 0905 123 456 hướng dẫn chưa rõ")
        feedback_answer(world.leader, item, "Đã nhắc nhở cán bộ.")
        feedback_publish(
            world.leader,
            item,
            question="[họ tên] phản ánh cán bộ hướng dẫn chưa rõ.",
            answer="Đã nhắc nhở cán bộ, rút kinh nghiệm.",
        )
        submit(world.ward, content="Chưa trả lời, không công khai")
        html = Client().get(f"/cong-khai/{world.ward.code}/").content.decode()
    assert "[họ tên] phản ánh cán bộ hướng dẫn chưa rõ." in html
    assert "Đã nhắc nhở cán bộ, rút kinh nghiệm." in html
    assert "0905 123 456" not in html and "Chưa trả lời" not in html
    assert item.code not in html
