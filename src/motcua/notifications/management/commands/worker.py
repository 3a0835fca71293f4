"""``motcua worker``: deliver the outbox (docs/notifications.md)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from motcua.core.errors import DomainError
from motcua.notifications import conf, worker


class Command(BaseCommand):
    help = "Gửi các tin nhắn đến hạn trong hộp thư đi (SMS, Zalo, thư điện tử)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Gửi những tin đến hạn rồi dừng (dùng cho kiểm thử, cron).",
        )
        parser.add_argument(
            "--sleep",
            type=float,
            default=5.0,
            help="Số giây chờ khi không còn tin đến hạn (mặc định 5).",
        )
        parser.add_argument(
            "--batch", type=int, default=50, help="Số tin nhận mỗi lượt (50)."
        )
        parser.add_argument(
            "--lease",
            type=float,
            default=None,
            help="Sau bao nhiêu giây một tin “đang gửi” bị coi là bỏ dở "
            "(mặc định MOTCUA_NOTIFY_LEASE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            conf.check()
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from None
        stop = threading.Event()

        def on_term(signum: int, frame: Any) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_term)
        signal.signal(signal.SIGINT, on_term)
        while not stop.is_set():
            counts = worker.run_once(
                limit=options["batch"], lease=options["lease"], stop=stop.is_set
            )
            if counts:
                summary = " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
                self.stdout.write(f"notifications.pass {summary}")
            if options["once"]:
                break
            close_old_connections()
            stop.wait(options["sleep"])
