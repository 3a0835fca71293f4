"""QR posters: an A4 PDF per procedure and one per agency for the desk wall;
the QR code, read back from the PDF with a real decoder, opens the procedure's
public page at the installation's public address."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from motcua.catalog.models import Procedure
from tests.portal.test_catalogue import BIRTH, MEDIATION, Catalogue, build_catalogue

pytestmark = pytest.mark.django_db
A4 = (595, 842)  # points, ±1


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return build_catalogue()


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def qr_links(reader: PdfReader) -> list[str]:
    """The QR code drawn on each page (images the page's content paints with
    ``Do``; the PDF shares one image dictionary between pages), decoded."""
    links = []
    for page in reader.pages:
        drawn = re.findall(rb"/(\S+) Do", page.get_contents().get_data())
        found = []
        for image in page.images:
            if image.name.rsplit(".", 1)[0].encode() not in drawn:
                continue
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            found += [r.text for r in zxingcpp.read_barcodes(picture)]
        assert len(found) == 1, "one QR code per poster"
        links += found
    return links


def text_of(reader: PdfReader) -> str:
    return " ".join((p.extract_text() or "") for p in reader.pages)


def test_the_poster_qr_opens_the_procedure_page(client, catalogue, settings):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.danang.gov.vn/"
    reader = pdf_of(client.get(f"/thu-tuc/{BIRTH}/ma-qr.pdf"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A4[0]) < 2 and abs(float(box.height) - A4[1]) < 2
    assert qr_links(reader) == [f"https://dichvucong.danang.gov.vn/thu-tuc/{BIRTH}/"]
    text = " ".join(text_of(reader).split())
    for part in ("Đăng ký khai sinh", "Trong ngày", "Miễn lệ phí nếu đăng ký đúng hạn",
                 "UBND phường Hòa Cường", "135 Núi Thành", "07:30-11:30",
                 "nộp hồ sơ trực tuyến"):  # fmt: skip
        assert part in text, part


def test_without_a_configured_address_the_qr_uses_the_requests_own(
    client, catalogue, settings, monkeypatch
):
    monkeypatch.delenv("MOTCUA_PUBLIC_URL", raising=False)
    if hasattr(settings, "MOTCUA_PUBLIC_URL"):
        del settings.MOTCUA_PUBLIC_URL
    reader = pdf_of(client.get(f"/thu-tuc/{BIRTH}/ma-qr.pdf"))
    assert qr_links(reader) == [f"http://testserver/thu-tuc/{BIRTH}/"]


def test_the_decoded_qr_link_opens_the_page(client, catalogue, settings):
    settings.MOTCUA_PUBLIC_URL = "http://testserver"
    [link] = qr_links(pdf_of(client.get(f"/thu-tuc/{MEDIATION}/ma-qr.pdf")))
    page = client.get(link)
    assert page.status_code == 200
    assert "Hòa giải tranh chấp đất đai" in page.content.decode()


def test_the_agency_pdf_has_one_poster_per_procedure_it_offers(
    client, catalogue, settings
):
    settings.MOTCUA_PUBLIC_URL = "https://motcua.example.vn"
    reader = pdf_of(client.get(f"/thu-tuc/co-quan/{catalogue.ward.code}/ma-qr.pdf"))
    codes = sorted(
        Procedure.objects.filter(agencies=catalogue.ward).values_list("code", flat=True)
    )
    assert len(reader.pages) == len(codes) == 23
    links = qr_links(reader)
    assert links == [f"https://motcua.example.vn/thu-tuc/{c}/" for c in codes]
    assert "UBND phường Hòa Hiệp Bắc" not in text_of(reader)


def test_posters_of_unknown_things_are_vietnamese_404s(client, catalogue):
    assert client.get("/thu-tuc/9.999999/ma-qr.pdf").status_code == 404
    missing = client.get("/thu-tuc/co-quan/000.99.99.H99/ma-qr.pdf")
    assert missing.status_code == 404
    assert "Không có cơ quan nào mang mã này" in missing.content.decode()
    # an agency offering nothing is not a published place to submit
    nothing = client.get(f"/thu-tuc/co-quan/{catalogue.other.code}x/ma-qr.pdf")
    assert nothing.status_code == 404
