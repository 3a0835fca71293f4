"""The public calendar pages: the year view and the due-date calculator."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from motcua.core import clock
from motcua.deadlines.models import CalendarOverride
from motcua.deadlines.services import calendar_for

pytestmark = pytest.mark.django_db

CALENDAR = reverse("calendar:year")
DUE = reverse("calendar:due")


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """The visible text of <main>, whitespace collapsed."""
    html = response.content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def _input_value(response, name: str) -> str | None:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag is not None, f"no input {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


@pytest.fixture
def english(tmp_path: Path, settings, client):  # type: ignore[no-untyped-def]
    locale = tmp_path / "locale"
    shutil.copytree(
        django_settings.LOCALE_PATHS[0], locale, ignore=shutil.ignore_patterns("*.mo")
    )
    call_command("compiletranslations", locale_dirs=[str(locale)], verbosity=0)
    settings.LOCALE_PATHS = [locale]
    client.cookies["django_language"] = "en"
    return client


# ------------------------------------------------------------------ year view
def test_calendar_2025_marks_the_make_up_saturday_26_april(client) -> None:
    response = client.get(CALENDAR, {"year": "2025"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày làm việc bù" in html
    assert "26/04/2025" in html
    cell = re.search(r'<td class="day day--makeup[^"]*" title="([^"]*)"', html)
    assert cell is not None
    assert cell.group(1).startswith("Thứ Bảy, 26/04/2025 — Làm việc bù")
    assert html.count("<caption>") == 12
    assert "Nghỉ bù / làm bù" in html  # the source, in Vietnamese


def test_calendar_2026_shows_tet(client) -> None:
    response = client.get(CALENDAR, {"year": "2026"})

    assert response.status_code == 200
    text = _text(response)
    assert "17/02/2026 Thứ Ba Tết Nguyên Đán" in text
    assert "Luật định" in text
    assert 'title="Thứ Ba, 17/02/2026 — Nghỉ lễ, Tết: Tết Nguyên Đán"' in (
        response.content.decode()
    )


def test_calendar_counts_the_working_days_of_the_year(client) -> None:
    expected = calendar_for(None).working_days_in_year(2025)

    text = _text(client.get(CALENDAR, {"year": "2025"}))

    assert f"{expected} ngày làm việc trong năm 2025" in text


def test_calendar_weeks_start_on_monday_with_vietnamese_headers(client) -> None:
    html = client.get(CALENDAR, {"year": "2025"}).content.decode()

    headers = re.findall(r'<abbr title="[^"]+">([^<]+)</abbr>', html)[:7]
    assert headers == ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]


def test_calendar_defaults_to_this_year_in_vietnam_and_highlights_today(client) -> None:
    # 31/12/2025 18:30 UTC is already 01/01/2026 in Hà Nội.
    with clock.frozen_at(datetime(2025, 12, 31, 18, 30, tzinfo=UTC)):
        response = client.get(CALENDAR)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Lịch làm việc năm 2026" in html
    today = re.search(r'<td class="[^"]*is-today"[^>]*aria-current="date"', html)
    assert today is not None
    assert "Thứ Năm, 01/01/2026" in today.group(0)


def test_calendar_links_to_previous_and_next_years(client, agency) -> None:
    office = agency(code="000.00.15.H12")

    html = client.get(
        CALENDAR, {"year": "2025", "agency": office.code}
    ).content.decode()

    assert f'href="{CALENDAR}?year=2024&amp;agency=000.00.15.H12"' in html
    assert f'href="{CALENDAR}?year=2026&amp;agency=000.00.15.H12"' in html
    first = client.get(CALENDAR, {"year": "2000"}).content.decode()
    assert "year=1999" not in first


@pytest.mark.parametrize("year", ["1999", "2101", "abc", "20.5"])
def test_calendar_refuses_a_year_outside_2000_2100_with_a_vietnamese_message(
    client, year: str
) -> None:
    response = client.get(CALENDAR, {"year": year})

    assert response.status_code == 400
    text = _text(response)
    assert "Không hiển thị được lịch làm việc" in text
    assert "Năm phải trong khoảng 2000–2100" in text or "không phải là một số" in text
    assert _input_value(response, "year") == year


def test_calendar_refuses_an_unknown_agency(client) -> None:
    response = client.get(CALENDAR, {"year": "2025", "agency": "999.99.99.ZZZ"})

    assert response.status_code == 400
    assert "Không có cơ quan nào mang mã «999.99.99.ZZZ»" in _text(response)


def test_calendar_of_an_agency_shows_its_administrator_overrides(
    client, agency
) -> None:
    office = agency(name="UBND phường Thử Nghiệm")
    CalendarOverride.objects.create(
        agency=office, date=date(2025, 3, 10), working=False, reason="Lễ hội địa phương"
    )

    response = client.get(CALENDAR, {"year": "2025", "agency": office.code})

    assert response.status_code == 200
    html = response.content.decode()
    assert "UBND phường Thử Nghiệm" in html
    assert (
        'title="Thứ Hai, 10/03/2025 — Quản trị điều chỉnh: Lễ hội địa phương (nghỉ)"'
        in html
    )
    assert "10/03/2025 Thứ Hai Lễ hội địa phương" in _text(response)
    national = client.get(CALENDAR, {"year": "2025"}).content.decode()
    assert "Lễ hội địa phương" not in national


def test_calendar_agency_select_lists_agencies(client, agency) -> None:
    agency(code="000.00.16.H12", name="Sở Tư pháp")

    html = client.get(CALENDAR).content.decode()

    assert '<option value="000.00.16.H12">Sở Tư pháp (000.00.16.H12)</option>' in html
    assert '<label for="id_agency">' in html


# -------------------------------------------------------------- calculator
def test_calculator_without_parameters_shows_an_empty_form(client) -> None:
    response = client.get(DUE)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="datetime-local"' in html
    assert 'step="0.5"' in html
    assert '<option value="same_day">Trong ngày</option>' in html


def test_same_day_received_after_15h_is_due_at_close_of_next_working_day(
    client,
) -> None:
    response = client.get(DUE, {"received": "2025-04-25T15:30", "unit": "same_day"})

    assert response.status_code == 200
    text = _text(response)
    assert "17:00 thứ Bảy, 26/04/2025" in text
    assert "Nhận sau 15 giờ nên hạn là cuối ngày làm việc tiếp theo" in text
    assert "Bắt đầu tính 15:30 thứ Sáu, 25/04/2025" in text


def test_one_working_day_skips_the_april_may_holidays(client) -> None:
    response = client.get(
        DUE, {"received": "2025-04-29T10:00", "unit": "working_days", "duration": "1"}
    )

    assert response.status_code == 200
    assert "10:00 thứ Hai, 05/05/2025" in _text(response)


def test_four_working_hours_skip_tet_2026(client) -> None:
    response = client.get(
        DUE, {"received": "2026-02-13T15:00", "unit": "working_hours", "duration": "4"}
    )

    assert response.status_code == 200
    text = _text(response)
    assert "10:00 thứ Hai, 23/02/2026" in text
    assert "17/02/2026 (Tết Nguyên Đán)" in text


def test_received_out_of_hours_explains_when_the_clock_starts(client) -> None:
    response = client.get(
        DUE, {"received": "2025-04-26T18:00", "unit": "working_days", "duration": "1"}
    )

    text = _text(response)
    assert "Nhận ngoài giờ làm việc: bắt đầu tính từ 08:00 thứ Hai, 28/04/2025" in text
    assert "17:00 thứ Hai, 28/04/2025" in text


def test_calculator_uses_the_agency_calendar(client, agency) -> None:
    office = agency(working_hours="07:30-11:30, 13:30-17:30")

    response = client.get(
        DUE,
        {"received": "2025-04-25T15:30", "unit": "same_day", "agency": office.code},
    )

    assert response.status_code == 200
    assert "17:30 thứ Bảy, 26/04/2025" in _text(response)


def test_unit_without_duration_ignores_a_typed_duration(client) -> None:
    response = client.get(
        DUE, {"received": "2025-04-25T09:00", "unit": "none", "duration": "abc"}
    )

    assert response.status_code == 200
    assert "Không có hạn trả kết quả" in _text(response)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"received": "2025-04-29T10:00", "unit": "working_days", "duration": "-1"},
            "duration",
            "Thời hạn không được âm.",
        ),
        (
            {
                "received": "2025-04-29T10:00",
                "unit": "working_hours",
                "duration": "abc",
            },
            "duration",
            "Thời hạn «abc» không phải là một số.",
        ),
        (
            {"received": "2025-04-29T10:00", "unit": "working_days", "duration": ""},
            "duration",
            "Cần nhập thời hạn",
        ),
        (
            {"received": "29/04/2025 10h", "unit": "working_days", "duration": "1"},
            "received",
            "Thời điểm «29/04/2025 10h» không đúng định dạng",
        ),
        (
            {"received": "", "unit": "working_days", "duration": "1"},
            "received",
            "Cần nhập thời điểm tiếp nhận hồ sơ.",
        ),
        (
            {"received": "2025-04-29T10:00", "unit": "weeks", "duration": "1"},
            "unit",
            "Đơn vị thời hạn không hợp lệ.",
        ),
        (
            {"received": "2101-01-02T10:00", "unit": "working_days", "duration": "1"},
            "received",
            "nằm ngoài phạm vi lịch làm việc",
        ),
        (
            {
                "received": "2025-04-29T10:00",
                "unit": "calendar_days",
                "duration": "1.5",
            },
            "duration",
            "phải là số nguyên",
        ),
        (
            {
                "received": "2025-04-29T10:00",
                "unit": "working_days",
                "duration": "1",
                "agency": "nope",
            },
            "agency",
            "Không có cơ quan nào mang mã «nope».",
        ),
    ],
)
def test_calculator_bad_input_is_a_400_with_the_message_and_the_input_kept(
    client, params: dict[str, str], field: str, message: str
) -> None:
    response = client.get(DUE, params)

    assert response.status_code == 400
    html = response.content.decode()
    errors = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html)
    assert errors is not None, f"no error next to {field}"
    assert message in errors.group(1)
    assert 'role="alert"' in html
    if field in ("received", "duration"):
        assert (_input_value(response, field) or "") == params[field]
    assert 'aria-invalid="true"' in html


# ----------------------------------------------------------------- English
def test_calendar_page_in_english(english) -> None:
    response = english.get(CALENDAR, {"year": "2025"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Working calendar 2025" in html
    assert "<caption>April</caption>" in html
    assert "Make-up working day (for the day off on 02/05/2025)" in html
    assert ">Mon</abbr>" in html


def test_calculator_in_english(english) -> None:
    response = english.get(DUE, {"received": "2025-04-25T15:30", "unit": "same_day"})

    text = _text(response)
    assert "17:00 Saturday, 26/04/2025" in text
    assert (
        "Received after 15:00, so it is due at the close of the next working day."
        in text
    )
