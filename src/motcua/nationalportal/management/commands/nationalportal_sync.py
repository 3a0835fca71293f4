"""``motcua nationalportal_sync``: what the sync with the national portal
stands at, and queuing the dossiers it has not been told about (docs/
national-portal.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from motcua.core.errors import DomainError
from motcua.nationalportal import conf, services
from motcua.nationalportal.models import SyncState


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError("--since phải là ngày dạng 2026-01-31.") from None


class Command(BaseCommand):
    help = (
        "Đồng bộ hồ sơ lên Cổng dịch vụ công quốc gia: xem tình trạng, đưa các "
        "hồ sơ chưa đồng bộ vào hàng gửi (--backfill). Việc gửi do «motcua "
        "worker» thực hiện."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--backfill",
            action="store_true",
            help="Đưa vào hàng gửi các hồ sơ đã tiếp nhận mà Cổng chưa biết "
            "(hoặc chưa biết sự kiện mới nhất).",
        )
        parser.add_argument(
            "--since",
            type=_day,
            help="Chỉ các hồ sơ tiếp nhận từ ngày này (mặc định MOTCUA_DVCQG_SINCE).",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=1000,
            help="Số hồ sơ tối đa mỗi lần chạy (mặc định 1000).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] < 1:
            raise CommandError("--limit phải lớn hơn 0.")
        if not conf.enabled():
            raise CommandError(
                "Chưa cấu hình địa chỉ đồng bộ (MOTCUA_DVCQG_URL): không đồng bộ."
            )
        try:
            since = options["since"] or conf.since()
            conf.agency_codes()
            conf.timeout()
            problem = conf.endpoint_problem(conf.endpoint())
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from None
        if problem:
            raise CommandError(problem)
        if options["backfill"]:
            done = services.backfill(since=since, limit=options["limit"])
            self.stdout.write(f"nationalportal.backfill queued={done.queued}")
            if done.remaining:
                self.stdout.write(
                    "Còn hồ sơ chưa đưa vào hàng gửi: chạy lại lệnh để tiếp tục."
                )
        counts = dict(
            SyncState.objects.values_list("state").annotate(n=Count("id")).order_by()
        )
        for value, label in SyncState.State.choices:
            self.stdout.write(f"{value} {counts.get(value, 0)} ({label})")
