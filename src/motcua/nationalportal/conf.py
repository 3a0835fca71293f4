"""Settings of the national-portal sync: a Django setting of the same name wins,
else the environment variable, else the default (docs/national-portal.md).

The sync is off while ``MOTCUA_DVCQG_URL`` is empty: nothing is queued, and the
766 indicator 1.2 reads "không có dữ liệu" rather than 0 %.
"""

from __future__ import annotations

import json
import os
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from motcua.core.errors import DomainError

DEFAULTS: dict[str, str] = {
    # the portal's (or the provincial LGSP's) sync endpoint; empty: sync off
    "MOTCUA_DVCQG_URL": "",
    # sent as "Authorization: Bearer <token>"
    "MOTCUA_DVCQG_TOKEN": "",
    # seconds to wait for the portal's answer
    "MOTCUA_DVCQG_TIMEOUT": "15",
    # JSON object: our agency code (QCVN 102:2016) → the portal's MaDonVi;
    # an agency not listed is sent with its e-identifier, else its code
    "MOTCUA_DVCQG_AGENCY_CODES": "{}",
    # backfill and the nightly catch-up look at dossiers received from this
    # date (yyyy-mm-dd); empty: from the day the sync was switched on
    "MOTCUA_DVCQG_SINCE": "",
}

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def get(name: str) -> str:
    value: Any = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return str(value)


def endpoint() -> str:
    return get("MOTCUA_DVCQG_URL").strip()


def enabled() -> bool:
    """The sync is configured (an endpoint is set)."""
    return bool(endpoint())


def timeout() -> float:
    try:
        return float(get("MOTCUA_DVCQG_TIMEOUT"))
    except ValueError:
        raise DomainError(
            "nationalportal.bad_setting", "Cấu hình MOTCUA_DVCQG_TIMEOUT phải là số."
        ) from None


def agency_codes() -> dict[str, str]:
    try:
        data = json.loads(get("MOTCUA_DVCQG_AGENCY_CODES") or "{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise DomainError(
            "nationalportal.bad_setting",
            "Cấu hình MOTCUA_DVCQG_AGENCY_CODES phải là một đối tượng JSON "
            '{"mã cơ quan": "mã đơn vị trên Cổng"}.',
        )
    return {str(key): str(value) for key, value in data.items()}


def since() -> date | None:
    """``MOTCUA_DVCQG_SINCE`` as a date (None when empty)."""
    text = get("MOTCUA_DVCQG_SINCE").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(
            "nationalportal.bad_setting",
            "Cấu hình MOTCUA_DVCQG_SINCE phải là ngày dạng 2026-01-31.",
        ) from None


def endpoint_problem(url: str) -> str:
    """Why ``url`` may not receive the sync (empty: it may): ``https://`` only,
    plain ``http`` to this machine in debug mode and tests."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "Địa chỉ Cổng DVCQG không hợp lệ."
    if not host or parts.username or parts.password:
        return "Địa chỉ Cổng DVCQG phải có tên máy chủ, không chứa mật khẩu."
    if parts.scheme == "https":
        return ""
    local_ok = bool(getattr(settings, "MOTCUA_DVCQG_ALLOW_LOCAL_HTTP", settings.DEBUG))
    if parts.scheme == "http" and host in LOCAL_HOSTS and local_ok:
        return ""
    return "Địa chỉ Cổng DVCQG phải dùng https://."
