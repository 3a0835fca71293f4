"""``motcua import_catalog FILE [--dry-run] [--skip-invalid]``"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.importing import import_catalogue_file


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục từ tệp .json hoặc .xlsx. Có lỗi thì không nhập gì "
        "(trừ khi dùng --skip-invalid)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .json hoặc .xlsx")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Nhập các thủ tục hợp lệ, bỏ qua (và báo) các thủ tục có lỗi.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = import_catalogue_file(
            options["file"],
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
        )
        for issue in report.issues:
            self.stderr.write(str(issue))
        if report.issues and not options["skip_invalid"]:
            raise CommandError(
                f"{len(report.issues)} lỗi, không nhập gì. {report.summary()}"
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))
