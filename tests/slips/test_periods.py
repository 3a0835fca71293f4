"""The same procedure received on 30/06/2025, on 01/07/2025 and on 16/09/2025:
each dossier's slips follow the law in force on its own reception day, for life
(ADR 0014; LAW-2025.md): the 2018 frame, then Decree 118/2025/NĐ-CP with the 2018
forms, then the forms of Circular 03/2025/TT-VPCP."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest
from django.test import Client

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.slips.services import (
    applicable_kinds,
    render_register_pdf,
    render_register_xlsx,
    render_slip,
)
from motcua.slips.xlsx import HEADER_ROW

from . import scenarios as s
from .pdfs import text

pytestmark = pytest.mark.django_db
BASE = "https://motcua.example.vn/"

ON_30_06 = s.Week(datetime(2025, 6, 30, 9, tzinfo=VN_TZ))
ON_01_07 = s.Week(datetime(2025, 7, 1, 9, tzinfo=VN_TZ))
ON_16_09 = s.Week(datetime(2025, 9, 16, 9, tzinfo=VN_TZ))


def slip(dossier: Dossier, kind: str) -> str:
    return text(render_slip(dossier, kind, base_url=BASE))


def test_received_on_30_06_2025_keeps_the_2018_rules_for_life():
    world = s.world_with(week=ON_30_06)
    supplement = s.supplement(world)  # asked on 01/07: still the 2018 rules
    receipt = slip(supplement, "receipt")
    assert "Mẫu số 01 (Ban hành kèm theo Thông tư số 01/2018/TT-VPCP)" in receipt
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in receipt
    asked = slip(supplement, "supplement")
    assert "Mẫu số 02" in asked
    assert (
        "Thời hạn giải quyết được tính lại từ khi nhận đủ hồ sơ đã bổ sung, hoàn "
        "thiện (Điều 19 Nghị định số 61/2018/NĐ-CP)."
    ) in asked
    apology = slip(s.apology(s.world_with(week=ON_30_06)), "apology")
    assert "Mẫu số 04" in apology
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology
    stopped = s.stop(s.world_with(week=ON_30_06))
    assert applicable_kinds(stopped) == ["receipt", "control"]  # no form 05 in 2018
    assert "Mẫu số 05" in slip(stopped, "control")
    with pytest.raises(DomainError) as error:
        render_slip(stopped, "stop", base_url=BASE)
    assert error.value.code == "slip.not_applicable"


def test_received_on_01_07_2025_follows_decree_118_with_the_2018_forms():
    world = s.world_with(week=ON_01_07)
    supplement = s.supplement(world)
    receipt = slip(supplement, "receipt")
    assert "Mẫu số 01 (Ban hành kèm theo Thông tư số 01/2018/TT-VPCP)" in receipt
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in receipt
    asked = slip(supplement, "supplement")
    assert (
        "Thời hạn giải quyết được tính lại từ khi nhận đủ hồ sơ đã bổ sung, hoàn thiện."
    ) in asked
    apology = slip(s.apology(s.world_with(week=ON_01_07)), "apology")
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology
    stopped = s.stop(s.world_with(week=ON_01_07))
    assert applicable_kinds(stopped) == ["receipt", "control"]
    for content in (receipt, asked, apology, slip(stopped, "control")):
        assert "61/2018" not in content
        assert "Bộ phận Tiếp nhận và Trả kết quả".upper() not in content


def test_received_on_16_09_2025_uses_the_forms_of_circular_03():
    world = s.world_with(week=ON_16_09)
    supplement = s.supplement(world)
    basis = (
        "(Ban hành kèm theo Thông tư số 03/2025/TT-VPCP ngày 15 tháng 9 năm 2025 "
        "của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ)"
    )
    receipt = slip(supplement, "receipt")
    assert f"Mẫu số 01 {basis}" in receipt
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt
    assert "Số định danh cá nhân/tổ chức: 048090001234" in receipt
    asked = slip(supplement, "supplement")
    assert "Mẫu số 02" in asked and "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in asked
    refused = slip(s.refusal(s.world_with(week=ON_16_09)), "refusal")
    assert (
        "Mẫu số 03" in refused and "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in refused
    )
    apology = slip(s.apology(s.world_with(week=ON_16_09)), "apology")
    assert "Mẫu số 04" in apology
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in apology
    stopped = s.stop(s.world_with(week=ON_16_09))
    assert applicable_kinds(stopped) == ["receipt", "stop", "control"]
    notice = slip(stopped, "stop")
    assert "Mẫu số 05" in notice and "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in notice
    assert (
        "Căn cứ Điều 21 Nghị định số 118/2025/NĐ-CP; Điều 7 Thông tư số 03/2025/TT-VPCP"
    ) in notice
    control = slip(stopped, "control")
    assert "Mẫu số 06" in control
    for content in (receipt, asked, refused, apology, notice, control):
        assert basis in content
        assert "61/2018" not in content and "01/2018" not in content


@pytest.mark.parametrize("week", [ON_30_06, ON_01_07, ON_16_09])
def test_a_reprint_years_later_is_the_same_text(week: s.Week):
    world = s.world_with(week=week)
    dossier = s.apology(world)
    kinds = applicable_kinds(dossier)
    with clock.frozen_at(week.at(1, 10)):
        first = {kind: slip(dossier, kind) for kind in kinds}
    with clock.frozen_at(datetime(2026, 12, 1, 10, tzinfo=VN_TZ)):
        again = {kind: slip(dossier, kind) for kind in kinds}
    assert again == first


def test_the_register_of_september_2025_is_form_07_with_the_delivery_method():
    world = s.world_with("2025")
    dossier = s.returned(world)
    online = world.receive(
        s.SEPTEMBER.at(1),
        channel="online",
        applicant=services.ApplicantInput(
            name="Trần Thị Bình", phone="0912000111", address="5 Lê Lợi"
        ),
    )
    september = (date(2025, 9, 1), date(2025, 9, 30))
    content = text(render_register_pdf(world.ward, *september, base_url=BASE))
    assert "Mẫu số 07" in content and "SỔ THEO DÕI HỒ SƠ" in content
    assert "Phương thức nhận kết quả" in content
    assert "Chuyển hồ sơ đến cơ quan giải quyết" not in content
    assert dossier.code in content and online.code in content
    sheet = openpyxl.load_workbook(
        io.BytesIO(render_register_xlsx(world.ward, *september))
    ).active
    assert "(Mẫu số 07)" in sheet.cell(2, 1).value
    header = [c.value for c in sheet[HEADER_ROW + 1]]
    assert "Phương thức nhận kết quả" in header
    delivery = header.index("Phương thức nhận kết quả")
    rows = {
        row[1].value: row[delivery].value
        for row in sheet.iter_rows(min_row=HEADER_ROW + 2)
        if row[0].value is not None
    }
    assert rows[online.code] == "Trực tuyến, trên Cổng dịch vụ công"
    assert rows[dossier.code]  # at the desk, or as returned


def test_the_site_footer_cites_no_decree_of_its_own():
    """A page is about no dossier in particular: its footer points to the texts
    in force on each dossier's reception day and cites no decree (the slips do)."""
    page = Client().get("/tra-cuu/").content.decode()
    assert "áp dụng vào ngày tiếp nhận của từng hồ sơ" in page
    assert "61/2018" not in page


def test_no_agency_setting_chooses_the_forms():
    """The per-agency form set is gone (agencies 0006): the dossier's day decides."""
    world = s.world_with("2018")
    assert not hasattr(world.ward, "form_set")
    stopped = s.stop(world)  # received 02/06/2025
    assert applicable_kinds(stopped) == ["receipt", "control"]
    assert "Thông tư số 01/2018/TT-VPCP" in slip(stopped, "receipt")
