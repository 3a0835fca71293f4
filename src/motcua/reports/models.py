"""Summary tables behind the figures (Biểu 06/VPCP/KSTT, Circular 01/2020/TT-VPCP).

All three tables are derived from the hash-chained dossier history and kept
current by an observer in the very transaction of each lifecycle action
(ARCHITECTURE principles 2 and 5); ``motcua recompute_figures`` rebuilds them
from the events and ``--verify`` proves they agree. Dates are local dates in
Asia/Ho_Chi_Minh. Design: docs/adr/0006-figures-summary-tables.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EndKind(models.TextChoices):
    NONE = "", _("Chưa kết thúc")
    SETTLED = "settled", _("Đã giải quyết")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    STOPPED = "stopped", _("Dừng giải quyết")


class DossierFact(models.Model):
    """One received dossier as the figures see it (never a desk refusal or an
    online submission not yet received)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="+"
    )
    field = models.ForeignKey(
        "catalog.Field", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=16)
    received_day = models.DateField()
    end_day = models.DateField(null=True, blank=True)
    end_kind = models.CharField(
        max_length=16, choices=EndKind.choices, default="", blank=True
    )
    timing = models.CharField(max_length=16, default="", blank=True)
    # The original due date (before any extension) as of the end, or now.
    due_day = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("số liệu hồ sơ")
        verbose_name_plural = _("số liệu hồ sơ")
        indexes = [
            models.Index(fields=["agency", "received_day"], name="fact_received"),
            models.Index(fields=["agency", "end_day"], name="fact_ended"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.received_day} → {self.end_day or '…'}"


class ProgressInterval(models.Model):
    """A stretch of days [start_day, end_day) during which a received dossier was
    open at the end of each day: running against ``due_day`` or paused (waiting
    for a supplement or a payment). The intervals of a dossier are contiguous
    from its reception day to its end day; "in progress at ``to``" reads the one
    that covers ``to``."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="+"
    )
    field = models.ForeignKey(
        "catalog.Field", on_delete=models.PROTECT, related_name="+"
    )
    start_day = models.DateField()
    end_day = models.DateField(null=True, blank=True)
    paused = models.BooleanField(default=False)
    due_day = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "start_day", "id"]
        indexes = [
            models.Index(fields=["agency", "start_day"], name="interval_start"),
            models.Index(fields=["dossier", "start_day"], name="interval_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.start_day} → {self.end_day or '…'}"


class Grain(models.TextChoices):
    DAY = "D", _("Ngày")
    MONTH = "M", _("Tháng")
    YEAR = "Y", _("Năm")


FIGURE_COLUMNS = (
    "received_online",
    "received_direct_postal",
    "settled_early",
    "settled_on_time",
    "settled_late",
    "withdrawn",
    "stopped",
    "paused",
    "overdue",
)


class FigureBucket(models.Model):
    """Changes of the figures of one agency and procedure in one day, month or
    year. Flows (received, settled, …) count events; ``paused`` and ``overdue``
    are changes of a stock (+1 when a dossier enters, −1 when it leaves, the
    overdue +1 dated the day after the due date). Any figure at a date is a
    prefix sum: whole years, then whole months, then days."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="+"
    )
    field = models.ForeignKey(
        "catalog.Field", on_delete=models.PROTECT, related_name="+"
    )
    grain = models.CharField(max_length=1, choices=Grain.choices)
    bucket = models.DateField()  # first day of the day / month / year
    received_online = models.IntegerField(default=0)
    received_direct_postal = models.IntegerField(default=0)
    settled_early = models.IntegerField(default=0)
    settled_on_time = models.IntegerField(default=0)
    settled_late = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    paused = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "grain", "bucket", "procedure", "field"],
                name="figure_bucket_unique",
            )
        ]
        indexes = [
            # Covering (PostgreSQL): a province-wide prefix sum is an index-only
            # range scan, however scattered the rows are in the heap.
            models.Index(
                fields=["grain", "bucket"],
                name="figure_grain",
                include=["agency", "procedure", "field", *FIGURE_COLUMNS],
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.grain}{self.bucket} {self.procedure_id}"
