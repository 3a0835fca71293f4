"""Integration clients (ADR 0021): other systems that call the API with their
own scoped, hashed and expiring credentials, a rate limit and a request log.

A client acts through a *technical user* whose memberships are exactly the
client's agency scopes, so the dossier and report APIs check it with the one
permission rule of the house (``motcua.dossiers.permissions``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Client(models.Model):
    class Access(models.TextChoices):
        READ = "read", _("Chỉ xem")
        READ_WRITE = "read_write", _("Xem và ghi")

    name = models.CharField(_("tên hệ thống"), max_length=100, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    access = models.CharField(
        _("quyền"), max_length=16, choices=Access.choices, default=Access.READ
    )
    endpoint_groups = models.JSONField(
        _("nhóm API được dùng"),
        default=list,
        blank=True,
        help_text=_("Ví dụ dossiers.read, dossiers.write, reports.read."),
    )
    rate_limit = models.PositiveIntegerField(
        _("số yêu cầu tối đa mỗi phút"), default=120
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản kỹ thuật"),
        on_delete=models.PROTECT,
        related_name="integration_client",
        editable=False,
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hệ thống tích hợp")
        verbose_name_plural = _("hệ thống tích hợp")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClientAgency(models.Model):
    """An agency the client may act for (and, for reading, its subtree)."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="agency_scopes"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    covers_subtree = models.BooleanField(
        _("xem cả đơn vị trực thuộc"),
        default=False,
        help_text=_("Chỉ mở rộng quyền xem; quyền ghi chỉ tại chính cơ quan này."),
    )

    class Meta:
        verbose_name = _("cơ quan được phép")
        verbose_name_plural = _("cơ quan được phép")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "agency"], name="client_agency_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} — {self.agency_id}"


class ClientCredential(models.Model):
    """A secret of a client: only its SHA-256 and a prefix are kept; shown once.
    Several may be live at once so that a secret can be rotated with an overlap."""

    client = models.ForeignKey(
        Client,
        verbose_name=_("hệ thống tích hợp"),
        on_delete=models.CASCADE,
        related_name="credentials",
    )
    prefix = models.CharField(_("đầu khóa"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cấp"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa của hệ thống tích hợp")
        verbose_name_plural = _("khóa của hệ thống tích hợp")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}…"


class ClientRateWindow(models.Model):
    """Requests counted in the current minute of one client (one row each)."""

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    started_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.client_id}: {self.count} @ {self.started_at:%H:%M}"


class ClientRequest(models.Model):
    """One API request of a client. No path, no query string, no body: the URL's
    route name and, for a dossier route, the dossier's code."""

    client = models.ForeignKey(
        Client,
        verbose_name=_("hệ thống tích hợp"),
        on_delete=models.CASCADE,
        related_name="requests",
    )
    credential_prefix = models.CharField(_("đầu khóa"), max_length=16)
    at = models.DateTimeField(_("lúc"))
    method = models.CharField(_("phương thức"), max_length=8)
    route = models.CharField(_("điểm cuối"), max_length=100)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=64, blank=True)
    status = models.PositiveSmallIntegerField(_("mã trạng thái"))
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"))

    class Meta:
        verbose_name = _("yêu cầu của hệ thống tích hợp")
        verbose_name_plural = _("nhật ký yêu cầu của hệ thống tích hợp")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["client", "-at"], name="client_request_at"),
            models.Index(fields=["at"], name="client_request_purge"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.method} {self.route} {self.status}"
