"""Legal rules by period, editable by an administrator (ADR 0014).

One row = one value of one rule for the days ``valid_from``–``valid_to``
(both inclusive; empty = open-ended). Which row applies to a dossier is decided
only by the dossier's own dates (:func:`motcua.law.selectors.rules_on`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .keys import Confidence, RuleKey


class LegalRule(models.Model):
    key = models.CharField(_("quy định"), max_length=32, choices=RuleKey.choices)
    value = models.CharField(
        _("giá trị"),
        max_length=500,
        blank=True,
        help_text=_("Để trống khi không in gì (ví dụ: chưa rõ điều khoản)."),
    )
    valid_from = models.DateField(
        _("áp dụng từ ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống: áp dụng cho mọi ngày trước đó."),
    )
    valid_to = models.DateField(
        _("áp dụng đến hết ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống: đang áp dụng, chưa có ngày kết thúc."),
    )
    source = models.CharField(
        _("nguồn (văn bản, điều khoản)"), max_length=500, blank=True
    )
    confidence = models.CharField(
        _("mức độ tin cậy"),
        max_length=16,
        choices=Confidence.choices,
        default=Confidence.UNVERIFIED,
        help_text=_(
            "«Đã đối chiếu văn bản» chỉ khi nội dung đã được đọc trong chính văn "
            "bản pháp luật."
        ),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("quy định theo giai đoạn")
        verbose_name_plural = _("quy định theo giai đoạn")
        ordering = ["key", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="legalrule_period_order",
            )
        ]
        indexes = [models.Index(fields=["key", "valid_from"], name="legalrule_key")]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.value or '—'}"
