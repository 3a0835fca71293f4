"""Phản ánh, kiến nghị (PAKN): one row per item a person sends (or staff type in
from the suggestion box), its attachments, and an append-only log of every
change of state (who, when).

A sender needs no account; the contact is optional. The tracking code is the
sender's only key to the item: it is random, never derived from the row id.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What the item is about: the usual headings of a PAKN box at a one-stop
    section (no legal list exists; an agency may ask for more)."""

    ATTITUDE = "attitude", _("Thái độ, tác phong cán bộ")
    PROCEDURE = "procedure", _("Thủ tục hành chính, giấy tờ")
    DELAY = "delay", _("Chậm trễ giải quyết hồ sơ")
    FEES = "fees", _("Phí, lệ phí")
    FACILITIES = "facilities", _("Cơ sở vật chất, nơi tiếp nhận")
    ONLINE = "online", _("Dịch vụ công trực tuyến")
    OTHER = "other", _("Góp ý, kiến nghị khác")


class Channel(models.TextChoices):
    ONLINE = "online", _("Gửi trực tuyến")
    BOX = "box", _("Hòm thư góp ý")


class State(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận, chờ phân công")
    ASSIGNED = "assigned", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")


def attachment_path(instance: FeedbackAttachment, filename: str) -> str:
    return f"feedback/{instance.feedback.agency_id}/{instance.feedback_id}/{filename}"


class Feedback(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=16, unique=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(
        _("kênh tiếp nhận"), max_length=16, choices=Channel.choices
    )
    category = models.CharField(_("lĩnh vực"), max_length=16, choices=Category.choices)
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"))
    dossier_code = models.CharField(_("mã hồ sơ liên quan"), max_length=64, blank=True)
    # The sender's contact (optional, personal data: every staff read is logged).
    contact_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    contact_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), max_length=254, blank=True)
    may_contact = models.BooleanField(_("đồng ý để cán bộ liên hệ"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    # Hòm thư: the day the box was opened (the clock starts then).
    box_opened_on = models.DateField(_("ngày mở hòm thư"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ nhập"),
    )
    due_at = models.DateTimeField(_("hạn trả lời"))
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=State.choices, default=State.RECEIVED
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ xử lý"),
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người trả lời"),
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    # The public version, edited by an officer with personal data removed.
    published = models.BooleanField(_("công khai"), default=False)
    public_question = models.TextField(_("nội dung công khai"), blank=True)
    public_answer = models.TextField(_("trả lời công khai"), blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "state", "due_at"], name="feedback_queue"),
            models.Index(fields=["agency", "due_at"], name="feedback_due"),
            models.Index(
                fields=["published", "agency", "published_at"], name="feedback_public"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.contact_phone or self.contact_email)


class FeedbackAttachment(models.Model):
    """A file sent with the item (PDF, JPEG or PNG, checked by content)."""

    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=500)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["feedback", "id"]

    def __str__(self) -> str:
        return self.original_name


class LogImmutable(Exception):
    """The log is append-only."""


class FeedbackEventQuerySet(models.QuerySet["FeedbackEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise LogImmutable("feedback events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise LogImmutable("feedback events are append-only")


FeedbackEventManager = models.Manager.from_queryset(FeedbackEventQuerySet)


class FeedbackEvent(models.Model):
    """One change of an item (received, assigned, answered, published…)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Người dân gửi")
        ENTER = "enter", _("Nhập từ hòm thư góp ý")
        ASSIGN = "assign", _("Phân công xử lý")
        ANSWER = "answer", _("Trả lời")
        PUBLISH = "publish", _("Công khai trả lời")
        UNPUBLISH = "unpublish", _("Thôi công khai")

    feedback = models.ForeignKey(
        Feedback, on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    action = models.CharField(_("thao tác"), max_length=16, choices=Action.choices)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects: ClassVar[FeedbackEventManager] = FeedbackEventManager()

    class Meta:
        verbose_name = _("lịch sử xử lý phản ánh")
        verbose_name_plural = _("lịch sử xử lý phản ánh")
        ordering = ["feedback", "at", "id"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise LogImmutable("feedback events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise LogImmutable("feedback events are append-only")
