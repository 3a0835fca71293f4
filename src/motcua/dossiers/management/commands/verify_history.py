from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.history import verify_all


class Command(BaseCommand):
    help = (
        "Kiểm tra chuỗi băm lịch sử của mọi hồ sơ; nêu tên hồ sơ có lịch sử "
        "hoặc ngày tháng bị sửa."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--agency", help="Chỉ kiểm tra hồ sơ của cơ quan có mã này."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = verify_all(agency_code=options.get("agency"))
        for problem in problems:
            where = f" (sự kiện {problem.seq})" if problem.seq else ""
            self.stdout.write(f"{problem.dossier_code}{where}: {problem.message}")
        broken = len({p.dossier_code for p in problems})
        summary = (
            f"Đã kiểm tra {checked} hồ sơ; {broken} hồ sơ có lịch sử không toàn vẹn."
        )
        if problems:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
