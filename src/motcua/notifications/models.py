"""The outbox: one row per message to send, one row per delivery attempt, and
the editable, versioned texts (ARCHITECTURE principle 6; docs/notifications.md).

States follow GOV.UK Notify's delivery statuses; ``failed`` is ours: a message
that kept failing until its maximum age, waiting for staff to retry it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    CREATED = "created", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    DELIVERED = "delivered", _("Đã gửi tới người nhận")
    TEMPORARY_FAILURE = "temporary-failure", _("Lỗi tạm thời, sẽ gửi lại")
    PERMANENT_FAILURE = "permanent-failure", _("Lỗi vĩnh viễn (sai địa chỉ, số)")
    TECHNICAL_FAILURE = "technical-failure", _("Lỗi kỹ thuật, sẽ gửi lại")
    FAILED = "failed", _("Gửi không thành công")


#: States the worker picks up when their time has come.
DUE_STATES = (State.CREATED, State.TEMPORARY_FAILURE, State.TECHNICAL_FAILURE)
#: States nothing changes any more (a staff retry of ``failed`` aside).
FINAL_STATES = (State.DELIVERED, State.PERMANENT_FAILURE, State.FAILED)


class ChannelName(models.TextChoices):
    SMS = "sms", _("Tin nhắn SMS")
    EMAIL = "email", _("Thư điện tử")
    ZALO = "zalo", _("Zalo")
    # signed JSON to an integration client (motcua.webhooks; ADR 0019)
    WEBHOOK = "webhook", _("Webhook (hệ thống tích hợp)")
    # a dossier and its history to the national portal (motcua.nationalportal)
    DVCQG = "dvcqg", _("Đồng bộ Cổng DVCQG")
    # signed requests to another one-stop system (motcua.exchange; liên thông)
    EXCHANGE = "exchange", _("Liên thông với hệ thống khác")


class MessageTemplate(models.Model):
    """A text per event (``key``) and channel. Editing creates a new version; a
    message keeps the version it was written with."""

    key = models.CharField(_("sự kiện"), max_length=64)
    channel = models.CharField(_("kênh"), max_length=16, choices=ChannelName.choices)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    subject = models.CharField(_("tiêu đề (thư điện tử)"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mẫu tin nhắn")
        verbose_name_plural = _("mẫu tin nhắn")
        ordering = ["key", "channel", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "channel", "version"], name="message_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}/{self.channel} v{self.version}"


class Message(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hồ sơ"),
    )
    event_seq = models.PositiveIntegerField(null=True, blank=True)
    channel = models.CharField(_("kênh"), max_length=16, choices=ChannelName.choices)
    recipient = models.CharField(_("người nhận"), max_length=255)
    template_key = models.CharField(_("mẫu"), max_length=64)
    template_version = models.PositiveIntegerField(_("phiên bản mẫu"))
    variables = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(
        _("trạng thái"), max_length=24, choices=State.choices, default=State.CREATED
    )
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    # the maximum age: temporary failures after this instant end as ``failed``
    give_up_at = models.DateTimeField(_("ngừng gửi lại sau"))
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    receipt_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đã nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin nhắn")
        verbose_name_plural = _("tin nhắn")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="message_due"),
            models.Index(fields=["agency", "created_at"], name="message_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.template_key}/{self.channel} #{self.pk} {self.state}"


class Attempt(models.Model):
    """One delivery attempt, as the gateway answered it."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=24, blank=True)
    response = models.TextField(blank=True)
    receipt_id = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("lần gửi")
        verbose_name_plural = _("các lần gửi")
        ordering = ["message", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "number"], name="attempt_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id}#{self.number} {self.outcome or '…'}"
