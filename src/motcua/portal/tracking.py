"""Public tracking of one dossier by its code and a second factor: the last 4
digits of the applicant's ID number or phone (ARCHITECTURE principle 7).

An unknown code and a wrong factor give the same answer, so the page never
reveals whether a dossier exists; failed attempts per code are limited
(``MAX_FAILURES`` an hour, counted in Django's cache) so the 10,000 possible
factors cannot be tried in turn.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache

from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.slips.formatting import initials

MAX_FAILURES = 10
WINDOW_SECONDS = 3600
NOT_FOUND = "Không tìm thấy hồ sơ hoặc thông tin xác thực không đúng"
TOO_MANY = (
    "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 1 giờ hoặc liên hệ "
    "Bộ phận Một cửa nơi nộp hồ sơ."
)
MAX_CODE_LENGTH = 64

# What happens next, for the states without an active step.
NEXT_STEP = {
    Status.SUBMITTED: "Chờ cán bộ một cửa tiếp nhận hồ sơ",
    Status.RECEIVED: "Chuyển hồ sơ đến bộ phận giải quyết",
    Status.PROCESSING: "Đang giải quyết",
    Status.WAITING_SUPPLEMENT: "Chờ ông/bà bổ sung, hoàn thiện hồ sơ",
    Status.WAITING_PAYMENT: "Chờ ông/bà nộp phí, lệ phí",
    Status.RESULT_READY: "Chờ trả kết quả",
    Status.RETURNED: "Đã trả kết quả – hồ sơ đã hoàn thành",
    Status.NOT_RECEIVED: "Không có – hồ sơ không được tiếp nhận",
    Status.WITHDRAWN: "Không có – hồ sơ đã được rút",
    Status.STOPPED: "Không có – hồ sơ đã dừng giải quyết",
}
PAUSED_OR_ENDED = {
    Status.WAITING_SUPPLEMENT,
    Status.WAITING_PAYMENT,
    Status.RESULT_READY,
    Status.RETURNED,
    Status.NOT_RECEIVED,
    Status.WITHDRAWN,
    Status.STOPPED,
}


@dataclass(frozen=True)
class TrackedDossier:
    """What the public page may show: no name beyond initials, no numbers."""

    code: str
    agency: str
    procedure: str
    status: str
    applicant_initials: str
    received_at: datetime | None
    due_at: datetime | None
    next_step: str
    timing: str


class RateLimited(Exception):
    pass


def clean_code(value: str) -> str:
    return (value or "").strip()[:MAX_CODE_LENGTH]


def clean_factor(value: str) -> str:
    digits = "".join(c for c in (value or "") if c.isascii() and c.isdigit())
    return digits if len(digits) == 4 else ""


def _key(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8", "replace")).hexdigest()[:32]
    return f"portal:track:fail:{digest}"


def _failures(code: str) -> int:
    return int(cache.get(_key(code), 0))


def _fail(code: str) -> None:
    key = _key(code)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS)


def _last4(value: str) -> str:
    digits = "".join(c for c in value if c.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def _matches(dossier: Dossier, factor: str) -> bool:
    applicant = dossier.applicant
    ok = False
    for known in (_last4(applicant.id_number), _last4(applicant.phone)):
        # compare both, always, in constant time
        ok |= bool(known) and hmac.compare_digest(known, factor)
    return ok


def _next_step(dossier: Dossier) -> str:
    if dossier.status not in PAUSED_OR_ENDED:
        active = [s.name for s in dossier.steps.all() if s.state == "active"]
        if active:
            return "; ".join(dict.fromkeys(active))
    return NEXT_STEP.get(Status(dossier.status), "")


def _tracked(dossier: Dossier) -> TrackedDossier:
    timing = str(Dossier.Timing(dossier.timing).label) if dossier.timing else ""
    return TrackedDossier(
        code=dossier.code,
        agency=dossier.agency.name,
        procedure=dossier.procedure_version.name,
        status=str(Status(dossier.status).label),
        applicant_initials=initials(dossier.applicant.name),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        next_step=_next_step(dossier),
        timing=timing,
    )


def track(code: str, factor: str) -> TrackedDossier | None:
    """The dossier's public status, or ``None`` (unknown code or wrong factor —
    the caller cannot tell which). Raises ``RateLimited`` after too many
    failures for this code, even before checking a right factor."""
    code = clean_code(code)
    if _failures(code) >= MAX_FAILURES:
        raise RateLimited
    factor = clean_factor(factor)
    dossier = None
    if code and "\x00" not in code:
        dossier = (
            Dossier.objects.filter(code=code)
            .select_related("agency", "applicant", "procedure_version")
            .prefetch_related("steps")
            .first()
        )
    if dossier is None or not factor or not _matches(dossier, factor):
        _fail(code)
        return None
    return _tracked(dossier)
