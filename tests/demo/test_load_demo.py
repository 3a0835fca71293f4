import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from motcua.agencies.models import Agency, Membership, Role
from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.dossiers.history import verify_all
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.workflow import Status

from ..dossiers.builders import vn

pytestmark = pytest.mark.django_db


def test_load_demo_creates_the_demo_city_once(capsys):
    call_command("load_demo", "--no-dossiers")
    first = capsys.readouterr().out
    call_command("load_demo", "--no-dossiers")
    second = capsys.readouterr().out
    names = set(Agency.objects.values_list("name", flat=True))
    assert {"UBND phường Hòa Cường Nam", "UBND phường Hòa Hiệp Bắc"} <= names
    assert Agency.objects.count() == 5
    ward = Agency.objects.get(name="UBND phường Hòa Cường Nam")
    assert ward.parent is not None and ward.parent.level == Agency.Level.DISTRICT
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "admin / motcua-demo-2026" in first
    assert "Cơ quan mẫu mới tạo: 0" in second
    assert first.count("tiepnhan.") == 2  # the accounts are printed


def test_demo_has_staff_for_every_role_and_the_reference_catalogue():
    call_command("load_demo", "--no-dossiers")
    ward = Agency.objects.get(code="000.01.01.H17")
    roles = set(Membership.objects.filter(agency=ward).values_list("role", flat=True))
    assert roles == {Role.RECEPTION, Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN}
    assert Membership.objects.filter(role=Role.MONITOR, covers_subtree=True).exists()
    assert Procedure.objects.filter(agencies=ward).count() == 23


def test_demo_agencies_keep_the_national_calendar_and_default_hours():
    call_command("load_demo", "--no-dossiers")
    for agency in Agency.objects.all():
        assert agency.working_hours == "08:00-12:00, 13:00-17:00"
        assert not agency.calendar_overrides.exists()


def test_demo_dossiers_come_from_the_real_services_and_verify():
    with clock.frozen_at(vn(2026, 3, 20, 17)):
        call_command("load_demo", "--days", "50", "--per-day", "4")
    dossiers = Dossier.objects.all()
    assert dossiers.count() > 100
    # Tết Bính Ngọ (16–20/02/2026) is in the window and has no receptions.
    tet = [d for d in dossiers if d.received_at and d.received_at.month == 2]
    assert all(not 16 <= d.received_at.day <= 20 for d in tet)
    statuses = set(dossiers.values_list("status", flat=True))
    assert {Status.RETURNED, Status.PROCESSING} <= statuses
    assert Event.objects.filter(action="receive").count() >= 100
    checked, problems = verify_all()
    assert checked == dossiers.count() and problems == []
    # Loading again does not add a second year.
    with clock.frozen_at(vn(2026, 3, 21, 17)):
        call_command("load_demo")
    assert Dossier.objects.count() == checked
