"""Public tracking of one dossier (ARCHITECTURE principle 7): by the signed
link of the slip's QR code (:mod:`motcua.portal.qr`), or by its code and a
second factor — the last 4 digits of the applicant's ID number or phone.

An unknown code and a wrong factor give the same answer after the same
database work, so the page never reveals whether a dossier exists. Typed
look-ups are throttled per client address and per code (counted in a table,
before the factor is checked, :mod:`motcua.security.throttle`): past the free
tries each further try waits a delay that doubles up to a few minutes. A
stranger can therefore slow the owner's typed look-up down, never lock it
for long; the owner's success clears the code's count, and the QR link is
never throttled.
"""

from __future__ import annotations

import hmac
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from motcua.citizens.models import CitizenDossier
from motcua.core.statements import Statement, together
from motcua.dossiers import permissions
from motcua.dossiers.models import Dossier, Step
from motcua.dossiers.workflow import ENDED, PAUSED, Status
from motcua.evaluation.online import online_rated_read, rating_link
from motcua.payments.services import payable_refusal
from motcua.payments.words import money
from motcua.security import throttle
from motcua.security.throttle import HOUR, Policy
from motcua.slips.formatting import initials

from . import results as result_files
from . import timeline as story
from .qr import dossier_for_token, token_for
from .results import ResultFile
from .timeline import Entry, SupplementRequest

MAX_CODE_LENGTH = 64
NOT_FOUND = "Không tìm thấy hồ sơ hoặc thông tin xác thực không đúng"

# Per client address: many citizens share one (a mobile operator's NAT, the
# ward's kiosk), so it is generous and forgets within the hour.
TRACK_ADDRESS = Policy(
    "track_address", free=20, base_delay=1, max_delay=5 * 60, forget_after=HOUR
)
# Per dossier code, whoever guesses: 10 free tries, then 2 s, 4 s, … up to
# 10 minutes — about 150 guesses a day at most against 10,000 factors.
TRACK_CODE = Policy(
    "track_code", free=10, base_delay=2, max_delay=10 * 60, forget_after=24 * HOUR
)

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


@dataclass(frozen=True)
class TrackedDossier:
    """What the public page may show: no name beyond initials, no numbers.

    ``timeline`` and ``expected`` tell the story and what the applicant should
    do now (:mod:`motcua.portal.timeline`); ``token`` is the slip's QR token,
    for the links to answer a supplement request or download the result;
    ``results`` lists the signed results only when the viewer is the
    dossier's own citizen account (``is_applicant``)."""

    code: str
    agency: str
    procedure: str
    status: str
    applicant_initials: str
    received_at: datetime | None
    due_at: datetime | None
    next_step: str
    timing: str
    status_code: str = ""
    token: str = ""
    timeline: tuple[Entry, ...] = ()
    expected: str = ""
    supplement: SupplementRequest | None = None
    online_account: bool = False  # submitted with a citizen account
    electronic_result: bool = False
    is_applicant: bool = False
    results: tuple[ResultFile, ...] = ()
    fee_due: str = ""  # "50.000 đ" while fees can be paid online
    rating_path: str = ""  # the online rating once the result is handed over


