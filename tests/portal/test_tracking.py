"""Public tracking (tra cứu hồ sơ) by code and a second factor: the last 4
digits of the applicant's ID number or phone, posted — never in a URL. Unknown
code and wrong factor look the same; junk never makes a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.dossiers import services
from motcua.portal.tracking import NOT_FOUND
from motcua.security.models import AttemptCounter
from tests.dossiers.builders import vn
from tests.slips import scenarios as s

from .helpers import ID_LAST4, PHONE_LAST4, body, check

pytestmark = pytest.mark.django_db


def test_the_form_is_accessible_and_the_code_link_fills_the_code():
    world = s.world_with("2018")
    dossier = s.received(world)
    page = Client().get("/tra-cuu/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<label for="id_code">' in html and '<label for="id_factor">' in html
    assert 'inputmode="numeric"' in html and 'method="post"' in html
    linked = Client().get(f"/tra-cuu/{dossier.code}").content.decode()
    assert f'value="{dossier.code}"' in linked
    assert "Nguyễn Văn An" not in linked and "Bước tiếp theo" not in linked


@pytest.mark.parametrize("factor", [ID_LAST4, PHONE_LAST4])
def test_the_right_factor_shows_status_dates_and_next_step_only(factor: str):
    world = s.world_with("2018")
    dossier = world.processing(s.MON)
    response = check(dossier.code, factor)
    html = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "Đang xử lý",  # status
        "09:00 thứ Hai, 02/06/2025",  # received
        "09:00 thứ Năm, 05/06/2025",  # due
        "Thụ lý, thẩm định",  # the active step
        "N. V. A.",  # initials only
        "Đăng ký thay đổi, cải chính thông tin hộ tịch",
    ):
        assert expected in html, expected
    for personal in ("Nguyễn Văn An", "048090001234", "0905123456"):
        assert personal not in html


def full_width(text: str) -> str:
    """Letters and digits as some phone keyboards type them (Ａ, １)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in text)


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: f" {code.lower()}  ",
        lambda code: f"\t{code}\n",
        lambda code: full_width(code.lower()),
    ],
    ids=["lower", "spaces", "tab-newline", "full-width"],
)
def test_a_code_typed_in_lower_case_or_with_spaces_is_found(typed):
    world = s.world_with("2018")
    dossier = s.received(world)
    response = check(typed(dossier.code), ID_LAST4)
    assert response.status_code == 200
    assert "Bước tiếp theo" in response.content.decode()


def test_the_factor_in_a_link_looks_nothing_up_and_counts_nothing():
    world = s.world_with("2018")
    dossier = s.received(world)
    for path in (f"/tra-cuu/{dossier.code}", "/tra-cuu/"):
        query = {"xac_thuc": ID_LAST4, "code": dossier.code, "factor": ID_LAST4}
        sent_back = Client().get(path, query)
        assert sent_back.status_code == 302 and sent_back["Location"] == path
        assert "no-store" in sent_back["Cache-Control"]
        page = Client().get(path, query, follow=True)
        html = page.content.decode()
        assert "Bước tiếp theo" not in html and "N. V. A." not in html
        assert ID_LAST4 not in html.replace(dossier.code, "")
    assert not AttemptCounter.objects.exists()
    # the link page only shows the form: posting to it is not a look-up
    assert (
        Client().post(f"/tra-cuu/{dossier.code}", {"factor": ID_LAST4}).status_code
        == 405
    )


def test_a_finished_dossier_waits_for_its_hand_over():
    world = s.world_with("2018")
    dossier = world.processing(s.MON)
    with world.at(vn(2025, 6, 3, 10)):
        services.dossier_finish(world.specialist, dossier)
    html = check(dossier.code, ID_LAST4).content.decode()
    assert "Có kết quả, chờ trả" in html and "Chờ trả kết quả" in html
    assert "Trước hạn" in html


def test_wrong_factor_and_unknown_code_give_the_same_answer():
    world = s.world_with("2018")
    dossier = s.received(world)
    unknown_code = dossier.code[:-1] + ("9" if dossier.code[-1] != "9" else "8")
    wrong = check(dossier.code, "9999", address="198.51.100.1")
    unknown = check(unknown_code, ID_LAST4, address="198.51.100.2")
    assert wrong.status_code == unknown.status_code == 404
    assert NOT_FOUND in body(wrong)
    assert body(wrong).replace(dossier.code, "CODE") == body(unknown).replace(
        unknown_code, "CODE"
    )
    assert sorted(wrong.headers) == sorted(unknown.headers)
    assert "Đang xử lý" not in body(wrong) and "Thụ lý" not in body(wrong)


def test_tracking_answers_are_never_stored_nor_indexed():
    world = s.world_with("2018")
    dossier = s.received(world)
    for response in (
        check(dossier.code, ID_LAST4),
        check(dossier.code, "0000"),
        Client().get("/tra-cuu/"),
        Client().get(f"/tra-cuu/{dossier.code}"),
    ):
        assert "no-store" in response["Cache-Control"], response
        assert "private" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"
        assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize(
    ("code", "factor"),
    [
        ("'; DROP TABLE dossiers_dossier; --", "1234"),
        ("' OR '1'='1", "' OR"),
        ("x" * 10_000, "1234"),
        ("hồ-sơ-ü-🙂-中文", "１２３４"),
        ("\x00", "1234"),
        ("000.00.15.H12-250602-0001\x00", "1234"),
        ("", ""),
        ("   ", "12 34"),
        ("ABC", "1" * 5000),
        ("x" * 64, "1234"),
        ("\u00df" * 40, "1234"),  # ß upper-cases to SS: longer than typed
    ],
)
def test_junk_input_is_answered_without_a_500(code: str, factor: str):
    response = check(code, factor)
    assert response.status_code in (400, 404)
    assert "Tra cứu hồ sơ" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/tra-cuu/%27%3B%20DROP",
        "/tra-cuu/" + "9" * 5000,
        "/tra-cuu/h%E1%BB%93-s%C6%A1%F0%9F%99%82",
        "/tra-cuu/%00",
        "/tra-cuu/abc?xac_thuc=%00",
        "/tra-cuu/abc?xac_thuc=" + "1" * 3000,
        "/tra-cuu/qr/%00/",
        "/tra-cuu/qr/" + "1" * 5000 + "/",
        "/tra-cuu/%00?xac_thuc=1234",
        "/tra-cuu/h%E1%BB%93%20s%C6%A1?code=x",
    ],
)
def test_junk_links_are_answered_without_a_500(path: str):
    response = Client().get(path, follow=True)
    assert response.status_code in (200, 400, 404)
