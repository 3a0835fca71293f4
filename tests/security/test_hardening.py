"""The production profile and the headers every page carries: a
Content-Security-Policy, no caching of personal pages, no personal data in logs,
and ``motcua check --deploy`` clean."""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client

from motcua.core.logscrub import scrub

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]
CCCD = "048090001234"
PHONE = "0905123456"


# ----------------------------------------------------------- headers
def test_every_page_carries_a_content_security_policy_and_the_safe_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'",
                      "frame-ancestors 'none'", "form-action 'self'",
                      "base-uri 'self'"):  # fmt: skip
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_swagger_ui_loads_its_start_up_script_as_a_file(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html
    assert "style-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    ["/can-bo/", "/tra-cuu/", "/bao-cao/bieu-06/", "/danh-gia/", "/admin/",
     "/accounts/login/", "/api/v1/dossiers/"],
)  # fmt: skip
def test_personal_and_internal_pages_are_never_stored(client, path):
    response = client.get(path)
    assert "no-store" in response["Cache-Control"], path
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/", "/lich-lam-viec/", "/api/v1/calendar/days", "/thu-tuc/"]
)
def test_public_pages_stay_cacheable(client, path):
    response = client.get(path)
    assert "no-store" not in response.get("Cache-Control", ""), path


def test_our_templates_carry_no_inline_script_or_style():
    package = REPO / "src" / "motcua"
    offenders = []
    for template in package.rglob("templates/**/*.html"):
        if "slips" in template.parts or template.name.endswith("_pdf.html"):
            continue  # rendered to PDF by WeasyPrint, never served as a page
        text = template.read_text()
        if "<style" in text or " style=" in text or "<script>" in text:
            offenders.append(str(template.relative_to(package)))
    assert offenders == []


# ----------------------------------------------------------- logs
def _runserver_access_line(line: str, status: str = "200") -> None:
    """What ``motcua runserver`` logs for a request (Django's own code path)."""
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None
    handler.log_message('"%s" %s %s', line, status, "512")


def test_runserver_access_lines_do_not_show_id_numbers_or_phones(caplog):
    caplog.set_level(logging.INFO, logger="django.server")
    _runserver_access_line(
        f"GET /can-bo/quay/nguoi-nop.json?id_number={CCCD}&so_dinh_danh={CCCD}"
        f"&phone={PHONE}&xac_thuc=1234&email=an%40example.vn HTTP/1.1"
    )
    _runserver_access_line(f"GET /tra-cuu/?ma=ABC&dien_thoai=%2B84{PHONE[1:]} HTTP/1.1")
    lines = [r.getMessage() for r in caplog.records if r.name == "django.server"]
    assert len(lines) == 2
    text = "\n".join(lines)
    assert CCCD not in text and PHONE not in text and PHONE[1:] not in text
    assert "an%40example.vn" not in text and "xac_thuc=1234" not in text
    assert "id_number=***" in text and "/can-bo/quay/nguoi-nop.json" in text


def test_every_handler_scrubs_records_of_any_logger():
    # The filter is on the console handler: records of every logger pass it.
    from motcua.core.logscrub import ScrubPersonalData

    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, ScrubPersonalData) for f in h.filters)
    ]
    assert handlers
    record = logging.getLogger("motcua.anything").makeRecord(
        "motcua.anything", logging.WARNING, __file__, 1,
        "applicant %s phone %s", (CCCD, {"phone": PHONE, "name": "An"}), None,
    )  # fmt: skip
    assert handlers[0].filter(record)
    line = handlers[0].format(record)
    assert "logger=motcua.anything" in line and "'name': 'An'" in line
    assert CCCD not in line and PHONE not in line


