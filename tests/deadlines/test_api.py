"""The public calendar API: /api/v1/calendar/due and /api/v1/calendar/days."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from motcua.deadlines.models import CalendarOverride

DUE = "/api/v1/calendar/due"
DAYS = "/api/v1/calendar/days"

# Letters that only Vietnamese text has (with a diacritic): the message is for people.
VIETNAMESE_LETTER = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
    re.IGNORECASE,
)

pytestmark = pytest.mark.django_db


def due(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get(DUE, params)
    assert response.status_code == 200, response.content
    return response.json()


def assert_bad_request(response: Any, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"code", "message"}
    assert isinstance(body["code"], str) and body["code"]
    assert VIETNAMESE_LETTER.search(body["message"]), body["message"]
    if code is not None:
        assert body["code"] == code
    return body


# ---------------------------------------------------------------------- due


@pytest.mark.parametrize(
    ("start", "unit", "duration", "expected"),
    [
        ("2025-04-25T15:30", "same_day", None, "2025-04-26T17:00:00+07:00"),
        ("2025-04-29T10:00", "working_days", "1", "2025-05-05T10:00:00+07:00"),
        ("2026-02-13T15:00", "working_hours", "4", "2026-02-23T10:00:00+07:00"),
    ],
    ids=["same_day-after-15h", "working_days-over-30-4", "working_hours-over-tet"],
)
def test_due_public_examples(
    client: Client, start: str, unit: str, duration: str | None, expected: str
) -> None:
    params = {"start": start, "unit": unit}
    if duration is not None:
        params["duration"] = duration
    body = due(client, **params)
    assert body["due_at"] == expected
    assert body["start"] == f"{start}:00+07:00"
    assert body["clock_start"] == f"{start}:00+07:00"
    assert body["unit"] == unit
    assert body["duration"] == (None if duration is None else int(duration))
    assert body["agency"] is None


def test_due_same_day_example_is_the_documented_response(client: Client) -> None:
    assert due(client, start="2025-04-25T15:30", unit="same_day") == {
        "due_at": "2025-04-26T17:00:00+07:00",
        "start": "2025-04-25T15:30:00+07:00",
        "clock_start": "2025-04-25T15:30:00+07:00",
        "unit": "same_day",
        "duration": None,
        "agency": None,
    }


def test_due_start_in_utc_is_converted_to_vietnam_time(client: Client) -> None:
    body = due(client, start="2025-04-25T08:30:00Z", unit="same_day")
    assert body["start"] == "2025-04-25T15:30:00+07:00"
    assert body["due_at"] == "2025-04-26T17:00:00+07:00"


def test_due_start_with_url_encoded_offset(client: Client) -> None:
    # A "+" in a query string means a space: clients must send %2B.
    response = client.get(f"{DUE}?start=2025-04-25T15:30:00%2B07:00&unit=same_day")
    assert response.status_code == 200, response.content
    assert response.json()["start"] == "2025-04-25T15:30:00+07:00"
    assert response.json()["due_at"] == "2025-04-26T17:00:00+07:00"


def test_due_start_with_other_offset(client: Client) -> None:
    body = due(client, start="2025-04-25T10:30:00+02:00", unit="same_day")
    assert body["start"] == "2025-04-25T15:30:00+07:00"


def test_due_start_outside_working_hours_moves_clock_start(client: Client) -> None:
    # Saturday 26/04/2025 is a make-up working day; Sunday 27/04 is not.
    body = due(client, start="2025-04-27T09:00", unit="working_hours", duration="1")
    assert body["clock_start"] == "2025-04-28T08:00:00+07:00"
    assert body["due_at"] == "2025-04-28T09:00:00+07:00"


def test_due_unit_none_has_no_due_date(client: Client) -> None:
    body = due(client, start="2025-04-25T08:30", unit="none")
    assert body["due_at"] is None
    assert body["unit"] == "none"
    assert body["duration"] is None


def test_due_fractional_working_hours(client: Client) -> None:
    body = due(client, start="2025-04-25T08:00", unit="working_hours", duration="1.5")
    assert body["due_at"] == "2025-04-25T09:30:00+07:00"
    assert body["duration"] == 1.5


def test_due_calendar_days(client: Client) -> None:
    body = due(client, start="2025-04-25T08:30", unit="calendar_days", duration="3")
    assert body["due_at"] == "2025-04-28T17:00:00+07:00"


# ------------------------------------------------------------- agencies


def test_due_uses_agency_working_hours(client: Client, agency: Any) -> None:
    a = agency(working_hours="07:30-11:30, 13:30-17:30")
    national = due(client, start="2025-04-25T08:30", unit="working_hours", duration="4")
    own = due(
        client,
        start="2025-04-25T08:30",
        unit="working_hours",
        duration="4",
        agency=a.code,
    )
    assert national["due_at"] == "2025-04-25T13:30:00+07:00"
    assert own["due_at"] == "2025-04-25T14:30:00+07:00"
    assert own["agency"] == a.code
    same_day = due(client, start="2025-04-24T10:00", unit="same_day", agency=a.code)
    assert same_day["due_at"] == "2025-04-24T17:30:00+07:00"


def test_agency_override_applies_to_that_agency_only(
    client: Client, agency: Any
) -> None:
    a = agency()
    b = agency()
    CalendarOverride.objects.create(
        agency=a, date=date(2025, 5, 6), working=False, reason="Lễ hội của tỉnh"
    )
    params = {"start": "2025-05-05T10:00", "unit": "working_days", "duration": "1"}
    assert due(client, **params, agency=a.code)["due_at"] == "2025-05-07T10:00:00+07:00"
    assert due(client, **params, agency=b.code)["due_at"] == "2025-05-06T10:00:00+07:00"
    assert due(client, **params)["due_at"] == "2025-05-06T10:00:00+07:00"


def test_national_override_applies_to_every_agency(client: Client, agency: Any) -> None:
    a = agency()
    CalendarOverride.objects.create(
        agency=None, date=date(2025, 5, 6), working=False, reason="Nghỉ đột xuất"
    )
    params = {"start": "2025-05-05T10:00", "unit": "working_days", "duration": "1"}
    assert due(client, **params)["due_at"] == "2025-05-07T10:00:00+07:00"
    assert due(client, **params, agency=a.code)["due_at"] == "2025-05-07T10:00:00+07:00"


def test_agency_override_can_make_a_holiday_a_working_day(
    client: Client, agency: Any
) -> None:
    a = agency()
    CalendarOverride.objects.create(
        agency=None, date=date(2025, 5, 6), working=False, reason="Nghỉ đột xuất"
    )
    CalendarOverride.objects.create(
        agency=a, date=date(2025, 5, 6), working=True, reason="Trực tiếp nhận hồ sơ"
    )
    params = {"start": "2025-05-05T10:00", "unit": "working_days", "duration": "1"}
    assert due(client, **params, agency=a.code)["due_at"] == "2025-05-06T10:00:00+07:00"


def test_override_added_after_a_first_call_is_seen(client: Client, agency: Any) -> None:
    a = agency()
    params = {"start": "2025-05-05T10:00", "unit": "working_days", "duration": "1"}
    assert due(client, **params, agency=a.code)["due_at"] == "2025-05-06T10:00:00+07:00"
    assert due(client, **params)["due_at"] == "2025-05-06T10:00:00+07:00"

    row = CalendarOverride.objects.create(
        agency=a, date=date(2025, 5, 6), working=False, reason="Lễ hội của tỉnh"
    )
    assert due(client, **params, agency=a.code)["due_at"] == "2025-05-07T10:00:00+07:00"
    assert due(client, **params)["due_at"] == "2025-05-06T10:00:00+07:00"

    row.date = date(2025, 5, 5)
    row.save()
    assert due(client, **params, agency=a.code)["due_at"] == "2025-05-06T17:00:00+07:00"

    CalendarOverride.objects.create(
        agency=None, date=date(2025, 5, 6), working=False, reason="Nghỉ đột xuất"
    )
    assert due(client, **params)["due_at"] == "2025-05-07T10:00:00+07:00"


def test_agency_working_hours_change_is_seen(client: Client, agency: Any) -> None:
    a = agency()
    params = {"start": "2025-04-24T10:00", "unit": "same_day", "agency": a.code}
    assert due(client, **params)["due_at"] == "2025-04-24T17:00:00+07:00"
    a.working_hours = "07:00-11:00, 13:00-16:30"
    a.save()
    assert due(client, **params)["due_at"] == "2025-04-24T16:30:00+07:00"


# ---------------------------------------------------------------- days


def test_days_lists_the_national_calendar(client: Client) -> None:
    response = client.get(DAYS, {"year": "2026"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["year"] == 2026
    assert body["agency"] is None
    assert body["working_hours"] == "08:00-12:00, 13:00-17:00"
    assert isinstance(body["working_days"], int)
    assert 240 <= body["working_days"] <= 255
    by_date = {d["date"]: d for d in body["days"]}
    assert by_date["2026-01-01"]["name"] == "Tết Dương lịch"
    assert by_date["2026-01-01"]["working"] is False
    assert by_date["2026-01-01"]["source"] == "law"
    assert by_date["2026-02-17"]["name"] == "Tết Nguyên Đán"
    assert by_date["2026-09-02"]["name"] == "Quốc khánh"
    assert {d["source"] for d in body["days"]} <= {"law", "substitute", "override"}
    assert any(d["source"] == "substitute" for d in body["days"])
    assert all(VIETNAMESE_LETTER.search(d["name"]) for d in body["days"])
    assert [d["date"] for d in body["days"]] == sorted(by_date)
    assert all(d["date"].startswith("2026-") for d in body["days"])


def test_days_lists_overrides_and_counts_them(client: Client, agency: Any) -> None:
    a = agency()
    national = client.get(DAYS, {"year": "2026"}).json()
    CalendarOverride.objects.create(
        agency=a, date=date(2026, 3, 10), working=False, reason="Lễ hội của tỉnh"
    )
    CalendarOverride.objects.create(
        agency=None, date=date(2026, 3, 14), working=True, reason="Làm bù"
    )
    body = client.get(DAYS, {"year": "2026", "agency": a.code}).json()
    assert body["agency"] == a.code
    by_date = {d["date"]: d for d in body["days"]}
    assert by_date["2026-03-10"]["source"] == "override"
    assert by_date["2026-03-10"]["working"] is False
    assert by_date["2026-03-10"]["reason"] == "Lễ hội của tỉnh"
    assert by_date["2026-03-14"]["source"] == "override"
    assert by_date["2026-03-14"]["working"] is True
    # One weekday off, one Saturday worked.
    assert body["working_days"] == national["working_days"]

    national_after = client.get(DAYS, {"year": "2026"}).json()
    dates = {d["date"] for d in national_after["days"]}
    assert "2026-03-10" not in dates
    assert "2026-03-14" in dates
    assert national_after["working_days"] == national["working_days"] + 1


def test_days_uses_agency_working_hours(client: Client, agency: Any) -> None:
    a = agency(working_hours="07:30-11:30, 13:30-17:30")
    body = client.get(DAYS, {"year": "2026", "agency": a.code}).json()
    assert body["working_hours"] == "07:30-11:30, 13:30-17:30"


@pytest.mark.parametrize("year", ["2000", "2100"])
def test_days_accepts_the_calendar_bounds(client: Client, year: str) -> None:
    response = client.get(DAYS, {"year": year})
    assert response.status_code == 200, response.content
    assert response.json()["year"] == int(year)


# ------------------------------------------------------------ bad input

BASE = {"start": "2025-04-25T08:30", "unit": "working_hours", "duration": "4"}


def _without(key: str, **changes: str) -> dict[str, str]:
    params = {**BASE, **changes}
    params.pop(key)
    return params


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({**BASE, "unit": "hours"}, "deadline.unknown_unit"),
        (_without("unit"), "deadline.unknown_unit"),
        ({**BASE, "unit": ""}, "deadline.unknown_unit"),
        ({**BASE, "duration": "-1"}, "deadline.negative_duration"),
        ({**BASE, "duration": "abc"}, "deadline.invalid_duration"),
        ({**BASE, "duration": "nan"}, "deadline.invalid_duration"),
        ({**BASE, "duration": "NaN"}, "deadline.invalid_duration"),
        ({**BASE, "duration": "inf"}, "deadline.invalid_duration"),
        ({**BASE, "duration": "-Infinity"}, "deadline.invalid_duration"),
        ({**BASE, "duration": "1e400"}, "deadline.duration_too_long"),
        ({**BASE, "duration": "99999999"}, "deadline.duration_too_long"),
        ({**BASE, "unit": "none", "duration": "abc"}, "deadline.invalid_duration"),
        (_without("duration", unit="working_days"), "deadline.duration_required"),
        (
            {**BASE, "unit": "working_days", "duration": ""},
            "deadline.duration_required",
        ),
        (_without("duration", unit="calendar_days"), "deadline.duration_required"),
        (
            {**BASE, "unit": "calendar_days", "duration": "1.5"},
            "deadline.fractional_days",
        ),
        ({**BASE, "start": "2025-13-45T08:30"}, "calendar.invalid_start"),
        ({**BASE, "start": "hôm nay"}, "calendar.invalid_start"),
        ({**BASE, "start": "2025-04-25T08:30:00+25:00"}, "calendar.invalid_start"),
        (_without("start"), "calendar.start_required"),
        ({**BASE, "start": ""}, "calendar.start_required"),
        ({**BASE, "start": "1999-12-31T10:00"}, "calendar.out_of_range"),
        (
            {
                **BASE,
                "start": "2100-12-31T10:00",
                "unit": "working_days",
                "duration": "5",
            },
            "calendar.out_of_range",
        ),
        (
            {**BASE, "start": "2100-12-31T16:00", "unit": "same_day", "duration": ""},
            "calendar.out_of_range",
        ),
        (
            {
                **BASE,
                "start": "2100-12-20T10:00",
                "unit": "calendar_days",
                "duration": "30",
            },
            "calendar.out_of_range",
        ),
        ({**BASE, "agency": "000.00.99.H12"}, "agency.unknown"),
        ({**BASE, "agency": "không-có"}, "agency.unknown"),
    ],
    ids=lambda v: None if isinstance(v, dict) else str(v),
)
def test_due_bad_input_is_400(
    client: Client, params: dict[str, str], code: str | None
) -> None:
    assert_bad_request(client.get(DUE, params), code)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"year": "1999"}, "calendar.year_out_of_range"),
        ({"year": "2101"}, "calendar.year_out_of_range"),
        ({"year": "-5"}, "calendar.year_out_of_range"),
        ({"year": "2026.0"}, "calendar.invalid_year"),
        ({"year": "abc"}, "calendar.invalid_year"),
        ({"year": ""}, "calendar.year_required"),
        ({}, "calendar.year_required"),
        ({"year": "2026", "agency": "000.00.99.H12"}, "agency.unknown"),
    ],
    ids=lambda v: None if isinstance(v, dict) else str(v),
)
def test_days_bad_input_is_400(
    client: Client, params: dict[str, str], code: str
) -> None:
    assert_bad_request(client.get(DAYS, params), code)


def test_unknown_agency_is_400_not_404(client: Client) -> None:
    response = client.get(DUE, {**BASE, "agency": "000.00.99.H12"})
    body = assert_bad_request(response, "agency.unknown")
    assert "000.00.99.H12" in body["message"]


def test_write_methods_are_refused_with_json(client: Client) -> None:
    response = client.post(DUE, BASE)
    assert response.status_code == 405
    assert response.json()["code"] == "http.method_not_allowed"


# -------------------------------------------------------------- OpenAPI


def test_openapi_schema_lists_the_calendar_paths(client: Client) -> None:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200, response.content
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/calendar/due" in schema["paths"]
    assert "/api/v1/calendar/days" in schema["paths"]
    due_params = {p["name"] for p in schema["paths"][DUE]["get"]["parameters"]}
    assert {"start", "unit", "duration", "agency"} <= due_params


def test_openapi_schema_default_is_yaml(client: Client) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("openapi: 3.")
    assert "/api/v1/calendar/due:" in text


def test_openapi_schema_by_accept_header(client: Client) -> None:
    response = client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    assert "/api/v1/calendar/days" in response.json()["paths"]


def test_swagger_ui_is_served(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"swagger" in response.content.lower()
