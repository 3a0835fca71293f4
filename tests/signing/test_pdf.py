"""A signed result verifies, and breaks when the file is altered."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.signing.models import TrustedRoot
from motcua.signing.pdf import FIELD_NAME
from motcua.signing.services import (
    certificate_upload,
    sign_pdf,
    trusted_root_upload,
    verify_pdf,
)

from .ca import make_ca

pytestmark = pytest.mark.django_db
SIGNED_AT = datetime(2025, 6, 3, 7, 30, tzinfo=UTC)


def sign(pdf, certificate, **kw):
    with clock.frozen_at(SIGNED_AT):
        return sign_pdf(
            pdf, certificate, reason="Phê duyệt kết quả", location="Đà Nẵng", **kw
        )


@pytest.fixture
def signed(result_pdf, certificate) -> bytes:
    return sign(result_pdf, certificate)


def flip_byte_in_signed_content(data: bytes) -> bytes:
    """Change one byte of the page content, inside the range the signature
    covers."""
    signature = PdfFileReader(BytesIO(data), strict=False).embedded_signatures[0]
    first_range_end = signature.byte_range[1]
    position = data.index(b"stream\n", 0, first_range_end) + len(b"stream\n") + 5
    assert position < first_range_end
    altered = bytearray(data)
    altered[position] ^= 0x01
    return bytes(altered)


def test_a_signed_result_is_signed_intact_and_valid_and_names_the_signer(
    signed, trusted
):
    report = verify_pdf(signed)
    assert report.signed and report.intact and report.valid, report.problems
    assert report.signer_name == "Trần Thị Bình"
    assert report.issuer == "MotCua Test Root CA"
    assert report.signing_time == SIGNED_AT
    assert report.problems == []
    assert report.label == "Chữ ký số hợp lệ"


def test_the_signature_is_pades_in_the_leaders_field(signed):
    reader = PdfFileReader(BytesIO(signed), strict=False)
    (signature,) = reader.embedded_signatures
    assert signature.field_name == FIELD_NAME
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Phê duyệt kết quả"
    # Still an ordinary PDF for any reader.
    assert "Quyết định" in PdfReader(BytesIO(signed)).pages[0].extract_text()


def test_one_flipped_byte_breaks_the_signature(signed, trusted):
    report = verify_pdf(flip_byte_in_signed_content(signed))
    assert report.signed
    assert not report.intact
    assert not report.valid
    assert any("đã bị thay đổi" in p for p in report.problems)


def test_a_signer_from_an_unknown_authority_is_intact_but_not_valid(signed):
    assert not TrustedRoot.objects.exists()
    report = verify_pdf(signed)
    assert report.signed and report.intact
    assert not report.valid
    assert report.signer_name == "Trần Thị Bình"
    assert any("tin cậy" in p for p in report.problems)


def test_another_trusted_root_does_not_vouch_for_this_signer(signed, system_admin):
    trusted_root_upload(
        system_admin, name="CA khác", data=make_ca("Another CA").pem.encode()
    )
    report = verify_pdf(signed)
    assert report.intact and not report.valid


def test_content_added_after_signing_makes_the_signature_invalid(signed, trusted):
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    extra = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (X) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(extra))
    out = BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert report.signed and report.intact
    assert not report.valid
    assert any("sau khi ký" in p for p in report.problems)


def test_an_unsigned_pdf_or_another_file_is_reported_not_signed(result_pdf):
    assert not verify_pdf(result_pdf).signed
    assert verify_pdf(result_pdf).problems == ["Tệp chưa có chữ ký số."]
    assert not verify_pdf(b"\x89PNG\r\n\x1a\n....").signed
    assert not verify_pdf(b"").signed


def test_a_truncated_signed_file_is_reported_broken_not_crashing(signed, trusted):
    report = verify_pdf(signed[: len(signed) // 2])
    assert not report.valid and not report.intact


def test_signing_needs_the_password_when_it_is_asked_each_time(
    world, leader_p12, result_pdf, trusted
):
    certificate = certificate_upload(
        world.admin,
        user=world.leader,
        agency=world.ward,
        p12_bytes=leader_p12.p12,
        password=leader_p12.password,
        ask_password_each_time=True,
    )
    with pytest.raises(DomainError) as err:
        sign(result_pdf, certificate)
    assert err.value.code == "signing.password_required"
    with pytest.raises(DomainError) as err:
        sign(result_pdf, certificate, password="sai")
    assert err.value.code == "signing.bad_password"
    assert verify_pdf(sign(result_pdf, certificate, password=leader_p12.password)).valid


def test_an_inactive_or_expired_certificate_does_not_sign(certificate, result_pdf):
    with (
        clock.frozen_at(datetime(2099, 1, 1, tzinfo=UTC)),
        pytest.raises(DomainError) as err,
    ):
        sign_pdf(result_pdf, certificate, reason="r", location="l")
    assert err.value.code == "signing.expired"
    certificate.is_active = False
    with pytest.raises(DomainError) as err:
        sign(result_pdf, certificate)
    assert err.value.code == "signing.inactive_certificate"


def test_a_file_that_is_not_a_pdf_is_not_signed(certificate):
    with pytest.raises(DomainError) as err:
        sign(b"%PDF-1.7 garbage", certificate)
    assert err.value.code == "signing.bad_pdf"


def test_a_second_signature_keeps_the_first_valid(signed, certificate, trusted):
    twice = sign(signed, certificate)
    report = verify_pdf(twice)
    assert report.signature_count == 2
    assert report.valid, report.problems
