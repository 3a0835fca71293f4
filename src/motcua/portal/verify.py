"""The public verification of a result PDF (xác thực văn bản điện tử).

Anyone may upload a PDF — a result they received, or one shown to them — and
read whether its signatures are valid, who signed and when, and whether the
document was changed after signing: :func:`motcua.signing.pdf.verify_pdf`, the
same check officers see. When the file is a result this system issued, the
page also names the dossier's code and the agency that issued it: the
signature's reason carries the code (``signing.services.approve_and_sign``)
and the file's SHA-256 must then equal that dossier's stored signed result —
or the part of it a signature covers, when something was appended after
signing. The code alone, which anyone could type into a PDF, proves nothing.

Nothing personal is read or shown beyond what the document itself carries
(the signer's name from its certificate). Uploads are checked by type (the
first bytes) and size before any parsing, and each address is throttled: the
check costs CPU.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from django.conf import settings

from motcua.core.errors import DomainError
from motcua.dossiers.files import detect_type
from motcua.dossiers.models import DossierFile
from motcua.security import throttle
from motcua.security.throttle import HOUR, Policy
from motcua.signing.pdf import SignatureReport, verify_pdf

# Each check parses a PDF and its signatures: 30 free an hour per address, then
# a short growing wait (the kiosk of a ward shares one address).
VERIFY_ADDRESS = Policy(
    "verify_address", free=30, base_delay=2, max_delay=2 * 60, forget_after=HOUR
)
_BYTE_RANGE = re.compile(
    rb"/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]"
)
_REASON_CODE = re.compile(r"hồ sơ\s+(\S{1,64})\s*$")
MAX_SIGNATURES = 20


@dataclass(frozen=True)
class Issued:
    """The dossier a verified file was issued for, by this system."""

    code: str
    agency: str
    procedure: str
    signed_at: datetime
    exact: bool  # the very file issued (else: it was appended to since)


@dataclass(frozen=True)
class Verification:
    report: SignatureReport
    issued: Issued | None
    sha256: str
    size: int


class TooManyChecks(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        return throttle.refusal_message(self.retry_after)


def _read(upload: Any) -> bytes:
    """The uploaded bytes, after checking size and type (a PDF by content)."""
    limit = int(settings.MOTCUA_MAX_UPLOAD_BYTES)
    size = int(getattr(upload, "size", 0) or 0)
    if size > limit:
        megabytes = f"{limit / (1024 * 1024):.1f}".replace(".", ",")
        raise DomainError("verify.too_large", f"Tệp quá lớn: tối đa {megabytes} MB.")
    upload.seek(0)
    content = bytes(upload.read(limit + 1))
    if not content:
        raise DomainError("verify.empty", "Tệp rỗng.")
    if len(content) > limit:
        raise DomainError("verify.too_large", "Tệp quá lớn.")
    detected = detect_type(content[:16])
    if detected is None or detected[0] != "application/pdf":
        raise DomainError(
            "verify.not_pdf",
            "Chỉ kiểm tra được tệp PDF (nhận biết theo nội dung tệp, không theo tên).",
        )
    return content


def verify_upload(upload: Any, *, address: str) -> Verification:
    """Check an uploaded PDF. Raises ``DomainError`` for a file that is no
    PDF, empty or too large, :class:`TooManyChecks` while the address waits.
    Call outside any transaction: the attempt counts even when it fails."""
    decision = throttle.attempt([(VERIFY_ADDRESS, address)])
    if not decision.allowed:
        raise TooManyChecks(decision.retry_after)
    content = _read(upload)
    report = verify_pdf(content)
    sha256 = hashlib.sha256(content).hexdigest()
    issued = issued_here(content, sha256) if report.signed else None
    return Verification(report, issued, sha256, len(content))


def _reason_codes(content: bytes) -> list[str]:
    """Dossier codes named in the signatures' reasons ("… hồ sơ <code>")."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        embedded = PdfFileReader(BytesIO(content), strict=False).embedded_signatures
    except Exception:  # a damaged file: nothing to look up
        return []
    codes = []
    for signature in embedded[:MAX_SIGNATURES]:
        try:
            reason = str(signature.sig_object.get("/Reason", "") or "")
        except Exception:
            continue
        match = _REASON_CODE.search(reason)
        if match:
            codes.append(match.group(1))
    return list(dict.fromkeys(codes))


def _signed_prefixes(content: bytes) -> set[str]:
    """SHA-256 of each revision a signature covers (the file up to the end of
    its ``/ByteRange``), for a file appended to after signing."""
    hashes = set()
    for match in list(_BYTE_RANGE.finditer(content))[:MAX_SIGNATURES]:
        start, length, offset, rest = (int(g) for g in match.groups())
        end = offset + rest
        if start == 0 and length <= offset and 0 < end < len(content):
            hashes.add(hashlib.sha256(content[:end]).hexdigest())
    return hashes


def issued_here(content: bytes, sha256: str) -> Issued | None:
    """The dossier whose signed result is this file (or the signed part of
    it), found through the code in its signature's reason; ``None`` when the
    file is no result signed here."""
    codes = _reason_codes(content)
    if not codes:
        return None
    candidates = list(
        DossierFile.objects.filter(
            dossier__code__in=codes,
            kind=DossierFile.Kind.RESULT,
            signature__isnull=False,
        )
        .select_related("dossier__agency", "dossier__procedure_version", "signature")
        .order_by("-id")[:50]
    )
    exact = next((f for f in candidates if f.sha256 == sha256), None)
    if exact is not None:
        return _issued(exact, exact=True)
    prefixes = _signed_prefixes(content)
    before = next((f for f in candidates if f.sha256 in prefixes), None)
    return _issued(before, exact=False) if before is not None else None


def _issued(item: DossierFile, *, exact: bool) -> Issued:
    dossier = item.dossier
    return Issued(
        code=dossier.code,
        agency=dossier.agency.name,
        procedure=dossier.procedure_version.name,
        signed_at=item.signature.signed_at,
        exact=exact,
    )
