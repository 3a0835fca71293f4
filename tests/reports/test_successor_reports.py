"""Biểu 06 for a successor (issue 10, item 4; ADR 0013): two wards merged into
one on 01/07/2025. For periods after the merger the successor's report includes
its predecessors' dossiers (the moved open ones too); for periods before, each
former ward is its own section, named as it was, with the dossiers later moved
from it. Every number equals a brute-force count (``brute.py``) over the
dossiers the test itself files under each ward. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from motcua.agencies.models import Agency, Role
from motcua.agencies.services import agency_create, agency_rename
from motcua.dossiers import services as sv
from motcua.dossiers.models import Dossier
from motcua.reports.layout import COLUMNS

from ..dossiers.builders import World, build_world, make_user, vn
from . import brute

pytestmark = pytest.mark.django_db

MERGER = date(2025, 7, 1)
JUNE = (date(2025, 6, 1), date(2025, 6, 30))
JULY = (date(2025, 7, 1), date(2025, 7, 31))
AUGUST = (date(2025, 8, 1), date(2025, 8, 31))
BOTH = (date(2025, 6, 1), date(2025, 7, 31))
CELLS = [c.cell for c in COLUMNS]


class Story:
    """The merger world: which dossier each ward (or the successor) received."""

    def __init__(self, *, staged: bool = False) -> None:
        self.world: World = build_world()
        w = self.world
        self.successor = agency_create(
            code=f"{w.ward.code[:-3]}HC1",
            name="UBND phường Hòa Cường",
            level=Agency.Level.WARD,
            parent=w.city,
        )
        self.boss = make_user(f"gs{w.ward.pk}")
        self.boss.is_superuser = True
        self.boss.save()
        self.filed: dict[str, list[Dossier]] = {"A": [], "B": [], "S": []}
        self._before_merger()
        if staged:  # the second ward a month later
            self._merge(w.ward, on=MERGER)
            self._after_merger()
            self._merge(w.other_ward, on=date(2025, 8, 1))
        else:
            self._merge(w.ward, w.other_ward, on=MERGER)
            self._after_merger()

    def _merge(self, *formers: Agency, on: date) -> None:
        with self.world.at(vn(on.year, on.month, on.day, 8, 30)):
            call_command(
                "merge_agencies",
                *(a.code for a in formers),
                "--into",
                self.successor.code,
                "--on",
                on.isoformat(),
            )

    def _before_merger(self) -> None:
        w = self.world
        a, b = self.filed["A"], self.filed["B"]
        # A: one from May still open (carried over, moved), one settled in June
        # (stays), one working and one paused at the merger (moved)
        a.append(w.processing(vn(2025, 5, 26)))
        settled = w.processing(vn(2025, 6, 2))
        with w.at(vn(2025, 6, 4, 10)):
            a.append(sv.dossier_finish(w.specialist, settled))
        a.append(w.processing(vn(2025, 6, 16)))
        paused = w.processing(vn(2025, 6, 16))
        with w.at(vn(2025, 6, 17, 10)):
            a.append(
                sv.dossier_request_supplement(w.specialist, paused, reason="Thiếu")
            )
        # B: one received (moved, still open), one withdrawn in June (stays), one
        # submitted online and received only after the merger, at the successor
        b.append(
            w.receive(vn(2025, 6, 16), actor=w.other_reception, agency=w.other_ward)
        )
        gone = w.receive(vn(2025, 6, 10), actor=w.other_reception, agency=w.other_ward)
        with w.at(vn(2025, 6, 12, 10)):
            b.append(sv.dossier_withdraw(w.other_reception, gone, reason="Rút"))
        with w.at(vn(2025, 6, 20)):
            b.append(
                sv.dossier_submit_online(
                    None, w.input(agency=w.other_ward, channel="online")
                )
            )

    def _after_merger(self) -> None:
        w = self.world
        moved = Dossier.objects.get(pk=self.filed["A"][2].pk)
        with w.at(vn(2025, 7, 3, 10)):
            sv.dossier_finish(w.specialist, moved)
        online = Dossier.objects.get(pk=self.filed["B"][2].pk)
        at_b = online.agency_id == w.other_ward.pk  # B not merged yet
        with w.at(vn(2025, 7, 2)):
            sv.dossier_receive(w.other_reception if at_b else w.reception, online)
        self.filed["S"].append(w.receive(vn(2025, 7, 2), agency=self.successor))

    def boss_monitor(self) -> object:
        """A monitor of the city and everything below it (no second factor)."""
        user = make_user(f"tp{self.world.city.pk}", self.world.city, Role.MONITOR)
        user.memberships.update(covers_subtree=True)
        return user

    # -------------------------------------------------------------- reading
    def report(self, agency: Agency, period: tuple[date, date]) -> dict:
        client = APIClient()
        client.force_authenticate(self.boss)
        params = {"agency": agency.code, "from": period[0], "to": period[1]}
        response = client.get("/api/v1/reports/bieu06", params)
        assert response.status_code == 200, response.json()
        return response.json()

    def drill(self, params: dict, cell: str) -> int:
        client = APIClient()
        client.force_authenticate(self.boss)
        response = client.get(
            "/api/v1/reports/bieu06/dossiers", {**params, "cell": cell}
        )
        assert response.status_code == 200, response.json()
        return response.json()["count"]

    def expected(self, who: str, period: tuple[date, date]) -> dict[str, int]:
        """Independent count over the dossiers filed under ``who`` ("A", "B",
        "S" or several letters)."""
        ids = [w.pk for w in (self.world.ward, self.world.other_ward, self.successor)]
        stories = {s["code"]: s for s in brute.stories(ids)}
        mine = [stories[d.code] for k in who for d in self.filed[k]]
        counted = brute.cells(mine, *period)
        return {cell: len(counted.get(cell, ())) for cell in CELLS}


def numbers(figures: dict) -> dict[str, int]:
    out = {}
    for cell in CELLS:
        part, _, name = cell.partition(".")
        out[cell] = figures[part][name] if name else figures[part]
    return out


@pytest.fixture
def story() -> Story:
    return Story()


def test_a_period_across_the_merger_shows_each_former_ward_then_the_successor(story):
    w, s = story.world, story.successor
    report = story.report(s, BOTH)
    sections = [
        (x["agency"]["code"], x["former"], x["from"], x["to"])
        for x in report["sections"]
    ]
    assert sections == [
        (w.ward.code, True, "2025-06-01", "2025-06-30"),
        (w.other_ward.code, True, "2025-06-01", "2025-06-30"),
        (s.code, False, "2025-07-01", "2025-07-31"),
    ]
    by_code = {x["agency"]["code"]: x for x in report["sections"]}
    assert by_code[w.ward.code]["agency"]["name"] == "UBND phường Hòa Cường Nam"
    assert numbers(by_code[w.ward.code]["totals"]) == story.expected("A", JUNE)
    assert numbers(by_code[w.other_ward.code]["totals"]) == story.expected("B", JUNE)
    # after the merger: everything, the moved open dossiers carried over
    after = numbers(by_code[s.code]["totals"])
    assert after == story.expected("ABS", JULY)
    assert after["received.carried_over"] == 4  # a May, two June at A, one at B
    # the whole period: the successor with its predecessors
    assert numbers(report["totals"]) == story.expected("ABS", BOTH)
    assert report["merger"]["predecessors"] == [
        {
            "code": w.ward.code,
            "name": "UBND phường Hòa Cường Nam",
            "merged_on": "2025-07-01",
            "into": s.code,
        },
        {
            "code": w.other_ward.code,
            "name": "UBND phường Hòa Hiệp Bắc",
            "merged_on": "2025-07-01",
            "into": s.code,
        },
    ]


def test_a_period_after_the_merger_shows_only_the_successor(story):
    report = story.report(story.successor, JULY)
    assert report["sections"] == []
    assert numbers(report["totals"]) == story.expected("ABS", JULY)
    assert report["totals"]["in_progress"]["paused"] == 1


def test_a_period_before_the_merger_shows_the_former_wards(story):
    w = story.world
    report = story.report(story.successor, JUNE)
    codes = [x["agency"]["code"] for x in report["sections"]]
    assert codes == [w.ward.code, w.other_ward.code]  # nothing of its own yet
    assert numbers(report["totals"]) == story.expected("AB", JUNE)
    # the former ward's own report: the dossiers moved from it count there
    own = story.report(w.ward, JUNE)
    assert numbers(own["totals"]) == story.expected("A", JUNE)
    assert own["merger"]["merged_into"]["code"] == story.successor.code


def test_a_former_wards_report_stops_the_day_before_its_merger(story):
    w = story.world
    report = story.report(w.ward, BOTH)
    assert report["merger"]["until"] == "2025-06-30"
    assert numbers(report["totals"]) == story.expected("A", JUNE)
    later = story.report(w.ward, JULY)
    assert later["rows"] == [] and later["sections"] == []


def test_every_number_of_every_section_lists_its_dossiers(story):
    s = story.successor
    report = story.report(s, BOTH)
    base = {"agency": s.code, "from": BOTH[0], "to": BOTH[1]}
    for cell, n in numbers(report["totals"]).items():
        assert story.drill(base, cell) == n, cell
    for section in report["sections"]:
        params = {
            "agency": s.code,
            "from": section["from"],
            "to": section["to"],
            "unit": section["agency"]["code"],
        }
        for cell, n in numbers(section["totals"]).items():
            assert story.drill(params, cell) == n, (section["agency"]["code"], cell)
    client = APIClient()
    client.force_authenticate(story.boss)
    bad = client.get(
        "/api/v1/reports/bieu06/dossiers",
        {**base, "unit": story.world.ward.code, "cell": "received.total"},
    )
    assert bad.status_code == 400 and bad.json()["code"] == "report.invalid_unit"


def test_a_rename_after_the_merger_does_not_change_the_former_name(story):
    w = story.world
    with w.at(vn(2025, 8, 1)):
        agency_rename(w.ward, "Phường Hòa Cường Nam (cũ)", on=date(2025, 8, 1))
    report = story.report(story.successor, BOTH)
    assert report["sections"][0]["agency"]["name"] == "UBND phường Hòa Cường Nam"


def test_the_page_and_the_downloads_say_how_former_units_are_shown(story):
    client = Client()
    client.force_login(story.world.leader)  # the ward's leader, now the successor's
    params = {"agency": story.successor.code, "from": BOTH[0], "to": BOTH[1]}
    page = client.get("/bao-cao/bieu-06/", params).content.decode()
    assert "UBND phường Hòa Cường Nam" in page
    assert "Trước ngày sáp nhập" in page
    assert "gồm số liệu của các đơn vị đã sáp nhập" in page
    book = load_workbook(
        io.BytesIO(client.get("/bao-cao/bieu-06/xlsx", params).content)
    )
    text = " ".join(
        str(c.value) for row in book.active.iter_rows() for c in row if c.value
    )
    assert "UBND phường Hòa Hiệp Bắc" in text and "Trước ngày sáp nhập" in text
    pdf = client.get("/bao-cao/bieu-06/pdf", params)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    printed = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "Trước ngày sáp nhập" in printed and "Từ ngày sáp nhập" in printed
    assert "gồm số liệu của các đơn vị đã sáp nhập" in printed


def test_figures_still_equal_their_recomputation(story):
    call_command("recompute_figures", verify=True)


def test_two_merger_dates_cut_the_period_at_each():
    """A on 01/07, B on 01/08: in July B is still its own unit and the
    successor counts A's dossiers with its own."""
    story = Story(staged=True)
    w, s = story.world, story.successor
    whole = (date(2025, 6, 1), date(2025, 8, 31))
    report = story.report(s, whole)
    got = {
        (x["agency"]["code"], x["from"]): numbers(x["totals"])
        for x in report["sections"]
    }
    assert list(got) == [
        (w.ward.code, "2025-06-01"),
        (w.other_ward.code, "2025-06-01"),
        (w.other_ward.code, "2025-07-01"),
        (s.code, "2025-07-01"),
        (s.code, "2025-08-01"),
    ]
    assert got[(w.ward.code, "2025-06-01")] == story.expected("A", JUNE)
    assert got[(w.other_ward.code, "2025-06-01")] == story.expected("B", JUNE)
    assert got[(w.other_ward.code, "2025-07-01")] == story.expected("B", JULY)
    assert got[(s.code, "2025-07-01")] == story.expected("AS", JULY)
    assert got[(s.code, "2025-08-01")] == story.expected("ABS", AUGUST)
    assert numbers(report["totals"]) == story.expected("ABS", whole)
    call_command("recompute_figures", verify=True)


def test_a_district_report_after_30_06_2025_says_districts_are_history(story):
    w = story.world
    client = Client()
    client.force_login(story.boss_monitor())
    note = "Cấp huyện không còn từ ngày 01/07/2025"
    before = {"agency": w.district.code, "from": "2025-06-01", "to": "2025-06-30"}
    assert note not in client.get("/bao-cao/bieu-06/", before).content.decode()
    after = {**before, "to": "2025-07-31"}
    assert note in client.get("/bao-cao/bieu-06/", after).content.decode()