def test_a_traceback_quoting_personal_data_is_scrubbed_too():
    from motcua.core.logscrub import ScrubPersonalData

    try:
        raise ValueError(f"Key (id_number)=({CCCD}) already exists; phone {PHONE}")
    except ValueError:
        import sys

        record = logging.getLogger("motcua.x").makeRecord(
            "motcua.x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    ScrubPersonalData().filter(record)
    text = logging.Formatter().format(record)
    assert "Traceback" in text and "already exists" in text
    assert CCCD not in text and PHONE not in text


def test_a_404_on_a_url_with_personal_data_logs_no_personal_data(caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    Client().get(f"/khong-co/{CCCD}/", {"phone": PHONE})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Not Found" in text
    assert CCCD not in text and PHONE not in text


def test_scrub_keeps_dossier_codes_dates_and_counts():
    line = "GET /can-bo/ho-so/000.00.01.H12-250602-0001/ 2025-06-02 200 1234567"
    assert scrub(line) == line


def test_gunicorn_access_log_format_has_no_query_string_or_referrer():
    namespace: dict[str, object] = {}
    exec((REPO / "deploy" / "gunicorn.conf.py").read_text(), namespace)
    fmt = str(namespace["access_log_format"])
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%(a)s", "%({"):
        assert atom not in fmt
    assert "%(U)s" in fmt


# ----------------------------------------------------------- production profile
def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "MOTCUA_PROFILE": "production",
            "MOTCUA_SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "motcua.example.gov.vn",
            "MOTCUA_TRUSTED_PROXIES": "127.0.0.1",
            "MOTCUA_VAR_DIR": os.environ["MOTCUA_VAR_DIR"],
            **extra,
        }
    )
    env.pop("MOTCUA_DEBUG", None)
    return env


def _motcua(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "motcua", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


def test_the_production_profile_passes_the_deploy_check_without_warnings():
    result = _motcua(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_production_profile_refuses_a_weak_secret_key():
    result = _motcua("check", env=_production_env(MOTCUA_SECRET_KEY="t"))
    assert result.returncode != 0
    assert "MOTCUA_SECRET_KEY" in result.stderr


def test_the_embedded_profile_without_https_settings_is_what_the_check_reports():
    env = _production_env()
    env.pop("MOTCUA_PROFILE")
    result = _motcua("check", "--deploy", env=env)
    assert "security.W004" in result.stderr  # no HSTS outside production


# ----------------------------------------------------------- no 500 on bad input
NESTED = "[" * 50_000 + "]" * 50_000


def _lenient(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _json_error(response, code: str) -> None:
    assert response.status_code == 400, response.content[:200]
    data = response.json()
    assert data["code"] == code
    assert any(ch in data["message"] for ch in "ảạấầếệọốớờủữ"), data["message"]


@pytest.fixture
def world():
    from tests.dossiers.builders import build_world

    return build_world()


@pytest.mark.parametrize(
    "url",
    ["/bao-cao/bieu-06/xlsx", "/bao-cao/bieu-06/", "/api/v1/reports/bieu06"],
)
@pytest.mark.parametrize("year", ["0001", "9999"])
def test_a_report_period_in_year_0001_or_9999_is_400_not_500(world, url, year):
    params = {"agency": world.ward.code, "from": f"{year}-01-01", "to": f"{year}-12-31"}
    response = _lenient(world.leader).get(url, params)
    assert response.status_code == 400
    if url.startswith("/api/"):
        _json_error(response, "report.date_out_of_range")
    else:
        assert "Năm phải trong khoảng 2000–2100" in response.content.decode()


@pytest.mark.parametrize("week", ["0001-01-01", "9999-12-31", "01/01/0001"])
def test_the_signing_rota_of_year_0001_or_9999_is_400_not_500(world, week):
    response = _lenient(world.leader).get("/can-bo/ky-so/lich-truc/", {"tuan": week})
    assert response.status_code == 400
    text = response.content.decode()
    assert "duty.invalid_week" in text and "Tuần không hợp lệ" in text


def test_a_rota_entry_dated_year_0001_is_refused_by_the_form(world):
    from motcua.signing.models import DutyRota

    response = _lenient(world.leader).post(
        "/can-bo/ky-so/lich-truc/",
        {"date": "01/01/0001", "session": DutyRota.Session.choices[0][0],
         "leader": world.leader.pk},
    )  # fmt: skip
    assert response.status_code == 400
    assert not DutyRota.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["/can-bo/tim/", "/can-bo/hang-doi/don-vi/", "/can-bo/quay/thu-tuc.json",
     "/api/v1/dossiers/", "/api/v1/procedures/", "/bao-cao/bieu-06/",
     "/can-bo/phieu/so-theo-doi/"],
)  # fmt: skip
def test_a_nul_character_in_a_search_is_400_not_500(world, url):
    response = _lenient(world.reception).get(url, {"q": "a\x00b", "agency": "\x00"})
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["code"] in (
            "request.invalid_character",
            "filter.invalid",
        )
    else:
        assert "request.invalid_character" in response.content.decode()


def test_search_folding_turns_control_characters_into_spaces():
    from motcua.core.text import fold

    assert fold("Nguyễn\x00Văn\tAn") == "nguyen van an"


@pytest.mark.parametrize("url", ["/can-bo/quay/", "/accounts/login/", "/tra-cuu/"])
def test_a_form_posted_in_latin_1_is_a_vietnamese_400(world, url):
    response = _lenient(world.reception).post(
        url,
        b"ho_ten=Nguy%E9n&b=1",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "request.bad_charset" in text and "bảng mã UTF-8" in text
    assert '<html lang="vi">' in text


@pytest.mark.parametrize(
    "body",
    [NESTED, '{"a":' * 40 + "1" + "}" * 40, '{"name": "' + "x" * 1_100_000 + '"}',
     b'{"name": "\xe9"}', "NaN", '{"a": 1'],
)  # fmt: skip
def test_hostile_json_is_400_request_invalid_json_even_anonymously(world, body):
    _json_error(
        _lenient().post("/api/v1/auth/token/", body, content_type="application/json"),
        "request.invalid_json",
    )
    client = _lenient(world.reception)
    before = dossier_count()
    _json_error(
        client.post("/api/v1/dossiers/", body, content_type="application/json"),
        "request.invalid_json",
    )
    assert dossier_count() == before


def test_hostile_json_on_a_dossier_action_is_400(world):
    from motcua.dossiers import services

    dossier = services.dossier_receive(world.reception, data=world.input())
    response = _lenient(world.reception).post(
        f"/api/v1/dossiers/{dossier.code}/refuse/",
        NESTED,
        content_type="application/json; charset=latin-1",
    )
    _json_error(response, "request.invalid_json")


def test_the_depth_limit_counts_brackets_inside_strings_as_text():
    from motcua.core.parsers import loads, nesting_depth

    assert nesting_depth(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}') == 1
    assert loads('{"ten": "Nguyễn [Văn] An"}'.encode()) == {"ten": "Nguyễn [Văn] An"}


def test_the_api_handler_turns_any_unreadable_body_into_400():
    from django.core.exceptions import RequestDataTooBig

    from motcua.core.api import exception_handler

    for exc in (RecursionError(), RequestDataTooBig("x"), UnicodeDecodeError(
        "utf-8", b"\xff", 0, 1, "bad")):  # fmt: skip
        response = exception_handler(exc, {})
        assert response is not None and response.status_code == 400
        assert response.data["code"] == "request.invalid"


def dossier_count() -> int:
    from motcua.dossiers.models import Dossier

    return Dossier.objects.count()


def test_the_error_pages_are_in_vietnamese_with_a_code():
    from django.template.loader import render_to_string

    assert "server.error" in render_to_string("500.html")
    page = render_to_string("400.html", {})
    assert "Yêu cầu không hợp lệ" in page and "request.invalid" in page


def test_a_nul_in_a_multipart_form_field_is_400_and_receives_nothing(world):
    # Found by the fuzz on PostgreSQL: the desk's procedure code as "\x00".
    response = _lenient(world.reception).post("/can-bo/quay/", {"procedure": "\x00"})
    assert response.status_code == 400
    assert "request.invalid_character" in response.content.decode()
    assert dossier_count() == 0


def test_a_broken_multipart_body_is_a_400(world):
    response = _lenient(world.reception).generic(
        "POST", "/can-bo/quay/", b"a=1", content_type="multipart/form-data"
    )  # no boundary
    assert response.status_code == 400
    assert "request.unreadable" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"due_before": "0001-01-01T00:00:00+14:00"},
     {"due_before": "9999-12-31T23:59:59-12:00"},
     {"received_from": "0001-01-01"}, {"received_to": "9999-12-31"}],
)  # fmt: skip
def test_dossier_list_filters_at_the_ends_of_time_are_400(world, params):
    response = _lenient(world.leader).get("/api/v1/dossiers/", params)
    _json_error(response, "filter.invalid")


@pytest.mark.parametrize(
    "start", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "9999-12-31"]
)
def test_the_calendar_at_the_ends_of_time_is_400(start):
    response = _lenient().get(
        "/api/v1/calendar/due", {"start": start, "unit": "working_days", "duration": 3}
    )
    _json_error(response, "calendar.out_of_range")


def test_an_extension_to_year_9999_is_refused_and_changes_nothing(world):
    import json
    from datetime import timedelta

    from motcua.core import clock

    dossier = world.processing(clock.now() - timedelta(days=1))
    for when in ("9999-12-31T23:59:00+07:00", "9999-12-31T23:59:59-12:00"):
        response = _lenient(world.leader).post(
            f"/api/v1/dossiers/{dossier.code}/extend/",
            json.dumps({"new_due_at": when, "reason": "Chậm"}),
            content_type="application/json",
        )
        assert response.status_code == 400, response.content
    dossier.refresh_from_db()
    assert not dossier.extended and dossier.due_at.year < 2100
