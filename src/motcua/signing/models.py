"""Leaders' signing certificates, the roots trusted to verify signatures, the
signatures made here, and the leaders' signing duty at the desk (lịch trực ký).

Secrets are never stored in clear: ``p12_sealed`` and ``password_sealed`` hold
Fernet tokens (``crypto.py``). Rows are written only by ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LeaderCertificate(models.Model):
    """A leader's certificate and private key (PKCS#12), used to sign results of
    one agency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo"),
        on_delete=models.PROTECT,
        related_name="signing_certificates",
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT
    )
    p12_sealed = models.BinaryField(editable=False)
    password_sealed = models.BinaryField(editable=False, blank=True, default=b"")
    ask_password_each_time = models.BooleanField(
        _("hỏi mật khẩu mỗi lần ký"), default=False
    )
    subject_cn = models.CharField(_("tên trên chứng thư"), max_length=255)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial_number = models.CharField(_("số hiệu"), max_length=64)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("chứng thư số của lãnh đạo")
        verbose_name_plural = _("chứng thư số của lãnh đạo")
        ordering = ["agency", "-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency"],
                condition=Q(is_active=True),
                name="signing_one_active_certificate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_cn} ({self.fingerprint[:16]})"


class TrustedRoot(models.Model):
    """A certification authority's root certificate: signatures chaining to it
    are shown as valid."""

    name = models.CharField(_("tên"), max_length=255)
    pem = models.TextField(_("chứng thư gốc (PEM)"))
    subject = models.CharField(_("chủ thể"), max_length=500, blank=True)
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    not_after = models.DateTimeField(_("hiệu lực đến"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"))

    class Meta:
        verbose_name = _("chứng thư gốc tin cậy")
        verbose_name_plural = _("chứng thư gốc tin cậy")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Signature(models.Model):
    """A result file signed here: which file, from which original, by whom."""

    file = models.OneToOneField(
        "dossiers.DossierFile", on_delete=models.CASCADE, related_name="signature"
    )
    source = models.ForeignKey(
        "dossiers.DossierFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    certificate = models.ForeignKey(
        LeaderCertificate, on_delete=models.PROTECT, related_name="signatures"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("chữ ký số")
        verbose_name_plural = _("chữ ký số")

    def __str__(self) -> str:
        return f"{self.file_id} ← {self.certificate_id}"


class DutyRota(models.Model):
    """Which leader holds the signing duty at the desk, per half-day."""

    class Session(models.TextChoices):
        MORNING = "morning", _("Sáng")
        AFTERNOON = "afternoon", _("Chiều")

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo trực"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("ngày"))
    session = models.CharField(_("buổi"), max_length=16, choices=Session.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lịch trực ký")
        verbose_name_plural = _("lịch trực ký")
        ordering = ["agency", "date", "session"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "date", "session"], name="duty_rota_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.date} {self.session}: {self.leader_id}"
