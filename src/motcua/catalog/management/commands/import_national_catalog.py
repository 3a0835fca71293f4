"""``motcua import_national_catalog FILE [--effective YYYY-MM-DD] [--apply]``

Preview by default: what the national file would add or change, field by field,
and its errors, writing nothing. ``--apply`` writes it (all or nothing).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.changes import CHANGED, NEW, UNCHANGED
from motcua.catalog.importing import ImportReport
from motcua.catalog.national import import_national_file
from motcua.core.dates import parse_date, vn_date
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Nhập thủ tục từ tệp của CSDL quốc gia về thủ tục hành chính (.json hoặc "
        ".xlsx). Mặc định chỉ xem trước; --apply để ghi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .json hoặc .xlsx theo mẫu CSDL quốc gia")
        parser.add_argument(
            "--effective",
            help="Ngày áp dụng phiên bản mới (YYYY-MM-DD hoặc dd/mm/yyyy); mặc định "
            "là ngày hiệu lực của quyết định công bố trong tệp.",
        )
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Ghi vào danh mục (mặc định: xem trước).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        effective = None
        if options["effective"]:
            effective = parse_date(options["effective"])
            if effective is None:
                raise CommandError(
                    f"--effective «{options['effective']}» không phải là ngày."
                )
        try:
            _, report = import_national_file(
                options["file"], effective=effective, apply=options["apply"]
            )
        except DomainError as exc:
            raise CommandError(f"[{exc.code}] {exc.message}") from None
        self._print(report)
        if report.issues:
            raise CommandError(
                f"{len(report.issues)} lỗi, không nhập gì. {report.summary()}"
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _print(self, report: ImportReport) -> None:
        for kind, title in (
            (NEW, "Thủ tục mới"),
            (CHANGED, "Thủ tục có thay đổi (phiên bản mới)"),
            (UNCHANGED, "Thủ tục không đổi"),
        ):
            changes = [c for c in report.changes if c.kind == kind]
            if not changes:
                continue
            self.stdout.write(f"{title}: {len(changes)}")
            for change in changes:
                line = f"  {change.code} {change.name}"
                if kind != UNCHANGED:
                    line += f" — hiệu lực từ {vn_date(change.effective_from)}"
                if change.closes:
                    line += f", kết thúc phiên bản {change.closes}"
                self.stdout.write(line)
                for f in change.fields:
                    self.stdout.write(f"    {f.label}:")
                    self.stdout.write(f"      cũ: {f.old.replace(chr(10), ' | ')}")
                    self.stdout.write(f"      mới: {f.new.replace(chr(10), ' | ')}")
        for issue in report.issues:
            self.stderr.write(f"[{issue.code}] {issue}")
