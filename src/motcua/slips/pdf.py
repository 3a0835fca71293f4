"""HTML → PDF with WeasyPrint: embedded fonts, the tracking QR code, and a URL
fetcher that reads nothing but the font files and inline data.

Fonts come from Debian's ``fonts-liberation2`` (Liberation Serif, metrically
equal to Times New Roman, the typeface of Vietnamese administrative documents)
with ``fonts-dejavu-core`` as fallback; ``tools/system-deps.sh`` installs both.
They are referenced by ``@font-face`` with their file paths so WeasyPrint
embeds (subsets) them in every PDF.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import segno

# WeasyPrint (with Pango, fontTools and their kin, some 40 MB of a worker's
# memory) is imported by the functions that make a PDF, not at start-up: most
# requests never print one.

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/dejavu"),
)
# family → (regular, bold, italic, bold italic) file names
FONT_FILES = {
    "Slip Serif": (
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
    ),
    "Slip Fallback": (
        "DejaVuSerif.ttf",
        "DejaVuSerif-Bold.ttf",
        "DejaVuSerif-Italic.ttf",
        "DejaVuSerif-BoldItalic.ttf",
    ),
}
_FACES = (
    ("normal", "normal"),
    ("bold", "normal"),
    ("normal", "italic"),
    ("bold", "italic"),
)


def _find(name: str) -> Path | None:
    for folder in FONT_DIRS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


@cache
def font_paths() -> frozenset[str]:
    """The font files slips may read."""
    return frozenset(
        str(path)
        for files in FONT_FILES.values()
        for name in files
        if (path := _find(name)) is not None
    )


@cache
def font_face_css() -> str:
    """``@font-face`` rules for the installed fonts (missing files are skipped:
    WeasyPrint then falls back to fontconfig's fonts, still embedded)."""
    rules = []
    for family, files in FONT_FILES.items():
        for (weight, style), name in zip(_FACES, files, strict=True):
            path = _find(name)
            if path is None:
                continue
            rules.append(
                f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                f'font-style: {style}; src: url("{path.as_uri()}"); }}'
            )
    return "\n".join(rules)


@cache
def _slip_fetcher() -> type[Any]:
    """The fetcher class (built on first use, with WeasyPrint's import)."""
    from weasyprint.urls import URLFetcher

    class SlipFetcher(URLFetcher):
        """Only inline ``data:`` URIs and the known font files: a slip never
        reaches the network or reads other files, whatever text a dossier holds."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = unquote(urlsplit(url).path)
            if url.startswith("file:") and path not in font_paths():
                raise ValueError(f"slip may not read {url}")
            return super().fetch(url, headers)

    return SlipFetcher


def tracking_url(base_url: str) -> str:
    """``<base_url>/tra-cuu/``: the public tracking page, printed for those who
    type the code and the factor (the QR code carries the signed link)."""
    return f"{base_url.rstrip('/')}/tra-cuu/"


def qr_data_uri(url: str) -> str:
    """A QR code (SVG, quiet zone included) as a data URI for ``<img>``."""
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=4))


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(
        string=html, base_url="about:blank", url_fetcher=_slip_fetcher()()
    ).write_pdf()
    assert pdf is not None
    return bytes(pdf)
