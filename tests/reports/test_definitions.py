"""Biểu 06's page says what each column counts, under the table (issue 9)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from motcua.reports.layout import COLUMNS
from tests.dossiers.builders import build_world, vn

pytestmark = pytest.mark.django_db


def test_every_column_is_defined_on_the_page():
    w = build_world()
    w.receive(vn(2026, 3, 2))
    client = Client()
    client.force_login(w.leader)
    response = client.get(
        "/bao-cao/bieu-06/",
        {"agency": w.ward.code, "from": "2026-03-01", "to": "2026-03-31"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    legend = html.split('id="bieu06-definitions"', 1)[1].split("</details>", 1)[0]
    defined = [int(n) for n in re.findall(r"<dt>\((\d+)\)</dt>", legend)]
    assert defined == [c.number for c in COLUMNS]
    assert "ngày hẹn trả ban đầu" in legend
    assert "không bao giờ tính là quá hạn" in legend
