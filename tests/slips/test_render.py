"""Every slip of both form sets renders from a dossier brought to its state by
the real services, with the right code, names, dates, form number and QR code
(Circular 01/2018/TT-VPCP Art. 9 for a dossier received in June 2025; Circular
03/2025/TT-VPCP Annex I for one received in September 2025)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.portal.qr import qr_path
from motcua.slips.forms import FORM_SETS
from motcua.slips.services import render_slip

from . import scenarios as s
from .pdfs import A5, fonts, page_sizes, qr_codes, text


def at(moment) -> str:
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


pytestmark = pytest.mark.django_db
BASE = "https://motcua.example.vn/"

CASES = [
    (form_set, kind)
    for form_set, spec in FORM_SETS.items()
    for kind in spec.forms
    if kind != "register"
]


def render(dossier: Dossier, kind: str) -> tuple[bytes, str]:
    pdf = render_slip(dossier, kind, base_url=BASE)
    return pdf, text(pdf)


def expected_extra(kind: str, form_set: str) -> list[str]:
    """What only that slip says (DOMAIN.md §4 key fields)."""
    week = s.WEEKS[form_set]
    due = at(week.at(3))
    apology = {
        "2018": [
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            f"Thời hạn trả kết quả giải quyết hồ sơ: {due}",
        ],
        "2025": [
            "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
            f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {due}",
            "số định danh cá nhân/tổ chức: 048090001234",
        ],
    }[form_set]
    return {
        "receipt": [
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "Tờ khai đăng ký thay đổi, cải chính hộ tịch",
            "Bản sao chứng thực",
            "03 ngày làm việc",
            "Số thứ tự: 1",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
        ],
        "supplement": [
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            *s.SUPPLEMENT_ITEMS,
            s.SUPPLEMENT_REASON,
            "0236 3888 999",
            "NGƯỜI HƯỚNG DẪN",
        ],
        "refusal": [
            "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            s.REFUSAL_REASON,
        ],
        "apology": [
            *apology,
            at(week.at(8, 17)),
            s.APOLOGY_REASON,
            "THỦ TRƯỞNG CƠ QUAN",
        ],
        "stop": ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", s.STOP_REASON],
        "control": [
            "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            "Tiếp nhận hồ sơ",
            "Thụ lý, thẩm định",
            "Phê duyệt, ký",
            "Trả kết quả",
        ],
    }[kind]


@pytest.mark.parametrize(("form_set", "kind"), CASES)
def test_every_slip_of_both_sets_renders_with_its_fields(form_set: str, kind: str):
    world = s.world_with(form_set)
    week = s.WEEKS[form_set]
    dossier = s.SCENARIOS[kind](world)
    pdf, content = render(dossier, kind)
    number = FORM_SETS[form_set].forms[kind].number
    for expected in [
        f"Mẫu số {number}",
        dossier.code,
        "Nguyễn Văn An",
        "Đăng ký thay đổi, cải chính thông tin hộ tịch",
        "UBND QUẬN HẢI CHÂU",
        "UBND PHƯỜNG HÒA CƯỜNG NAM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"{week.first:%d/%m/%Y}",  # received
        *expected_extra(kind, form_set),
    ]:
        assert expected in content, (expected, content)
    if not (form_set == "2025" and kind == "apology"):  # that one prints the day
        assert at(week.first) in content  # received at
    due = at(week.at(8, 17)) if kind == "apology" else at(week.at(3))
    assert due in content  # the due date
    assert page_sizes(pdf) == {A5}
    used = fonts(pdf)
    assert used and all(used.values()), used
    # the QR code carries the signed link that opens the tracking page, no factor
    assert qr_codes(pdf) == [f"https://motcua.example.vn{qr_path(dossier)}"]
    tracked = Client().get(urlsplit(qr_codes(pdf)[0]).path)
    assert tracked.status_code == 200
    assert dossier.code in tracked.content.decode()
    assert "N. V. A." in tracked.content.decode()


def test_the_2025_set_names_the_centre_and_circular_03_and_no_2018_text():
    world = s.world_with("2025")
    content = render(s.received(world), "receipt")[1]
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in content
    assert "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP" in content
    assert "01/2018/TT-VPCP" not in content and "61/2018" not in content
    assert "Số định danh cá nhân/tổ chức: 048090001234" in content
    assert "Trường hợp ủy quyền" in content
    assert "(Chữ ký số, nếu là biểu mẫu điện tử)" in content
    world_2018 = s.world_with("2018")
    content_2018 = render(s.received(world_2018), "receipt")[1]
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in content_2018
    assert "Thông tư số 01/2018/TT-VPCP" in content_2018


def test_control_sheet_shows_each_steps_timing_against_its_budget():
    world = s.world_with("2018")
    dossier = s.returned(world)
    content = " ".join(render(dossier, "control")[1].split())
    # The table's header repeats on a new page when the table breaks there; it
    # names the three results, so it is not part of any row.
    content = content.replace("(Trước hạn / Đúng hạn / Quá hạn)", "")
    rows = [
        ("Tiếp nhận hồ sơ", "Đúng hạn"),
        ("Thụ lý, thẩm định", "Trước hạn"),
        ("Phê duyệt, ký", "Quá hạn"),
        # No budget of its own: no timing (never measured against the dossier's).
        ("Trả kết quả", ""),
    ]
    positions = [content.index(name) for name, _ in rows]
    assert positions == sorted(positions)
    for (name, timing), start, end in zip(
        rows, positions, [*positions[1:], len(content)], strict=True
    ):
        row = content[start:end]
        if timing:
            assert timing in row, (name, row)
        else:
            assert not any(t in row for t in ("Trước hạn", "Đúng hạn", "Quá hạn"))
    assert "1. Giao: Người nộp hồ sơ – Nguyễn Văn An" in content
    assert f"Nhận: UBND phường Hòa Cường Nam – {world.specialist.username}" in content


def test_refusal_at_the_desk_says_not_received_and_has_no_receipt():
    world = s.world_with("2018")
    dossier = s.refusal_at_desk(world)
    content = render(dossier, "refusal")[1]
    assert "từ chối tiếp nhận hồ sơ này" in content
    assert s.REFUSAL_REASON in content
    assert "Ngày nộp hồ sơ: 09:00 ngày 02/06/2025" in content
    for kind in ("receipt", "control"):
        with pytest.raises(DomainError) as error:
            render_slip(dossier, kind, base_url=BASE)
        assert error.value.code == "slip.not_applicable"


@pytest.mark.parametrize("kind", ["supplement", "refusal", "apology", "stop"])
def test_a_slip_for_a_state_never_reached_is_not_applicable(kind: str):
    world = s.world_with("2025")
    dossier = s.received(world)
    with pytest.raises(DomainError) as error:
        render_slip(dossier, kind, base_url=BASE)
    assert error.value.code == "slip.not_applicable"
    assert "Hồ sơ" in error.value.message


def test_the_2018_set_has_no_stop_notice_and_unknown_kinds_are_refused():
    world = s.world_with("2018")
    dossier = s.stop(world)
    with pytest.raises(DomainError) as error:
        render_slip(dossier, "stop", base_url=BASE)
    assert error.value.code == "slip.not_applicable"
    assert "Bộ mẫu 2018" in error.value.message
    with pytest.raises(DomainError) as unknown:
        render_slip(dossier, "register", base_url=BASE)
    assert unknown.value.code == "slip.unknown_kind"


def test_personal_text_is_printed_as_text_not_markup():
    world = s.world_with("2018")
    dossier = world.processing(s.MON)
    from motcua.dossiers import services

    with world.at(s.vn(2025, 6, 3, 10)):
        dossier = services.dossier_refuse(
            world.specialist,
            dossier,
            reason='<img src="file:///etc/passwd"> & <b>x</b>',
        )
    content = render(dossier, "refusal")[1]
    assert '<img src="file:///etc/passwd"> & <b>x</b>' in content
