"""Liên thông between systems (ADR 0026, docs/exchange.md).

A ``Peer`` is another one-stop system we exchange dossiers with; both sides
hold the same key id and HMAC secret for the pair. A ``RemoteAgency`` is a
local agency row that stands for an agency served by a peer, so a procedure's
workflow step can name it. An ``OutboundTransfer`` is one step of one of our
dossiers handed to a peer; an ``InboundTransfer`` is one step handed to us,
carried by a dossier of ours. ``ReceivedRequest`` keeps the answer to every
accepted request per idempotency key (a retry gets the same answer, nothing is
done twice) and its last signed timestamp (a replayed request is refused).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.webhooks.models import validate_target_url


def new_secret() -> str:
    return "exsec_" + secrets.token_urlsafe(32)


class Peer(models.Model):
    code = models.SlugField(
        _("mã hệ thống"),
        max_length=50,
        unique=True,
        help_text=_("Tên ngắn của hệ thống liên thông, ví dụ motcua-tinh-b."),
    )
    name = models.CharField(_("tên hệ thống"), max_length=200)
    base_url = models.CharField(
        _("địa chỉ gốc"),
        max_length=255,
        validators=[validate_target_url],
        help_text=_(
            "Địa chỉ https:// của hệ thống bên kia, ví dụ https://motcua.tinh-b.gov.vn"
            " (các yêu cầu gửi tới /api/v1/exchange/…)."
        ),
    )
    key_id = models.CharField(
        _("mã khóa"),
        max_length=64,
        unique=True,
        help_text=_("Mã khóa chung của hai hệ thống, gửi kèm mỗi yêu cầu."),
    )
    secret = models.CharField(
        _("khóa bí mật"),
        max_length=200,
        help_text=_(
            "Khóa HMAC dùng chung, trao đổi qua kênh an toàn; hai bên nhập giống nhau."
        ),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # The technical account that acts for the peer here: it receives the
    # dossiers the peer sends (a reception role where it may deliver) and
    # finishes the steps handed to the peer (roles at the stand-in agencies).
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="exchange_peer",
        verbose_name=_("tài khoản kỹ thuật"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hệ thống liên thông")
        verbose_name_plural = _("hệ thống liên thông")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.secret:
            self.secret = new_secret()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class RemoteAgency(models.Model):
    """ "Agency X is served by peer P under the code C there"."""

    agency = models.OneToOneField(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="remote",
        verbose_name=_("cơ quan (bản ghi tại hệ thống này)"),
    )
    peer = models.ForeignKey(
        Peer,
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("hệ thống liên thông"),
    )
    remote_code = models.CharField(_("mã cơ quan tại hệ thống bên kia"), max_length=64)

    class Meta:
        verbose_name = _("cơ quan ở hệ thống khác")
        verbose_name_plural = _("cơ quan ở hệ thống khác")
        ordering = ["peer", "remote_code"]

    def __str__(self) -> str:
        return f"{self.agency} → {self.peer.code}:{self.remote_code}"


class OutboundTransfer(models.Model):
    """One step of our dossier handled by an agency of a peer."""

    class State(models.TextChoices):
        SENDING = "sending", _("Đang gửi")
        ACCEPTED = "accepted", _("Bên kia đã tiếp nhận")
        REFUSED = "refused", _("Bên kia từ chối tiếp nhận")
        COMPLETED = "completed", _("Đã nhận kết quả")
        CANCELLED = "cancelled", _("Đã hủy (bước kết thúc tại đây)")

    transfer_id = models.UUIDField(_("mã liên thông"), default=uuid.uuid4, unique=True)
    peer = models.ForeignKey(
        Peer, on_delete=models.PROTECT, related_name="+", verbose_name=_("hệ thống")
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("hồ sơ"),
    )
    step = models.OneToOneField(
        "dossiers.Step",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("bước xử lý"),
    )
    remote_code = models.CharField(_("mã cơ quan bên kia"), max_length=64)
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=State.choices, default=State.SENDING
    )
    remote_reference = models.CharField(
        _("mã hồ sơ bên kia"), max_length=100, blank=True
    )
    remote_status = models.CharField(_("trạng thái bên kia"), max_length=32, blank=True)
    refusal = models.TextField(_("lý do từ chối"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    completed_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ gửi liên thông")
        verbose_name_plural = _("hồ sơ gửi liên thông")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.transfer_id)

    @property
    def idempotency_key(self) -> str:
        return f"transfer:{self.transfer_id}"


class StatusUpdate(models.Model):
    """A status the peer reported for an outbound transfer (one per sequence)."""

    transfer = models.ForeignKey(
        OutboundTransfer, on_delete=models.CASCADE, related_name="updates"
    )
    sequence = models.PositiveIntegerField()
    status = models.CharField(_("trạng thái"), max_length=32)
    note = models.TextField(_("ghi chú"), blank=True)
    at = models.DateTimeField(_("lúc (bên kia)"))
    received_at = models.DateTimeField(_("nhận lúc"))

    class Meta:
        verbose_name = _("cập nhật trạng thái")
        verbose_name_plural = _("cập nhật trạng thái")
        ordering = ["transfer", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["transfer", "sequence"], name="exchange_update_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id}#{self.sequence} {self.status}"


class InboundTransfer(models.Model):
    """A step handed to us by a peer, carried by one of our dossiers."""

    peer = models.ForeignKey(
        Peer, on_delete=models.PROTECT, related_name="+", verbose_name=_("hệ thống")
    )
    transfer_id = models.UUIDField(_("mã liên thông"))
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="exchange_origin",
        verbose_name=_("hồ sơ tại đây"),
    )
    origin_agency_code = models.CharField(_("mã cơ quan gửi"), max_length=64)
    origin_agency_name = models.CharField(_("cơ quan gửi"), max_length=255)
    origin_dossier_code = models.CharField(_("mã hồ sơ gốc"), max_length=100)
    step_name = models.CharField(_("bước được giao"), max_length=255)
    step_due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    # the sequence number of the last status update written for the peer
    last_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("nhận lúc"))

    class Meta:
        verbose_name = _("hồ sơ nhận liên thông")
        verbose_name_plural = _("hồ sơ nhận liên thông")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "transfer_id"], name="exchange_inbound_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.origin_dossier_code} → {self.dossier_id}"


class ReceivedRequest(models.Model):
    """The answer given to one idempotency key of a peer."""

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    body_sha256 = models.CharField(max_length=64)
    # the signed timestamp of the last request accepted with this key: a
    # request signed at or before it is a replay
    signed_at = models.BigIntegerField()
    status = models.PositiveSmallIntegerField()
    answer = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("yêu cầu đã nhận")
        verbose_name_plural = _("yêu cầu đã nhận")
        constraints = [
            models.UniqueConstraint(fields=["peer", "key"], name="exchange_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.peer_id}:{self.key}"
