"""``motcua restore PATH [--yes]``: put a backup made by ``motcua backup`` back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.privacy.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục CSDL và tệp đính kèm từ bản sao lưu của «motcua backup». "
        "Toàn bộ dữ liệu hiện tại của CSDL bị thay thế."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Tệp sao lưu CSDL (.sqlite3 hoặc .dump).")
        parser.add_argument(
            "--yes", action="store_true", help="Xác nhận ghi đè, không hỏi lại."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "Khôi phục sẽ thay thế toàn bộ dữ liệu hiện tại. Dừng web và "
                "worker, rồi chạy lại với --yes để xác nhận."
            )
        try:
            differences = restore(Path(options["path"]))
        except BackupError as exc:
            raise CommandError(exc.message) from None
        for table, (expected, found) in differences.items():
            self.stdout.write(f"  {table}: sao lưu {expected} dòng, hiện có {found}")
        if differences:
            raise CommandError(
                f"Đã khôi phục nhưng {len(differences)} bảng có số dòng khác bản "
                "sao lưu (xem trên)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục từ {options['path']}; số dòng mọi bảng khớp bản sao lưu."
            )
        )
