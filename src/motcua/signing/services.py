"""Writes: leaders' certificates, trusted roots, approve-and-sign, the duty rota.

Each service checks the actor's role with ``has_role`` and runs in one
transaction; a refusal is a ``DomainError`` with a Vietnamese message and a
stable ``signing.*`` code, and changes nothing. Passwords are never logged
(``sensitive_variables`` also keeps them out of error reports).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.views.decorators.debug import sensitive_variables

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import has_role
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.files import dossier_file_upload, open_file
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.services import dossier_approve

from . import crypto
from .models import DutyRota, LeaderCertificate, Signature, TrustedRoot
from .pdf import SignatureReport, sign_pdf, verify_pdf
from .selectors import active_certificate, duty_for, is_system_admin

__all__ = [
    "SignatureReport",
    "approve_and_sign",
    "certificate_deactivate",
    "certificate_upload",
    "duty_for",
    "duty_remove",
    "duty_set",
    "sign_pdf",
    "trusted_root_delete",
    "trusted_root_upload",
    "verify_file",
    "verify_pdf",
]

log = logging.getLogger(__name__)

MAX_P12_BYTES = 64 * 1024
MAX_CERTIFICATE_BYTES = 64 * 1024
DUTY_ROLES = (Role.AGENCY_ADMIN, Role.LEADER)


def _forbidden(message: str) -> DomainError:
    return DomainError("auth.forbidden", message, status=403)


def _require(actor: Any, agency: Agency, roles: Any, what: str) -> None:
    if actor is None or not has_role(actor, agency, roles):
        raise _forbidden(f"Bạn không có quyền {what} của {agency.name}.")


# ------------------------------------------------------------ certificates
def _common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else name.rfc4514_string()


def _public_der(key: Any) -> bytes:
    return bytes(
        key.public_bytes(
            serialization.Encoding.DER,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
    )


@sensitive_variables("password", "p12_bytes")
def _open_p12(p12_bytes: bytes, password: str) -> x509.Certificate:
    if not p12_bytes or len(p12_bytes) > MAX_P12_BYTES:
        raise DomainError(
            "signing.bad_file", "Tệp chứng thư số rỗng hoặc quá lớn (tối đa 64 KB)."
        )
    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(
            p12_bytes, password.encode()
        )
    except (ValueError, TypeError):
        raise DomainError(
            "signing.bad_password",
            "Không mở được tệp chứng thư số: sai mật khẩu hoặc tệp không phải "
            "PKCS#12 (.p12, .pfx).",
        ) from None
    if key is None or certificate is None:
        raise DomainError(
            "signing.incomplete",
            "Tệp PKCS#12 phải chứa cả chứng thư và khóa bí mật của người ký.",
        )
    if _public_der(key.public_key()) != _public_der(certificate.public_key()):
        raise DomainError(
            "signing.key_mismatch", "Khóa bí mật trong tệp không khớp với chứng thư."
        )
    return certificate


def _check_certificate(certificate: x509.Certificate) -> None:
    now = clock.now()
    if now > certificate.not_valid_after_utc:
        raise DomainError("signing.expired", "Chứng thư số đã hết hạn.")
    if now < certificate.not_valid_before_utc:
        raise DomainError("signing.not_yet_valid", "Chứng thư số chưa có hiệu lực.")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise DomainError(
            "signing.bad_key_usage", "Chứng thư số này không dùng để ký số."
        )


@sensitive_variables("password", "p12_bytes")
@transaction.atomic
def certificate_upload(
    actor: Any,
    *,
    user: Any,
    agency: Agency,
    p12_bytes: bytes,
    password: str,
    ask_password_each_time: bool = False,
) -> LeaderCertificate:
    """Register a leader's signing certificate (PKCS#12) for ``agency``; it
    replaces the leader's previous one there. Agency administrators only."""
    _require(actor, agency, [Role.AGENCY_ADMIN], "quản lý chứng thư số")
    if user is None or not getattr(user, "is_active", False):
        raise DomainError("signing.not_a_leader", "Tài khoản lãnh đạo không hợp lệ.")
    if not has_role(user, agency, [Role.LEADER]):
        raise DomainError(
            "signing.not_a_leader",
            f"{user} không giữ vai trò lãnh đạo tại {agency.name}.",
        )
    password = password or ""
    certificate = _open_p12(p12_bytes, password)
    _check_certificate(certificate)
    now = clock.now()
    LeaderCertificate.objects.filter(user=user, agency=agency, is_active=True).update(
        is_active=False, deactivated_at=now
    )
    row = LeaderCertificate.objects.create(
        user=user,
        agency=agency,
        p12_sealed=crypto.seal(p12_bytes),
        password_sealed=b""
        if ask_password_each_time
        else crypto.seal(password.encode()),
        ask_password_each_time=ask_password_each_time,
        subject_cn=_common_name(certificate.subject)[:255],
        issuer=certificate.issuer.rfc4514_string()[:500],
        serial_number=f"{certificate.serial_number:X}"[:64],
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
        uploaded_by=actor,
        uploaded_at=now,
    )
    log.info(
        "certificate_upload certificate=%s agency=%s user=%s",
        row.pk,
        agency.pk,
        user.pk,
    )
    return row


