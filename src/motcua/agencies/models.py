"""Agencies (cơ quan, đơn vị) of a deployment, their desks and their staff's roles.

One deployment serves a city or province: agencies form a tree (province →
commune, ward or special zone, departments; districts only for history since
the two-tier government of 01/07/2025). ``path`` materialises the tree
("/1/4/9/") so "this agency and everything below it" is one indexed prefix
query, whatever the depth (ARCHITECTURE principle 5).
"""

from __future__ import annotations

import re

from django.conf import settings
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
# Electronic identifier (mã định danh điện tử) under Quyết định 20/2020/QĐ-TTg
# Art. 4 (amended by Quyết định 09/2025/QĐ-TTg): dot-separated groups developed
# left to right, the first the level-1 code MX1X2 (a letter, two digits), at
# most 35 characters, e.g. H48.15.01 (LAW-2025.md §2.4).
E_IDENTIFIER_RE = r"^[A-Z][0-9]{2}(\.[0-9A-Z]+)*$"
E_IDENTIFIER_MAX = 35


def validate_e_identifier(value: str) -> None:
    if len(value) > E_IDENTIFIER_MAX or not re.fullmatch(E_IDENTIFIER_RE, value):
        raise ValidationError(
            _(
                "Mã định danh điện tử phải theo Quyết định 20/2020/QĐ-TTg: các nhóm "
                "chữ in hoa và chữ số cách nhau bằng dấu chấm, nhóm đầu tiên là mã "
                "cấp 1 gồm một chữ cái và hai chữ số (ví dụ H48.15.01), không quá "
                "35 ký tự."
            ),
            code="agency.invalid_e_identifier",
        )


#: Automatic reminders (issue 11 item 6): off (0) or a share of a step's budget
#: between these percentages.
AUTO_REMIND_RANGE = (50, 95)


def validate_auto_remind_percent(value: int) -> None:
    low, high = AUTO_REMIND_RANGE
    if value and not low <= value <= high:
        raise ValidationError(
            _("Nhập 0 (không tự động nhắc) hoặc một số từ %(low)s đến %(high)s.")
            % {"low": low, "high": high},
            code="agency.invalid_auto_remind_percent",
        )


#: Public phone lines per agency (leaders, desk officers): at most this many.
MAX_PUBLIC_PHONES = 30


def validate_public_phones(value: object) -> None:
    """A list of ``{"name", "title", "phone"}``: a name and a phone of 8–15
    digits (an optional leading +, spaces and dots allowed) on every line."""
    message = _(
        'Mỗi dòng cần họ tên và số điện thoại (8–15 chữ số): danh sách {"name": …, '
        '"title": …, "phone": …}, tối đa %(n)s dòng.'
    ) % {"n": MAX_PUBLIC_PHONES}
    if not isinstance(value, list) or len(value) > MAX_PUBLIC_PHONES:
        raise ValidationError(message, code="agency.invalid_public_phones")
    for row in value:
        if not isinstance(row, dict) or set(row) - {"name", "title", "phone"}:
            raise ValidationError(message, code="agency.invalid_public_phones")
        name, phone = str(row.get("name") or "").strip(), str(row.get("phone") or "")
        digits = phone.replace(" ", "").replace(".", "")
        if not name or not (digits.lstrip("+").isdigit() and 8 <= len(digits) <= 15):
            raise ValidationError(message, code="agency.invalid_public_phones")


def validate_working_hours(value: str) -> None:
    try:
        WorkingHours.parse(value)
    except DeadlineError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc


