"""Public tracking (tra cứu hồ sơ) by code and a second factor: the last 4
digits of the applicant's ID number or phone. Unknown code and wrong factor
look the same; failures are limited per code; junk never makes a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.dossiers import services
from motcua.portal.tracking import MAX_FAILURES, NOT_FOUND
from tests.dossiers.builders import vn
from tests.slips import scenarios as s

pytestmark = pytest.mark.django_db
ID_LAST4, PHONE_LAST4 = "1234", "3456"  # 048090001234, 0905123456


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def check(code: str, factor: str, client: Client | None = None):
    return (client or Client()).post("/tra-cuu/", {"code": code, "factor": factor})


def test_the_form_is_accessible_and_the_qr_link_fills_the_code():
    world = s.world_with("2018")
    dossier = s.received(world)
    page = Client().get("/tra-cuu/")
    body = page.content.decode()
    assert page.status_code == 200
    assert '<label for="id_code">' in body and '<label for="id_factor">' in body
    assert 'inputmode="numeric"' in body
    linked = Client().get(f"/tra-cuu/{dossier.code}").content.decode()
    assert f'value="{dossier.code}"' in linked
    assert "Nguyễn Văn An" not in linked


@pytest.mark.parametrize("factor", [ID_LAST4, PHONE_LAST4])
def test_the_right_factor_shows_status_dates_and_next_step_only(factor: str):
    world = s.world_with("2018")
    dossier = world.processing(s.MON)
    response = check(dossier.code, factor)
    body = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "Đang xử lý",  # status
        "09:00 thứ Hai, 02/06/2025",  # received
        "09:00 thứ Năm, 05/06/2025",  # due
        "Thụ lý, thẩm định",  # the active step
        "N. V. A.",  # initials only
        "Đăng ký thay đổi, cải chính thông tin hộ tịch",
    ):
        assert expected in body, expected
    for personal in ("Nguyễn Văn An", "048090001234", "0905123456"):
        assert personal not in body
    assert response["Cache-Control"] == "private, no-store"


def test_the_factor_may_come_in_the_link():
    world = s.world_with("2018")
    dossier = s.received(world)
    ok = Client().get(f"/tra-cuu/{dossier.code}", {"xac_thuc": ID_LAST4})
    assert ok.status_code == 200 and "Bước tiếp theo" in ok.content.decode()
    wrong = Client().get(f"/tra-cuu/{dossier.code}", {"xac_thuc": "0000"})
    assert wrong.status_code == 404 and NOT_FOUND in wrong.content.decode()


def test_a_finished_dossier_waits_for_its_hand_over():
    world = s.world_with("2018")
    dossier = world.processing(s.MON)
    with world.at(vn(2025, 6, 3, 10)):
        services.dossier_finish(world.specialist, dossier)
    body = check(dossier.code, ID_LAST4).content.decode()
    assert "Có kết quả, chờ trả" in body and "Chờ trả kết quả" in body
    assert "Trước hạn" in body


def test_wrong_factor_and_unknown_code_give_the_same_answer():
    world = s.world_with("2018")
    dossier = s.received(world)
    wrong = check(dossier.code, "9999")
    unknown = check(dossier.code[:-1] + "9", ID_LAST4)
    assert wrong.status_code == unknown.status_code == 404
    for response in (wrong, unknown):
        body = response.content.decode()
        assert NOT_FOUND in body
        assert "Đang xử lý" not in body and "Thụ lý" not in body


def test_ten_failures_an_hour_lock_the_code_even_for_the_right_factor():
    world = s.world_with("2018")
    dossier = s.received(world)
    for attempt in range(MAX_FAILURES):
        assert check(dossier.code, f"{attempt:04d}").status_code == 404
    locked = check(dossier.code, ID_LAST4)
    assert locked.status_code == 429
    assert "quá nhiều lần" in locked.content.decode()
    other = s.received(world)  # another code is not affected
    assert check(other.code, ID_LAST4).status_code == 200


def test_unknown_codes_are_limited_too_so_the_limit_reveals_nothing():
    for attempt in range(MAX_FAILURES):
        assert check("000.00.00.XXX-250602-0001", f"{attempt:04d}").status_code == 404
    assert check("000.00.00.XXX-250602-0001", "1234").status_code == 429


@pytest.mark.parametrize(
    ("code", "factor"),
    [
        ("'; DROP TABLE dossiers_dossier; --", "1234"),
        ("' OR '1'='1", "' OR"),
        ("x" * 10_000, "1234"),
        ("hồ-sơ-ü-🙂-中文", "１２３４"),  # full-width digits are not ASCII digits
        ("\x00", "1234"),
        ("000.00.15.H12-250602-0001\x00", "1234"),
        ("", ""),
        ("   ", "12 34"),
        ("ABC", "1" * 5000),
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
    ],
)
def test_junk_links_are_answered_without_a_500(path: str):
    response = Client().get(path)
    assert response.status_code in (200, 400, 404)
