"""Refuse input no field may ever hold, before any view sees it.

PostgreSQL text cannot contain a NUL character: a query parameter such as
``?q=a%00b`` reaching a filter makes the driver raise, a 500 on PostgreSQL only
(SQLite accepts it). Forms and DRF serializers already refuse NUL in their
fields; this guard covers every parameter read directly (search boxes, lookup
codes, filters): a NUL anywhere in the path, the query string or a staff
page's form field is 400 ``request.invalid_character``. A form body in
another charset than UTF-8 is 400 ``request.bad_charset`` (Django refuses to
decode it); a broken multipart body is 400 ``request.unreadable``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

NUL = "\x00"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
STAFF = ("/can-bo/", "/bao-cao/", "/danh-gia/")
MESSAGES = {
    "request.invalid_character": "Dữ liệu gửi lên chứa ký tự không hợp lệ (NUL).",
    "request.unreadable": "Hệ thống không đọc được biểu mẫu gửi lên.",
    "request.bad_charset": (
        "Biểu mẫu phải được gửi bằng bảng mã UTF-8; hệ thống không đọc được dữ liệu."
    ),
}


def _has_nul(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in pairs)


def refusal(request: HttpRequest, code: str) -> HttpResponse:
    message = MESSAGES[code]
    if request.path_info.startswith("/api/"):
        return JsonResponse({"code": code, "message": message}, status=400)
    return render(request, "400.html", {"code": code, "message": message}, status=400)


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path_info or _has_nul(request.GET.lists()):
            return refusal(request, "request.invalid_character")
        if request.method == "POST" and self._reads_body(request):
            # Parsed here as the CSRF check would anyway; uploads stay files.
            try:
                form = request.POST
            except BadRequest:
                return refusal(request, "request.bad_charset")
            except MultiPartParserError:
                return refusal(request, "request.unreadable")
            if request.path_info.startswith(STAFF) and _has_nul(form.lists()):
                return refusal(request, "request.invalid_character")
        return self.get_response(request)

    @staticmethod
    def _reads_body(request: HttpRequest) -> bool:
        """The API parses its own bodies (DRF; serializer fields refuse NUL).
        Staff pages read posted values directly: every form is checked there.
        Public forms are Django forms, which refuse NUL themselves: only their
        charset is checked."""
        path = request.path_info
        if path.startswith("/api/"):
            return False
        if path.startswith(STAFF):
            return request.content_type in FORMS
        return request.content_type == "application/x-www-form-urlencoded"
