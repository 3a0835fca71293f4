"""The QR code printed on every slip opens that dossier's public tracking page
without a second factor: the paper slip, handed to the applicant, is the proof.

The link carries a signed token ``<id>.<signature>`` (``django.core.signing``,
salt :data:`SALT`): the signature covers the dossier's id *and* its code, so a
token names exactly one dossier row and cannot be moved to another, and it
holds no personal data. Tokens do not expire (a slip is kept for months);
they are revoked all at once by changing ``MOTCUA_TRACKING_QR_REVISION`` (or
the secret key without keeping the old one in ``SECRET_KEY_FALLBACKS``) —
every slip printed before then opens only the typed look-up.

It lives in the domain (not in the portal that shows the page) because every
part that names a dossier to its applicant — slips, messages, the citizen's
pages, payments, ratings — needs the same link; ``motcua.portal.qr`` re-exports it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

from motcua.core.statements import Statement

from .models import Dossier

SALT = "motcua.portal.tracking-qr"
# id, then the base64url HMAC-SHA256 signature (43 characters)
TOKEN_RE = re.compile(r"^(?P<id>[1-9][0-9]{0,17})\.(?P<sig>[A-Za-z0-9_-]{43})$")
_QR_PATH_RE = re.compile(r"/tra-cuu/qr/(?P<token>[^/?#]+)/?$")


# Every QR look-up (ADR 0033: compiled once; the key is unique).
_BY_ID: Statement[Dossier] = Statement(
    lambda dossier_id: Dossier.objects.filter(pk=dossier_id).select_related(
        "agency", "applicant", "procedure_version"
    ),
    dossier_id=int,
)


def _signer() -> signing.Signer:
    revision = str(getattr(settings, "MOTCUA_TRACKING_QR_REVISION", "") or "")
    return signing.Signer(salt=f"{SALT}:{revision}")


def _signed_value(dossier_id: int, code: str) -> str:
    return f"{dossier_id}:{code}"


def token_for(dossier: Dossier) -> str:
    """The opaque token of ``dossier``'s QR link."""
    signed = _signer().sign(_signed_value(dossier.pk, dossier.code))
    return f"{dossier.pk}.{signed.rsplit(':', 1)[1]}"


def qr_path(dossier: Dossier) -> str:
    """``/tra-cuu/qr/<token>/``."""
    return reverse("portal:qr", kwargs={"token": token_for(dossier)})


def qr_url(base_url: str, dossier: Dossier) -> str:
    """The absolute link a slip's QR code carries."""
    return f"{base_url.rstrip('/')}{qr_path(dossier)}"


def dossier_for_token(token: str) -> Dossier | None:
    """The dossier a genuine token names, or ``None`` (malformed, forged,
    revoked, or the dossier is gone) — always one query, whatever the token."""
    match = TOKEN_RE.match(token or "")
    dossier_id = int(match["id"]) if match else 0
    dossier = _BY_ID.first(dossier_id=dossier_id)
    if match is None or dossier is None:
        return None
    signed = f"{_signed_value(dossier.pk, dossier.code)}:{match['sig']}"
    try:
        _signer().unsign(signed)  # constant time, also tries SECRET_KEY_FALLBACKS
    except signing.BadSignature:
        return None
    return dossier


def code_from_qr_url(text: str) -> str | None:
    """The dossier code behind a scanned QR link (``…/tra-cuu/qr/<token>/``),
    or ``None`` when ``text`` is no genuine QR link — for the desk's scanner
    box, which must then check the officer may see that dossier."""
    path = urlsplit((text or "").strip()).path
    match = _QR_PATH_RE.search(path)
    if match is None:
        return None
    dossier = dossier_for_token(match["token"])
    return dossier.code if dossier is not None else None
