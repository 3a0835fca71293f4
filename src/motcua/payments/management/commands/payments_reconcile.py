"""``motcua payments_reconcile``: ask the gateway about payment orders still
open after their time ran out (the IPN never came, the citizen closed the tab)
and settle them as their callback would have. ``motcua scheduler`` runs the
same every few minutes (job ``payments_reconcile``); the command is for cron or
by hand (``docs/admin-payments.md``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand

from motcua.payments.jobs import GRACE
from motcua.payments.services import orders_reconcile


class Command(BaseCommand):
    help = (
        "Đối soát các đơn thanh toán trực tuyến còn chờ: hỏi cổng thanh toán và "
        "cập nhật kết quả như khi nhận IPN."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=int(GRACE.total_seconds() // 60),
            help="Chỉ hỏi các đơn đã hết hạn quá số phút này (mặc định 5).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        grace = timedelta(minutes=max(0, options["grace_minutes"]))
        counts = orders_reconcile(grace=grace)
        summary = ", ".join(f"{state}={n}" for state, n in sorted(counts.items()))
        self.stdout.write(f"payments_reconcile: {summary or 'không có đơn nào'}")
