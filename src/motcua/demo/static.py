"""The demo's static files: ``collectstatic`` into the same folder, with the same
files WhiteNoise serves in production (each file, its ``.br`` and ``.gz``), made
faster for a start on a laptop.

Production's storage (``whitenoise.storage.CompressedStaticFilesStorage``)
compresses every file again on every run, with Brotli at its best quality: about
a minute of CPU on two cores, most of it on the API documentation's bundles and
their source maps. The demo's compresses with Brotli quality 5 and gzip level 6
(a few per cent larger, some fifty times faster) and leaves a file alone when
its compressed copies are already those of its current version (WhiteNoise
gives them the file's modification time).
"""

from __future__ import annotations

import gzip
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import brotli
from django.contrib.staticfiles.management.commands.collectstatic import (
    Command as CollectStatic,
)
from django.core.management import call_command
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedStaticFilesStorage

from .rates import per_second

BROTLI_QUALITY = 5
GZIP_LEVEL = 6


class _QuickCompressor(Compressor):
    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        return bytes(brotli.compress(data, quality=BROTLI_QUALITY))

    @staticmethod
    def compress_gzip(data: bytes) -> bytes:
        return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def up_to_date(path: str) -> bool:
    """``path`` has a compressed copy made from its current version (same
    modification time, as WhiteNoise writes them: to the microsecond)."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return False
    for suffix in (".br", ".gz"):
        try:
            if abs(os.stat(path + suffix).st_mtime - mtime) < 1e-5:
                return True
        except OSError:
            continue
    return False


class DemoStaticFilesStorage(CompressedStaticFilesStorage):
    """Production's storage, compressing quickly and only what changed."""

    skipped = changed = 0

    def create_compressor(self, **kwargs: Any) -> Compressor:
        return _QuickCompressor(**kwargs)

    def post_process(
        self, paths: dict[str, Any], dry_run: bool = False, **options: Any
    ) -> Iterator[Any]:
        changed = {p: v for p, v in paths.items() if not up_to_date(self.path(p))}
        self.skipped, self.changed = len(paths) - len(changed), len(changed)
        yield from super().post_process(changed, dry_run, **options)


def collect_static(report: Callable[[str], None]) -> int:
    """``collectstatic --noinput`` through :class:`DemoStaticFilesStorage`;
    reports the count and the rate. Returns how many files were compressed."""
    started = time.monotonic()
    storage = DemoStaticFilesStorage()
    command = CollectStatic()
    command.storage = storage
    call_command(command, interactive=False, verbosity=0)
    seconds = time.monotonic() - started
    root = Path(storage.location)
    files = sum(
        1 for p in root.rglob("*") if p.is_file() and p.suffix not in (".br", ".gz")
    )
    compressed = storage.changed
    rate = per_second(files, seconds)
    report(
        f"tệp tĩnh: {files} tệp, {compressed} tệp nén lại, {storage.skipped} tệp "
        f"đã nén từ trước ({seconds:.1f} giây, {rate} tệp/giây)"
    )
    return compressed
