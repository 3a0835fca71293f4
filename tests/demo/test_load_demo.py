from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from motcua.agencies.models import Agency, Membership, Role
from motcua.agencies.selectors import is_former
from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.demo.services import DEMO_SINCE, MERGER_DAY, demo_start
from motcua.dossiers.history import verify_all
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.workflow import Status
from motcua.law.selectors import law_day
from motcua.slips.forms import slip_law

from ..dossiers.builders import vn

pytestmark = pytest.mark.django_db

HOA_CUONG, HAI_VAN = "000.10.00.H17", "000.11.00.H17"
HOA_CUONG_NAM, HOA_HIEP_BAC = "000.01.01.H17", "000.02.02.H17"
SUCCESSORS = {HOA_CUONG, HAI_VAN}


def test_load_demo_creates_todays_city_once(capsys):
    call_command("load_demo", "--no-dossiers")
    first = capsys.readouterr().out
    memberships = Membership.objects.count()
    call_command("load_demo", "--no-dossiers")
    second = capsys.readouterr().out
    assert Agency.objects.count() == 14
    assert Membership.objects.count() == memberships
    city = Agency.objects.get(code="000.00.00.H17")
    for code in SUCCESSORS:
        ward = Agency.objects.get(code=code)
        assert ward.level == Agency.Level.WARD and ward.parent == city
        assert not is_former(ward, clock.today())
    hoa_cuong = Agency.objects.get(name="UBND phường Hòa Cường")
    formers = set(hoa_cuong.predecessors.values_list("name", flat=True))
    assert {"UBND phường Hòa Cường Nam", "UBND phường Hòa Cường Bắc"} <= formers
    assert set(
        Agency.objects.get(name="UBND phường Hải Vân").predecessors.values_list(
            "name", flat=True
        )
    ) >= {"UBND phường Hòa Hiệp Bắc", "UBND phường Hòa Hiệp Nam"}
    former = Agency.objects.get(code=HOA_CUONG_NAM)
    assert former.merged_on == MERGER_DAY and is_former(former, clock.today())
    # The districts remain as history only.
    assert former.parent is not None and former.parent.level == Agency.Level.DISTRICT
    assert not former.parent.is_active
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "admin / motcua-demo-2026" in first
    assert "Cơ quan mẫu mới tạo: 0" in second
    # The banner lists today's accounts, not the roles kept in former wards.
    assert "vào UBND phường Hòa Cường từ ngày 01/07/2025" in first
    banner = first.split("Tài khoản cán bộ")[1]
    assert banner.count("tiepnhan.") == 2
    assert "tiepnhan.hoacuong " in banner and "lanhdao.haivan " in banner
    assert "Hòa Cường Nam" not in banner
    assert "Sáp nhập" not in second  # recorded once


def test_the_team_of_a_former_ward_works_at_its_successor():
    call_command("load_demo", "--no-dossiers")
    successor = Agency.objects.get(code=HOA_CUONG)
    former = Agency.objects.get(code=HOA_CUONG_NAM)
    for ward in (successor, former):
        roles = set(
            Membership.objects.filter(agency=ward).values_list("role", flat=True)
        )
        assert roles == {
            Role.RECEPTION,
            Role.SPECIALIST,
            Role.LEADER,
            Role.AGENCY_ADMIN,
        }
    assert Membership.objects.filter(
        agency=successor, user__username="lanhdao.hoacuong", role=Role.LEADER
    ).exists()
    specialist = Membership.objects.get(
        agency=successor, user__username="chuyenvien.hoacuong"
    )
    assert set(specialist.fields.values_list("code", flat=True)) == {"HT", "CT"}
    assert Membership.objects.filter(role=Role.MONITOR, covers_subtree=True).exists()
    assert Procedure.objects.filter(agencies=successor).count() == 23


def test_demo_agencies_keep_the_national_calendar_and_default_hours():
    call_command("load_demo", "--no-dossiers")
    for agency in Agency.objects.all():
        assert agency.working_hours == "08:00-12:00, 13:00-17:00"
        assert not agency.calendar_overrides.exists()


