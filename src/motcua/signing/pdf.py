"""PAdES signatures on result PDFs (pyHanko), and their verification.

``sign_pdf`` appends an invisible PAdES-B-B signature in the field
"Chữ ký lãnh đạo", signing time from ``motcua.core.clock``. ``verify_pdf`` checks
every signature of a file: *intact* (the signed bytes are unchanged and the
signature value is correct) and *valid* (also chains to a ``TrustedRoot``, and
nothing but further signatures was added after signing). No network access:
revocation is checked only when the file carries the data (soft-fail).
Library errors never escape: they become a ``DomainError`` (signing) or a
problem in the report (verification).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.views.decorators.debug import sensitive_variables

from motcua.core import clock
from motcua.core.errors import DomainError

from . import crypto
from .models import LeaderCertificate, TrustedRoot

# pyHanko (with aiohttp, asn1crypto and the certificate validator, some 40 MB of
# a worker's memory) is imported by the functions that sign or verify, not at
# start-up: most requests never touch a signature.
if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
    from pyhanko.sign.validation.status import PdfSignatureStatus

log = logging.getLogger(__name__)

FIELD_NAME = "Chữ ký lãnh đạo"


@cache
def _harmless() -> tuple[Any, ...]:
    """Changes allowed after a signature: none, validation data, more signatures."""
    from pyhanko.sign.diff_analysis import ModificationLevel

    return (
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
        ModificationLevel.FORM_FILLING,
    )


_TRUST_PROBLEMS = {
    "NO_CERTIFICATE_CHAIN_FOUND": "Chứng thư của người ký không thuộc một tổ chức "
    "cung cấp dịch vụ chứng thực được hệ thống tin cậy (không có chứng thư gốc "
    "phù hợp).",
    "OUT_OF_BOUNDS_NO_POE": "Chứng thư của người ký đã hết hạn hoặc chưa có hiệu lực.",
    "EXPIRED": "Chứng thư của người ký đã hết hạn.",
    "NOT_YET_VALID": "Chứng thư của người ký chưa có hiệu lực.",
    "REVOKED": "Chứng thư của người ký đã bị thu hồi.",
    "REVOKED_NO_POE": "Chứng thư của người ký đã bị thu hồi.",
    "REVOKED_CA_NO_POE": "Chứng thư của tổ chức cấp đã bị thu hồi.",
}


@dataclass
class SignatureReport:
    """What the dossier page shows about a file's signatures."""

    signed: bool
    intact: bool
    valid: bool
    signer_name: str = ""
    signing_time: datetime | None = None
    problems: list[str] = field(default_factory=list)
    issuer: str = ""
    signature_count: int = 0

    @property
    def label(self) -> str:
        if not self.signed:
            return "Chưa ký số"
        if not self.intact:
            return "Chữ ký không còn nguyên vẹn — tệp đã bị thay đổi"
        if not self.valid:
            return "Chữ ký nguyên vẹn nhưng chưa xác thực được"
        return "Chữ ký số hợp lệ"


# ------------------------------------------------------------------ signing
@cache
def _clocked_signer() -> type[Any]:
    from pyhanko.sign import signers

    class ClockedSigner(signers.PdfSigner):
        """pyHanko takes the signing time from the system clock; ours is
        injected."""

        def init_signing_session(
            self, pdf_out: Any, existing_fields_only: bool = False
        ) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = clock.now()
            return session

    return ClockedSigner


@sensitive_variables("password", "passphrase")
def load_signer(
    certificate: LeaderCertificate, password: str | None
) -> signers.SimpleSigner:
    """The key material of ``certificate``, opened with ``password`` (or the
    stored one)."""
    from pyhanko.sign import signers

    stored = bytes(certificate.password_sealed or b"")
    if password is not None:
        passphrase = password.encode()
    elif stored and not certificate.ask_password_each_time:
        passphrase = crypto.unseal(stored)
    else:
        raise DomainError(
            "signing.password_required", "Cần nhập mật khẩu của chứng thư số để ký."
        )
    p12 = crypto.unseal(bytes(certificate.p12_sealed))
    try:
        return signers.SimpleSigner.load_pkcs12_data(p12, [], passphrase=passphrase)
    except (ValueError, TypeError):
        raise DomainError(
            "signing.bad_password", "Mật khẩu của chứng thư số không đúng."
        ) from None


def _check_usable(certificate: LeaderCertificate) -> None:
    now = clock.now()
    if not certificate.is_active:
        raise DomainError(
            "signing.inactive_certificate", "Chứng thư số này đã ngừng sử dụng."
        )
    if now > certificate.not_after:
        raise DomainError("signing.expired", "Chứng thư số đã hết hạn.")
    if now < certificate.not_before:
        raise DomainError("signing.not_yet_valid", "Chứng thư số chưa có hiệu lực.")


