"""The satisfaction kiosk at a desk counter: setting a tablet up, the officer
on duty at the counter, the officer's invitation to rate the dossier just
returned, and the votes the kiosk sends.

A kiosk is a :class:`Kiosk` row; the tablet keeps a signed credential (cookie
:data:`COOKIE`) ``<id>:<secret>`` whose secret is stored hashed, so the agency
administrator revokes one tablet without touching the others.

Votes are idempotent by the id the tablet gives each answer (a resend after a
lost connection is the same vote). Rules against stuffing: one rating per
dossier per channel (``services.rating_record``); anonymous votes of the
service counted per kiosk — past :data:`HARD_LIMIT` received in a minute the
server refuses (``rating.too_many``, 429, the tablet retries later); past
:data:`FLAG_AFTER` cast in a minute the vote is kept but held for the agency
administrator and left out of every figure until accepted.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import Q

from motcua.agencies.models import Agency, Counter, Role
from motcua.agencies.selectors import has_role
from motcua.core import clock
from motcua.core.dates import local
from motcua.core.errors import Conflict, DomainError, NotFound
from motcua.core.names import display_name
from motcua.dossiers.links import dossier_for_token, token_for
from motcua.dossiers.models import Dossier

from .followups import followup_open
from .models import CounterDuty, Kiosk, KioskPrompt, Rating
from .questions import points_from_answers, questions_on
from .services import RATEABLE, Origin, rating_record

COOKIE = "motcua_kiosk"
SALT = "motcua.evaluation.kiosk"
SET_UP_ROLES = (Role.RECEPTION, Role.LEADER, Role.AGENCY_ADMIN)
REVOKE_ROLES = (Role.AGENCY_ADMIN,)
DUTY_ROLES = (Role.RECEPTION, Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN)
# Anonymous votes of one kiosk: counted per minute of vote time (flag) and of
# arrival time (refuse). A person needs several seconds per vote and the kiosk
# resets itself after a few, so more than FLAG_AFTER in a minute is abnormal.
WINDOW = timedelta(minutes=1)
FLAG_AFTER = 4
HARD_LIMIT = 30
RETRY_AFTER = 60
# A queued vote keeps the time it was cast, within these bounds.
OLDEST_VOTE = timedelta(days=7)
PROMPT_TTL = timedelta(minutes=15)
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$", re.ASCII)


# ------------------------------------------------------------ credentials
def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _forbidden(message: str) -> DomainError:
    return DomainError("auth.forbidden", message, status=403)


def can_set_up(user: Any, counter: Counter) -> bool:
    return has_role(user, counter.agency, SET_UP_ROLES)


@transaction.atomic
def kiosk_set_up(actor: Any, counter: Counter, *, name: str = "") -> tuple[Kiosk, str]:
    """Register a tablet as the kiosk of ``counter``; returns the row and the
    credential to keep in the tablet's cookie (shown nowhere else)."""
    if not counter.is_active:
        raise DomainError("kiosk.counter_inactive", "Quầy này không còn hoạt động.")
    if not can_set_up(actor, counter):
        raise _forbidden("Bạn không có quyền cài đặt máy đánh giá cho quầy này.")
    secret = secrets.token_urlsafe(32)
    kiosk = Kiosk.objects.create(
        counter=counter,
        agency_id=counter.agency_id,
        name=(name or "").strip()[:100],
        secret_hash=_hash(secret),
        created_by=actor,
        created_at=clock.now(),
    )
    credential = signing.Signer(salt=SALT).sign(f"{kiosk.pk}:{secret}")
    return kiosk, credential


def kiosk_from_credential(value: str | None) -> Kiosk | None:
    """The live kiosk a genuine credential names, or ``None``."""
    try:
        raw = signing.Signer(salt=SALT).unsign((value or "")[:300])
    except signing.BadSignature:
        return None
    pk, _, secret = raw.partition(":")
    if not pk.isdigit() or not secret:
        return None
    kiosk = (
        Kiosk.objects.select_related("counter", "agency")
        .filter(pk=int(pk), revoked_at__isnull=True, counter__is_active=True)
        .first()
    )
    if kiosk is None or not hmac.compare_digest(kiosk.secret_hash, _hash(secret)):
        return None
    return kiosk


def kiosk_seen(kiosk: Kiosk) -> None:
    """Note that the kiosk is alive (at most one write a minute)."""
    now = clock.now()
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at > WINDOW:
        Kiosk.objects.filter(pk=kiosk.pk).update(last_seen_at=now)
        kiosk.last_seen_at = now


def can_revoke_in(user: Any, agency: Agency) -> bool:
    return has_role(user, agency, REVOKE_ROLES)


def can_revoke(user: Any, kiosk: Kiosk) -> bool:
    return can_revoke_in(user, kiosk.agency)


