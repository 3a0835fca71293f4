"""The sync state of each dossier with the national portal (DVCQG): how far
its history has been accepted by the portal, and how the last attempt went.

Kept beside the dossier, not on it (the dossier's columns belong to the
domain): one row per dossier, written by the same-transaction observer when an
event is queued and by the delivery when the portal answers (ADR 0025).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncState(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Chờ đồng bộ")
        RETRYING = "retrying", _("Lỗi tạm thời, sẽ gửi lại")
        SYNCED = "synced", _("Đã đồng bộ")
        FAILED = "failed", _("Đồng bộ không thành công")

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="national_sync",
        verbose_name=_("hồ sơ"),
    )
    # the dossier's agency (kept for lists and figures by agency)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan"),
    )
    state = models.CharField(
        _("trạng thái đồng bộ"),
        max_length=16,
        choices=State.choices,
        default=State.PENDING,
    )
    # the last history event queued for the portal
    queued_seq = models.PositiveIntegerField(_("sự kiện chờ gửi"), default=0)
    # the last history event the portal accepted, and its hash in the chain
    synced_seq = models.PositiveIntegerField(_("đã đồng bộ đến sự kiện"), default=0)
    synced_hash = models.CharField(max_length=64, blank=True)
    # the DVCQG status code (workflow.DVCQG_STATUS) the portal last accepted
    synced_status = models.PositiveSmallIntegerField(null=True, blank=True)
    first_synced_at = models.DateTimeField(
        _("đồng bộ lần đầu lúc"), null=True, blank=True
    )
    synced_at = models.DateTimeField(_("đồng bộ gần nhất lúc"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    last_attempt_at = models.DateTimeField(_("gửi gần nhất lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("trạng thái đồng bộ Cổng DVCQG")
        verbose_name_plural = _("trạng thái đồng bộ Cổng DVCQG")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "state"], name="dvcqg_sync_agency_state"),
            models.Index(fields=["state", "updated_at"], name="dvcqg_sync_state"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.state} #{self.synced_seq}/{self.queued_seq}"

    @property
    def behind(self) -> bool:
        """Events queued that the portal has not accepted yet."""
        return self.synced_seq < self.queued_seq
