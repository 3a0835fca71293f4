"""The public verification page ``/tra-cuu/xac-thuc/``: upload a PDF, read
whether its signatures are valid, who signed and when, whether it changed
after signing, and — for a result issued here — the dossier's code and the
agency. A code typed into a signature's reason proves nothing on its own; no
personal data is shown; type and size are checked before parsing."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from tests.citizens.factories import make_citizen
from tests.dossiers.builders import build_world
from tests.signing.ca import ThrowawayCA, make_ca

from .test_result_download import (
    APPLICANT_NAME,
    approved_with_signature,
    result_pdf,
    stored_bytes,
)

pytestmark = pytest.mark.django_db
URL = "/tra-cuu/xac-thuc/"


@pytest.fixture(scope="module")
def ca() -> ThrowawayCA:
    return make_ca("MotCua Verify Test Root CA")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def issued(media: Path, ca: ThrowawayCA) -> tuple[Any, bytes]:
    """A dossier whose signed result is ready, and the signed bytes."""
    world = build_world()
    dossier, _, signed = approved_with_signature(world, ca, make_citizen())
    return dossier, stored_bytes(signed)


def check(content: bytes, name: str = "ket-qua.pdf", address: str = "") -> Any:
    upload = SimpleUploadedFile(name, content, "application/pdf")
    extra = {"REMOTE_ADDR": address} if address else {}
    return Client().post(URL, {"document": upload}, **extra)


def text_of(response: Any) -> str:
    return response.content.decode()


def test_the_empty_page_is_a_form_with_a_file_field():
    html = text_of(Client().get(URL))
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_document">' in html


def test_a_valid_result_issued_here_names_its_dossier_and_agency(issued):
    dossier, signed = issued
    response = check(signed)
    html = text_of(response)
    assert response.status_code == 200
    assert "Chữ ký số hợp lệ" in html
    assert "Trần Thị Bình" in html  # the signer, from the certificate
    assert "Không bị thay đổi" in html
    assert "Văn bản do hệ thống này cấp" in html
    assert dossier.code in html and dossier.agency.name in html
    assert APPLICANT_NAME not in html and "0905123456" not in html


def test_a_tampered_file_is_not_intact_and_not_vouched_for(issued):
    dossier, signed = issued
    tampered = bytearray(signed)
    tampered[10] ^= 0x01  # a byte of the header comment, inside the signed range
    html = text_of(check(bytes(tampered)))
    assert "Chữ ký không còn nguyên vẹn" in html
    assert "Đã bị thay đổi" in html
    assert dossier.code not in html


def test_content_appended_after_signing_is_flagged_with_the_original_dossier(issued):
    dossier, signed = issued
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    extra = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (X) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(extra))
    out = BytesIO()
    writer.write(out)
    html = text_of(check(out.getvalue()))
    assert "Chữ ký số hợp lệ" not in html
    assert "sau khi ký" in html
    assert "đã bị thêm nội dung sau khi ký" in html
    assert dossier.code in html


def test_an_unsigned_pdf_says_so(db):
    html = text_of(check(result_pdf()))
    assert "Chưa ký số" in html
    assert "Tệp chưa có chữ ký số." in html
    assert "Văn bản do hệ thống này cấp" not in html


def test_a_code_in_a_signature_made_elsewhere_proves_nothing(issued, ca):
    """Someone signs their own PDF with a reason naming a real dossier code."""
    dossier, _ = issued
    outsider = make_ca("Outsider CA").issue("Kẻ Giả Mạo", password="x")
    signer = signers.SimpleSigner.load_pkcs12_data(outsider.p12, [], passphrase=b"x")
    meta = signers.PdfSignatureMetadata(
        field_name="Chữ ký",
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=f"Phê duyệt kết quả giải quyết hồ sơ {dossier.code}",
    )
    writer = IncrementalPdfFileWriter(BytesIO(result_pdf("Giấy giả")))
    forged = signers.PdfSigner(meta, signer=signer).sign_pdf(writer).getvalue()
    html = text_of(check(forged))
    assert "Chữ ký số hợp lệ" not in html
    assert "Văn bản do hệ thống này cấp" not in html
    assert dossier.code not in html
    assert "Không tìm thấy văn bản này trong các kết quả do hệ thống cấp" in html


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "anh.pdf"),
        (b"Hello, this is text", "van-ban.pdf"),
        (b"<html><body>%PDF-1.7</body></html>", "trang.pdf"),
    ],
    ids=["png-renamed", "text", "pdf-marker-not-first"],
)
def test_a_file_that_is_not_a_pdf_is_refused_by_its_content(db, content, name):
    response = check(content, name)
    assert response.status_code == 400
    assert "Chỉ kiểm tra được tệp PDF" in text_of(response)


def test_an_empty_or_too_large_file_is_refused(db, settings):
    assert check(b"").status_code == 400
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024
    response = check(b"%PDF-1.7\n" + b"0" * 2048)
    assert response.status_code == 400
    assert "Tệp quá lớn" in text_of(response)


def test_one_address_checking_too_often_is_asked_to_wait(db):
    for _ in range(30):
        assert check(b"not a pdf", address="198.51.100.9").status_code == 400
    refused = check(b"not a pdf", address="198.51.100.9")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert check(b"not a pdf", address="198.51.100.10").status_code == 400