@transaction.atomic
def kiosk_revoke(actor: Any, kiosk: Kiosk) -> Kiosk:
    """The agency administrator withdraws a tablet's credential."""
    if not can_revoke(actor, kiosk):
        raise _forbidden("Chỉ quản trị cơ quan được thu hồi máy đánh giá.")
    if kiosk.revoked_at is None:
        kiosk.revoked_at = clock.now()
        kiosk.revoked_by = actor
        kiosk.save(update_fields=["revoked_at", "revoked_by"])
    return kiosk


# ------------------------------------------------------------------ duty
def on_duty(counter: Counter | int, at: datetime) -> Any:
    """The officer on duty at ``counter`` at the instant ``at`` (or None)."""
    duty = (
        CounterDuty.objects.filter(counter=counter, started_at__lte=at)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))
        .select_related("officer")
        .order_by("-started_at")
        .first()
    )
    return duty.officer if duty is not None else None


def can_take_duty(user: Any, counter: Counter) -> bool:
    return has_role(user, counter.agency, DUTY_ROLES)


def open_duty_of(user: Any) -> CounterDuty | None:
    return (
        CounterDuty.objects.filter(officer=user, ended_at__isnull=True)
        .select_related("counter", "agency")
        .first()
    )


@transaction.atomic
def duty_start(actor: Any, counter: Counter) -> CounterDuty:
    """The officer declares being on duty at ``counter`` from now: their other
    open duty ends, and so does the open duty of whoever was there before."""
    if not counter.is_active:
        raise DomainError("kiosk.counter_inactive", "Quầy này không còn hoạt động.")
    if not can_take_duty(actor, counter):
        raise _forbidden("Bạn không làm việc tại cơ quan có quầy này.")
    now = clock.now()
    list(Counter.objects.select_for_update().filter(pk=counter.pk))
    CounterDuty.objects.filter(ended_at__isnull=True).filter(
        Q(counter=counter) | Q(officer=actor)
    ).update(ended_at=now)
    return CounterDuty.objects.create(
        counter=counter, agency_id=counter.agency_id, officer=actor, started_at=now
    )


@transaction.atomic
def duty_end(actor: Any) -> CounterDuty | None:
    """The officer leaves the counter they are on duty at."""
    duty = open_duty_of(actor)
    if duty is not None:
        duty.ended_at = clock.now()
        duty.save(update_fields=["ended_at"])
    return duty


# --------------------------------------------------------------- prompts
def _rated_at_kiosk(dossier: Dossier) -> bool:
    return Rating.objects.filter(dossier=dossier, source=Rating.Source.KIOSK).exists()


def _check_for_kiosk(dossier: Dossier, counter: Counter) -> None:
    if counter.agency_id not in (dossier.agency_id, dossier.received_by_agency_id):
        raise NotFound("kiosk.dossier_elsewhere", "Hồ sơ không thuộc cơ quan này.")
    if dossier.status not in RATEABLE:
        raise Conflict(
            "rating.not_settled",
            "Chỉ đánh giá được hồ sơ đã có kết quả hoặc đã trả kết quả.",
        )
    if _rated_at_kiosk(dossier):
        raise Conflict("rating.already_rated", "Hồ sơ này đã được đánh giá tại quầy.")


@transaction.atomic
def prompt_dossier(actor: Any, dossier: Dossier) -> KioskPrompt:
    """The officer on duty asks the kiosk of their counter to rate ``dossier``
    (just returned): the kiosk shows its questions; an earlier prompt closes."""
    duty = open_duty_of(actor)
    if duty is None:
        raise DomainError(
            "kiosk.not_on_duty", "Bạn cần nhận ca tại một quầy trước khi mời đánh giá."
        )
    _check_for_kiosk(dossier, duty.counter)
    now = clock.now()
    KioskPrompt.objects.filter(counter=duty.counter, closed_at__isnull=True).update(
        closed_at=now
    )
    return KioskPrompt.objects.create(
        counter=duty.counter, dossier=dossier, by=actor, at=now
    )


def current_prompt(counter: Counter) -> KioskPrompt | None:
    """The open prompt of ``counter`` not older than :data:`PROMPT_TTL` whose
    dossier is not rated at the kiosk yet."""
    prompt = (
        KioskPrompt.objects.filter(
            counter=counter, closed_at__isnull=True, at__gt=clock.now() - PROMPT_TTL
        )
        .select_related("dossier__procedure_version")
        .order_by("-at")
        .first()
    )
    if prompt is None or _rated_at_kiosk(prompt.dossier):
        return None
    return prompt


def dossier_card(dossier: Dossier) -> dict[str, str]:
    """What the kiosk may show of a dossier: its code and procedure (no name)."""
    return {
        "token": token_for(dossier),
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
    }


def kiosk_state(kiosk: Kiosk) -> dict[str, Any]:
    """What a kiosk polls: the officer on duty and the dossier to rate."""
    kiosk_seen(kiosk)
    officer = on_duty(kiosk.counter, clock.now())
    prompt = current_prompt(kiosk.counter)
    return {
        "counter": str(kiosk.counter),
        "officer": display_name(officer) if officer else "",
        "dossier": dossier_card(prompt.dossier) if prompt else None,
    }


