"""Answering with a protected file: a dossier's scan or result, a feedback attachment.

Every view that hands out a stored file after a permission check ends with
:func:`protected_file_response`. The check and the personal-data read log stay
in the view; this function only decides *who sends the bytes*:

- by default Django streams them (``FileResponse``) — the embedded profile and
  ``make demo`` have no nginx;
- when ``settings.MOTCUA_X_ACCEL_REDIRECT_PREFIX`` is set (production behind
  nginx, ``deploy/nginx/motcua.conf``), the answer is empty with an
  ``X-Accel-Redirect`` header naming the file under that prefix, and nginx sends
  the file from an ``internal`` location that no client can reach directly. A
  gunicorn worker is then free as soon as the check is done, instead of being
  held for the whole download by a slow mobile connection.
"""

from __future__ import annotations

from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


def accel_prefix() -> str:
    """The internal nginx location of stored files, or ``""`` when Django streams."""
    prefix = str(getattr(settings, "MOTCUA_X_ACCEL_REDIRECT_PREFIX", "") or "")
    return prefix.rstrip("/")


def protected_file_response(
    stored: FieldFile,
    *,
    content_type: str,
    filename: str,
    as_attachment: bool = False,
    opened: IO[bytes] | None = None,
) -> HttpResponseBase:
    """The response that delivers ``stored`` to a reader already checked.

    ``opened`` is the file when the caller had to open it already (it is closed
    when nginx sends the bytes instead). A missing file is a 404 in both modes.
    The response is never cached and never sniffed.
    """
    prefix = accel_prefix()
    response: HttpResponseBase
    if prefix:
        name = stored.name or ""
        if opened is not None:
            opened.close()
        elif not name or not stored.storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
        disposition = content_disposition_header(as_attachment, filename)
        if disposition:
            response["Content-Disposition"] = disposition
    else:
        if opened is None:
            try:
                opened = stored.open("rb")
            except FileNotFoundError:
                raise Http404 from None
        response = FileResponse(
            opened,
            content_type=content_type,
            as_attachment=as_attachment,
            filename=filename,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
