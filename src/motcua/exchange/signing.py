"""The signature of every exchange request (docs/exchange.md, "Chữ ký").

HMAC-SHA256 with the pair's shared secret over five lines joined by ``\\n``:
the method, the path, the Unix timestamp, the idempotency key and the hex
SHA-256 of the body. The receiver refuses a timestamp more than
``MAX_SKEW`` seconds from its own clock (stale), and a request signed at or
before the last one it accepted with the same key (replayed): a retry is signed
again, with a new timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from motcua.core.errors import DomainError

VERSION = "v1"
MAX_SKEW = 300  # seconds either way

KEY_HEADER = "X-Exchange-Key"
TIMESTAMP_HEADER = "X-Exchange-Timestamp"
SIGNATURE_HEADER = "X-Exchange-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical(method: str, path: str, timestamp: int, key: str, body: bytes) -> bytes:
    lines = [method.upper(), path, str(timestamp), key, body_hash(body)]
    return "\n".join(lines).encode()


def signature(
    secret: str, method: str, path: str, timestamp: int, key: str, body: bytes
) -> str:
    mac = hmac.new(
        secret.encode(), canonical(method, path, timestamp, key, body), hashlib.sha256
    )
    return f"{VERSION}={mac.hexdigest()}"


def headers(
    *, key_id: str, secret: str, method: str, path: str, timestamp: int, key: str,
    body: bytes,
) -> dict[str, str]:  # fmt: skip
    """The headers that authenticate one request."""
    return {
        KEY_HEADER: key_id,
        TIMESTAMP_HEADER: str(timestamp),
        IDEMPOTENCY_HEADER: key,
        SIGNATURE_HEADER: signature(secret, method, path, timestamp, key, body),
    }


class Refused(DomainError):
    status = 401


@dataclass(frozen=True)
class Signed:
    """What the headers of a request claim, read but not yet verified."""

    key_id: str
    timestamp: int
    key: str
    signature: str


def _required(value: str | None, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Refused(
            "exchange.signature_missing",
            f"Thiếu tiêu đề {what} (yêu cầu liên thông phải có chữ ký).",
        )
    return value


def read(headers: dict[str, str]) -> Signed:
    """The signing headers of a request (header name → value; names are
    case-insensitive, as in HTTP)."""
    lower = {name.lower(): value for name, value in headers.items()}

    def get(name: str) -> str | None:
        return lower.get(name.lower())

    key_id = _required(get(KEY_HEADER), KEY_HEADER)
    raw_time = _required(get(TIMESTAMP_HEADER), TIMESTAMP_HEADER)
    key = _required(get(IDEMPOTENCY_HEADER), IDEMPOTENCY_HEADER)
    sig = _required(get(SIGNATURE_HEADER), SIGNATURE_HEADER)
    if not raw_time.isdigit() or len(raw_time) > 12:
        raise Refused("exchange.bad_timestamp", "Thời điểm ký không hợp lệ.")
    if len(key) > 200:
        raise Refused(
            "exchange.bad_idempotency_key", "Khóa chống trùng lặp dài quá 200 ký tự."
        )
    return Signed(key_id, int(raw_time), key, sig)


def verify(
    signed: Signed, *, secret: str, method: str, path: str, body: bytes, now: int
) -> None:
    """Raise ``Refused`` unless the signature is right and the timestamp fresh."""
    expected = signature(secret, method, path, signed.timestamp, signed.key, body)
    if not hmac.compare_digest(expected.encode(), signed.signature.encode()):
        raise Refused("exchange.bad_signature", "Chữ ký của yêu cầu không đúng.")
    if abs(now - signed.timestamp) > MAX_SKEW:
        raise Refused(
            "exchange.stale",
            "Yêu cầu đã ký quá 5 phút trước (hoặc đồng hồ hai hệ thống lệch nhau); "
            "hãy ký lại và gửi lại.",
        )
