"""A subscription of an integration client to dossier events (ADR 0019)."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.workflow import Action

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def local_http_allowed() -> bool:
    """Plain ``http`` to this machine: in debug mode, or where a setting (tests)
    allows it."""
    return bool(getattr(settings, "MOTCUA_WEBHOOK_ALLOW_LOCAL_HTTP", settings.DEBUG))


def url_problem(url: str) -> str:
    """Why ``url`` may not receive webhooks (empty: it may)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return str(_("Địa chỉ không hợp lệ."))
    if not host or parts.username or parts.password:
        return str(
            _("Địa chỉ phải có tên máy chủ và không chứa tên đăng nhập, mật khẩu.")
        )
    if parts.scheme == "https":
        return ""
    if parts.scheme == "http" and host in LOCAL_HOSTS and local_http_allowed():
        return ""
    return str(
        _(
            "Địa chỉ nhận phải dùng https:// (http:// chỉ được dùng với 127.0.0.1 "
            "hoặc localhost khi chạy thử)."
        )
    )


def validate_target_url(url: str) -> None:
    problem = url_problem(url)
    if problem:
        raise ValidationError(problem, code="webhooks.bad_url")


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Subscription(models.Model):
    name = models.CharField(_("tên hệ thống tích hợp"), max_length=200)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan"),
        help_text=_(
            "Chỉ gửi sự kiện của hồ sơ thuộc cơ quan này và các cơ quan trực thuộc."
        ),
    )
    target_url = models.CharField(
        _("địa chỉ nhận"),
        max_length=255,
        validators=[validate_target_url],
        help_text=_("Địa chỉ https:// nhận yêu cầu POST có chữ ký."),
    )
    # the HMAC key, shown once when the subscription is created
    secret = models.CharField(_("khóa bí mật"), max_length=100, editable=False)
    events = models.JSONField(_("các sự kiện"), default=list)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    deactivated_reason = models.CharField(
        _("lý do ngừng"), max_length=200, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đăng ký webhook")
        verbose_name_plural = _("đăng ký webhook")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.secret:
            self.secret = new_secret()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def wants(self, action: str) -> bool:
        return action in (self.events or [])

    @staticmethod
    def event_choices() -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Action.choices]
