from typing import Any

from django.core.management.base import BaseCommand

from motcua.demo.services import load_demo


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu trình diễn (các cơ quan mẫu và tài khoản quản trị). "
        "Chạy lại không tạo trùng."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created, account = load_demo()
        self.stdout.write(f"Cơ quan mẫu mới tạo: {created}")
        state = "mới tạo" if account.created else "đã có"
        self.stdout.write(
            self.style.SUCCESS(
                f"Tài khoản quản trị ({state}): {account.username} / {account.password}"
                "  — chỉ dùng để trình diễn trên máy này."
            )
        )