@transaction.atomic
def certificate_deactivate(actor: Any, certificate: LeaderCertificate) -> None:
    """Stop using a certificate (lost token, leader moved): it signs no more."""
    _require(actor, certificate.agency, [Role.AGENCY_ADMIN], "quản lý chứng thư số")
    if certificate.is_active:
        certificate.is_active = False
        certificate.deactivated_at = clock.now()
        certificate.save(update_fields=["is_active", "deactivated_at"])


# ------------------------------------------------------------ trusted roots
def _load_ca(data: bytes) -> x509.Certificate:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise DomainError(
            "signing.bad_root", "Tệp không phải chứng thư X.509 (PEM hoặc DER)."
        ) from None


@transaction.atomic
def trusted_root_upload(actor: Any, *, name: str, data: bytes) -> TrustedRoot:
    """Trust a certification authority's root for verifying signatures. Trust
    is system-wide, so only a system administrator may add one."""
    if not is_system_admin(actor):
        raise _forbidden("Chỉ quản trị hệ thống được thêm chứng thư gốc tin cậy.")
    name = (name or "").strip()
    if not name:
        raise DomainError("signing.name_required", "Cần nhập tên chứng thư gốc.")
    if not data or len(data) > MAX_CERTIFICATE_BYTES:
        raise DomainError(
            "signing.bad_root", "Tệp chứng thư gốc rỗng hoặc quá lớn (tối đa 64 KB)."
        )
    certificate = _load_ca(data)
    try:
        constraints = certificate.extensions.get_extension_for_class(
            x509.BasicConstraints
        ).value
    except x509.ExtensionNotFound:
        constraints = None
    if constraints is None or not constraints.ca:
        raise DomainError(
            "signing.not_a_ca", "Chứng thư này không phải chứng thư của tổ chức cấp."
        )
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
    if TrustedRoot.objects.filter(fingerprint=fingerprint).exists():
        raise DomainError("signing.duplicate_root", "Chứng thư gốc này đã có.")
    return TrustedRoot.objects.create(
        name=name[:255],
        pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        subject=certificate.subject.rfc4514_string()[:500],
        fingerprint=fingerprint,
        not_after=certificate.not_valid_after_utc,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )


@transaction.atomic
def trusted_root_delete(actor: Any, root: TrustedRoot) -> None:
    if not is_system_admin(actor):
        raise _forbidden("Chỉ quản trị hệ thống được xóa chứng thư gốc tin cậy.")
    root.delete()


# ------------------------------------------------------------ approve & sign
def signed_name(original: str) -> str:
    stem = original[:-4] if original.lower().endswith(".pdf") else original
    return f"{stem or 'ket-qua'}-da-ky.pdf"


def _read(item: DossierFile) -> bytes:
    with open_file(item) as stream:
        return bytes(stream.read())


