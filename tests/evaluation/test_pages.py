"""Evaluation pages: who may see what, and never a 500 on junk input."""

from __future__ import annotations

import io

import openpyxl
import pytest

from motcua.core import clock
from motcua.evaluation.models import EvaluatorScore
from tests.dossiers.builders import vn
from tests.security.helpers import sign_in_with_mfa

from .world import evaluated_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evaluation.urls")]
STAFF_PAGES = ["circular01", "index766", "staff", "bottlenecks"]
JUNK = ["abc", "2025-13", "2025-Q5", "99999", "1800", "2025-06-31..2025-07-01",
        "2025-07-01..2025-06-01", "2020-01-01..2025-01-01", "' OR 1=1 --",
        "2025-06\x00", "２０２５"]  # fmt: skip


@pytest.fixture
def world():
    with clock.frozen_at(vn(2025, 6, 20, 10)):
        yield evaluated_world()


def get(client, name, **params):
    return client.get(f"/danh-gia/{name}", params)


URL = {"board": "", "circular01": "thong-tu-01/", "index766": "chi-so-766/",
       "staff": "can-bo/", "bottlenecks": "khau-cham/", "public": "cong-khai/",
       "sheet": "phieu-danh-gia-thang.xlsx"}  # fmt: skip


def test_staff_pages_need_a_login(client, world):
    for page in ["board", *STAFF_PAGES, "sheet"]:
        response = get(client, URL[page])
        assert response.status_code == 302, page
        assert "login" in response["Location"]


def test_a_leader_sees_every_page_of_the_ward(client, world):
    client.force_login(world.world.leader)
    code = world.world.ward.code
    with clock.frozen_at(vn(2025, 6, 20, 10)):
        for page, period in [("board", ""), ("circular01", "2025-Q2"),
                             ("index766", "2025-06"), ("staff", "2025-06"),
                             ("bottlenecks", "2025-06")]:  # fmt: skip
            response = get(client, URL[page], **{"co-quan": code, "ky": period})
            assert response.status_code == 200, page
    board = get(client, URL["board"], **{"co-quan": code})
    assert b'data-chart="c-months"' in board.content
    assert b'id="c-months" type="application/json"' in board.content
    assert "Bảng số liệu".encode() in board.content


def test_a_specialist_sees_the_board_but_not_the_staff_pages(client, world):
    client.force_login(world.world.specialist)
    assert get(client, URL["board"]).status_code == 200
    for page in ["circular01", "staff", "bottlenecks", "sheet"]:
        assert get(client, URL[page]).status_code == 403, page


def test_another_agencys_figures_are_not_found(client, world):
    client.force_login(world.world.leader)
    for page in ["board", *STAFF_PAGES, "sheet"]:
        response = get(client, URL[page], **{"co-quan": world.world.other_ward.code})
        assert response.status_code == 404, page
    # a user without any role sees nothing either
    client.force_login(world.world.other_reception)
    assert (
        get(client, URL["board"], **{"co-quan": world.world.ward.code}).status_code
        == 404
    )


def test_junk_periods_are_400_never_500(client, world):
    client.force_login(world.world.leader)
    for page in ["board", *STAFF_PAGES, "sheet", "public"]:
        for junk in JUNK:
            params = {"co-quan": world.world.ward.code, "ky": junk}
            response = get(client, URL[page], **params)
            assert response.status_code in (200, 400), (page, junk)
            if page not in ("board",):
                assert response.status_code == 400, (page, junk)
    # circular 01 wants a quarter or a year, the sheet a month
    bad = get(client, URL["circular01"], **{"ky": "2025-06"})
    assert bad.status_code == 400
    assert get(client, URL["sheet"], **{"ky": "2025-Q2"}).status_code == 400


def test_public_page_needs_no_login_and_shows_no_personal_data(client, world):
    response = get(client, URL["public"])
    assert response.status_code == 200
    code = world.world.ward.code
    response = get(client, URL["public"], **{"co-quan": code, "ky": "2025-06"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nguyễn Văn An" not in text and "048090001234" not in text
    assert "Tháng 06/2025" in text
    assert get(client, URL["public"], **{"co-quan": "nope"}).status_code == 404


def test_monthly_sheet_download(client, world):
    client.force_login(world.world.leader)
    response = get(client, URL["sheet"], **{"ky": "2025-06"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2025-06.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Cán bộ" in book.sheetnames


def test_evaluator_enters_points_on_the_circular01_page(client, world):
    w = world.world
    sign_in_with_mfa(client, w.admin)  # agency admins use two factors
    url = f"/danh-gia/thong-tu-01/?co-quan={w.ward.code}&ky=2025-Q2"
    response = client.post(url, {"indicator": "8", "points": "1.5", "note": "PAKN"})
    assert response.status_code == 302
    score = EvaluatorScore.objects.get()
    assert (score.year, score.quarter, score.indicator) == (2025, 2, 8)
    for junk in [{"indicator": "x", "points": "1"}, {"indicator": "8", "points": "nan"},
                 {"indicator": "1", "points": "1"}, {}]:  # fmt: skip
        assert client.post(url, junk).status_code == 400, junk
    client.force_login(w.leader)
    assert client.post(url, {"indicator": "8", "points": "2"}).status_code == 403
