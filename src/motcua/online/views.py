"""Online submission views (issue 12 item 3)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def submit(request: HttpRequest, code: str) -> HttpResponse:
    """Replaced by the online-submission form; until then no page exists."""
    raise Http404