class Agency(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")
        # No district level since 01/07/2025: kept for the history of the
        # districts abolished then (and their dossiers).
        DISTRICT = "district", _("Quận, huyện (trước 01/07/2025)")
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
    e_identifier = models.CharField(
        _("mã định danh điện tử"),
        max_length=E_IDENTIFIER_MAX,
        blank=True,
        default="",
        validators=[validate_e_identifier],
        help_text=_(
            "Theo Quyết định 20/2020/QĐ-TTg, ví dụ H48.15.01 (nhóm đầu là mã cấp 1). "
            "Từ ngày 01/07/2025, mã số hồ sơ bắt đầu bằng mã này; để trống thì "
            "dùng mã cơ quan theo QCVN 102:2016."
        ),
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
            (SupplementPolicy.RESTART.value, _("Tính lại thời hạn từ đầu")),
            (SupplementPolicy.SHIFT.value, _("Lùi hạn theo thời gian chờ bổ sung")),
        ],
        default=SupplementPolicy.RESTART.value,
    )

    # The leaders' standing reminder: when a step has used this share of its
    # working-time budget, its holder is reminded once (0: never).
    auto_remind_percent = models.PositiveSmallIntegerField(
        _("tự động nhắc khi bước xử lý đã dùng (%) thời gian"),
        default=0,
        validators=[validate_auto_remind_percent],
        help_text=_(
            "0: không tự động nhắc. Từ 50 đến 95: khi một bước đã dùng chừng ấy phần "
            "trăm thời gian được giao mà chưa xong, hệ thống nhắc người đang giữ "
            "bước một lần, ghi vào lịch sử hồ sơ."
        ),
    )

    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    hotline = models.CharField(_("đường dây nóng"), max_length=32, blank=True)
    leader_phones = models.JSONField(
        _("số điện thoại lãnh đạo công khai"),
        default=list,
        blank=True,
        validators=[validate_public_phones],
        help_text=_('Danh sách {"name": …, "title": …, "phone": …}.'),
    )
    # The desk officers' lines published on the transparency page (issue 13).
    desk_phones = models.JSONField(
        _("số điện thoại cán bộ một cửa công khai"),
        default=list,
        blank=True,
        validators=[validate_public_phones],
        help_text=_('Danh sách {"name": …, "title": …, "phone": …}.'),
    )
    path = models.CharField(
        _("đường dẫn cây"), max_length=255, db_index=True, blank=True, editable=False
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # A merger (sắp xếp đơn vị hành chính): from ``merged_on`` this agency is a
    # former one; its successor receives instead. Written only by
    # ``services.agency_merge``; read through ``selectors.successor_on``.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        editable=False,
    )
    merged_on = models.DateField(
        _("sáp nhập từ ngày"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["e_identifier"],
                condition=~models.Q(e_identifier=""),
                name="agency_e_identifier_unique",
                violation_error_code="agency.e_identifier_taken",
                violation_error_message=_(
                    "Mã định danh điện tử này đã được gán cho một cơ quan khác."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def hours(self) -> WorkingHours:
        return WorkingHours.parse(self.working_hours)


class AgencyRename(models.Model):
    """A change of an agency's name from a date: before ``valid_from`` the agency
    was called ``old_name``. ``Agency.name`` is the name in use now; the name on
    any day comes from ``selectors.name_on``. Written by ``services.agency_rename``."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="renames",
    )
    old_name = models.CharField(_("tên cũ"), max_length=255)
    new_name = models.CharField(_("tên mới"), max_length=255)
    valid_from = models.DateField(_("tên mới dùng từ ngày"))
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đổi tên cơ quan")
        verbose_name_plural = _("đổi tên cơ quan")
        ordering = ["agency", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "valid_from"], name="agency_rename_unique_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name} ({self.valid_from:%d/%m/%Y})"


class Counter(models.Model):
    """A reception desk (quầy) of the one-stop section."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="counters",
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=100, blank=True)
    fields = models.ManyToManyField(
        "catalog.Field", verbose_name=_("lĩnh vực"), blank=True, related_name="counters"
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("quầy tiếp nhận")
        verbose_name_plural = _("quầy tiếp nhận")
        ordering = ["agency", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="counter_unique")
        ]

    def __str__(self) -> str:
        return self.name or f"Quầy {self.number}"


class Role(models.TextChoices):
    RECEPTION = "reception", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    MONITOR = "monitor", _("Giám sát")


# Roles that may change anything (a note, a call record, a file, a step). The
# monitor (Giám sát) reads only: every write checks one of these roles.
WRITING_ROLES = frozenset(
    {Role.RECEPTION, Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN}
)


class Membership(models.Model):
    """A staff member's role in an agency. A person may hold several roles in
    several agencies; a monitor may cover the agency's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    fields = models.ManyToManyField(
        "catalog.Field",
        verbose_name=_("lĩnh vực phụ trách"),
        blank=True,
        related_name="memberships",
        help_text=_("Với chuyên viên: các lĩnh vực được giao. Để trống: mọi lĩnh vực."),
    )
    covers_subtree = models.BooleanField(
        _("bao gồm đơn vị trực thuộc"),
        default=False,
        help_text=_("Với giám sát: xem được cả các cơ quan cấp dưới."),
    )
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò cán bộ")
        verbose_name_plural = _("vai trò cán bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency.code}"
