"""The dossier register (Sổ theo dõi hồ sơ): one row per dossier received in the
period, numbered continuously through the calendar year; PDF A4 landscape and
.xlsx with the same rows."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.slips.services import (
    render_register_pdf,
    render_register_xlsx,
    render_slip,
)
from motcua.slips.xlsx import HEADER_ROW
from tests.dossiers.builders import World, vn

from . import scenarios as s
from .pdfs import A4_LANDSCAPE, fonts, page_sizes, text

pytestmark = pytest.mark.django_db
BASE = "http://testserver/"
JUNE = (date(2025, 6, 1), date(2025, 6, 30))


def a_year_of_receptions(world: World) -> list:
    """December 2024 (last year), three in January, two in June 2025, plus
    dossiers that must not appear: another ward's, one refused at the desk."""
    world.receive(vn(2024, 12, 16))
    january = [world.receive(vn(2025, 1, 6 + i)) for i in range(3)]
    june = [
        world.receive(vn(2025, 6, 2, 9), components=s.COMPONENTS),
        world.receive(
            vn(2025, 6, 3, 14),
            applicant=services.ApplicantInput(
                name="Trần Thị Bình", phone="0912000111", address="5 Lê Lợi"
            ),
        ),
    ]
    world.receive(
        vn(2025, 6, 3, 10), actor=world.other_reception, agency=world.other_ward
    )
    with world.at(vn(2025, 6, 4)):
        services.dossier_refuse(
            world.reception, data=world.input(), reason="Sai thẩm quyền"
        )
    return january + june


def test_register_numbering_runs_through_the_year_in_pdf_and_receipt():
    world = s.world_with("2018")
    dossiers = a_year_of_receptions(world)
    pdf = render_register_pdf(world.ward, *JUNE, base_url=BASE)
    content = text(pdf)
    assert page_sizes(pdf) == {A4_LANDSCAPE}
    assert all(fonts(pdf).values())
    assert "SỔ THEO DÕI HỒ SƠ" in content and "Mẫu số 06" in content
    assert "Từ ngày 01/06/2025 đến ngày 30/06/2025" in content
    june = dossiers[3:]
    for dossier in june:
        assert dossier.code in content
    assert dossiers[0].code not in content
    assert "Trần Thị Bình" in content and "5 Lê Lợi, 0912000111" in content
    assert "Tổng số: 2 hồ sơ" in content
    # Entry numbers 4 and 5: three January receptions came before this year.
    assert f"4 {june[0].code}" in content
    assert f"5 {june[1].code}" in content
    receipt = text(render_slip(june[1], "receipt", base_url=BASE))
    assert "Số thứ tự: 5" in receipt and "Số: 5/TNHS" in receipt


def test_register_xlsx_has_one_row_per_dossier_with_continuous_numbers():
    world = s.world_with("2018")
    dossiers = a_year_of_receptions(world)
    data = render_register_xlsx(world.ward, *JUNE, base_url=BASE)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert "(Mẫu số 06)" in sheet.cell(2, 1).value  # June 2025: the 2018 form 06
    header = [c.value for c in sheet[HEADER_ROW + 1]]
    assert header[:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    rows = [
        [c.value for c in row]
        for row in sheet.iter_rows(min_row=HEADER_ROW + 2)
        if row[0].value is not None
    ]
    assert [(r[0], r[1]) for r in rows] == [
        (4, dossiers[3].code),
        (5, dossiers[4].code),
    ]
    first = rows[0]
    assert first[4] == "Nguyễn Văn An"
    assert first[2] == "Đăng ký thay đổi, cải chính thông tin hộ tịch"
    assert first[7].strftime("%d/%m/%Y %H:%M") == "02/06/2025 09:00"  # received
    assert first[8].strftime("%d/%m/%Y %H:%M") == "05/06/2025 09:00"  # due


def test_whole_year_register_numbers_from_one():
    world = s.world_with("2018")
    a_year_of_receptions(world)
    data = render_register_xlsx(world.ward, date(2025, 1, 1), date(2025, 12, 31))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    numbers = [
        row[0].value
        for row in sheet.iter_rows(min_row=HEADER_ROW + 2)
        if row[0].value is not None
    ]
    assert numbers == [1, 2, 3, 4, 5]


def test_empty_period_renders_an_empty_register():
    world = s.world_with("2018")
    content = text(render_register_pdf(world.ward, *JUNE, base_url=BASE))
    assert "Không có hồ sơ tiếp nhận trong khoảng thời gian này" in content


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (date(2025, 6, 30), date(2025, 6, 1), "register.invalid_period"),
        (date(2024, 1, 1), date(2025, 6, 1), "register.period_too_long"),
    ],
)
def test_register_refuses_a_bad_period(start: date, end: date, code: str):
    world = s.world_with("2018")
    with pytest.raises(DomainError) as error:
        render_register_pdf(world.ward, start, end, base_url=BASE)
    assert error.value.code == code
