"""``motcua recompute_figures [--verify]``: rebuild the figures from the history,
or compare them with it (exit status 1 when they differ)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.reports.recompute import rebuild, verify


class Command(BaseCommand):
    help = (
        "Tính lại các bảng số liệu (Biểu 06) từ lịch sử hồ sơ; với --verify chỉ "
        "so sánh và liệt kê mọi chênh lệch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Không ghi gì; so sánh số liệu đang lưu với lịch sử.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["verify"]:
            totals = rebuild()
            self.stdout.write(
                f"Đã tính lại số liệu: {totals.dossiers} hồ sơ, "
                f"{totals.facts} hồ sơ đã tiếp nhận, "
                f"{sum(1 for v in totals.buckets.values() if any(v.values()))} ô "
                "tổng hợp."
            )
            return
        totals, problems = verify()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(
                f"Số liệu khác lịch sử: {len(problems)} chênh lệch "
                f"({totals.dossiers} hồ sơ đã kiểm tra). "
                "Chạy «motcua recompute_figures» để tính lại."
            )
        self.stdout.write(
            f"Số liệu khớp lịch sử: {totals.dossiers} hồ sơ, "
            f"{totals.facts} hồ sơ đã tiếp nhận, không có chênh lệch."
        )
