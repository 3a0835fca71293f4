"""``motcua merge_agencies FORMER [FORMER ...] --into SUCCESSOR --on YYYY-MM-DD
[--dry-run]``: record a merger of agencies and move their unfinished dossiers,
desks and staff roles to the successor, in one transaction (docs/admin-agencies.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from motcua.agencies.models import Agency
from motcua.core.dates import parse_date, vn_date
from motcua.core.errors import DomainError
from motcua.dossiers.services import MergerSummary, agencies_merge


class _DryRun(Exception):
    """Rolls the transaction back after a trial run."""


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise CommandError(f"Không có cơ quan mã {code}.")
    return agency


def _day(text: str) -> date:
    day = parse_date(text)
    if day is None:
        raise CommandError(f"Ngày «{text}» không hợp lệ (ví dụ 2025-07-01).")
    return day


class Command(BaseCommand):
    help = (
        "Sáp nhập các cơ quan (mã FORMER) vào cơ quan kế thừa từ một ngày: ghi nhận "
        "sáp nhập, chuyển hồ sơ chưa kết thúc (kèm bước đang xử lý), quầy tiếp "
        "nhận và vai trò cán bộ sang cơ quan kế thừa; hồ sơ đã kết thúc ở lại cơ "
        "quan cũ. Tất cả trong một giao dịch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("formers", nargs="+", metavar="FORMER")
        parser.add_argument("--into", required=True, metavar="SUCCESSOR")
        parser.add_argument("--on", required=True, metavar="YYYY-MM-DD")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chạy thử: báo cáo những gì sẽ thay đổi rồi hoàn tác.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        formers = [_agency(code) for code in options["formers"]]
        successor = _agency(options["into"])
        on = _day(options["on"])
        try:
            with transaction.atomic():
                # Each transfer event moves its dossier's figures to the
                # successor (reports.store), in the same transaction.
                summary = agencies_merge(None, formers, successor, on=on)
                self._report(summary, dry_run=options["dry_run"])
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            self.stdout.write("Chạy thử: không có thay đổi nào được lưu.")
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from None

    def _report(self, summary: MergerSummary, *, dry_run: bool) -> None:
        record = summary.record
        verb = "Sẽ sáp nhập" if dry_run else "Đã sáp nhập"
        names = ", ".join(f"{a.name} ({a.code})" for a in record.formers)
        self.stdout.write(
            f"{verb} {names} vào {record.successor.name} ({record.successor.code}) "
            f"từ ngày {vn_date(record.on)}."
        )
        self.stdout.write(
            f"Hồ sơ chuyển sang cơ quan kế thừa: {summary.dossiers}; "
            f"hồ sơ cơ quan khác có bước xử lý, xin ý kiến chuyển theo: "
            f"{summary.touched}; hồ sơ đã kết thúc ở lại cơ quan cũ: "
            f"{summary.stayed}."
        )
        self.stdout.write(
            f"Quầy tiếp nhận chuyển: {record.counters}; vai trò cán bộ thêm ở cơ "
            f"quan kế thừa: {record.memberships}; thủ tục thêm: {record.procedures}."
        )