def test_the_demo_starts_before_the_merger_whatever_today_is():
    assert demo_start(date(2026, 11, 30), None) == DEMO_SINCE
    assert demo_start(date(2028, 5, 1), None) == DEMO_SINCE < MERGER_DAY
    assert demo_start(date(2025, 5, 1), None) == date(2024, 5, 1)
    assert demo_start(date(2026, 3, 20), 50) == date(2026, 1, 29)


def test_demo_dossiers_come_from_the_real_services_and_verify():
    with clock.frozen_at(vn(2026, 3, 20, 17)):
        call_command("load_demo", "--days", "50", "--per-day", "4")
    dossiers = Dossier.objects.all()
    assert dossiers.count() > 100
    # All after the merger: received at today's wards.
    agencies = set(dossiers.values_list("agency__code", flat=True))
    assert agencies == SUCCESSORS
    # Tết Bính Ngọ (16–20/02/2026) is in the window and has no receptions.
    tet = [d for d in dossiers if d.received_at and d.received_at.month == 2]
    assert all(not 16 <= d.received_at.day <= 20 for d in tet)
    statuses = set(dossiers.values_list("status", flat=True))
    assert {Status.RETURNED, Status.PROCESSING} <= statuses
    assert Event.objects.filter(action="receive").count() >= 100
    checked, problems = verify_all()
    assert checked == dossiers.count() and problems == []
    # The demo identity provider's people: their accounts and online dossiers,
    # one at each stage the citizen's pages show.
    from motcua.citizens.models import CitizenDossier

    links = CitizenDossier.objects.select_related("dossier", "citizen")
    stages = {link.citizen.full_name: link.dossier.status for link in links}
    assert stages == {
        "Nguyễn Văn An": Status.SUBMITTED,
        "Trần Thị Bình": Status.WAITING_SUPPLEMENT,
        "Lê Hoàng Cường": Status.WAITING_PAYMENT,
    }
    assert all(link.dossier.channel == "online" for link in links)
    # Loading again does not add a second year.
    with clock.frozen_at(vn(2026, 3, 21, 17)):
        call_command("load_demo")
    assert Dossier.objects.count() == checked


def test_demo_dossiers_cross_the_merger_and_both_rule_sets(capsys):
    with clock.frozen_at(vn(2025, 9, 26, 17)):
        call_command("load_demo", "--days", "110", "--per-day", "1")
    out = capsys.readouterr().out
    assert "06/2025:" in out and "09/2025:" in out
    assert "vào UBND phường Hòa Cường từ ngày 01/07/2025" in out
    received = Dossier.objects.exclude(received_at=None).select_related("agency")
    before = [d for d in received if law_day(d) < MERGER_DAY]
    after = [d for d in received if law_day(d) >= MERGER_DAY]
    assert len(before) > 20 and len(after) > 60
    # Nothing was received at a former ward from the merger on.
    assert {d.agency.code for d in after} == SUCCESSORS
    assert {HOA_CUONG_NAM, HOA_HIEP_BAC} <= {d.agency.code for d in before}
    # The dossiers open at the merger moved, each with one transfer event at
    # its instant, and went on at the successor.
    transfers = Event.objects.filter(action="transfer").select_related("dossier")
    assert transfers.count() > 0
    for event in transfers:
        assert event.dossier.agency.code in SUCCESSORS
        assert event.payload["from"] in {HOA_CUONG_NAM, HOA_HIEP_BAC}
        assert event.dossier.code.startswith(event.payload["from"])  # code kept
    assert Dossier.objects.filter(
        pk__in=transfers.values("dossier"), status=Status.RETURNED
    ).exists()
    # Slips follow the law of each dossier's own day.
    first, last = min(before, key=law_day), max(after, key=law_day)
    assert law_day(last) >= date(2025, 9, 15)
    old, new = slip_law(law_day(first)), slip_law(law_day(last))
    assert old.form_set.code == "2018" and "61/2018" in old.decree
    assert new.form_set.code == "2025" and "118/2025" in new.decree
    checked, problems = verify_all()
    assert checked == Dossier.objects.count() and problems == []
