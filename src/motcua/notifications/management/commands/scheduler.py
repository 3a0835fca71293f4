"""``motcua scheduler``: the periodic jobs (docs/notifications.md)."""

from __future__ import annotations

import signal
import threading
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.deadlines.engine import VN_TZ
from motcua.notifications import conf, scheduler


class Command(BaseCommand):
    help = (
        "Chạy các việc định kỳ: theo dõi hạn xử lý, bản tin buổi sáng cho lãnh "
        "đạo, kiểm tra lịch sử và số liệu hằng đêm."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Chạy các việc một lần rồi dừng (dùng cho kiểm thử, cron).",
        )
        parser.add_argument(
            "--job",
            action="append",
            choices=sorted(scheduler.JOBS),
            help="Chỉ chạy việc này (dùng với --once; có thể lặp lại).",
        )
        parser.add_argument(
            "--sleep",
            type=float,
            default=30.0,
            help="Số giây giữa hai lần xem có việc đến giờ (mặc định 30).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            conf.check()
            watch_every = timedelta(
                minutes=conf.number("MOTCUA_SCHEDULER_WATCH_MINUTES")
            )
            digest_at = conf.clock_time("MOTCUA_DIGEST_AT")
            nightly_at = conf.clock_time("MOTCUA_NIGHTLY_AT")
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from None
        if options["once"]:
            self._report(scheduler.run(options["job"] or None))
            return
        stop = threading.Event()

        def on_term(signum: int, frame: Any) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_term)
        signal.signal(signal.SIGINT, on_term)
        last: dict[str, Any] = {}
        while not stop.is_set():
            now = clock.now()
            names = scheduler.due_jobs(
                now,
                last,
                watch_every=watch_every,
                digest_at=digest_at,
                nightly_at=nightly_at,
            )
            names = [n for n in names if not options["job"] or n in options["job"]]
            for name in names:
                if stop.is_set():
                    break
                self._report(scheduler.run([name], now))
                last[name] = (
                    now if name in scheduler.WATCHES else now.astimezone(VN_TZ).date()
                )
            close_old_connections()
            stop.wait(options["sleep"])

    def _report(self, done: dict[str, int]) -> None:
        for name, written in done.items():
            self.stdout.write(f"notifications.job {name} count={written}")
