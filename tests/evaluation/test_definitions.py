"""Each figures page says, next to its numbers, what each number counts
(issue 9: "Define on the page what each number counts")."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.core import clock
from tests.dossiers.builders import vn

from .world import evaluated_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evaluation.urls")]

PAGES = {
    "": ("board-definitions", ["hồ sơ đang quá hạn", "không bao giờ tính là quá hạn",
                               "cột (13) của Biểu 06", "«Tháng này»"]),
    "can-bo/": ("staff-definitions", ["Bước đã xử lý", "ngày hạn của bước",
                                     "không tính đúng hạn hay quá hạn"]),
    "khau-cham/": ("bottlenecks-definitions", ["Quá hạn bước", "ngày hạn của bước"]),
    "cong-khai/": ("public-definitions", ["ngày hẹn trả ban đầu",
                                          "Gia hạn không làm thay đổi",
                                          "không gồm hồ sơ rút"]),
}  # fmt: skip


@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_defines_its_numbers(page):
    with clock.frozen_at(vn(2025, 6, 20, 10)):
        e = evaluated_world()
        client = Client()
        client.force_login(e.world.leader)
        response = client.get(f"/danh-gia/{page}", {"co-quan": e.world.ward.code})
    assert response.status_code == 200
    html = response.content.decode()
    block, phrases = PAGES[page]
    legend = html.split(f'id="{block}"', 1)[1].split("</details>", 1)[0]
    for phrase in phrases:
        assert phrase in legend, phrase
