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


class RatingQuerySet(models.QuerySet["Rating"]):
    def counted(self) -> RatingQuerySet:
        """The ratings every figure counts (the one rule): not held for review
        as abnormal, not rejected by the agency administrator."""
        return self.filter(state=Rating.State.COUNTED)


class Rating(models.Model):
    """A citizen's rating: of one settled dossier (one per dossier and source),
    or of the service at a desk counter without a dossier (kiosk, anonymous)."""

    class State(models.TextChoices):
        COUNTED = "counted", _("Được tính")
        HELD = "held", _("Bất thường, chờ xem xét")
        REJECTED = "rejected", _("Không tính")

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
        null=True,
        blank=True,
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
    # Where and with whom (kiosk votes): the desk counter, the officer on duty
    # there at ``at`` and the kiosk device that sent the vote.
    counter = models.ForeignKey(
        "agencies.Counter",
        verbose_name=_("quầy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ tại quầy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kiosk = models.ForeignKey(
        "Kiosk",
        verbose_name=_("máy đánh giá"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
    )
    # The id the sending device gave the answer: a resend is the same rating.
    client_id = models.CharField(_("mã phiếu của thiết bị"), max_length=64, blank=True)
    recorded_at = models.DateTimeField(_("máy chủ nhận lúc"), null=True, blank=True)
    state = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=State.choices,
        default=State.COUNTED,
    )
    flag_reason = models.CharField(_("lý do giữ lại"), max_length=255, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "source"], name="rating_one_per_source"
            ),
            models.UniqueConstraint(
                fields=["client_id"],
                condition=~models.Q(client_id=""),
                name="rating_client_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "at"], name="rating_agency_at"),
            models.Index(fields=["kiosk", "at"], name="rating_kiosk_at"),
            models.Index(fields=["agency", "state"], name="rating_agency_state"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id or '-'} {self.level} ({self.source})"


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


# ------------------------------------------------- questions and reasons
class RatingQuestion(models.Model):
    """A question asked with a dossier's rating (kiosk and online), as data with
    the period it applies to: each answer gives the points (0–2) of the
    Circular 01/2018 indicator stored in ``target`` (3: contacts, 7: attitude)."""

    class Target(models.TextChoices):
        CONTACTS = "contacts_points", _("Chỉ số 3: số lần phải liên hệ")
        ATTITUDE = "attitude_points", _("Chỉ số 7: thái độ cán bộ")

    code = models.SlugField(_("mã câu hỏi"), max_length=32)
    text = models.CharField(_("câu hỏi"), max_length=255)
    target = models.CharField(
        _("ghi vào chỉ số"), max_length=24, choices=Target.choices
    )
    # [{"label": "…", "points": 2}, …] best answer first.
    options = models.JSONField(_("các câu trả lời"), default=list)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến hết ngày"), null=True, blank=True)
    source_text = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("câu hỏi đánh giá")
        verbose_name_plural = _("câu hỏi đánh giá")
        ordering = ["position", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="rating_question_unique"
            )
        ]

    def __str__(self) -> str:
        return self.text


class UnhappyReason(models.Model):
    """A standard reason a citizen may give for being unsatisfied (data)."""

    code = models.SlugField(_("mã lý do"), max_length=32, unique=True)
    text = models.CharField(_("lý do"), max_length=255)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("lý do không hài lòng")
        verbose_name_plural = _("lý do không hài lòng")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


# ------------------------------------------------------- kiosk and duty
class Kiosk(models.Model):
    """A tablet set up as the satisfaction kiosk of a desk counter. It holds a
    signed credential (cookie) naming this row and a secret whose hash is kept
    here; the agency administrator revokes it."""

    counter = models.ForeignKey(
        "agencies.Counter",
        verbose_name=_("quầy"),
        on_delete=models.CASCADE,
        related_name="kiosks",
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("tên máy"), max_length=100, blank=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cài đặt bởi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("cài đặt lúc"))
    last_seen_at = models.DateTimeField(_("hoạt động lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("máy đánh giá tại quầy")
        verbose_name_plural = _("máy đánh giá tại quầy")
        ordering = ["agency", "counter", "-created_at"]

    def __str__(self) -> str:
        return self.name or f"{self.counter} #{self.pk}"


class CounterDuty(models.Model):
    """An officer on duty at a desk counter, from ``started_at`` until
    ``ended_at`` (open while empty): declared by the officer, recorded with
    the time. One open duty per counter."""

    counter = models.ForeignKey(
        "agencies.Counter",
        verbose_name=_("quầy"),
        on_delete=models.CASCADE,
        related_name="duties",
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="counter_duties",
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("ca làm việc tại quầy")
        verbose_name_plural = _("ca làm việc tại quầy")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["counter"],
                condition=models.Q(ended_at__isnull=True),
                name="counter_duty_one_open",
            )
        ]
        indexes = [
            models.Index(fields=["counter", "started_at"], name="counter_duty_at")
        ]

    def __str__(self) -> str:
        return f"{self.counter} {self.officer_id} {self.started_at:%d/%m/%Y %H:%M}"


class KioskPrompt(models.Model):
    """The officer at a counter asks the kiosk to rate the dossier just
    returned: the kiosk shows that dossier's questions until it is rated, the
    prompt is replaced, or it expires."""

    counter = models.ForeignKey(
        "agencies.Counter", on_delete=models.CASCADE, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lời mời đánh giá tại quầy")
        verbose_name_plural = _("lời mời đánh giá tại quầy")
        indexes = [models.Index(fields=["counter", "at"], name="kiosk_prompt_at")]

    def __str__(self) -> str:
        return f"{self.counter_id} {self.dossier_id} {self.at:%d/%m/%Y %H:%M}"


# ------------------------------------------------------------ follow-ups
class FollowUp(models.Model):
    """An unsatisfied rating the agency's leader must look into within a
    deadline in working days: the citizen's reasons, whether they may be
    contacted, and the leader's answer and what was done (who, when)."""

    rating = models.OneToOneField(
        Rating, on_delete=models.CASCADE, related_name="follow_up"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.ManyToManyField(
        UnhappyReason, verbose_name=_("lý do"), blank=True, related_name="+"
    )
    may_contact = models.BooleanField(_("đồng ý được liên hệ"), default=False)
    contact_phone = models.CharField(
        _("số điện thoại liên hệ"), max_length=20, blank=True
    )
    opened_at = models.DateTimeField(_("mở lúc"))
    due_at = models.DateTimeField(_("hạn xử lý"))
    answer = models.TextField(_("trả lời người dân"), blank=True)
    action_taken = models.TextField(_("việc đã làm"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("theo dõi đánh giá không hài lòng")
        verbose_name_plural = _("theo dõi đánh giá không hài lòng")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["agency", "answered_at", "due_at"], name="follow_up_queue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} → {self.due_at:%d/%m/%Y}"
