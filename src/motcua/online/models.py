"""Online submission: e-form schemas, private drafts and the answers received.

- :class:`EFormSchema` — the e-form (tờ khai điện tử) of a procedure: sections
  and fields as data an administrator edits in the admin, checked by
  :func:`motcua.online.eform.check_schema`. A schema names the procedure by its
  national code and applies to every version of it, unless a version has a
  schema of its own (a new form published with the new version).
- :class:`Draft` and :class:`DraftFile` — a submission being prepared: only its
  owner (the citizen, or the desk officer helping a citizen) reads or changes
  it; anyone else gets 404.
- :class:`OnlineSubmission` — the e-form answers as received with one
  dossier, with the schema they answered, and how the applicant wants the
  result.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import PROCEDURE_CODE_RE


class EFormSchema(models.Model):
    procedure_code = models.CharField(
        _("mã thủ tục"),
        max_length=32,
        db_index=True,
        validators=[RegexValidator(PROCEDURE_CODE_RE)],
        help_text=_("Mã thủ tục theo CSDL quốc gia, ví dụ 1.001193."),
    )
    version = models.OneToOneField(
        "catalog.ProcedureVersion",
        verbose_name=_("chỉ cho phiên bản"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="eform",
        help_text=_(
            "Để trống: dùng cho mọi phiên bản của thủ tục chưa có tờ khai riêng."
        ),
    )
    title = models.CharField(_("tên tờ khai"), max_length=255)
    schema = models.JSONField(
        _("nội dung tờ khai"),
        help_text=_(
            'JSON: {"sections": [{"key", "title", "help", "fields": '
            '[{"key", "label", "type", "required", "help"}]}], '
            '"fills_component": tên giấy tờ tờ khai thay thế}. type: text, date, '
            'choice (kèm "choices": [[giá trị, nhãn]]), id_number, phone, email, '
            'address, yes_no. Tùy chọn: "prefill" (full_name, identity_number, '
            'birth_date, phone, email, address — lấy từ tài khoản), "past": true '
            '(ngày không sau hôm nay), "required_when": {"field", "equals"}.'
        ),
    )
    legal_basis = models.CharField(_("căn cứ (mẫu tờ khai)"), max_length=500)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tờ khai điện tử")
        verbose_name_plural = _("tờ khai điện tử")
        ordering = ["procedure_code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure_code"],
                condition=models.Q(version__isnull=True),
                name="eform_one_general_per_procedure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure_code} — {self.title}"


class Draft(models.Model):
    """A submission being prepared. ``owner`` alone may read or change it: the
    citizen submitting for themselves, or the desk officer helping one
    (``helped``; ``citizen`` is then the helped citizen's account, if any)."""

    class ReturnMethod(models.TextChoices):
        # the same values as ``Dossier.ReturnMethod``
        ONLINE = "online", _("Nhận trực tuyến (bản điện tử)")
        DESK = "desk", _("Nhận tại bộ phận một cửa")
        POST = "post", _("Nhận qua bưu chính")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    citizen = models.ForeignKey(
        "citizens.Citizen",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    helped = models.BooleanField(default=False)
    version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    applicant = models.JSONField(default=dict, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    return_method = models.CharField(
        max_length=16, choices=ReturnMethod.choices, default=ReturnMethod.ONLINE
    )
    notify_channels = models.JSONField(default=list, blank=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("hồ sơ đang soạn")
        verbose_name_plural = _("hồ sơ đang soạn")
        indexes = [models.Index(fields=["owner", "-updated_at"], name="draft_owner")]

    def __str__(self) -> str:
        return f"#{self.pk}"


def draft_file_path(instance: DraftFile, filename: str) -> str:
    return f"online/drafts/{instance.draft.owner_id}/{filename}"


class DraftFile(models.Model):
    """A file uploaded for one component of a draft, checked by its content
    (``dossiers.files.detect_type``) and size when uploaded; it becomes a file
    of the dossier when the draft is submitted."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(
        "catalog.Component", on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(upload_to=draft_file_path, max_length=500)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["draft", "id"]

    def __str__(self) -> str:
        return self.original_name


class OnlineSubmission(models.Model):
    """What the applicant gave online with one dossier, as received: the
    e-form answers with the schema they answer (a later edit of the schema
    changes nothing already received) and how they want the result."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="online_submission"
    )
    return_method = models.CharField(
        _("nhận kết quả"), max_length=16, choices=Draft.ReturnMethod.choices
    )
    title = models.CharField(_("tờ khai"), max_length=255, blank=True)
    schema = models.JSONField(default=dict, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    # SHA-256 of the canonical answers: a later quiet edit shows up against it.
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("nội dung nộp trực tuyến")
        verbose_name_plural = _("nội dung nộp trực tuyến")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.title}"