@sensitive_variables("password")
@transaction.atomic
def approve_and_sign(
    actor: Any,
    dossier: Dossier,
    *,
    result_file: DossierFile,
    password: str | None = None,
    note: str = "",
    step_id: int | None = None,
    expected_version: int | None = None,
) -> DossierFile:
    """The leader approves the dossier and signs its result (Decree 61/2018
    Art. 19(2)); the signed copy is a new result file. All or nothing."""
    if result_file.dossier_id != dossier.pk or result_file.kind != (
        DossierFile.Kind.RESULT
    ):
        raise DomainError(
            "signing.not_a_result", "Chỉ ký được tệp kết quả của chính hồ sơ này."
        )
    agency = dossier.agency
    _require(actor, agency, [Role.LEADER], "ký kết quả hồ sơ")
    certificate = active_certificate(actor, agency)
    if certificate is None:
        raise DomainError(
            "signing.no_certificate",
            f"Bạn chưa có chứng thư số đang sử dụng tại {agency.name}; "
            "đề nghị quản trị cơ quan tải lên.",
        )
    try:
        content = _read(result_file)
    except OSError:
        raise DomainError(
            "signing.file_missing", "Không đọc được tệp kết quả đã lưu.", status=409
        ) from None
    if not content.startswith(b"%PDF-"):
        raise DomainError("signing.not_pdf", "Chỉ ký được tệp kết quả dạng PDF.")
    approved = dossier_approve(
        actor, dossier, step_id=step_id, note=note, expected_version=expected_version
    )
    signed = sign_pdf(
        content,
        certificate,
        password=password,
        reason=f"Phê duyệt kết quả giải quyết hồ sơ {approved.code}",
        location=agency.name,
    )
    item = dossier_file_upload(
        actor,
        approved,
        upload=ContentFile(signed, name=signed_name(result_file.original_name)),
        kind=DossierFile.Kind.RESULT,
    )
    try:
        Signature.objects.create(
            file=item,
            source=result_file,
            agency=agency,
            certificate=certificate,
            signer=actor,
            signed_at=item.uploaded_at,
        )
    except Exception:
        item.file.storage.delete(item.file.name)
        raise
    log.info("dossier_signed dossier=%s file=%s", approved.pk, item.pk)
    return item


def verify_file(item: DossierFile) -> SignatureReport:
    """The verification report of a stored dossier file."""
    try:
        content = _read(item)
    except OSError:
        return SignatureReport(
            False, False, False, problems=["Không đọc được tệp đã lưu."]
        )
    return verify_pdf(content)


# ------------------------------------------------------------ duty rota
@transaction.atomic
def duty_set(
    actor: Any,
    *,
    agency: Agency,
    date: dt.date,
    session: str,
    leader: Any,
    note: str = "",
) -> DutyRota:
    """Put ``leader`` on signing duty at the desk for a half-day (replaces who
    was there). Agency administrators and leaders of the agency."""
    _require(actor, agency, DUTY_ROLES, "sửa lịch trực ký")
    if session not in DutyRota.Session.values:
        raise DomainError(
            "signing.invalid_session", "Buổi trực phải là sáng hoặc chiều."
        )
    if not isinstance(date, dt.date) or date < clock.today():
        raise DomainError(
            "signing.duty_in_past", "Không sửa lịch trực ký của ngày đã qua."
        )
    if (
        leader is None
        or not getattr(leader, "is_active", False)
        or not has_role(leader, agency, [Role.LEADER])
    ):
        raise DomainError(
            "signing.duty_not_a_leader",
            f"Người trực ký phải là lãnh đạo của {agency.name}.",
        )
    try:
        with transaction.atomic():
            row, _ = DutyRota.objects.update_or_create(
                agency=agency,
                date=date,
                session=session,
                defaults={
                    "leader": leader,
                    "note": (note or "").strip()[:255],
                    "updated_by": actor,
                    "updated_at": clock.now(),
                },
            )
    except IntegrityError:
        raise DomainError(
            "signing.duty_changed",
            "Lịch trực vừa được người khác cập nhật; vui lòng thử lại.",
            status=409,
        ) from None
    return row


@transaction.atomic
def duty_remove(actor: Any, entry: DutyRota) -> None:
    """Remove a half-day from the rota (not for days already past)."""
    _require(actor, entry.agency, DUTY_ROLES, "sửa lịch trực ký")
    if entry.date < clock.today():
        raise DomainError(
            "signing.duty_in_past", "Không sửa lịch trực ký của ngày đã qua."
        )
    entry.delete()