def dossier_from_scan(kiosk: Kiosk, text: str) -> Dossier:
    """The dossier whose receipt QR the citizen scanned at the kiosk (the
    scanner types the QR link, or the bare token)."""
    raw = (text or "").strip()[:300]
    token = raw.rstrip("/").rsplit("/", 1)[-1]
    dossier = dossier_for_token(token)
    if dossier is None:
        raise NotFound("kiosk.unknown_receipt", "Không đọc được mã QR của phiếu hẹn.")
    _check_for_kiosk(dossier, kiosk.counter)
    return dossier


# ------------------------------------------------------------------ votes
@dataclass(frozen=True)
class Vote:
    client_id: str
    level: str
    at: datetime | None = None
    token: str = ""
    answers: dict[str, Any] | None = None


def check_client_id(client_id: str) -> str:
    value = str(client_id or "")
    if not CLIENT_ID.fullmatch(value):
        raise DomainError(
            "rating.invalid_client_id",
            "Mã phiếu của thiết bị phải gồm 8–64 chữ cái, chữ số, «-» hoặc «_».",
        )
    return value


def vote_time(claimed: datetime | None, now: datetime) -> datetime:
    """When the vote was cast: the tablet's time for a queued vote, never in
    the future; a vote older than :data:`OLDEST_VOTE` is refused."""
    if claimed is None or claimed > now:
        return now
    if now - claimed > OLDEST_VOTE:
        raise DomainError(
            "rating.too_old", "Phiếu đánh giá đã quá cũ (hơn 7 ngày), không ghi nhận."
        )
    return claimed


def replayed(client_id: str, kiosk: Kiosk | None = None) -> Rating | None:
    """The rating an earlier send of ``client_id`` recorded, if any."""
    rating = Rating.objects.filter(client_id=client_id).first()
    if rating is not None and kiosk is not None and rating.kiosk_id != kiosk.pk:
        raise Conflict(
            "rating.client_id_taken", "Mã phiếu này đã được một thiết bị khác dùng."
        )
    return rating


def _anonymous_check(kiosk: Kiosk, at: datetime, now: datetime) -> tuple[str, str]:
    """(state, reason) of an anonymous vote — or refused past the hard limit."""
    mine = Rating.objects.filter(kiosk=kiosk, dossier__isnull=True)
    arrived = mine.filter(recorded_at__gt=now - WINDOW).count()
    if arrived >= HARD_LIMIT:
        error = DomainError(
            "rating.too_many",
            "Máy đánh giá gửi quá nhiều phiếu; vui lòng thử lại sau.",
            status=429,
        )
        error.retry_after = RETRY_AFTER  # type: ignore[attr-defined]
        raise error
    cast = mine.filter(at__gt=at - WINDOW, at__lte=at).count()
    if cast >= FLAG_AFTER:
        return (
            Rating.State.HELD,
            f"{cast + 1} phiếu trong một phút từ cùng một máy đánh giá",
        )
    return Rating.State.COUNTED, ""


@transaction.atomic
def kiosk_vote(kiosk: Kiosk, vote: Vote) -> tuple[Rating, bool]:
    """Record a vote cast at ``kiosk``; returns (rating, created). Tied to the
    kiosk's counter and the officer on duty there when it was cast."""
    client_id = check_client_id(vote.client_id)
    # the kiosk row is the lock that serialises one tablet's votes
    locked = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
    earlier = replayed(client_id, locked)
    if earlier is not None:
        return earlier, False
    now = clock.now()
    at = vote_time(vote.at, now)
    questions = questions_on(local(at).date())
    points = points_from_answers(questions, vote.answers)
    dossier = dossier_from_scan(locked, vote.token) if vote.token else None
    state, reason = (
        _anonymous_check(locked, at, now)
        if dossier is None
        else (Rating.State.COUNTED, "")
    )
    origin = Origin(
        agency=locked.agency,
        counter=locked.counter,
        officer=on_duty(locked.counter, at),
        kiosk=locked,
        client_id=client_id,
        state=state,
        flag_reason=reason,
    )
    rating = rating_record(
        dossier,
        vote.level,
        at=at,
        source=Rating.Source.KIOSK,
        origin=origin,
        contacts_points=points.get("contacts_points"),
        attitude_points=points.get("attitude_points"),
    )
    if dossier is not None:
        KioskPrompt.objects.filter(dossier=dossier, closed_at__isnull=True).update(
            closed_at=now
        )
        if vote.level == Rating.Level.UNSATISFIED:
            # as online: the leader follows up an unsatisfied applicant's dossier
            # (an anonymous vote names no dossier and no one to answer)
            followup_open(rating)
    kiosk_seen(locked)
    return rating, True
