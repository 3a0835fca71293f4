"""``motcua import_dossiers FILE.jsonl [--dry-run] [--progress] [--earliest-version]``
(docs/import.md)"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import DomainError
from motcua.dossiers.importing import Rejection, import_file


class ProgressBar:
    """``[#####.....] 512/1000 · 640 dòng/giây · còn 1 giây`` on one line of a
    stream, redrawn at most every ``interval`` seconds."""

    def __init__(self, stream: Any, total: int, width: int = 30) -> None:
        self.stream = stream
        self.total = max(total, 1)
        self.width = width
        self.interval = 0.2
        self._drawn_at = 0.0
        self._started = time.monotonic()
        self.visible = False

    def update(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._drawn_at < self.interval:
            return
        self._drawn_at = now
        filled = self.width * min(done, self.total) // self.total
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = now - self._started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 else 0.0
        self.stream.write(
            f"\r[{bar}] {done}/{self.total} · {rate:,.0f} dòng/giây · còn "
            f"{_duration(left)}   ",
            ending="",
        )
        self.stream.flush()
        self.visible = True

    def clear(self) -> None:
        if self.visible:
            self.stream.write("\r" + " " * (self.width + 70) + "\r", ending="")
            self.visible = False


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} giây"
    if seconds < 3600:
        return f"{seconds // 60} phút {seconds % 60:02d} giây"
    return f"{seconds // 3600} giờ {seconds % 3600 // 60:02d} phút"


def count_lines(path: str) -> int:
    lines, last = 0, b"\n"
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


class Command(BaseCommand):
    help = (
        "Nhập hồ sơ lịch sử từ hệ thống một cửa cũ (JSON Lines, mỗi dòng một hồ "
        "sơ), dựng lại qua đúng các thao tác nghiệp vụ. Dòng lỗi được báo và bỏ "
        "qua; có dòng lỗi thì lệnh kết thúc với mã khác 0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .jsonl (UTF-8)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Kiểm tra và dựng lại đầy đủ rồi hủy: không ghi gì.",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Luôn hiện thanh tiến độ (mặc định: chỉ khi stderr là terminal).",
        )
        parser.add_argument(
            "--earliest-version",
            action="store_true",
            help=(
                "Dòng không có phiên bản thủ tục có hiệu lực vào ngày tiếp nhận và "
                "không ghi hạn trả: theo phiên bản sớm nhất (được đếm riêng)."
            ),
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=200,
            help="Số dòng mỗi lần ghi (commit); mặc định 200.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        show = options["progress"] or self.stderr.isatty()
        try:
            bar = ProgressBar(self.stderr, count_lines(path)) if show else None
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc}") from exc

        def on_reject(rejection: Rejection) -> None:
            if bar is not None:
                bar.clear()
            self.stderr.write(str(rejection))

        try:
            report = import_file(
                path,
                dry_run=options["dry_run"],
                earliest_version=options["earliest_version"],
                batch_size=max(options["batch_size"], 1),
                on_reject=on_reject,
                on_progress=bar.update if bar is not None else None,
            )
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from exc
        if bar is not None:
            bar.update(bar.total, force=True)
            self.stderr.write("")
        if report.rejected:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
