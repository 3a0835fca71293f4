"""The online rating a citizen gives after the result is returned, reached
with the dossier's tracking token (``motcua.dossiers.links.token_for``). Same
questions as the kiosk; once per dossier on this channel; an unsatisfied
answer gives its reasons and opens a follow-up for the agency's leader with a
deadline in working days (``followups.followup_open``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse

from motcua.core import clock
from motcua.core.dates import local
from motcua.core.errors import DomainError, NotFound
from motcua.core.statements import Statement
from motcua.dossiers.links import dossier_for_token, token_for
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status

from .followups import followup_open
from .kiosks import check_client_id, replayed
from .models import Rating
from .questions import points_from_answers, questions_on, reasons_from_codes
from .services import Origin, rating_record

RETURNED = frozenset({Status.RETURNED})


@dataclass(frozen=True)
class OnlineAnswer:
    level: str
    answers: dict[str, Any] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()
    comment: str = ""
    may_contact: bool = False
    contact_phone: str = ""
    client_id: str = ""


def dossier_to_rate(token: str) -> Dossier:
    dossier = dossier_for_token((token or "")[:200])
    if dossier is None:
        raise NotFound("rating.unknown_dossier", "Không tìm thấy hồ sơ.")
    return dossier


# Whether a dossier has its online rating (ADR 0033: compiled once).
_RATED_ONLINE: Statement[int] = Statement(
    lambda dossier_id: Rating.objects.filter(
        dossier_id=dossier_id, source=Rating.Source.ONLINE
    ).values_list("pk", flat=True)[:1],
    dossier_id=int,
)


def online_rated_read(dossier: Dossier) -> tuple[Statement[int], dict[str, int]] | None:
    """The read that tells whether ``dossier`` has its online rating (rows:
    one id or none), for a caller sending it with others
    (``statements.together``) and giving ``rated=bool(rows)`` to
    ``rating_link``; ``None`` when the answer does not matter (not returned)."""
    if dossier.status not in RETURNED:
        return None
    return _RATED_ONLINE, {"dossier_id": dossier.pk}


def online_rating_of(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier, source=Rating.Source.ONLINE).first()


def online_rated_ids(dossiers: Iterable[Dossier]) -> set[int]:
    """Which of ``dossiers`` already have their online rating (one query, for a
    list: ``rating_link(dossier, rated=...)``)."""
    ids = [d.pk for d in dossiers if d.status in RETURNED]
    if not ids:
        return set()
    rated = Rating.objects.filter(dossier_id__in=ids, source=Rating.Source.ONLINE)
    return set(rated.values_list("dossier_id", flat=True))


def rating_refusal(
    dossier: Dossier, *, rated: bool | None = None
) -> DomainError | None:
    """Why ``dossier`` cannot be rated online now (None: it can). ``rated``:
    whether it has its online rating, when the caller read it for a whole list
    (``online_rated_ids``); read here otherwise."""
    if dossier.status not in RETURNED:
        return DomainError(
            "rating.not_returned",
            "Hồ sơ chưa trả kết quả: ông/bà đánh giá được sau khi nhận kết quả.",
            status=409,
        )
    if rated is None:
        rated = bool(_RATED_ONLINE.all(dossier_id=dossier.pk))
    if rated:
        return DomainError(
            "rating.already_rated",
            "Hồ sơ này đã được đánh giá trực tuyến. Cảm ơn ông/bà.",
            status=409,
        )
    return None


def rating_link(dossier: Dossier, *, rated: bool | None = None) -> str | None:
    """The online rating page of ``dossier`` for the tracking page, "Hồ sơ của
    tôi" and the "returned" notification — None when it cannot be rated now
    (not returned, or already rated online; ``rated`` as in ``rating_refusal``)."""
    if rating_refusal(dossier, rated=rated) is not None:
        return None
    return reverse("satisfaction:rate", kwargs={"token": token_for(dossier)})


def clean_phone(phone: str) -> str:
    value = (phone or "").strip().replace(" ", "").replace(".", "")
    if value and not (value.lstrip("+").isdigit() and 9 <= len(value) <= 15):
        raise DomainError("rating.invalid_phone", "Số điện thoại không hợp lệ.")
    return value


def _unhappy_details(answer: OnlineAnswer) -> list[Any]:
    reasons = reasons_from_codes(answer.reasons)
    if not reasons and not answer.comment.strip():
        raise DomainError(
            "rating.reason_required",
            "Xin ông/bà cho biết lý do chưa hài lòng (chọn lý do hoặc ghi ý kiến).",
        )
    return reasons


@transaction.atomic
def online_rate(token: str, answer: OnlineAnswer) -> tuple[Rating, bool]:
    """Record the online rating of the dossier ``token`` names; returns
    (rating, created). A resend with the same ``client_id`` is the same rating."""
    client_id = check_client_id(answer.client_id) if answer.client_id else ""
    dossier = dossier_to_rate(token)
    if client_id:
        earlier = replayed(client_id)
        if earlier is not None:
            if earlier.dossier_id != dossier.pk:
                raise DomainError(
                    "rating.client_id_taken", "Mã phiếu này đã được dùng.", status=409
                )
            return earlier, False
    refusal = rating_refusal(dossier)
    if refusal is not None:
        raise refusal
    now = clock.now()
    points = points_from_answers(questions_on(local(now).date()), answer.answers)
    unhappy = answer.level == Rating.Level.UNSATISFIED
    reasons: Iterable[Any] = _unhappy_details(answer) if unhappy else ()
    phone = clean_phone(answer.contact_phone) if answer.may_contact else ""
    rating = rating_record(
        dossier,
        answer.level,
        at=now,
        source=Rating.Source.ONLINE,
        comment=answer.comment,
        origin=Origin(client_id=client_id),
        statuses=RETURNED,
        contacts_points=points.get("contacts_points"),
        attitude_points=points.get("attitude_points"),
    )
    if unhappy:
        followup_open(
            rating, reasons=reasons, may_contact=answer.may_contact, phone=phone
        )
    return rating, True
