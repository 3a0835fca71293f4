import time
from typing import Any

from django.core.management.base import BaseCommand

from motcua.demo.services import demo_password, load_demo
from motcua.demo.staff import accounts_for_display


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu trình diễn: thành phố Đà Nẵng hôm nay (phường Hòa Cường, "
        "phường Hải Vân) với các phường, quận cũ đã sáp nhập từ 01/07/2025, cán bộ, "
        "danh mục thủ tục và hồ sơ từ tháng 4/2025 đến nay (qua ngày sáp nhập). "
        "Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-dossiers", action="store_true", help="Không tạo hồ sơ mẫu."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=(
                "Số ngày lịch có hồ sơ tính đến hôm nay (mặc định: từ 01/04/2025, "
                "hoặc 365 ngày nếu dài hơn)."
            ),
        )
        parser.add_argument(
            "--per-day",
            type=float,
            default=3.0,
            help="Số hồ sơ trung bình mỗi ngày làm việc ở mỗi phường (mặc định 3).",
        )

    def _progress(self, line: str) -> None:
        self.stdout.write(f"  {line}")
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        summary = load_demo(
            with_dossiers=not options["no_dossiers"],
            days=options["days"],
            per_day=options["per_day"],
            progress=self._progress,
        )
        self.stdout.write(f"Cơ quan mẫu mới tạo: {summary.agencies_created}")
        self.stdout.write(f"Thủ tục trong danh mục mẫu: {summary.procedures}")
        self.stdout.write(
            f"Hồ sơ mẫu mới tạo: {summary.dossiers_created} "
            f"({summary.actions} thao tác, {time.monotonic() - started:.0f} giây)"
        )
        for problem in summary.skipped[:5]:
            self.stdout.write(f"  bỏ qua một bước: {problem}")
        state = "mới tạo" if summary.admin.created else "đã có"
        self.stdout.write(
            self.style.SUCCESS(
                f"Tài khoản quản trị ({state}): {summary.admin.username} / "
                f"{summary.admin.password}  — chỉ dùng để trình diễn trên máy này."
            )
        )
        self.stdout.write(f"Tài khoản cán bộ (mật khẩu {demo_password()}):")
        for username, role, agency in accounts_for_display(demo_password()):
            self.stdout.write(f"  {username:<28} {role:<18} {agency}")