class TooManyAttempts(Exception):
    """Refused: a delay is running for this address or this code."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        return wait_message(self.retry_after)


def wait_message(seconds: int) -> str:
    """``Vui lòng chờ 8 giây…`` / ``… 5 phút…`` (minutes rounded up)."""
    seconds = max(1, seconds)
    wait = f"{seconds} giây" if seconds < 60 else f"{-(-seconds // 60)} phút"
    return (
        f"Bạn đã thử quá nhiều lần. Vui lòng chờ {wait} rồi thử lại. "
        "Nếu có giấy tiếp nhận, hãy quét mã QR in trên giấy để xem ngay."
    )


def normalise_code(value: str) -> str:
    """The code as typed on any keyboard: compatibility forms folded
    (full-width letters), surrounding spaces dropped, upper case — the case of
    every code we issue (agency codes per QCVN 102 are ``[0-9A-Z]``)."""
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def clean_factor(value: str) -> str:
    text = unicodedata.normalize("NFKC", value or "").strip()
    return text if len(text) == 4 and text.isascii() and text.isdigit() else ""


def _last4(value: str) -> str:
    digits = "".join(c for c in value if c.isascii() and c.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def _matches(dossier: Dossier | None, factor: str) -> bool:
    if dossier is None:  # compare against nothing, the same way, in the same time
        known = ("", "")
    else:
        known = (_last4(dossier.applicant.id_number), _last4(dossier.applicant.phone))
    ok = False
    for last4 in known:  # both, always, in constant time
        ok |= hmac.compare_digest(last4 or "----", factor or "....") and bool(last4)
    return ok


def _find(code: str, typed: str) -> Dossier | None:
    """One indexed query whatever the input: our upper-case code, or the code
    exactly as typed (a foreign system's imported code may have lower case)."""
    wanted = {c for c in (code, typed) if c and len(c) <= MAX_CODE_LENGTH}
    if any("\x00" in c for c in wanted):  # PostgreSQL refuses NUL in text
        wanted = set()
    found = list(
        Dossier.objects.filter(code__in=wanted or {""}).select_related(
            "agency", "applicant", "procedure_version"
        )[:2]
    )
    found.sort(key=lambda d: d.code != code)
    return found[0] if found else None


# Read by every tracking page (ADR 0033: compiled once): ``dossier.steps.all()``
# and whether a citizen's account holds the dossier.
_STEPS: Statement[Step] = Statement(
    lambda dossier_id: Step.objects.filter(dossier_id=dossier_id), dossier_id=int
)
_LINKED: Statement[int] = Statement(
    lambda dossier_id: CitizenDossier.objects.filter(dossier_id=dossier_id).values_list(
        "pk", flat=True
    ),
    dossier_id=int,
)


def _next_step(dossier: Dossier, steps: list[Step] | None = None) -> str:
    if dossier.status not in PAUSED | ENDED:
        # the steps given, or those a list has prefetched, or read here
        if steps is None:
            steps = getattr(dossier, "_prefetched_objects_cache", {}).get("steps")
        if steps is None:
            steps = _STEPS.all(dossier_id=dossier.pk)
        active = [s.name for s in steps if s.state == Step.State.ACTIVE]
        if active:
            return "; ".join(dict.fromkeys(active))
    return NEXT_STEP.get(Status(dossier.status), "")


def _fee_due(dossier: Dossier) -> str:
    """The amount to pay, while the fees can be paid (online or at the desk):
    the payments app's own rule (``payable_refusal``)."""
    return "" if payable_refusal(dossier) else money(dossier.fee_amount)


def status_words(dossier: Dossier, steps: list[Step] | None = None) -> tuple[str, str]:
    """The plain status and the next step, as the tracking page words them
    (a list row, "Hồ sơ của tôi", shows these without the whole story);
    ``steps``: the dossier's, when already read."""
    return str(Status(dossier.status).label), _next_step(dossier, steps)


def public_status(dossier: Dossier, viewer: Any = None) -> TrackedDossier:
    """What anyone holding the slip (or code and factor) may read; the signed
    results too when ``viewer`` is the dossier's own citizen account."""
    timing = str(Dossier.Timing(dossier.timing).label) if dossier.timing else ""
    # The reads sent together: one round trip on PostgreSQL (ADR 0035); the
    # signed results and the online rating only when they can matter.
    ident = {"dossier_id": dossier.pk}
    files, rated = result_files.signed_results_read(dossier), online_rated_read(dossier)
    calls: list[tuple[Statement[Any], dict[str, Any]]] = [
        (story.HISTORY, ident),
        (_STEPS, ident),
        (_LINKED, ident),
    ]
    calls += [read for read in (files, rated) if read is not None]
    found = together(*calls)
    events, steps, linked = found[:3]
    signed = found[3] if files else []
    rated_online = bool(found[-1]) if rated else None
    is_applicant = permissions.is_applicant_of(viewer, dossier)
    status, next_step = status_words(dossier, steps)
    return TrackedDossier(
        code=dossier.code,
        agency=dossier.agency.name,
        procedure=dossier.procedure_version.name,
        status=status,
        applicant_initials=initials(dossier.applicant.name),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        next_step=next_step,
        timing=timing,
        status_code=dossier.status,
        token=token_for(dossier),
        timeline=tuple(story.entries(dossier, events)),
        expected=story.expected_of_applicant(dossier, electronic_result=bool(signed)),
        supplement=story.open_supplement(dossier, events),
        online_account=bool(linked),
        electronic_result=bool(signed),
        is_applicant=is_applicant,
        results=result_files.listed(signed) if is_applicant else (),
        fee_due=_fee_due(dossier),
        rating_path=rating_link(dossier, rated=rated_online) or "",
    )


def track(
    code: str, factor: str, *, address: str, viewer: Any = None
) -> TrackedDossier | None:
    """The dossier's public status, or ``None`` (unknown code or wrong factor —
    the caller cannot tell which). Raises :class:`TooManyAttempts` while a
    delay runs for ``address`` or for the code, before looking at the factor.

    Call outside any transaction: the attempt is counted even when it fails."""
    typed = unicodedata.normalize("NFKC", code or "").strip()
    code = normalise_code(code)
    decision = throttle.attempt([(TRACK_ADDRESS, address), (TRACK_CODE, code)])
    if not decision.allowed:
        raise TooManyAttempts(decision.retry_after)
    dossier = _find(code, typed)
    if not _matches(dossier, clean_factor(factor)) or dossier is None:
        return None
    throttle.clear([(TRACK_CODE, code)])  # the owner is back: forget the guesses
    # A right answer does not use up the address's free tries (many citizens
    # share one operator's address), but does not wipe its failures either.
    throttle.release([(TRACK_ADDRESS, address)])
    return public_status(dossier, viewer)


def track_by_token(token: str, viewer: Any = None) -> TrackedDossier | None:
    """The public status behind a slip's QR token, or ``None`` (unknown, forged
    or revoked token). The slip is the proof: no factor, no throttle — a token
    cannot be guessed — and the code's count of typed guesses is forgotten."""
    dossier = dossier_for_token(token)
    if dossier is None:
        return None
    throttle.clear([(TRACK_CODE, normalise_code(dossier.code))])
    return public_status(dossier, viewer)
