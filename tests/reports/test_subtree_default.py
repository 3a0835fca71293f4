"""A parent agency's Biểu 06 includes its sub-units unless the officer unticks
the box: the page, the .xlsx and the PDF all show the wards' sum by default."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from motcua.agencies.models import Membership, Role

from ..dossiers.builders import World, build_world, make_user, vn

pytestmark = pytest.mark.django_db
PAGE = "/bao-cao/bieu-06/"
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def world() -> World:
    w = build_world()
    w.receive(vn(2026, 3, 2))
    w.receive(vn(2026, 3, 3))
    w.receive(vn(2026, 3, 4), actor=w.other_reception, agency=w.other_ward)
    return w


@pytest.fixture
def city_monitor(world: World) -> Client:
    user = make_user("giamsat-tp")
    Membership.objects.create(
        user=user, agency=world.city, role=Role.MONITOR, covers_subtree=True
    )
    client = Client()
    client.force_login(user)
    return client


def _page_total(html: str) -> int:
    """The first number of the totals row: dossiers received."""
    totals = html[html.index("Tổng cộng") :]
    return int(re.search(r'data-cell="[^"]+">(\d+)</a>', totals).group(1))


def _xlsx_total(content: bytes) -> int:
    sheet = load_workbook(io.BytesIO(content)).active
    row = next(r for r in range(1, 60) if sheet.cell(r, 2).value == "Tổng cộng")
    return sheet.cell(row, 3).value


def _pdf_text(content: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return " ".join(page.extract_text() for page in pages)


def test_a_city_report_shows_its_wards_sum_by_default(world, city_monitor):
    query = {"agency": world.city.code, **PERIOD}
    page = city_monitor.get(PAGE, query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Gồm số liệu của các đơn vị trực thuộc" in html
    assert re.search(r'name="subtree" value="true" checked', html)
    assert "và các đơn vị trực thuộc" in html
    assert _page_total(html) == 3

    xlsx = city_monitor.get(f"{PAGE}xlsx", query)
    assert xlsx.status_code == 200
    assert _xlsx_total(xlsx.content) == 3

    pdf = city_monitor.get(f"{PAGE}pdf", query)
    assert pdf.status_code == 200
    text = _pdf_text(pdf.content)
    assert "và các đơn vị trực thuộc" in text
    assert re.search(r"Tổng cộng\s+3\b", text), text


def test_unticked_the_city_report_shows_only_the_city_itself(world, city_monitor):
    # The form sends subtree=false, then subtree=true only when the box is ticked.
    query = {"agency": world.city.code, **PERIOD, "subtree": "false"}
    html = city_monitor.get(PAGE, query).content.decode()
    assert not re.search(r'name="subtree" value="true" checked', html)
    assert _page_total(html) == 0
    assert _xlsx_total(city_monitor.get(f"{PAGE}xlsx", query).content) == 0
    text = _pdf_text(city_monitor.get(f"{PAGE}pdf", query).content)
    assert "và các đơn vị trực thuộc" not in text
    assert re.search(r"Tổng cộng\s+0\b", text), text


def test_ticked_after_the_hidden_false_the_box_wins(world, city_monitor):
    query = {"agency": world.city.code, **PERIOD, "subtree": ["false", "true"]}
    assert _page_total(city_monitor.get(PAGE, query).content.decode()) == 3


def test_a_reader_of_the_district_alone_gets_its_own_figures_by_default(world):
    client = Client()
    client.force_login(world.district_specialist)
    response = client.get(PAGE, {"agency": world.district.code, **PERIOD})
    assert response.status_code == 200
    assert _page_total(response.content.decode()) == 0


def test_a_ward_without_sub_units_is_unchanged(world):
    client = Client()
    client.force_login(world.reception)
    response = client.get(PAGE, {"agency": world.ward.code, **PERIOD})
    html = response.content.decode()
    assert _page_total(html) == 2
    assert "và các đơn vị trực thuộc" not in html
