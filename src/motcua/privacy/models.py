"""Who read which personal data, when (Decree 13/2023/NĐ-CP on personal data
protection; ARCHITECTURE principle 7: "reads of personal data are logged").

The log is append-only: a row is written once and never changed or deleted
through the application. It holds no personal data itself: the staff member's
user name, the agency, the dossier's id and code (copied as plain values so an
anonymising purge or a deleted dossier never loses a row) and a short
non-personal detail (an export's name, a number of rows).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.dates import vn_date_time
from motcua.core.statements import refuses_rewrites


class ReadLogImmutable(Exception):
    """Raised on any attempt to change or delete a read-log row."""

    code = "privacy.read_log_immutable"
    message = _("Nhật ký truy cập dữ liệu cá nhân không được sửa hoặc xoá.")

    def __init__(self) -> None:
        super().__init__(str(self.message))


class ReadLogQuerySet(models.QuerySet["ReadLog"]):
    def update(self, **kwargs: Any) -> int:
        raise ReadLogImmutable()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ReadLogImmutable()

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise ReadLogImmutable()

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise ReadLogImmutable()


ReadLogManager = models.Manager.from_queryset(ReadLogQuerySet)


class ReadLog(models.Model):
    class What(models.TextChoices):
        DOSSIER_VIEW = "dossier_view", _("Xem hồ sơ (bộ phận nghiệp vụ)")
        APPLICANT_LOOKUP = "applicant_lookup", _("Tra cứu người nộp hồ sơ")
        EXPORT = "export", _("Kết xuất dữ liệu")
        SLIP = "slip", _("In phiếu, giấy tờ")
        FILE_VIEW = "file_view", _("Xem, tải tệp của hồ sơ")
        API_DETAIL = "api_detail", _("API: xem một hồ sơ")
        API_LIST = "api_list", _("API: danh sách hồ sơ")
        QUEUE_LIST = "queue_list", _("Danh sách hồ sơ (hàng đợi, tìm kiếm)")

    at = models.DateTimeField(_("thời điểm"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem"),
        # Deleting an account touches no row of the log (the user name is
        # copied); the id may then point nowhere, hence no database constraint.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    dossier_id = models.BigIntegerField(_("mã nội bộ hồ sơ"), null=True, blank=True)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=64, blank=True)
    what = models.CharField(_("loại truy cập"), max_length=32, choices=What.choices)
    detail = models.CharField(_("chi tiết"), max_length=255, blank=True)
    count = models.PositiveIntegerField(_("số bản ghi"), default=1)

    objects: ClassVar[ReadLogManager] = ReadLogManager()

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        # Django's internal look-ups use the base manager: make it ours too.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["agency", "at", "id"], name="readlog_agency_at"),
            models.Index(fields=["dossier_id"], name="readlog_dossier"),
            models.Index(fields=["dossier_code"], name="readlog_dossier_code"),
            models.Index(fields=["username", "at"], name="readlog_username_at"),
        ]

    def __str__(self) -> str:
        # Vietnam time: the stored instant is UTC, read by officers in Hà Nội.
        return f"{vn_date_time(self.at)} {self.username} {self.what}"

    @refuses_rewrites
    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ReadLogImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ReadLogImmutable()
