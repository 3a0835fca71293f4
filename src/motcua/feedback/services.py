"""Writes of the feedback box, one transaction per use case: a sender's item,
a letter typed in from the suggestion box, assignment, answer, publication.

Every change appends a row to the item's log (who, when, from/to state) in the
same transaction; messages to the sender go to the outbox in it too. A refused
action changes nothing (a ``DomainError`` with a stable code and a Vietnamese
message).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.db import transaction

from motcua.agencies.models import Agency, Membership
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.names import display_name
from motcua.deadlines.engine import VN_TZ, Unit
from motcua.deadlines.services import calendar_for
from motcua.dossiers.uploads import check_size as _check_size
from motcua.dossiers.uploads import clean_name as _clean_name
from motcua.dossiers.uploads import detect_type
from motcua.dossiers.uploads import sha256_and_size as _sha256_and_size
from motcua.security import throttle
from motcua.security.throttle import HOUR, Policy

from . import access, conf, notify
from .codes import new_code
from .models import Channel, Feedback, FeedbackAttachment, FeedbackEvent, State

log = logging.getLogger(__name__)

MAX_FILES = 5
# Per client address: a ward's kiosk or an operator's NAT is shared, so a few
# sends an hour are free, then each further one waits a doubling delay.
SUBMIT_ADDRESS = Policy(
    "feedback_submit", free=5, base_delay=30, max_delay=HOUR, forget_after=HOUR
)


class TooManySubmissions(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Submission:
    """What a sender (or an officer typing a letter in) gives."""

    agency: Agency
    category: str
    title: str
    content: str
    dossier_code: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    may_contact: bool = False
    uploads: Sequence[Any] = ()


@dataclass(frozen=True)
class _Checked:
    upload: Any
    name: str
    content_type: str
    extension: str
    size: int
    sha256: str


def due_for(agency: Agency, received_at: datetime) -> datetime:
    """The answer's due instant: ``conf.answer_days()`` working days on the
    agency's calendar (the deadline engine; never calendar arithmetic)."""
    due = calendar_for(agency).due(received_at, Unit.WORKING_DAYS, conf.answer_days())
    assert due is not None  # working days always give a due instant
    return due


def _check_upload(upload: Any) -> _Checked:
    """The dossier files' checks (motcua.dossiers.files): size, then the type
    by content — a renamed file is refused whatever its extension."""
    _check_size(int(getattr(upload, "size", 0) or 0))
    upload.seek(0)
    detected = detect_type(upload.read(16))
    if detected is None:
        raise DomainError(
            "file.invalid_type",
            f"Tệp «{_clean_name(getattr(upload, 'name', ''))}»: chỉ nhận tệp PDF, "
            "JPEG hoặc PNG (kiểm tra theo nội dung tệp).",
        )
    sha256, size = _sha256_and_size(upload)
    _check_size(size)
    return _Checked(
        upload, _clean_name(getattr(upload, "name", "")), *detected, size, sha256
    )


def check_uploads(uploads: Sequence[Any]) -> list[_Checked]:
    if len(uploads) > MAX_FILES:
        raise DomainError(
            "feedback.too_many_files", f"Chỉ gửi kèm tối đa {MAX_FILES} tệp."
        )
    return [_check_upload(u) for u in uploads]


def _check_agency(agency: Agency) -> None:
    if not agency.is_active:
        raise DomainError(
            "feedback.agency_inactive",
            "Cơ quan này không còn hoạt động; vui lòng chọn cơ quan khác.",
        )


def _log(
    item: Feedback,
    action: str,
    actor: Any,
    *,
    before: str = "",
    note: str = "",
) -> FeedbackEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return FeedbackEvent.objects.create(
        feedback=item,
        at=clock.now(),
        actor=user,
        actor_name=display_name(user)[:150] if user else "",
        action=action,
        from_state=before,
        to_state=item.state,
        note=note[:255],
    )


def _store_files(item: Feedback, files: list[_Checked], stored: list[str]) -> None:
    for checked in files:
        row = FeedbackAttachment(
            feedback=item,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_at=item.received_at,
        )
        checked.upload.seek(0)
        row.file.save(
            f"{uuid.uuid4().hex}{checked.extension}", File(checked.upload), save=False
        )
        stored.append(row.file.name)
        row.save()


def _create(
    data: Submission, *, channel: str, received_at: datetime, **extra: Any
) -> Feedback:
    """The item, its files, its first log row and the acknowledgement, all or
    nothing (stored files are removed again when the transaction fails)."""
    _check_agency(data.agency)
    files = check_uploads(data.uploads)
    stored: list[str] = []
    try:
        with transaction.atomic():
            item = Feedback.objects.create(
                code=_unused_code(),
                agency=data.agency,
                channel=channel,
                category=data.category,
                title=data.title,
                content=data.content,
                dossier_code=data.dossier_code,
                contact_name=data.contact_name,
                contact_phone=data.contact_phone,
                contact_email=data.contact_email,
                may_contact=data.may_contact,
                received_at=received_at,
                due_at=due_for(data.agency, received_at),
                **extra,
            )
            _store_files(item, files, stored)
            actor = extra.get("entered_by") or extra.get("submitted_by")
            action = (
                FeedbackEvent.Action.ENTER
                if channel == Channel.BOX
                else FeedbackEvent.Action.SUBMIT
            )
            _log(item, action, actor)
            notify.acknowledge(item)
    except Exception:
        for name in stored:
            FeedbackAttachment.file.field.storage.delete(name)
        raise
    log.info("feedback.received feedback=%s channel=%s", item.pk, channel)
    return item


def _unused_code() -> str:
    for _ in range(10):
        code = new_code()
        if not Feedback.objects.filter(code=code).exists():
            return code
    raise DomainError("feedback.code_exhausted", "Chưa cấp được mã, vui lòng thử lại.")


