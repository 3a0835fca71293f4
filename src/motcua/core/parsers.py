"""A JSON parser for the API that answers 400, never 500, on hostile bodies.

DRF's ``JSONParser`` turns a syntax error into 400 but lets two things through:
a deeply nested body (``[[[[…]]]]``) makes ``json.loads`` raise ``RecursionError``
(a 500), and a body is read whole whatever its size. Here a body is at most
``MOTCUA_MAX_JSON_BYTES`` (default 1 MB), nested at most
``MOTCUA_MAX_JSON_DEPTH`` levels (default 32), UTF-8 as RFC 8259 requires
(a declared charset is ignored); anything else is 400 ``request.invalid_json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
INVALID_JSON_CODE = "request.invalid_json"
INVALID_JSON_MESSAGE = (
    "Dữ liệu JSON gửi lên không hợp lệ (sai cú pháp, không phải UTF-8, lồng quá sâu "
    "hoặc quá lớn)."
)
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


class InvalidJSON(exceptions.ParseError):
    default_detail = INVALID_JSON_MESSAGE
    default_code = INVALID_JSON_CODE


def nesting_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in ``raw`` (strings skipped)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def loads(raw: bytes) -> Any:
    """``raw`` as JSON within the limits, or :class:`InvalidJSON`."""
    limit = getattr(settings, "MOTCUA_MAX_JSON_BYTES", MAX_BYTES)
    if len(raw) > limit:
        raise InvalidJSON()
    if nesting_depth(raw) > getattr(settings, "MOTCUA_MAX_JSON_DEPTH", MAX_DEPTH):
        raise InvalidJSON()
    try:
        text = raw.decode("utf-8-sig")
        return json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise InvalidJSON() from exc


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class SafeJSONParser(JSONParser):
    def parse(
        self,
        stream: IO[bytes] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        if stream is None:
            return {}
        limit = getattr(settings, "MOTCUA_MAX_JSON_BYTES", MAX_BYTES)
        return loads(stream.read(limit + 1))
