"""Security state that must survive cache culling and be shared by every web
process: attempt counters for sign-in, tokens and tracking look-ups; API keys
(hashed, expiring)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AttemptCounter(models.Model):
    """Failed attempts of one kind (``scope``) by one client, account or code.

    ``key`` is a keyed hash of what is counted (an address, a user name, a
    dossier code): the table holds no personal data and cannot be read back."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bộ đếm lần thử sai")
        verbose_name_plural = _("bộ đếm lần thử sai")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key"], name="attempt_counter_unique"
            )
        ]
        indexes = [models.Index(fields=["last_failure_at"], name="attempt_last")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key[:8]} ({self.failures})"


class ApiToken(models.Model):
    """A key for ``Authorization: Bearer``: issued to a signed-in staff member
    (from a session that passed its second factor) or by an administrator to a
    named integration client. Only the SHA-256 of the key is kept; the key is
    shown once. It stops working at ``expires_at`` or when revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    client = models.CharField(
        _("hệ thống tích hợp"),
        max_length=100,
        blank=True,
        help_text=_("Tên hệ thống dùng khóa, khi khóa do quản trị cấp."),
    )
    prefix = models.CharField(_("đầu khóa"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
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
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