def feedback_submit(data: Submission, *, address: str, user: Any = None) -> Feedback:
    """A person's item, sent online with or without an account. Throttled per
    client address (counted first, in its own transaction: call outside any
    other transaction)."""
    decision = throttle.attempt([(SUBMIT_ADDRESS, address)])
    if not decision.allowed:
        raise TooManySubmissions(decision.retry_after)
    account = user if getattr(user, "is_authenticated", False) else None
    return _create(
        data, channel=Channel.ONLINE, received_at=clock.now(), submitted_by=account
    )


def feedback_enter_from_box(
    actor: Any, data: Submission, *, opened_on: date
) -> Feedback:
    """A paper letter from the suggestion box (hòm thư góp ý), typed in by the
    desk, a leader or an administrator: the clock starts the day the box was
    opened (at that day's first working moment)."""
    if not access.can_enter_box(access.roles(actor, data.agency)):
        raise forbidden()
    today = clock.today()
    if opened_on > today:
        raise DomainError(
            "feedback.box_date_future", "Ngày mở hòm thư không được sau hôm nay."
        )
    if (today - opened_on).days > 366:
        raise DomainError(
            "feedback.box_date_old", "Ngày mở hòm thư phải trong vòng một năm qua."
        )
    start = calendar_for(data.agency).start_of(
        datetime.combine(opened_on, time(0), tzinfo=VN_TZ)
    )
    return _create(
        data,
        channel=Channel.BOX,
        received_at=start,
        box_opened_on=opened_on,
        entered_by=actor,
    )


def forbidden() -> DomainError:
    return DomainError(
        "feedback.not_allowed",
        "Bạn không có vai trò phù hợp để thực hiện thao tác này.",
        status=403,
    )


def _locked(item: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().get(pk=item.pk)


def _check_assignee(agency: Agency, assignee: Any) -> None:
    holds = Membership.objects.filter(
        user=assignee,
        user__is_active=True,
        agency=agency,
        is_active=True,
        role__in=list(access.HANDLERS),
    ).exists()
    if not holds:
        raise DomainError(
            "feedback.bad_assignee",
            "Chỉ giao cho cán bộ đang làm việc tại cơ quan này.",
        )


@transaction.atomic
def feedback_assign(
    actor: Any, item: Feedback, assignee: Any, note: str = ""
) -> Feedback:
    """A leader or administrator gives the item to an officer of the agency."""
    item = _locked(item)
    if not access.can_assign(access.roles(actor, item.agency)):
        raise forbidden()
    if item.state == State.ANSWERED:
        raise DomainError(
            "feedback.already_answered", "Phản ánh này đã được trả lời.", status=409
        )
    if assignee is None or not isinstance(assignee, get_user_model()):
        raise DomainError("feedback.bad_assignee", "Chọn cán bộ xử lý.")
    _check_assignee(item.agency, assignee)
    before = item.state
    item.assigned_to = assignee
    item.state = State.ASSIGNED
    item.save(update_fields=["assigned_to", "state"])
    _log(
        item,
        FeedbackEvent.Action.ASSIGN,
        actor,
        before=before,
        note=f"Giao cho {display_name(assignee)}. {note}".strip(),
    )
    return item


@transaction.atomic
def feedback_answer(actor: Any, item: Feedback, answer: str) -> Feedback:
    """Record the answer (text; by; at) and tell the sender, in one
    transaction."""
    item = _locked(item)
    text = (answer or "").strip()
    if item.state == State.ANSWERED:
        raise DomainError(
            "feedback.already_answered", "Phản ánh này đã được trả lời.", status=409
        )
    if not access.can_answer(actor, access.roles(actor, item.agency), item):
        raise forbidden()
    if len(text) < 10:
        raise DomainError(
            "feedback.empty_answer", "Nhập nội dung trả lời (ít nhất 10 ký tự)."
        )
    before = item.state
    item.answer = text
    item.answered_by = actor
    item.answered_at = clock.now()
    item.state = State.ANSWERED
    item.save(update_fields=["answer", "answered_by", "answered_at", "state"])
    event = _log(item, FeedbackEvent.Action.ANSWER, actor, before=before)
    notify.answered(item, event.pk)
    return item


@transaction.atomic
def feedback_publish(
    actor: Any, item: Feedback, *, question: str, answer: str
) -> Feedback:
    """Publish the answered item on the public list with the texts the officer
    reviewed (personal data removed)."""
    item = _locked(item)
    if not access.can_publish(access.roles(actor, item.agency)):
        raise forbidden()
    if item.state != State.ANSWERED:
        raise DomainError(
            "feedback.not_answered",
            "Chỉ công khai phản ánh đã được trả lời.",
            status=409,
        )
    question, answer = (question or "").strip(), (answer or "").strip()
    if not question or not answer:
        raise DomainError(
            "feedback.public_text_required",
            "Nhập nội dung công khai của cả câu hỏi và câu trả lời.",
        )
    item.published = True
    item.public_question = question
    item.public_answer = answer
    item.published_at = clock.now()
    item.save(
        update_fields=["published", "public_question", "public_answer", "published_at"]
    )
    _log(item, FeedbackEvent.Action.PUBLISH, actor, before=item.state)
    return item


@transaction.atomic
def feedback_unpublish(actor: Any, item: Feedback) -> Feedback:
    item = _locked(item)
    if not access.can_publish(access.roles(actor, item.agency)):
        raise forbidden()
    if not item.published:
        return item
    item.published = False
    item.save(update_fields=["published"])
    _log(item, FeedbackEvent.Action.UNPUBLISH, actor, before=item.state)
    return item
