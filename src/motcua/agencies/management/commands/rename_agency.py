"""``motcua rename_agency CODE --name "NEW NAME" --on YYYY-MM-DD``: record that
an agency is called NEW NAME from a date; earlier days keep the old name
(docs/admin-agencies.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.models import Agency
from motcua.agencies.services import agency_rename
from motcua.core.dates import parse_date, vn_date
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Đổi tên cơ quan từ một ngày: trước ngày đó cơ quan vẫn mang tên cũ "
        "(phiếu in lại cho ngày cũ không đổi)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", metavar="CODE")
        parser.add_argument("--name", required=True)
        parser.add_argument("--on", required=True, metavar="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["code"]).first()
        if agency is None:
            raise CommandError(f"Không có cơ quan mã {options['code']}.")
        on = parse_date(options["on"])
        if on is None:
            raise CommandError(
                f"Ngày «{options['on']}» không hợp lệ (ví dụ 2025-07-01)."
            )
        try:
            rename = agency_rename(agency, options["name"], on=on)
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from None
        self.stdout.write(
            f"Đã đổi tên {rename.old_name} thành {rename.new_name} "
            f"từ ngày {vn_date(rename.valid_from)} ({agency.code})."
        )
