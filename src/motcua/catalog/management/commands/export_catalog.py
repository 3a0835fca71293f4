"""``motcua export_catalog FILE`` (.json or .xlsx)"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.exporting import export_catalogue_file
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Xuất danh mục thủ tục (phiên bản mới nhất của mỗi thủ tục, hoặc mọi "
        "phiên bản với --history) ra .json/.xlsx."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .json hoặc .xlsx")
        parser.add_argument(
            "--history",
            action="store_true",
            help="Mọi phiên bản, mỗi giai đoạn hiệu lực một mục (lịch sử thủ tục).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = export_catalogue_file(options["file"], history=options["history"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Đã xuất {count} mục ra {options['file']}.")
        )
