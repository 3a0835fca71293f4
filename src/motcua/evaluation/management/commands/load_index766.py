"""Install a new version of the 766 index definition from a JSON file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.evaluation.definitions import (
    DEFAULT_FILE,
    install_definition,
    read_definition,
)
from motcua.evaluation.models import IndexGroup, IndexIndicator


class Command(BaseCommand):
    help = (
        "Nạp định nghĩa bộ chỉ số 766 (nhóm, chỉ số, trọng số, chỉ tiêu) từ tệp JSON."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = read_definition(Path(options["path"]))
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Tệp định nghĩa không hợp lệ: {exc}") from exc
        created = install_definition(IndexGroup, IndexIndicator, data)
        if created:
            self.stdout.write(f"Đã nạp {data['version']}: {created} nhóm.")
        else:
            self.stdout.write(f"Phiên bản {data['version']} đã có, không thay đổi.")
