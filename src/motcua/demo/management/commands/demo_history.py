"""``motcua demo_history FILE [--agency CODE] [--years 2017 2018] [--per-year N]``"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.models import Agency
from motcua.core import clock
from motcua.demo.history import ward_history, write_jsonl


class Command(BaseCommand):
    help = (
        "Viết một tệp hồ sơ lịch sử mẫu (JSON Lines, như hệ thống một cửa cũ "
        "xuất ra) cho một phường/xã để thử «motcua import_dossiers»: các năm đã "
        "qua, đủ loại kết quả, bổ sung, rút hồ sơ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .jsonl sẽ viết")
        parser.add_argument(
            "--agency",
            default="000.01.01.H17",
            help=(
                "Mã cơ quan (mặc định: phường Hòa Cường Nam của bản demo, đơn vị "
                "cũ đã sáp nhập vào phường Hòa Cường từ 01/07/2025)"
            ),
        )
        parser.add_argument("--years", type=int, nargs="+", default=[2017, 2018])
        parser.add_argument("--per-year", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument(
            "--open-days",
            type=int,
            default=0,
            help="Số ngày làm việc cuối năm cuối có hồ sơ còn mở (mặc định 0).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["agency"]
        if not Agency.objects.filter(code=code).exists():
            raise CommandError(f"Không có cơ quan mã «{code}».")
        years = options["years"]
        if options["per_year"] < 1 or not all(
            2015 <= y < clock.today().year for y in years
        ):
            raise CommandError("Cần --per-year ≥ 1 và các năm đã qua, từ 2015.")
        count = write_jsonl(
            options["file"],
            ward_history(
                code,
                tuple(options["years"]),
                options["per_year"],
                seed=options["seed"],
                open_days=max(options["open_days"], 0),
            ),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã viết {count} dòng vào {options['file']}. Nhập thử: motcua "
                f"import_dossiers {options['file']} --dry-run"
            )
        )
