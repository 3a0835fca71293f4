"""Ngày Văn hóa Việt Nam (24/11) and Tết 2027 (issue 10, item 6; LAW-2025.md Part 4
and item 17): 24/11 stays a working day until a text makes it a day off; an
administrator may make it a day off for one year with a national calendar
override, and due dates then skip it. Tết 2027 keeps the ``holidays`` package's
days, with a warning that the official schedule is not yet published."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from django.urls import reverse

from motcua.deadlines.engine import VN_TZ, Unit
from motcua.deadlines.models import CalendarOverride
from motcua.deadlines.national import culture_day, national_days
from motcua.deadlines.services import calendar_for

pytestmark = pytest.mark.django_db

CULTURE_DAY_2026 = date(2026, 11, 24)  # a Tuesday
MONDAY_BEFORE = datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ)
CALENDAR = reverse("calendar:year")
OVERRIDE_ADD = "/admin/deadlines/calendaroverride/add/"


def _text(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_24_11_2026_is_a_working_day_by_default():
    assert culture_day(2026) == CULTURE_DAY_2026
    assert culture_day(2025) is None
    assert CULTURE_DAY_2026 not in {d.date for d in national_days()}
    calendar = calendar_for(None)
    assert calendar.is_working_day(CULTURE_DAY_2026)
    # two working days from Monday 09:00: Wednesday 09:00, 24/11 counted
    due = calendar.due(MONDAY_BEFORE, Unit.WORKING_DAYS, 2)
    assert due == datetime(2026, 11, 25, 9, 0, tzinfo=VN_TZ)


def test_an_administrators_override_makes_24_11_a_day_off_and_deadlines_move(
    admin_client,
):
    # the calendar page offers the prefilled override form to an administrator
    page = admin_client.get(CALENDAR, {"year": "2026"})
    link = re.search(
        r'href="(/admin/deadlines/calendaroverride/add/\?[^"]+)"', page.content.decode()
    )
    assert link is not None
    form = admin_client.get(link.group(1).replace("&amp;", "&"))
    assert form.status_code == 200
    assert 'value="2026-11-24"' in form.content.decode()

    response = admin_client.post(
        OVERRIDE_ADD,
        {"date": "2026-11-24", "working": "False", "reason": "Ngày Văn hóa Việt Nam"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    override = CalendarOverride.objects.get()
    assert (override.date, override.working, override.agency) == (
        CULTURE_DAY_2026,
        False,
        None,
    )

    calendar = calendar_for(None)
    assert not calendar.is_working_day(CULTURE_DAY_2026)
    due = calendar.due(MONDAY_BEFORE, Unit.WORKING_DAYS, 2)
    assert due == datetime(2026, 11, 26, 9, 0, tzinfo=VN_TZ)
    # only that year: 24/11/2027 stays a working day
    assert calendar.is_working_day(date(2027, 11, 24))

    text = _text(admin_client.get(CALENDAR, {"year": "2026"}))
    assert "quản trị viên đã cho nghỉ ngày này" in text
    assert "Cho nghỉ ngày 24/11/2026" not in text


def test_calendar_page_explains_why_24_11_is_a_working_day(client):
    text = _text(client.get(CALENDAR, {"year": "2026"}))
    assert "Ngày Văn hóa Việt Nam 24/11/2026" in text
    assert "Năm 2026, ngày này là ngày làm việc." in text
    assert "Nghị quyết 80-NQ/TW" in text and "Nghị quyết 30/NQ-CP" in text
    assert "chưa có văn bản" in text
    # only an administrator may add an override
    assert "Cho nghỉ ngày 24/11/2026" not in text
    assert "Ngày Văn hóa Việt Nam" not in _text(client.get(CALENDAR, {"year": "2025"}))


def test_24_11_on_a_weekend_says_a_substitute_day_needs_its_own_override(client):
    text = _text(client.get(CALENDAR, {"year": "2029"}))  # a Saturday
    assert "ngày 24/11 là thứ Bảy" in text
    assert calendar_for(None).is_working_day(date(2029, 11, 26))


def test_tet_2027_keeps_the_package_days_with_a_warning(client):
    calendar = calendar_for(None)
    for day in range(4, 11):  # 29 Tết … mùng năm, as the package lists them
        assert not calendar.is_working_day(date(2027, 2, day))
    text = _text(client.get(CALENDAR, {"year": "2027"}))
    assert "Lịch nghỉ Tết Nguyên đán năm 2027 chưa được công bố" in text
    assert "chưa được công bố" not in _text(client.get(CALENDAR, {"year": "2026"}))
