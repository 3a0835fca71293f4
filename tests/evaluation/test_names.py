"""Staff tables print an officer's name in Vietnamese order: "Trần Thị Thu"."""

from __future__ import annotations

import io

import openpyxl
import pytest

from motcua.core import clock
from tests.dossiers.builders import vn

from .world import evaluated_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evaluation.urls")]


@pytest.fixture
def world():
    with clock.frozen_at(vn(2025, 6, 20, 10)):
        evaluated = evaluated_world()
    specialist = evaluated.world.specialist
    specialist.first_name, specialist.last_name = "Thu", "Trần Thị"
    specialist.save()
    return evaluated


def test_the_staff_performance_table_and_sheet_put_the_family_name_first(client, world):
    client.force_login(world.world.leader)
    code = world.world.ward.code
    with clock.frozen_at(vn(2025, 6, 20, 10)):
        page = client.get("/danh-gia/can-bo/", {"co-quan": code, "ky": "2025-06"})
        sheet = client.get(
            "/danh-gia/phieu-danh-gia-thang.xlsx", {"co-quan": code, "ky": "2025-06"}
        )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Trần Thị Thu" in html and "Thu Trần Thị" not in html
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    cells = {
        str(cell.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value
    }
    assert "Trần Thị Thu" in cells and "Thu Trần Thị" not in cells
