"""``motcua demo_prepare``: what ``make demo`` does before it starts the servers,
in one process (one start of Django instead of four), each step timed: the
database's migrations, the cache table, the static files (motcua.demo.static)
and the demo data (``load_demo``)."""

from __future__ import annotations

from time import monotonic
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from motcua.demo.rates import per_second
from motcua.demo.static import collect_static


def _rate(count: int, seconds: float, unit: str) -> str:
    return f"{seconds:.1f} giây, {per_second(count, seconds)} {unit}/giây"


class Command(BaseCommand):
    help = (
        "Chuẩn bị bản trình diễn (lệnh «make demo» gọi trước khi chạy máy chủ): "
        "cập nhật cơ sở dữ liệu, bảng bộ nhớ đệm, tệp tĩnh và dữ liệu mẫu; in "
        "thời gian và tốc độ của từng bước."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-dossiers", action="store_true", help="Không tạo hồ sơ mẫu."
        )

    def _say(self, line: str) -> None:
        self.stdout.write(f"demo: {line}")
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        started = monotonic()
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        self._say(f"cơ sở dữ liệu: {len(plan)} migration cần chạy…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        self._say(
            f"cơ sở dữ liệu: {len(plan)} migration "
            f"({_rate(len(plan), monotonic() - started, 'migration')})"
        )
        collect_static(self._say)
        self._say("dữ liệu mẫu…")
        call_command(
            "load_demo", no_dossiers=options["no_dossiers"], stdout=self.stdout
        )
