"""``motcua purge_personal_data [--dry-run] [--agency CODE] [--before DATE]``"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.models import Agency
from motcua.privacy.retention import purge_personal_data


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ngày «{value}» phải theo dạng YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Ẩn danh thông tin người nộp của các hồ sơ đã kết thúc quá thời hạn lưu "
        "dữ liệu cá nhân (theo thủ tục, mặc định MOTCUA_RETENTION_YEARS). Hồ sơ, "
        "tệp, lịch sử và số liệu được giữ nguyên."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ đếm, không thay đổi gì."
        )
        parser.add_argument("--agency", help="Chỉ hồ sơ của cơ quan có mã này.")
        parser.add_argument(
            "--before",
            help="Chỉ hồ sơ kết thúc trước ngày này (YYYY-MM-DD); không nới "
            "thời hạn lưu.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = options.get("agency")
        if agency and not Agency.objects.filter(code=agency).exists():
            raise CommandError(f"Không có cơ quan mã «{agency}».")
        before = _day(options["before"]) if options.get("before") else None
        summary = purge_personal_data(
            dry_run=options["dry_run"], agency_code=agency, before=before
        )
        for line in summary.lines():
            self.stdout.write(line)
        if summary.failed:
            raise CommandError(f"{len(summary.failed)} hồ sơ không ẩn danh được.")
