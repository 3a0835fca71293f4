"""Thin models for the parts of the working calendar an administrator edits.

The rules live in ``engine.py``; these rows only say which dates differ from the
national calendar, nationally (``agency`` empty) or for one agency.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.dates import vn_date


class CalendarOverride(models.Model):
    """A date an administrator declares a day off or a working day, with a reason
    (e.g. a provincial holiday, or a Saturday worked to make up a bridge day)."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        help_text=_("Để trống để áp dụng cho tất cả cơ quan."),
    )
    date = models.DateField(_("ngày"))
    working = models.BooleanField(
        _("loại ngày"),
        choices=[(False, _("Ngày nghỉ")), (True, _("Ngày làm việc"))],
        default=False,
    )
    reason = models.CharField(_("lý do"), max_length=255)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngày điều chỉnh lịch")
        verbose_name_plural = _("ngày điều chỉnh lịch")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "date"], name="override_one_per_agency_date"
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(agency__isnull=True),
                name="override_one_national_per_date",
            ),
        ]

    def __str__(self) -> str:
        kind = _("làm việc") if self.working else _("nghỉ")
        return f"{vn_date(self.date)} ({kind}): {self.reason}"
