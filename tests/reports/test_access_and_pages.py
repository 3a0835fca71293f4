"""Who may read the figures, bad input as 400 ``{"code","message"}``, and the
page, drill-down lists and .xlsx / PDF that must show the same numbers."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from motcua.agencies.models import Membership, Role
from motcua.dossiers import services as sv
from motcua.reports.layout import COLUMNS

from ..dossiers.builders import World, build_world, make_user, vn

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/bieu06"
PAGE = "/bao-cao/bieu-06/"


@pytest.fixture
def world() -> World:
    w = build_world(value=3, fee=20000)
    dossiers = [w.receive(vn(2026, 2, 26)) for _ in range(3)]  # carried over
    dossiers += [w.receive(vn(2026, 3, 2), channel="postal") for _ in range(3)]
    with w.at(vn(2026, 3, 2)):
        online = sv.dossier_submit_online(None, w.input(channel="online"))
    with w.at(vn(2026, 3, 3)):
        dossiers.append(sv.dossier_receive(w.reception, online))
        sv.dossier_finish(w.leader, dossiers[0])
        sv.dossier_request_payment(w.reception, dossiers[1])
        sv.dossier_withdraw(w.reception, dossiers[3])
    with w.at(vn(2026, 3, 10)):
        sv.dossier_finish(w.leader, dossiers[4])
        sv.dossier_stop(w.leader, dossiers[5], reason="lý do")
    return w


def params(w: World, **extra: str) -> dict:
    return {"agency": w.ward.code, "from": "2026-03-01", "to": "2026-03-31", **extra}


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# ----------------------------------------------------------- permissions
def test_anonymous_gets_401_from_the_api_and_a_login_redirect_from_the_page(world):
    assert api(None).get(URL, params(world)).status_code == 401
    response = Client().get(PAGE, params(world))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_of_another_agency_get_403(world):
    response = api(world.other_reception).get(URL, params(world))
    assert response.status_code == 403
    assert response.json()["code"] == "report.forbidden"
    cell = params(world, cell="received.total")
    other = api(world.other_reception).get(f"{URL}/dossiers", cell)
    assert other.status_code == 403


def test_any_role_in_the_agency_may_read(world):
    for user in (world.reception, world.specialist, world.leader, world.admin):
        assert api(user).get(URL, params(world)).status_code == 200


def test_subtree_needs_every_agency_below_a_monitor_covering_them(world):
    district_staff = world.district_specialist
    district = params(world, agency=world.district.code, subtree="true")
    assert api(district_staff).get(URL, district).status_code == 403
    assert (
        api(district_staff).get(URL, {**district, "subtree": "false"}).status_code
        == 200
    )
    monitor = make_user("giamsat-q")
    Membership.objects.create(
        user=monitor, agency=world.district, role=Role.MONITOR, covers_subtree=True
    )
    body = api(monitor).get(URL, district).json()
    assert body["totals"]["received"]["total"] == 7


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"agency": "999.99.99.ZZZ"}, "report.unknown_agency"),
        ({"agency": ""}, "report.agency_required"),
        ({"from": "2026-02-30"}, "report.invalid_date"),
        ({"to": "31/03/2026"}, "report.invalid_date"),
        ({"from": "2026-04-01"}, "report.invalid_period"),
        ({"from": "2020-01-01"}, "report.period_too_long"),
        ({"group_by": "agency"}, "report.invalid_group_by"),
        ({"subtree": "maybe"}, "report.invalid_subtree"),
        ({"from": "x" * 5000}, "report.invalid_date"),
    ],
)
def test_bad_input_is_400_with_a_vietnamese_message(world, change, code):
    response = api(world.reception).get(URL, {**params(world), **change})
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["message"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"cell": "received.everything"}, "report.invalid_cell"),
        ({"cell": ""}, "report.invalid_cell"),
        ({"cell": "received.total", "key": "NOPE"}, "report.invalid_key"),
        ({"cell": "received.total", "limit": "0"}, "report.invalid_limit"),
        ({"cell": "received.total", "cursor": "abc"}, "report.invalid_cursor"),
    ],
)
def test_bad_drill_down_input_is_400(world, change, code):
    response = api(world.reception).get(f"{URL}/dossiers", {**params(world), **change})
    assert response.status_code == 400 and response.json()["code"] == code


def test_bad_input_on_the_page_is_a_message_not_a_500(world):
    client = Client()
    client.force_login(world.reception)
    response = client.get(PAGE, params(world, to="hôm qua"))
    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode()
    response = client.get(PAGE, params(world, agency=world.other_ward.code))
    assert response.status_code == 403


# ----------------------------------------------------------- drill-down
def test_every_drill_down_count_equals_its_number_through_all_pages(world):
    client = api(world.reception)
    for group_by in ("field", "procedure"):
        body = client.get(URL, params(world, group_by=group_by)).json()
        assert body["totals"]["received"] == {
            "total": 7,
            "carried_over": 3,
            "online": 1,
            "direct_postal": 3,
        }
        assert body["totals"]["in_progress"]["paused"] == 1
        for row in [None, *body["rows"]]:
            figures = body["totals"] if row is None else row
            for column in COLUMNS:
                part, _, name = column.cell.partition(".")
                number = figures[part][name] if name else figures[part]
                seen, cursor = [], None
                while True:
                    query = params(
                        world, group_by=group_by, cell=column.cell, limit="2"
                    )
                    if row is not None:
                        query["key"] = row["key"]
                    if cursor:
                        query["cursor"] = cursor
                    page = client.get(f"{URL}/dossiers", query).json()
                    assert page["count"] == number
                    seen += [d["code"] for d in page["results"]]
                    cursor = page["next"]
                    if not cursor:
                        break
                assert len(seen) == len(set(seen)) == number, column.cell


def _links(html: str) -> list[tuple[str, int]]:
    found = re.findall(r'<a href="([^"]+)" data-cell="[^"]+">(\d+)</a>', html)
    return [(unescape(url), int(n)) for url, n in found]


def test_page_links_every_number_to_a_list_of_that_length_and_xlsx_matches(world):
    client = Client()
    client.force_login(world.leader)
    response = client.get(PAGE, params(world, group_by="procedure"))
    assert response.status_code == 200
    html = response.content.decode()
    links = _links(html)
    assert len(links) == 2 * len(COLUMNS)  # one row + the totals
    for url, number in links:
        listing = client.get(url)
        assert listing.status_code == 200
        text = listing.content.decode()
        assert f'data-count="{number}"' in text
        assert text.count('class="dossier-row"') == number
    xlsx = client.get("/bao-cao/bieu-06/xlsx", params(world, group_by="procedure"))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header_row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "(1)")
    assert [sheet.cell(header_row, 3 + i).value for i in range(len(COLUMNS))] == [
        f"({c.number})" for c in COLUMNS
    ]
    page_numbers = [n for _, n in links]
    sheet_numbers = [
        sheet.cell(header_row + r, 3 + i).value
        for r in (1, 2)
        for i in range(len(COLUMNS))
    ]
    assert sheet_numbers == page_numbers
    assert sheet.cell(header_row + 2, 2).value == "Tổng cộng"
    first = parse_qs(urlsplit(links[0][0]).query)
    assert first["cell"] == ["received.total"] and first["key"] == [
        world.procedure.code
    ]


def test_pdf_is_a4_landscape(world):
    client = Client()
    client.force_login(world.leader)
    response = client.get("/bao-cao/bieu-06/pdf", params(world))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    page = pypdf.PdfReader(io.BytesIO(response.content)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, points
    text = page.extract_text()
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT" in text and "Tổng cộng" in text


def test_the_page_shows_the_form_without_a_report_first(world):
    client = Client()
    client.force_login(world.reception)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert world.ward.code in response.content.decode()
    assert date.today().year > 2000
