"""``motcua backup [--output PATH]``: the database and the uploaded files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.privacy.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sao lưu CSDL (SQLite: API sao lưu trực tuyến; PostgreSQL: pg_dump -Fc) "
        "và thư mục tệp đính kèm (.media.tar.gz), quyền 0600, mặc định vào "
        "var/backups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help="Tệp sao lưu CSDL sẽ ghi (mặc định var/backups/motcua-<thời "
            "điểm>.sqlite3 hoặc .dump); tệp .media.tar.gz và .json nằm cạnh.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            files = backup(Path(options["output"]) if options["output"] else None)
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu CSDL vào {files.database}, tệp đính kèm vào {files.media}."
            )
        )
