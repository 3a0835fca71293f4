"""Secrets of leaders' certificates, encrypted at rest.

The PKCS#12 file and its password are stored only as Fernet tokens whose key is
derived from ``settings.SECRET_KEY`` with HKDF: the database alone (a backup, a
replica, a dump) never holds a usable key or password. Consequence: rotating
``SECRET_KEY`` makes stored certificates unreadable — keep the old key in
``SECRET_KEY_FALLBACKS`` until every certificate has been uploaded again
(docs/signing.md).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from motcua.core.errors import DomainError

_SALT = b"motcua.signing.v1"
_INFO = b"leader-certificate-at-rest"


def _fernet_for(secret: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(secret) for secret in secrets])


def seal(plain: bytes) -> bytes:
    """Encrypt ``plain`` with the current secret key."""
    return _keys().encrypt(plain)


def unseal(token: bytes) -> bytes:
    """Decrypt a token made by :func:`seal` (current or fallback key)."""
    try:
        return _keys().decrypt(bytes(token))
    except (InvalidToken, TypeError, ValueError):
        raise DomainError(
            "signing.undecryptable",
            "Không giải mã được chứng thư số đã lưu (khóa bí mật của hệ thống đã "
            "thay đổi?). Quản trị cơ quan cần tải lại chứng thư số.",
            status=409,
        ) from None
