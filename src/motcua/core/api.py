"""DRF glue shared by every app: errors as ``{"code", "message"}``, never a 500."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    UnreadablePostError,
)
from django.http.multipartparser import MultiPartParserError
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from motcua.core.errors import DomainError
from motcua.core.parsers import INVALID_JSON_CODE, INVALID_JSON_MESSAGE, InvalidJSON
from motcua.deadlines.engine import DeadlineError

log = logging.getLogger(__name__)

# The JSON APIs: the main one and the satisfaction kiosk's (evaluation.api).
API_PREFIXES = ("/api/", "/danh-gia-hai-long/api/")
NOT_FOUND_MESSAGE = "Không tìm thấy tài nguyên yêu cầu."

_DRF_MESSAGES_VI = {
    exceptions.NotAuthenticated: (
        "auth.required",
        "Cần đăng nhập để thực hiện yêu cầu này.",
    ),
    exceptions.AuthenticationFailed: (
        "auth.failed",
        "Thông tin xác thực không hợp lệ.",
    ),
    exceptions.PermissionDenied: (
        "auth.forbidden",
        "Bạn không có quyền thực hiện thao tác này.",
    ),
    exceptions.MethodNotAllowed: (
        "http.method_not_allowed",
        "Phương thức không được hỗ trợ.",
    ),
    exceptions.NotAcceptable: (
        "http.not_acceptable",
        "Định dạng phản hồi không được hỗ trợ.",
    ),
    exceptions.UnsupportedMediaType: (
        "http.unsupported_media_type",
        "Định dạng dữ liệu không được hỗ trợ.",
    ),
    exceptions.Throttled: (
        "http.throttled",
        "Quá nhiều yêu cầu, vui lòng thử lại sau.",
    ),
    exceptions.ParseError: ("http.parse_error", "Dữ liệu gửi lên không đọc được."),
}


_UNREADABLE = (
    RecursionError,
    UnicodeDecodeError,
    BadRequest,
    SuspiciousOperation,  # too big, too many fields
    UnreadablePostError,
    MultiPartParserError,
)


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (one "Error" component in the schema)."""

    code = serializers.CharField(help_text="Mã lỗi ổn định, ví dụ dossier.changed")
    message = serializers.CharField(help_text="Thông báo tiếng Việt cho người dùng")


def error_response(code: str, message: str, http_status: int, **extra: Any) -> Response:
    return Response({"code": code, "message": message, **extra}, status=http_status)


def _unreadable(exc: Exception) -> Response | None:
    """400 for a body no parser could read — never a 500 for a parse error."""
    if isinstance(exc, InvalidJSON):
        return error_response(
            INVALID_JSON_CODE, INVALID_JSON_MESSAGE, status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, _UNREADABLE):
        # Last resort: the client's error, not ours (a 500 would also page the
        # operator for nothing).
        log.info("unreadable_request error=%s", type(exc).__name__)
        return error_response(
            "request.invalid",
            "Yêu cầu gửi lên không đọc được (định dạng, bảng mã hoặc kích thước).",
            status.HTTP_400_BAD_REQUEST,
        )
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Translate domain, engine and DRF errors into ``{"code", "message"}``."""
    if isinstance(exc, DomainError):
        response = error_response(exc.code, exc.message, exc.status)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:  # 429 auth.throttled
            response["Retry-After"] = str(retry_after)
        return response
    if isinstance(exc, DeadlineError):
        return error_response(exc.code, exc.message, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return error_response("not_found", NOT_FOUND_MESSAGE, status.HTTP_404_NOT_FOUND)
    if isinstance(exc, exceptions.ValidationError):
        return error_response(
            "invalid",
            "Dữ liệu không hợp lệ.",
            status.HTTP_400_BAD_REQUEST,
            fields=exc.detail,
        )
    unreadable = _unreadable(exc)
    if unreadable is not None:
        return unreadable
    drf_response = drf_exception_handler(exc, context)
    if drf_response is not None:
        for kind, (code, message) in _DRF_MESSAGES_VI.items():
            if isinstance(exc, kind):
                drf_response.data = {"code": code, "message": message}
                break
    return drf_response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 page (``handler404``): under an API prefix the house error
    body, so a URL no route matches (``/api/v1/dossiers/a/b/c/``, a draft id
    that is not a number) answers JSON like every other API error; elsewhere the
    page."""
    if request.path.startswith(API_PREFIXES):
        return JsonResponse(
            {"code": "not_found", "message": NOT_FOUND_MESSAGE}, status=404
        )
    return defaults.page_not_found(request, exception or Http404())
