"""The one set of rules for an uploaded file, wherever it is kept (a dossier's
files, feedback attachments, a home-visit receipt, a citizen's draft): accepted
types recognised by content, never by name or declared type; the size limit
(``MOTCUA_MAX_UPLOAD_BYTES``); the SHA-256 recorded in the history; a safe
original name. Pure checks — nothing here writes or imports the services."""

from __future__ import annotations

import hashlib
from typing import IO

from django.conf import settings

from motcua.core.errors import DomainError

# Magic numbers → (content type, extension).
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
CHUNK = 64 * 1024


def detect_type(head: bytes) -> tuple[str, str] | None:
    """``(content type, extension)`` from a file's first bytes, if accepted."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def sha256_and_size(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def check_size(size: int) -> None:
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if size > limit:
        megabytes = f"{limit / (1024 * 1024):.1f}".replace(".", ",")
        raise DomainError("file.too_large", f"Tệp quá lớn: tối đa {megabytes} MB.")
    if size == 0:
        raise DomainError("file.empty", "Tệp rỗng.")


def clean_name(name: str) -> str:
    base = (name or "").replace("\x00", "").replace("\\", "/").rsplit("/", 1)[-1]
    base = base.strip()
    return (base or "tep")[:255]
