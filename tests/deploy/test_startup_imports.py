"""A web worker starts without the PDF and signature libraries: WeasyPrint and
pyHanko (some 40 MB each of a worker's memory) are imported by the functions
that make a PDF or check a signature, which most requests never call."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("weasyprint", "pyhanko", "pyhanko_certvalidator", "fontTools", "aiohttp")

PROBE = """
import sys
from motcua.config.wsgi import application
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as the first request loads them
print(",".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _probe(code: str) -> str:
    """What ``code`` prints in a fresh interpreter (the application's settings)."""
    env = {**os.environ, "MOTCUA_SECRET_KEY": os.environ.get("MOTCUA_SECRET_KEY", "t")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout


def test_the_application_and_its_urls_load_without_pdf_libraries() -> None:
    out = _probe(PROBE.format(heavy=HEAVY))
    assert out.strip().splitlines()[-1:] in ([], [""])


def test_a_slip_still_imports_weasyprint_when_it_prints() -> None:
    from motcua.slips.pdf import html_to_pdf

    pdf = html_to_pdf("<p>Phiếu thử</p>")
    assert pdf.startswith(b"%PDF-")
    assert "weasyprint" in sys.modules


FROZEN = """
import gc
from motcua.config.wsgi import application
import motcua.dossiers.api  # a view module: loaded with the URLs, before the freeze
print(gc.get_freeze_count())
"""


def test_what_start_up_made_is_frozen_out_of_the_collector() -> None:
    """ADR 0037: the URLs are loaded, then everything alive is frozen."""
    assert int(_probe(FROZEN).strip().splitlines()[-1]) > 50_000
