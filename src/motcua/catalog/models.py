"""The procedure catalogue: fields, procedures and their versions.

A procedure (identified by its national code, e.g. 1.001193) has versions with
effective dates; everything a dossier depends on — name, legal time, components,
fees, workflow steps — lives on the version, and a dossier keeps the version it
was received under (ARCHITECTURE principle 4: rules are data, versioned).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.deadlines.engine import UNIT_LABELS_VI, Unit

PROCEDURE_CODE_RE = r"^\d\.\d{6}$"
BLANK_FORM_EXTENSIONS = ["pdf", "doc", "docx", "odt"]
UNIT_CHOICES = [(u.value, UNIT_LABELS_VI[u]) for u in Unit]


class Field(models.Model):
    """Lĩnh vực: Hộ tịch, Chứng thực, Đất đai, …"""

    code = models.CharField(_("mã lĩnh vực"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """A procedure's identity; its content is in :class:`ProcedureVersion`."""

    code = models.CharField(
        _("mã thủ tục"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                PROCEDURE_CODE_RE, _("Mã thủ tục theo CSDL quốc gia, ví dụ 1.001193.")
            )
        ],
    )
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    agencies = models.ManyToManyField(
        "agencies.Agency",
        verbose_name=_("cơ quan thực hiện"),
        blank=True,
        related_name="procedures",
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    # issue 8 (privacy): how long applicants' personal data of closed dossiers
    # is kept before the purge anonymises it; empty = MOTCUA_RETENTION_YEARS.
    personal_data_retention_years = models.PositiveSmallIntegerField(
        _("thời hạn lưu dữ liệu cá nhân (năm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Số năm giữ thông tin người nộp sau khi hồ sơ kết thúc; để trống "
            "để dùng mặc định của hệ thống. Do quản trị quyết định theo quy định "
            "lưu trữ hồ sơ của thủ tục."
        ),
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ProcedureVersion(models.Model):
    class Level(models.TextChoices):
        COMMUNE = "commune", _("Cấp xã")
        DISTRICT = "district", _("Cấp huyện")
        PROVINCE = "province", _("Cấp tỉnh")
        CENTRAL = "central", _("Cấp trung ương")

    class OnlineLevel(models.TextChoices):
        FULL = "full", _("Toàn trình")
        PARTIAL = "partial", _("Một phần")
        NONE = "none", _("Chỉ cung cấp thông tin")

    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    effective_from = models.DateField(_("hiệu lực từ ngày"))
    effective_to = models.DateField(_("hết hiệu lực từ ngày"), null=True, blank=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    level = models.CharField(
        _("cấp thực hiện"), max_length=16, choices=Level.choices, default=Level.COMMUNE
    )
    time_value = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"),
        max_length=16,
        choices=UNIT_CHOICES,
        default=Unit.WORKING_DAYS,
    )
    channel_times = models.JSONField(
        _("thời hạn theo kênh"),
        default=dict,
        blank=True,
        help_text=_('Ví dụ {"online": {"value": 2, "unit": "working_days"}}.'),
    )
    fee_text = models.CharField(_("phí, lệ phí"), max_length=500, blank=True)
    fee_amount = models.PositiveIntegerField(_("số tiền phí (đồng)"), default=0)
    result_documents = models.JSONField(
        _("kết quả giải quyết"), default=list, blank=True
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    online_level = models.CharField(
        _("mức dịch vụ công trực tuyến"),
        max_length=16,
        choices=OnlineLevel.choices,
        default=OnlineLevel.PARTIAL,
    )
    aliases = models.JSONField(
        _("tên gọi khác"), default=list, blank=True, help_text=_('Ví dụ ["sổ đỏ"].')
    )
    decision = models.CharField(_("quyết định công bố"), max_length=255, blank=True)
    search_text = models.TextField(editable=False, blank=True, db_index=False)
    # fold(name): the public search ranks a match on the name first
    search_name = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="procedure_version_unique"
            )
        ]
        indexes = [models.Index(fields=["procedure", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} — {self.name}"

    def time_for(self, channel: str) -> tuple[Unit, Decimal]:
        """The legal time for a reception channel (falls back to the default)."""
        specific = (self.channel_times or {}).get(channel)
        if specific:
            return Unit(specific["unit"]), Decimal(str(specific["value"]))
        return Unit(self.time_unit), self.time_value


class Component(models.Model):
    """A document of the dossier (thành phần hồ sơ)."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Bản chính")
        COPY = "copy", _("Bản sao")
        CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
        SHOWN = "shown", _("Xuất trình để đối chiếu")

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="components"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    blank_form = models.FileField(
        _("mẫu đơn, tờ khai"),
        upload_to="catalog/forms/",
        blank=True,
        validators=[FileExtensionValidator(BLANK_FORM_EXTENSIONS)],
        help_text=_(
            "Tệp mẫu để trống (PDF, DOC, DOCX, ODT) người dân tải về từ trang thủ tục."
        ),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name


class StepTemplate(models.Model):
    """A step of the procedure's workflow. Steps with the same ``position`` run in
    parallel; positions run in order. ``unit`` empty = the receiving agency;
    another agency = inter-agency processing (liên thông)."""

    class StepRole(models.TextChoices):
        RECEPTION = "reception", _("Cán bộ một cửa")
        SPECIALIST = "specialist", _("Chuyên viên")
        LEADER = "leader", _("Lãnh đạo")

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò"), max_length=16, choices=StepRole.choices)
    unit = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("đơn vị xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Để trống: cơ quan tiếp nhận; chọn cơ quan khác khi liên thông."),
    )
    budget_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class ProvinceReception(models.Model):
    """A procedure a province lets every reception centre in it receive for the
    competent agency, regardless of administrative boundary (Decree 118/2025;
    each province publishes its list by decision, e.g. Nghệ An, Hà Tĩnh, Cần
    Thơ, Hà Nội), from ``valid_from`` until ``valid_to`` (excluded)."""

    province = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="province_receptions",
    )
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("đến ngày (không kể)"), null=True, blank=True)
    basis = models.CharField(
        _("căn cứ"),
        max_length=255,
        help_text=_("Quyết định công bố danh mục của tỉnh: số, ngày."),
    )

    class Meta:
        verbose_name = _("thủ tục tiếp nhận không phụ thuộc địa giới hành chính")
        verbose_name_plural = _("thủ tục tiếp nhận không phụ thuộc địa giới hành chính")
        ordering = ["province", "procedure", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "procedure", "valid_from"],
                name="province_reception_once",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="province_reception_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} @ {self.province_id} từ {self.valid_from}"


class SearchAlias(models.Model):
    """Cách gọi thông dụng: words people use for a procedure ("sổ đỏ", "làm giấy
    khai sinh", "báo tử"). Keyed by the national procedure code, not by a row,
    so an alias holds across versions and re-imports of the catalogue; the
    public search ranks a match here right after a match on the name."""

    procedure_code = models.CharField(
        _("mã thủ tục"),
        max_length=32,
        db_index=True,
        validators=[
            RegexValidator(
                PROCEDURE_CODE_RE, _("Mã thủ tục theo CSDL quốc gia, ví dụ 1.001193.")
            )
        ],
    )
    phrase = models.CharField(
        _("cách gọi"),
        max_length=255,
        help_text=_("Cách người dân thường gọi thủ tục, ví dụ «sổ đỏ»."),
    )
    folded = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("cách gọi thông dụng")
        verbose_name_plural = _("cách gọi thông dụng")
        ordering = ["procedure_code", "phrase"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure_code", "folded"], name="search_alias_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.procedure_code}"
