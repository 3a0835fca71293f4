"""Admin pages for calendar overrides and agency working hours."""

from datetime import date, datetime

import pytest

from motcua.agencies.models import Agency
from motcua.deadlines.engine import VN_TZ
from motcua.deadlines.models import CalendarOverride
from motcua.deadlines.services import calendar_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward() -> Agency:
    return Agency.objects.create(
        code="000.01.01.H17", name="UBND phường Hòa Cường Nam", level="commune"
    )


def test_override_pages_render_for_an_administrator(admin_client, ward):
    CalendarOverride.objects.create(date=date(2026, 3, 9), reason="Nghỉ địa phương")
    for url in (
        "/admin/deadlines/calendaroverride/",
        "/admin/deadlines/calendaroverride/add/",
        "/admin/agencies/agency/",
        f"/admin/agencies/agency/{ward.pk}/change/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url


def test_admin_pages_refuse_anonymous_visitors(client):
    response = client.get("/admin/deadlines/calendaroverride/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_override_added_in_admin_changes_the_agencys_due_dates(admin_client, ward):
    start = datetime(2026, 3, 6, 16, 0, tzinfo=VN_TZ)  # Friday, 1 hour left
    assert calendar_for(ward).due(start, "working_hours", 2) == datetime(
        2026, 3, 9, 9, 0, tzinfo=VN_TZ
    )
    response = admin_client.post(
        "/admin/deadlines/calendaroverride/add/",
        {
            "agency": ward.pk,
            "date": "09/03/2026",
            "working": "False",
            "reason": "Lễ hội",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # Officers write dd/mm/yyyy: 09/03/2026 is the 9th of March, not 3 September.
    assert CalendarOverride.objects.get().date == date(2026, 3, 9)
    # Monday 09/03/2026 is now a day off for this ward only.
    assert calendar_for(ward).due(start, "working_hours", 2) == datetime(
        2026, 3, 10, 9, 0, tzinfo=VN_TZ
    )
    assert calendar_for(None).due(start, "working_hours", 2) == datetime(
        2026, 3, 9, 9, 0, tzinfo=VN_TZ
    )


def test_second_national_override_for_the_same_date_is_a_form_error(admin_client):
    CalendarOverride.objects.create(date=date(2026, 3, 9), reason="Nghỉ địa phương")
    response = admin_client.post(
        "/admin/deadlines/calendaroverride/add/",
        {"date": "09/03/2026", "working": "True", "reason": "Làm bù"},
    )
    assert response.status_code == 200
    assert CalendarOverride.objects.count() == 1


def _change_form(ward: Agency, **fields: str) -> dict[str, str]:
    data = {
        "code": ward.code,
        "name": ward.name,
        "level": ward.level,
        "working_hours": ward.working_hours,
        "supplement_policy": ward.supplement_policy,
        "auto_remind_percent": "0",
        "is_active": "on",
        "calendar_overrides-TOTAL_FORMS": "0",
        "calendar_overrides-INITIAL_FORMS": "0",
        "counters-TOTAL_FORMS": "0",
        "counters-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def test_invalid_working_hours_are_refused_with_a_vietnamese_message(
    admin_client, ward
):
    response = admin_client.post(
        f"/admin/agencies/agency/{ward.pk}/change/",
        _change_form(ward, working_hours="13:00-17:00, 08:00-12:00"),
    )
    assert response.status_code == 200
    assert "không chồng lên nhau" in response.content.decode()
    ward.refresh_from_db()
    assert ward.working_hours == "08:00-12:00, 13:00-17:00"


def test_agency_working_hours_edited_in_admin_are_used(admin_client, ward):
    response = admin_client.post(
        f"/admin/agencies/agency/{ward.pk}/change/",
        _change_form(
            ward, working_hours="07:30-11:30, 13:30-17:00", supplement_policy="shift"
        ),
    )
    assert response.status_code == 302
    ward.refresh_from_db()
    # 4 working hours from 07:30 end exactly at the close of the morning interval.
    start = datetime(2026, 3, 10, 7, 30, tzinfo=VN_TZ)
    assert calendar_for(ward).due(start, "working_hours", 4) == datetime(
        2026, 3, 10, 11, 30, tzinfo=VN_TZ
    )
    assert ward.supplement_policy == "shift"
