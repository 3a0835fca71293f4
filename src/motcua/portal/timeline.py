"""The dossier's story in plain Vietnamese, for the public tracking page.

Derived from the dossier's event history only (ARCHITECTURE principle 2: the
history is the truth): each event that matters to the applicant becomes one
line — what happened, when, and what it means (the official code and due date
at reception, exactly what is missing when a supplement is asked, the new date
of an apology, whether the result came early). Internal work (who was assigned,
reminders, files attached by officers, anonymisation) is left out, and so are
officers' names: the page shows nothing personal beyond what it showed before.
The due date after each event comes from the event's own snapshot, so a line
never reads a later date into an earlier moment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.dates import vn_date, vn_time_date
from motcua.core.statements import Statement
from motcua.dossiers import timing
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.workflow import Action, Status

A = Action


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    at: datetime
    title: str
    details: tuple[str, ...] = ()
    items: tuple[str, ...] = ()  # what is missing, one per line
    kind: str = "info"  # info | wait | done | problem: how the line is drawn


@dataclass(frozen=True)
class SupplementRequest:
    """The open request to complete the dossier: exactly what is missing."""

    at: datetime
    reason: str
    items: tuple[str, ...]
    before_reception: bool


def _moment(raw: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(raw) if isinstance(raw, str) and raw else None
    except ValueError:
        return None


def _snapshot_time(event: Event, name: str) -> datetime | None:
    """A date of the dossier right after ``event`` (its recorded snapshot)."""
    return _moment((event.payload or {}).get("snapshot", {}).get(name))


def _snapshot_due(event: Event) -> datetime | None:
    return _snapshot_time(event, "due_at")


def _items(event: Event) -> tuple[str, ...]:
    raw = (event.payload or {}).get("items") or []
    return tuple(str(i).strip() for i in raw if str(i).strip())


def _stage(event: Event) -> str:
    return str((event.payload or {}).get("stage") or "")


def _due_line(due: datetime | None) -> tuple[str, ...]:
    if due is None:
        return ()
    return (_("Hẹn trả kết quả: %(due)s.") % {"due": vn_time_date(due)},)


# ------------------------------------------------------------- one event each
def _submitted(event: Event, dossier: Dossier) -> Entry:
    return Entry(
        event.at,
        _("Ông/bà đã nộp hồ sơ trực tuyến"),
        (
            _("Hồ sơ đã được gửi đến %(agency)s, chờ cán bộ một cửa kiểm tra.")
            % {"agency": dossier.agency.name},
        ),
    )


def _received(event: Event, dossier: Dossier) -> Entry:
    return Entry(
        event.at,
        _("Hồ sơ đã được tiếp nhận"),
        (
            _("Mã hồ sơ: %(code)s.") % {"code": dossier.code},
            *_due_line(_snapshot_due(event)),
        ),
        kind="done",
    )


def _supplement_requested(event: Event, dossier: Dossier) -> Entry:
    details = [_("Lý do, nội dung cần bổ sung: %(reason)s") % {"reason": event.reason}]
    if _stage(event) == "processing":
        details.append(
            _(
                "Thời gian chờ bổ sung không tính vào thời hạn giải quyết; "
                "hẹn trả kết quả sẽ được tính lại khi ông/bà bổ sung đủ."
            )
        )
    return Entry(
        event.at,
        _("Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ"),
        tuple(details),
        items=_items(event),
        kind="wait",
    )


def _resubmitted(event: Event, dossier: Dossier) -> Entry:
    policy = str((event.payload or {}).get("policy") or "")
    if event.to_status == Status.SUBMITTED or not policy:
        details: tuple[str, ...] = (
            _("Hồ sơ được chuyển lại cho bộ phận một cửa để kiểm tra, tiếp nhận."),
        )
    elif policy == "restart":
        details = (
            _("Thời hạn giải quyết được tính lại từ ngày bổ sung."),
            *_due_line(_snapshot_due(event)),
        )
    else:
        details = (
            _("Hẹn trả kết quả lùi thêm đúng thời gian chờ bổ sung."),
            *_due_line(_snapshot_due(event)),
        )
    return Entry(event.at, _("Hồ sơ đã được bổ sung"), details, kind="done")


def _refused(event: Event, dossier: Dossier) -> Entry:
    title = (
        _("Hồ sơ không được tiếp nhận")
        if _stage(event) == "reception"
        else _("Cơ quan từ chối giải quyết hồ sơ")
    )
    return Entry(
        event.at,
        title,
        (_("Lý do: %(reason)s") % {"reason": event.reason},),
        kind="problem",
    )


def _in_processing(event: Event, dossier: Dossier) -> Entry:
    return Entry(
        event.at,
        _("Hồ sơ đang được giải quyết"),
        (_("Hồ sơ đã được chuyển đến bộ phận chuyên môn để thẩm định, giải quyết."),),
    )


def _submitted_to_leader(event: Event, dossier: Dossier) -> Entry:
    return Entry(event.at, _("Hồ sơ đã được trình lãnh đạo xem xét, phê duyệt"))


def _approved(event: Event, dossier: Dossier) -> Entry:
    return Entry(event.at, _("Lãnh đạo đã phê duyệt, ký kết quả"), kind="done")


def _consulted(event: Event, dossier: Dossier) -> Entry:
    return Entry(event.at, _("Cơ quan đang lấy ý kiến của cơ quan có liên quan"))


def _consult_answered(event: Event, dossier: Dossier) -> Entry:
    return Entry(event.at, _("Cơ quan có liên quan đã có ý kiến"))


def _payment_requested(event: Event, dossier: Dossier) -> Entry:
    return Entry(
        event.at,
        _("Cơ quan đề nghị nộp phí, lệ phí"),
        (
            _(
                "Thời gian chờ nộp phí không tính vào thời hạn giải quyết; "
                "hẹn trả kết quả lùi thêm đúng thời gian chờ."
            ),
        ),
        kind="wait",
    )


def _payment_recorded(event: Event, dossier: Dossier) -> Entry:
    return Entry(
        event.at,
        _("Đã ghi nhận ông/bà nộp phí, lệ phí"),
        _due_line(_snapshot_due(event)),
        kind="done",
    )


def _extended(event: Event, dossier: Dossier) -> Entry:
    new_due = _snapshot_due(event) or _moment((event.payload or {}).get("new_due_at"))
    details = [
        _(
            "Cơ quan xin lỗi ông/bà vì chưa trả được kết quả đúng hẹn và hẹn lại "
            "ngày trả kết quả."
        ),
        _("Lý do: %(reason)s") % {"reason": event.reason},
    ]
    if new_due is not None:
        details.append(_("Ngày hẹn mới: %(due)s.") % {"due": vn_time_date(new_due)})
    title = _("Xin lỗi và hẹn lại ngày trả kết quả")
    return Entry(event.at, title, tuple(details), kind="problem")


def _finished(event: Event, dossier: Dossier) -> Entry:
    early = (event.payload or {}).get("timing") == timing.EARLY
    due = _snapshot_time(event, "original_due_at")
    if early and due is not None:
        details: tuple[str, ...] = (
            _("Kết quả có sớm hơn ngày hẹn (%(due)s).") % {"due": vn_date(due)},
        )
    elif (event.payload or {}).get("timing") == timing.LATE:
        details = (_("Kết quả có chậm hơn ngày hẹn ban đầu."),)
    else:
        details = ()
    return Entry(event.at, _("Đã có kết quả giải quyết"), details, kind="done")


def _returned(event: Event, dossier: Dossier) -> Entry:
    method = str((event.payload or {}).get("method") or "")
    try:
        how = str(Dossier.ReturnMethod(method).label)
    except ValueError:
        how = ""
    details = (_("Hình thức trả: %(how)s.") % {"how": how},) if how else ()
    return Entry(event.at, _("Đã trả kết quả"), details, kind="done")


def _withdrawn(event: Event, dossier: Dossier) -> Entry:
    return Entry(event.at, _("Hồ sơ đã được rút theo đề nghị"), kind="problem")


def _stopped(event: Event, dossier: Dossier) -> Entry:
    return Entry(
        event.at,
        _("Dừng giải quyết hồ sơ"),
        (_("Lý do: %(reason)s") % {"reason": event.reason},),
        kind="problem",
    )


def _transferred(event: Event, dossier: Dossier) -> Entry:
    return Entry(
        event.at,
        _("Hồ sơ được chuyển sang cơ quan kế thừa để tiếp tục giải quyết"),
        (_("Mã hồ sơ giữ nguyên."),),
    )


Describe = Callable[[Event, Dossier], Entry]
DESCRIBE: dict[str, Describe] = {
    A.SUBMIT_ONLINE: _submitted,
    A.RECEIVE: _received,
    A.REQUEST_SUPPLEMENT: _supplement_requested,
    A.RESUBMIT: _resubmitted,
    A.REFUSE: _refused,
    A.ASSIGN: _in_processing,
    A.FORWARD: _in_processing,
    A.SUBMIT: _submitted_to_leader,
    A.APPROVE: _approved,
    A.CONSULT: _consulted,
    A.ANSWER_CONSULT: _consult_answered,
    A.REQUEST_PAYMENT: _payment_requested,
    A.RECORD_PAYMENT: _payment_recorded,
    A.EXTEND: _extended,
    A.FINISH: _finished,
    A.RETURN_RESULT: _returned,
    A.WITHDRAW: _withdrawn,
    A.STOP: _stopped,
    A.TRANSFER: _transferred,
}
_HAND_OFFS = frozenset({A.ASSIGN, A.FORWARD})
# Left out on purpose: send back (internal), attach file, remind, anonymise,
# seal — nothing the applicant needs to know or do.


def entries(dossier: Dossier, events: Iterable[Event]) -> list[Entry]:
    """The timeline of ``dossier`` from its ``events`` (oldest first). Repeated
    "in processing" lines (each hand-off between officers) show once until
    something else happens."""
    lines: list[Entry] = []
    shown = ""
    for event in events:
        describe = DESCRIBE.get(event.action)
        if describe is None:
            continue
        if event.action in _HAND_OFFS and shown in _HAND_OFFS:
            continue
        lines.append(describe(event, dossier))
        shown = event.action
    return lines


def open_supplement(
    dossier: Dossier, events: Iterable[Event]
) -> SupplementRequest | None:
    """The request the dossier waits on, when it waits for a supplement."""
    if dossier.status != Status.WAITING_SUPPLEMENT:
        return None
    last = None
    for event in events:
        if event.action == A.REQUEST_SUPPLEMENT:
            last = event
    if last is None:
        return None
    return SupplementRequest(
        at=last.at,
        reason=last.reason,
        items=_items(last),
        before_reception=dossier.received_at is None,
    )


# -------------------------------------------------- what is expected of you
def expected_of_applicant(dossier: Dossier, *, electronic_result: bool) -> str:
    """What the applicant should do now, in one sentence or two."""
    status = dossier.status
    due = vn_time_date(dossier.due_at) if dossier.due_at else ""
    if status == Status.SUBMITTED:
        return _(
            "Ông/bà chưa cần làm gì. Cán bộ một cửa sẽ kiểm tra hồ sơ; nếu cần "
            "bổ sung, ông/bà sẽ được thông báo và thấy yêu cầu tại trang này."
        )
    if status in (Status.RECEIVED, Status.PROCESSING):
        if due:
            return _(
                "Ông/bà chưa cần làm gì. Hồ sơ đang được giải quyết; hẹn trả kết "
                "quả %(due)s. Nếu có kết quả sớm, ông/bà sẽ được báo trước."
            ) % {"due": due}
        return _("Ông/bà chưa cần làm gì. Hồ sơ đang được giải quyết.")
    return _EXPECTED.get(status, _no_action)(dossier, electronic_result)


def _no_action(dossier: Dossier, electronic_result: bool) -> str:
    return _("Ông/bà không cần làm gì thêm.")


def _supplement_expected(dossier: Dossier, electronic_result: bool) -> str:
    return _(
        "Bổ sung đủ các giấy tờ, nội dung còn thiếu nêu ở trên: gửi trực tuyến "
        "(nếu ông/bà đã nộp bằng tài khoản công dân) hoặc mang đến Bộ phận Một cửa "
        "nơi nộp hồ sơ."
    )


def _payment_expected(dossier: Dossier, electronic_result: bool) -> str:
    return _(
        "Nộp phí, lệ phí để hồ sơ được tiếp tục giải quyết: trực tuyến (nếu có "
        "đường dẫn thanh toán) hoặc tại Bộ phận Một cửa."
    )


def _result_expected(dossier: Dossier, electronic_result: bool) -> str:
    if dossier.outcome == Dossier.Outcome.REFUSED:
        return _(
            "Nhận văn bản trả lời tại Bộ phận Một cửa nơi nộp hồ sơ; mang theo "
            "giấy tiếp nhận và giấy tờ tùy thân."
        )
    if electronic_result:
        return _(
            "Tải kết quả điện tử có chữ ký số (đăng nhập bằng tài khoản công dân đã "
            "nộp hồ sơ), hoặc nhận bản giấy tại Bộ phận Một cửa; mang theo giấy "
            "tiếp nhận và giấy tờ tùy thân."
        )
    return _(
        "Nhận kết quả tại Bộ phận Một cửa nơi nộp hồ sơ; mang theo giấy tiếp "
        "nhận và giấy tờ tùy thân."
    )


def _returned_expected(dossier: Dossier, electronic_result: bool) -> str:
    return _("Ông/bà không cần làm gì thêm: hồ sơ đã hoàn thành.")


def _not_received_expected(dossier: Dossier, electronic_result: bool) -> str:
    return _(
        "Xem lý do ở trên. Ông/bà có thể nộp hồ sơ mới khi đã đủ điều kiện, "
        "hoặc liên hệ Bộ phận Một cửa để được hướng dẫn."
    )


_Expected = Callable[[Dossier, bool], str]
_EXPECTED: dict[str, _Expected] = {
    Status.WAITING_SUPPLEMENT: _supplement_expected,
    Status.WAITING_PAYMENT: _payment_expected,
    Status.RESULT_READY: _result_expected,
    Status.RETURNED: _returned_expected,
    Status.NOT_RECEIVED: _not_received_expected,
}


def _history(dossier_id: int) -> Any:
    rows: Any = Event.objects.filter(dossier_id=dossier_id).order_by("seq")
    return rows.only("id", "seq", "action", "at", "to_status", "reason", "payload")


# The dossier's events, oldest first, without the columns the page never reads
# (one query, compiled once: ADR 0033).
HISTORY: Statement[Event] = Statement(_history, dossier_id=int)


def history_of(dossier: Dossier) -> list[Event]:
    """The dossier's events as the tracking page reads them (``HISTORY``)."""
    return HISTORY.all(dossier_id=dossier.pk)
