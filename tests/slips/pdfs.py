"""Reading PDFs back in tests: text, page sizes, embedded fonts, QR codes."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader

A5 = (420, 595)
A4_LANDSCAPE = (842, 595)


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text(pdf: bytes) -> str:
    """All pages' text, whitespace collapsed (a wrapped line reads as one)."""
    raw = " ".join(page.extract_text() or "" for page in reader(pdf).pages)
    return " ".join(raw.split())


def page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    return {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in reader(pdf).pages
    }


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font used → whether its program is embedded in the file."""
    found: dict[str, bool] = {}
    for page in reader(pdf).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            inner = descendants[0].get_object() if descendants else font
            descriptor = (
                (inner.get("/FontDescriptor") or {}).get_object()
                if inner.get("/FontDescriptor")
                else {}
            )
            embedded = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font.get("/BaseFont"))] = embedded
    return found


def qr_codes(pdf: bytes, page: int = 1, dpi: int = 200) -> list[str]:
    """Rasterise one page with poppler's ``pdftoppm`` and decode its QR codes."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "slip.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
            timeout=60,
        )
        image = Image.open(Path(folder) / "page.png").convert("L")
        image.load()
    return [
        r.text
        for r in zxingcpp.read_barcodes(image)
        if r.format == zxingcpp.BarcodeFormat.QRCode
    ]
