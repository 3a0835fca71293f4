"""No personal data in logs: a filter that masks it before any handler writes.

Installed on every handler in ``LOGGING`` (handlers, not loggers: a logger's
filter does not see records propagated from its children), it rewrites the
formatted message of each record:

* the value of a sensitive key in a query string, form or JSON fragment
  (``?id_number=048090001234``, ``"phone": "0905..."``) becomes ``***``;
* any other run of 9 to 12 digits — the length of a CCCD/CMND number or a
  Vietnamese phone number, with or without ``+84`` — becomes ``***``.

So ``django.server`` (runserver's access lines), ``django.request`` (404/500
lines with the path) and our own loggers never print them.
"""

from __future__ import annotations

import logging
import re

SENSITIVE_KEYS = (
    "id_number",
    "so_dinh_danh",
    "cccd",
    "cmnd",
    "phone",
    "dien_thoai",
    "so_dien_thoai",
    "xac_thuc",
    "token",
    "access_token",
    "refresh_token",
    "email",
    "password",
    "mat_khau",
    "secret",
    "otp",
    "code_verifier",
)
MASK = "***"

_KEYS = "|".join(sorted((re.escape(k) for k in SENSITIVE_KEYS), key=len, reverse=True))
# key=value (query string, form body) and "key": "value" (JSON, repr of a dict).
_PAIR = re.compile(
    rf"""(?ix)
    (?P<key>(?<![A-Za-z0-9])(?:{_KEYS}))
    (?P<sep>["']?\s*[:=]\s*["']?|%3D)
    (?P<value>[^&\s"',;}}\]]+)
    """
)
_DIGITS = re.compile(r"(?<![\d.])(?:\+|%2B)?\d{9,12}(?![\d])")


def scrub(text: str) -> str:
    """``text`` with sensitive values and ID/phone-like digit runs masked."""
    text = _PAIR.sub(lambda m: f"{m['key']}{m['sep']}{MASK}", text)
    return _DIGITS.sub(MASK, text)


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        # A traceback may quote values too (a database error names the row's key
        # and value): format it here, scrubbed; formatters reuse ``exc_text``.
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(_FORMATTER.formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


_FORMATTER = logging.Formatter()
