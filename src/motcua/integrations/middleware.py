"""Writes one :class:`ClientRequest` row per request an integration client
made (the row is prepared by the authentication: client, credential prefix,
route name, dossier code). No path, query string or body is kept."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from motcua.core import clock

from .authentication import RequestMark
from .models import ClientRequest

log = logging.getLogger(__name__)


class ClientRequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        at = clock.now()
        response = self.get_response(request)
        mark = getattr(request, "integration", None)
        if mark is not None:
            self._record(request, response, mark, at, started)
        return response

    def _record(
        self,
        request: HttpRequest,
        response: HttpResponse,
        mark: RequestMark,
        at: datetime,
        started: float,
    ) -> None:
        try:
            ClientRequest.objects.create(
                client=mark.client,
                credential_prefix=mark.credential_prefix,
                at=at,
                method=(request.method or "")[:8],
                route=mark.route[:100],
                dossier_code=mark.dossier_code,
                status=response.status_code,
                duration_ms=int((time.monotonic() - started) * 1000),
            )
        except DatabaseError:  # the answer is already made: never turn it into 500
            log.warning("client_request_log_failed")
