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
  held for the whole download by a slow mobile connection;
- when the files are in an S3-compatible bucket (``MOTCUA_S3_BUCKET``), nginx
  has no folder to read: Django streams the object, or, for a download (an
  attachment) with ``MOTCUA_S3_SIGNED_URL_SECONDS`` > 0, answers with a
  redirect to a URL signed for that many seconds, which names the type and the
  disposition the answer must carry (``response-content-*``), so the bucket
  sends the bytes. A file shown inline (in a frame of our pages) is always
  streamed: the Content-Security-Policy lets our pages frame our origin only.
"""

from __future__ import annotations

import posixpath
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


def accel_prefix() -> str:
    """The internal nginx location of stored files, or ``""`` when Django streams."""
    prefix = str(getattr(settings, "MOTCUA_X_ACCEL_REDIRECT_PREFIX", "") or "")
    return prefix.rstrip("/")


def is_folder(storage: Storage) -> bool:
    """Whether ``storage`` keeps its files in a local folder (``MEDIA_ROOT``)
    rather than in object storage."""
    return isinstance(storage, FileSystemStorage)


def signed_url_seconds(storage: Storage) -> int:
    """How long a signed download URL lives, or 0 when Django streams the file
    (always 0 for a folder: it has no signed URLs)."""
    if is_folder(storage):
        return 0
    return max(int(getattr(settings, "MOTCUA_S3_SIGNED_URL_SECONDS", 0) or 0), 0)


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
    when nginx or the bucket sends the bytes instead). A missing file is a 404
    in every mode. The response is never cached and never sniffed.
    """
    storage = stored.storage
    prefix = accel_prefix() if is_folder(storage) else ""
    # A file shown inside our pages (inline: a frame, an image) stays on our
    # origin, which the Content-Security-Policy allows; a download may leave it.
    seconds = signed_url_seconds(storage) if as_attachment else 0
    response: HttpResponseBase
    if prefix or seconds:
        name = stored.name or ""
        if opened is not None:
            opened.close()
        elif not name or not storage.exists(name):
            raise Http404
        if prefix:
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
            disposition = content_disposition_header(as_attachment, filename)
            if disposition:
                response["Content-Disposition"] = disposition
        else:
            response = _signed_redirect(
                storage, name, seconds, content_type, as_attachment
            )
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


def _signed_redirect(
    storage: Storage, name: str, seconds: int, content_type: str, as_attachment: bool
) -> HttpResponseRedirect:
    """A redirect to the object, signed for ``seconds``; the bucket answers with
    the type, the disposition and the no-store rule asked for here. The URL
    carries them, so it names the stored (random) file name, never the uploaded
    one, which may name a person; it must not leak to another site (no
    referrer)."""
    parameters = {
        "ResponseContentType": content_type,
        "ResponseCacheControl": "private, no-store",
        "ResponseContentDisposition": content_disposition_header(
            as_attachment, posixpath.basename(name)
        ),
    }
    url = storage.url(name, parameters=parameters, expire=seconds)  # type: ignore[call-arg]
    response = HttpResponseRedirect(url)
    response["Referrer-Policy"] = "no-referrer"
    return response
