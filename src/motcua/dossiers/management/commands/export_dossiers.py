"""``motcua export_dossiers FILE.jsonl [--agency CODE] [--from DATE] [--to DATE]``"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.models import Agency
from motcua.dossiers.exporting import ExportReport, export_dossiers
from motcua.privacy.services import record_counts


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ngày «{value}» phải theo dạng YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Xuất hồ sơ đã tiếp nhận ra tệp JSON Lines đúng định dạng của "
        "import_dossiers (lịch sử đầy đủ; nhập lại cho cùng lịch sử)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .jsonl sẽ ghi («-»: ra stdout)")
        parser.add_argument("--agency", help="Chỉ hồ sơ của cơ quan có mã này.")
        parser.add_argument(
            "--from", dest="date_from", help="Tiếp nhận từ ngày (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--to", dest="date_to", help="Tiếp nhận đến hết ngày (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = options.get("agency")
        if agency and not Agency.objects.filter(code=agency).exists():
            raise CommandError(f"Không có cơ quan mã «{agency}».")
        received_from = _day(options["date_from"]) if options["date_from"] else None
        received_to = _day(options["date_to"]) if options["date_to"] else None
        if received_from and received_to and received_from > received_to:
            raise CommandError("Ngày --from phải trước hoặc bằng ngày --to.")
        report = ExportReport()
        rows = export_dossiers(
            agency_code=agency,
            received_from=received_from,
            received_to=received_to,
            report=report,
        )
        per_agency: Counter[str] = Counter()
        lines = _counted(rows, per_agency)
        path = options["file"]
        if path == "-":
            for line in lines:
                self.stdout.write(line)
            self.stderr.write(report.summary())
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                for line in lines:
                    handle.write(line + "\n")
            self.stdout.write(self.style.SUCCESS(f"{report.summary()} Tệp: {path}"))
        _log_export(per_agency)


def _counted(rows: Iterator[dict[str, Any]], per_agency: Counter[str]) -> Iterator[str]:
    for row in rows:
        per_agency[row["agency"]] += 1
        yield json.dumps(row, ensure_ascii=False)


def _log_export(per_agency: Counter[str]) -> None:
    """The file holds applicants' data: one read-log row per agency."""
    ids = dict(Agency.objects.filter(code__in=per_agency).values_list("code", "id"))
    counts = {ids[code]: n for code, n in per_agency.items()}
    record_counts(None, counts, what="export", detail="lệnh export_dossiers (JSONL)")
