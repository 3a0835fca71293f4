"""The demo's static files (motcua.demo.static): production's files, each with
its .br and .gz, compressed again only when the file changed."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import brotli

from motcua.demo.static import collect_static, up_to_date


def test_demo_static_files_are_compressed_once(settings: Any, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path
    lines: list[str] = []
    first = collect_static(lines.append)
    script = tmp_path / "vendor" / "chart.umd.js"
    if not script.exists():  # tools/vendor-js.sh not run here: any big script
        script = max(tmp_path.rglob("*.js"), key=lambda p: p.stat().st_size)
    original = script.read_bytes()
    assert brotli.decompress(Path(f"{script}.br").read_bytes()) == original
    assert gzip.decompress(Path(f"{script}.gz").read_bytes()) == original
    assert up_to_date(str(script))

    again = collect_static(lines.append)
    assert first > 50 and again < first / 5  # only files compression cannot shrink
    assert "tệp/giây" in lines[-1]

    script.write_bytes(original + b"\n")  # a changed file is compressed again
    assert not up_to_date(str(script))
