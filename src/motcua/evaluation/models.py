"""Service evaluation: citizens' ratings, evaluator-entered scores (Circular
01/2018/TT-VPCP Art. 12–15) and the service-quality index as data (Decision
766/QĐ-TTg).

Rows are written by ``services`` only. The 766 groups and indicators are data
(loaded from ``data/index766.json`` by a migration, editable in the admin);
the Circular 01 indicators are a small registry in ``circular01.py``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

POINTS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(2))]


class Rating(models.Model):
    """A citizen's rating of one settled dossier (one per dossier and source)."""

    class Level(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
        SATISFIED = "satisfied", _("Hài lòng")
        UNSATISFIED = "unsatisfied", _("Không hài lòng")

    class Source(models.TextChoices):
        KIOSK = "kiosk", _("Thiết bị đánh giá tại quầy")
        ONLINE = "online", _("Trực tuyến")
        PHONE = "phone", _("Điện thoại")

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    # Denormalised from the dossier so figures filter by agency without a join.
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Level.choices)
    # Optional answers to Circular 01 questions (0/1/2 points): indicator 3
    # (number of contacts needed) and indicator 7 (staff attitude).
    contacts_points = models.PositiveSmallIntegerField(
        _("điểm chỉ số 3 (số lần liên hệ)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(2)],
    )
    attitude_points = models.PositiveSmallIntegerField(
        _("điểm chỉ số 7 (thái độ cán bộ)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(2)],
    )
    comment = models.TextField(_("góp ý"), blank=True)
    source = models.CharField(_("nguồn"), max_length=16, choices=Source.choices)
    at = models.DateTimeField(_("đánh giá lúc"))

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "source"], name="rating_one_per_source"
            )
        ]
        indexes = [models.Index(fields=["agency", "at"], name="rating_agency_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.level} ({self.source})"


class EvaluatorScore(models.Model):
    """Points given by an evaluator where the system has no data (Circular 01,
    e.g. indicator 8) or overriding a per-unit indicator, for a quarter or year."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(
        _("quý"),
        default=0,
        validators=[MaxValueValidator(4)],
        help_text=_("0: đánh giá cả năm."),
    )
    indicator = models.PositiveSmallIntegerField(
        _("chỉ số"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    points = models.DecimalField(
        _("điểm"), max_digits=3, decimal_places=1, validators=POINTS
    )
    note = models.TextField(_("ghi chú"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("nhập lúc"))

    class Meta:
        verbose_name = _("điểm do người đánh giá nhập")
        verbose_name_plural = _("điểm do người đánh giá nhập")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "quarter", "indicator"],
                name="evaluator_score_unique",
            )
        ]

    def __str__(self) -> str:
        period = f"Q{self.quarter}/{self.year}" if self.quarter else str(self.year)
        return f"{self.agency_id} {period} #{self.indicator}: {self.points}"


class IndexGroup(models.Model):
    """A group of the service-quality index (Decision 766/QĐ-TTg) and its weight."""

    version = models.CharField(_("phiên bản bộ chỉ số"), max_length=32)
    code = models.CharField(_("mã nhóm"), max_length=32)
    name = models.CharField(_("tên nhóm"), max_length=255)
    weight = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("nhóm chỉ số 766")
        verbose_name_plural = _("nhóm chỉ số 766")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="index_group_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class IndexIndicator(models.Model):
    """An indicator of a 766 group: its maximum points, target and the rate
    (``formula``, a name from ``index766.RATES``) it is scored on."""

    group = models.ForeignKey(
        IndexGroup, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("mã chỉ số"), max_length=32)
    name = models.CharField(_("tên chỉ số"), max_length=255)
    weight = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    target = models.DecimalField(
        _("chỉ tiêu (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Để trống: điểm = tỷ lệ × điểm tối đa / 100."),
    )
    formula = models.CharField(_("công thức"), max_length=64)
    note = models.TextField(_("ghi chú"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("chỉ số 766")
        verbose_name_plural = _("chỉ số 766")
        ordering = ["group", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
