import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from motcua.agencies.models import Agency

pytestmark = pytest.mark.django_db


def test_load_demo_creates_the_demo_city_once(capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    call_command("load_demo")
    second = capsys.readouterr().out
    names = set(Agency.objects.values_list("name", flat=True))
    assert {"UBND phường Hòa Cường Nam", "UBND phường Hòa Hiệp Bắc"} <= names
    assert Agency.objects.count() == 5
    ward = Agency.objects.get(name="UBND phường Hòa Cường Nam")
    assert ward.parent is not None and ward.parent.level == Agency.Level.DISTRICT
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "admin / motcua-demo-2026" in first
    assert "Cơ quan mẫu mới tạo: 0" in second


def test_demo_agencies_keep_the_national_calendar_and_default_hours():
    call_command("load_demo")
    for agency in Agency.objects.all():
        assert agency.working_hours == "08:00-12:00, 13:00-17:00"
        assert not agency.calendar_overrides.exists()
