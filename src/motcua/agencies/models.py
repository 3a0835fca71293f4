"""Agencies (cơ quan, đơn vị) of a deployment.

This first cut carries what the deadline engine needs: the official code, the
hierarchy, working hours and the supplement policy. The core lifecycle issue adds
contact details, counters, staff and roles.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.deadlines.engine import (
    DEFAULT_HOURS,
    DeadlineError,
    SupplementPolicy,
    WorkingHours,
)

# QCVN 102:2016/BTTTT agency code, e.g. 000.00.15.H12 (four dot-separated groups).
AGENCY_CODE_RE = r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}$"


def validate_working_hours(value: str) -> None:
    try:
        WorkingHours.parse(value)
    except DeadlineError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc


class Agency(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        DISTRICT = "district", _("Quận, huyện")
        COMMUNE = "commune", _("Phường, xã, thị trấn")
        OTHER = "other", _("Đơn vị khác")

    code = models.CharField(
        _("mã cơ quan"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                AGENCY_CODE_RE,
                _("Mã cơ quan phải theo QCVN 102:2016, ví dụ 000.00.15.H12."),
            )
        ],
        help_text=_("Theo QCVN 102:2016/BTTTT, ví dụ 000.00.15.H12."),
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    working_hours = models.CharField(
        _("giờ làm việc"),
        max_length=100,
        default=str(DEFAULT_HOURS),
        validators=[validate_working_hours],
        help_text=_(
            "Các khoảng giờ làm việc trong ngày, ví dụ 08:00-12:00, 13:00-17:00."
        ),
    )
    supplement_policy = models.CharField(
        _("cách tính thời hạn khi bổ sung hồ sơ"),
        max_length=16,
        choices=[
            (SupplementPolicy.RESTART.value, _("Tính lại từ đầu (Điều 19 NĐ 61/2018)")),
            (SupplementPolicy.SHIFT.value, _("Lùi hạn theo thời gian chờ bổ sung")),
        ],
        default=SupplementPolicy.RESTART.value,
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def hours(self) -> WorkingHours:
        return WorkingHours.parse(self.working_hours)