@sensitive_variables("password")
def sign_pdf(
    pdf_bytes: bytes,
    certificate: LeaderCertificate,
    *,
    password: str | None = None,
    reason: str,
    location: str,
) -> bytes:
    """``pdf_bytes`` with a PAdES signature of ``certificate`` appended
    (Decree 130/2018/NĐ-CP, Law on E-Transactions 2023: a digital signature
    under a valid certificate)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    _check_usable(certificate)
    signer = load_signer(certificate, password)
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
        if writer.prev.encrypted:
            raise DomainError(
                "signing.encrypted_pdf", "Không ký được tệp PDF có đặt mật khẩu."
            )
        meta = signers.PdfSignatureMetadata(
            field_name=_free_field_name(writer),
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            location=location,
            name=certificate.subject_cn,
        )
        output = _clocked_signer()(meta, signer=signer).sign_pdf(writer)
    except DomainError:
        raise
    except Exception as exc:  # pyHanko raises many kinds on a bad file
        log.warning(
            "pdf_sign_failed certificate=%s error=%s",
            certificate.pk,
            type(exc).__name__,
        )
        raise DomainError(
            "signing.bad_pdf",
            "Không ký được tệp: tệp không phải PDF hợp lệ hoặc đã bị khóa ký.",
        ) from None
    log.info("pdf_signed certificate=%s", certificate.pk)
    return bytes(output.getvalue())


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    """ "Chữ ký lãnh đạo", or "Chữ ký lãnh đạo 2", … when already signed."""
    from pyhanko.sign.fields import enumerate_sig_fields

    taken = {name for name, _, _ in enumerate_sig_fields(writer.prev)}
    number = 1
    name = FIELD_NAME
    while name in taken:
        number += 1
        name = f"{FIELD_NAME} {number}"
    return name


# ------------------------------------------------------------- verification
def trust_roots() -> list[asn1_x509.Certificate]:
    """The roots uploaded by administrators, ready for pyHanko."""
    from asn1crypto import x509 as asn1_x509

    roots = []
    for pem in TrustedRoot.objects.values_list("pem", flat=True):
        try:
            roots.append(asn1_x509.Certificate.load(pem_to_der(pem)))
        except ValueError:
            log.warning("trusted_root_unreadable")
    return roots


def pem_to_der(pem: str) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return x509.load_pem_x509_certificate(pem.encode()).public_bytes(Encoding.DER)


def verify_pdf(
    pdf_bytes: bytes, *, roots: Sequence[asn1_x509.Certificate] | None = None
) -> SignatureReport:
    """Check every signature of a PDF against the trusted roots (from the
    database unless ``roots`` is given). Never raises."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    if b"%PDF-" not in pdf_bytes[:1024]:
        return SignatureReport(False, False, False, problems=["Tệp không phải PDF."])
    try:
        embedded = PdfFileReader(BytesIO(pdf_bytes), strict=False).embedded_signatures
    except Exception:
        looks_signed = b"/ByteRange" in pdf_bytes
        return SignatureReport(
            looks_signed,
            False,
            False,
            problems=["Không đọc được tệp PDF: tệp bị hỏng hoặc đã bị sửa."],
        )
    if not embedded:
        return SignatureReport(False, False, False, problems=["Tệp chưa có chữ ký số."])
    roots = trust_roots() if roots is None else list(roots)
    report = SignatureReport(True, True, True, signature_count=len(embedded))
    for signature in embedded:
        _check_one(signature, roots, report)
    return report


def _check_one(
    signature: EmbeddedPdfSignature,
    roots: list[asn1_x509.Certificate],
    report: SignatureReport,
) -> None:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(
        trust_roots=roots,
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=clock.now(),
    )
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as exc:
        log.info("pdf_verify_failed error=%s", type(exc).__name__)
        report.intact = report.valid = False
        report.problems.append("Không kiểm tra được chữ ký: dữ liệu chữ ký bị hỏng.")
        return
    report.signer_name = _common_name(status.signing_cert.subject)
    report.issuer = _common_name(status.signing_cert.issuer)
    report.signing_time = signature.self_reported_timestamp
    who = f"Chữ ký của {report.signer_name}" if report.signer_name else "Chữ ký"
    if not (status.intact and status.valid):
        report.intact = report.valid = False
        report.problems.append(
            f"{who} không còn nguyên vẹn: nội dung tệp đã bị thay đổi sau khi ký."
        )
        return
    if not status.trusted:
        report.valid = False
        report.problems.append(_trust_problem(status))
    if not _unchanged_after(status):
        report.valid = False
        report.problems.append(
            f"{who}: tệp đã bị sửa đổi nội dung sau khi ký (thêm một lần cập nhật)."
        )


def _unchanged_after(status: PdfSignatureStatus) -> bool:
    level = status.modification_level
    return level is None or (level in _harmless() and status.docmdp_ok is not False)


def _trust_problem(status: PdfSignatureStatus) -> str:
    indication = getattr(status.trust_problem_indic, "name", "")
    return _TRUST_PROBLEMS.get(
        indication,
        f"Không xác thực được chứng thư của người ký ({indication or 'không rõ'}).",
    )


def _common_name(name: asn1_x509.Name) -> str:
    native = name.native
    return str(native.get("common_name") or name.human_friendly)
