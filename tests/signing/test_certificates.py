"""An agency administrator uploads a leader's certificate; secrets stay sealed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from django.db import connection

from motcua.core.errors import DomainError
from motcua.signing import crypto, services
from motcua.signing.models import LeaderCertificate
from motcua.signing.services import (
    certificate_deactivate,
    certificate_upload,
    trusted_root_upload,
)
from tests.dossiers.builders import make_user

pytestmark = pytest.mark.django_db


def upload(world, issued, *, actor=None, user=None, password=None, **kw):
    return certificate_upload(
        actor or world.admin,
        user=user or world.leader,
        agency=world.ward,
        p12_bytes=issued.p12,
        password=issued.password if password is None else password,
        **kw,
    )


def test_the_agency_admin_uploads_a_leaders_certificate(world, leader_p12):
    row = upload(world, leader_p12)
    assert row.is_active
    assert row.subject_cn == "Trần Thị Bình"
    assert "MotCua Test Root CA" in row.issuer
    assert row.serial_number == f"{leader_p12.certificate.serial_number:X}"
    assert row.not_after == leader_p12.certificate.not_valid_after_utc
    assert len(row.fingerprint) == 64
    assert row.uploaded_by == world.admin
    assert not row.ask_password_each_time


def test_a_new_certificate_replaces_the_leaders_previous_one(world, ca, leader_p12):
    first = upload(world, leader_p12)
    second = upload(world, ca.issue("Trần Thị Bình"))
    first.refresh_from_db()
    assert not first.is_active and first.deactivated_at is not None
    assert second.is_active


def test_a_wrong_password_is_refused(world, leader_p12):
    with pytest.raises(DomainError) as err:
        upload(world, leader_p12, password="sai-mat-khau")
    assert err.value.code == "signing.bad_password"
    assert "mật khẩu" in err.value.message
    assert not LeaderCertificate.objects.exists()


def test_a_file_that_is_not_pkcs12_is_refused(world, leader_p12):
    with pytest.raises(DomainError) as err:
        certificate_upload(
            world.admin,
            user=world.leader,
            agency=world.ward,
            p12_bytes=b"%PDF-1.7 not a certificate",
            password="x",
        )
    assert err.value.code == "signing.bad_password"


def test_an_expired_certificate_is_refused(world, ca):
    old = ca.issue(
        not_before=datetime(2019, 1, 1, tzinfo=UTC),
        not_after=datetime.now(UTC) - timedelta(days=1),
    )
    with pytest.raises(DomainError) as err:
        upload(world, old)
    assert err.value.code == "signing.expired"


def test_a_key_that_does_not_match_the_certificate_is_refused(
    world, ca, leader_p12, monkeypatch
):
    # cryptography will not write such a file; other tools do. Read one.
    from cryptography.hazmat.primitives.asymmetric import rsa

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    monkeypatch.setattr(
        services.pkcs12,
        "load_key_and_certificates",
        lambda data, password: (other_key, leader_p12.certificate, []),
    )
    with pytest.raises(DomainError) as err:
        upload(world, leader_p12)
    assert err.value.code == "signing.key_mismatch"


def test_a_file_without_the_private_key_is_refused(world, ca, leader_p12):
    from cryptography.hazmat.primitives.serialization import pkcs12

    cert_only = pkcs12.serialize_key_and_certificates(
        name=b"x",
        key=None,
        cert=leader_p12.certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(b"pw"),
    )
    with pytest.raises(DomainError) as err:
        certificate_upload(
            world.admin,
            user=world.leader,
            agency=world.ward,
            p12_bytes=cert_only,
            password="pw",
        )
    assert err.value.code == "signing.incomplete"


def test_only_a_leader_of_the_agency_can_hold_a_certificate(world, leader_p12):
    for user in (world.specialist, world.other_reception):
        with pytest.raises(DomainError) as err:
            upload(world, leader_p12, user=user)
        assert err.value.code == "signing.not_a_leader"


@pytest.mark.parametrize("who", ["leader", "specialist", "reception"])
def test_only_agency_admins_upload(world, leader_p12, who):
    with pytest.raises(DomainError) as err:
        upload(world, leader_p12, actor=getattr(world, who))
    assert err.value.code == "auth.forbidden"
    assert err.value.status == 403


def test_the_admin_of_another_agency_cannot_upload(world, leader_p12):
    other_admin = make_user("qt-khac", world.other_ward, "agency_admin")
    with pytest.raises(DomainError) as err:
        upload(world, leader_p12, actor=other_admin)
    assert err.value.code == "auth.forbidden"


def test_a_system_admin_may_upload(world, leader_p12):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="x")
    assert upload(world, leader_p12, actor=root).uploaded_by == root


def _raw_row_bytes(pk: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM signing_leadercertificate WHERE id = %s", [pk])
        row = cursor.fetchone()
    parts = []
    for value in row:
        if isinstance(value, memoryview | bytes | bytearray):
            parts.append(bytes(value))
        else:
            parts.append(str(value).encode())
    return b"\x00".join(parts)


def test_neither_the_password_nor_the_key_is_stored_in_clear(world, leader_p12):
    row = upload(world, leader_p12)
    raw = _raw_row_bytes(row.pk)
    key_der = leader_p12.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    assert leader_p12.password.encode() not in raw
    assert leader_p12.password.encode("utf-16-le") not in raw
    assert leader_p12.p12 not in raw
    assert key_der not in raw
    # ... but the sealed copies open with the deployment's key.
    assert crypto.unseal(bytes(row.p12_sealed)) == leader_p12.p12
    assert crypto.unseal(bytes(row.password_sealed)) == leader_p12.password.encode()


def test_the_password_can_be_asked_at_each_signing_instead(world, leader_p12):
    row = upload(world, leader_p12, ask_password_each_time=True)
    assert row.ask_password_each_time
    assert bytes(row.password_sealed) == b""


def test_the_password_is_never_logged(world, leader_p12, caplog):
    caplog.set_level("DEBUG")
    upload(world, leader_p12)
    with pytest.raises(DomainError):
        upload(world, leader_p12, password="sai-mat-khau-bi-mat")
    assert leader_p12.password not in caplog.text
    assert "sai-mat-khau-bi-mat" not in caplog.text


def test_rotating_the_secret_key_locks_stored_certificates_unless_kept_as_fallback(
    world, leader_p12, settings
):
    row = upload(world, leader_p12)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-rotated-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(DomainError) as err:
        crypto.unseal(bytes(row.p12_sealed))
    assert err.value.code == "signing.undecryptable"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert crypto.unseal(bytes(row.p12_sealed)) == leader_p12.p12


def test_the_admin_deactivates_a_certificate(world, leader_p12):
    row = upload(world, leader_p12)
    with pytest.raises(DomainError):
        certificate_deactivate(world.leader, row)
    certificate_deactivate(world.admin, row)
    row.refresh_from_db()
    assert not row.is_active


def test_only_a_system_admin_adds_a_trusted_root(world, ca):
    with pytest.raises(DomainError) as err:
        trusted_root_upload(world.admin, name="CA thử", data=ca.pem.encode())
    assert err.value.code == "auth.forbidden"
