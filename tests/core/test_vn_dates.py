"""Dates print from one place: dd/mm/yyyy and HH:MM in Vietnam time, and
"today" is the calendar day in Hà Nội, from the injected clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.template import Context, Template

from motcua.core import clock
from motcua.core.dates import vn_date, vn_date_time, vn_time, vn_time_date
from motcua.privacy.models import ReadLog

# 17:30 UTC on 28/02 is 00:30 on 01/03 in Hà Nội (UTC+7).
LATE_EVENING_UTC = datetime(2026, 2, 28, 17, 30, tzinfo=UTC)


def test_dates_and_times_are_vietnamese_and_in_vietnam_time():
    assert vn_date(date(2025, 4, 26)) == "26/04/2025"
    assert vn_date(LATE_EVENING_UTC) == "01/03/2026"
    assert vn_time(LATE_EVENING_UTC) == "00:30"
    assert vn_date_time(LATE_EVENING_UTC) == "01/03/2026 00:30"
    assert vn_time_date(LATE_EVENING_UTC) == "00:30 01/03/2026"
    assert vn_date(None) == vn_time(None) == vn_date_time(None) == ""


def test_today_is_the_day_in_vietnam():
    with clock.frozen_at(LATE_EVENING_UTC):
        assert clock.today() == date(2026, 3, 1)


def test_templates_use_the_same_functions():
    source = "{{ t|vn_date_time }}|{{ t|vn_time_date }}|{{ t|vn_date }}"
    rendered = Template("{% load motcua_dates %}" + source).render(
        Context({"t": LATE_EVENING_UTC})
    )
    assert rendered == "01/03/2026 00:30|00:30 01/03/2026|01/03/2026"


def test_a_read_log_line_reads_in_vietnam_time():
    line = ReadLog(at=LATE_EVENING_UTC, username="canbo1", what="view")
    assert str(line) == "01/03/2026 00:30 canbo1 view"
