"""Letter templates per procedure (by national code), each with its period."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .placeholders import validate_placeholders

PROCEDURE_CODE = RegexValidator(
    r"^[0-9]\.[0-9]{6}$", _("Mã thủ tục theo CSDL quốc gia, ví dụ 1.001193.")
)


class LetterTemplate(models.Model):
    class Kind(models.TextChoices):
        CONGRATULATION = "congratulation", _("Thư chúc mừng")
        CONDOLENCE = "condolence", _("Thư chia buồn")

    procedure_code = models.CharField(
        _("mã thủ tục"), max_length=32, validators=[PROCEDURE_CODE], db_index=True
    )
    kind = models.CharField(_("loại thư"), max_length=16, choices=Kind.choices)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(
        _("áp dụng đến hết ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống: áp dụng đến khi có mẫu mới."),
    )
    title = models.CharField(
        _("tiêu đề"), max_length=255, validators=[validate_placeholders]
    )
    body = models.TextField(
        _("nội dung"),
        validators=[validate_placeholders],
        help_text=_(
            "Mỗi đoạn cách nhau một dòng trống. Trường thay thế: {nguoi_nop}, "
            "{ten_tre}, {co_quan}, {ngay}, {ma_ho_so}, {nguoi_ky}, {chuc_vu}."
        ),
    )
    signer_title = models.CharField(
        _("chức vụ người ký"),
        max_length=120,
        default="Chủ tịch Ủy ban nhân dân",
        validators=[validate_placeholders],
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects: models.Manager[LetterTemplate] = models.Manager()

    class Meta:
        verbose_name = _("mẫu thư gửi kèm kết quả")
        verbose_name_plural = _("mẫu thư gửi kèm kết quả")
        ordering = ["procedure_code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure_code", "valid_from"], name="letter_one_per_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure_code} — {self.title}"

    def clean(self) -> None:
        super().clean()
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")}
            )
        if self.valid_from and self._overlapping().exists():
            raise ValidationError(
                _(
                    "Thủ tục %(code)s đã có mẫu thư áp dụng trong khoảng thời gian "
                    "này: sửa ngày kết thúc của mẫu cũ trước."
                )
                % {"code": self.procedure_code}
            )

    def _overlapping(self) -> models.QuerySet[LetterTemplate]:
        others = LetterTemplate.objects.filter(
            procedure_code=self.procedure_code
        ).exclude(pk=self.pk)
        others = others.filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from)
        )
        if self.valid_to:
            others = others.filter(valid_from__lte=self.valid_to)
        return others
