"""``motcua demo_static``: ``collectstatic`` for ``make demo`` (motcua.demo.static)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.demo.static import collect_static


class Command(BaseCommand):
    help = (
        "Chép các tệp tĩnh cho bản trình diễn (như collectstatic, cùng các tệp "
        "nén .br và .gz), nén nhanh và bỏ qua các tệp đã nén từ trước."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        collect_static(lambda line: self.stdout.write(f"demo: {line}"))
