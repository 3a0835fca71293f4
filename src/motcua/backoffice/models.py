"""Back-office records that are not lifecycle events: internal notes between
officers, and the desk's phone calls telling an applicant a result is ready early
(Decree 61/2018 Art. 20: the applicant is told in advance)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Note(models.Model):
    """An internal note on a dossier, seen by the staff who see the dossier."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("ghi lúc"))

    class Meta:
        verbose_name = _("ghi chú nội bộ")
        verbose_name_plural = _("ghi chú nội bộ")
        ordering = ["dossier", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class CallRecord(models.Model):
    """The desk phoned the applicant: the result is ready (early)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="call_records",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gọi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("gọi lúc"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cuộc gọi báo kết quả")
        verbose_name_plural = _("cuộc gọi báo kết quả")
        ordering = ["dossier", "-at", "-id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.at:%Y-%m-%d %H:%M}"
