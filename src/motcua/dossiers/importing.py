"""Historical import: dossiers from older one-stop systems, one JSON object a line.

Each line is replayed through the real services with the clock set to each
event's time (ARCHITECTURE principles 2–3), so the history, due dates and
on-time figures are exactly those live use would have produced. A line is
parsed and checked first, then replayed in one savepoint: a bad line leaves
nothing behind and is reported; the others import. Format: ``docs/import.md``.

The rows a batch of lines builds are held by a replay unit of work
(``dossiers.unit``) and written at the batch's end in one bulk statement per
table; a line the unit cannot replay (a read it does not answer) goes through
the plain path, and a batch whose writing fails is imported again line by line
through the plain path, so a bad line is still isolated and reported.

Any year since 2015: a line follows the procedure version in force on its
reception day (the catalogue keeps each period of a procedure's legal basis).
When none was in force, the line's recorded due date is kept and the earliest
version gives the steps; without a recorded due date the line is refused unless
``earliest_version`` is asked for explicitly. Both are counted in the report.
Resumable: a line whose code was already imported (same agency and reception
time) is skipped and counted, so a stopped import can simply be run again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import pick_in_force
from motcua.core import clock
from motcua.core.dates import local, vn_date
from motcua.core.errors import DomainError
from motcua.deadlines.engine import DeadlineError

from . import observers, services, unit
from .applicants import REPRESENTATIVE_FIELDS
from .models import Applicant, Channel, Consultation, Dossier
from .services import ApplicantInput, DossierInput
from .workflow import Action

A = Action
IMPORT_USERNAME = "motcua-import"
IMPORT_USER_NAME = "Nhập dữ liệu lịch sử"

LINE_KEYS = frozenset(
    {"agency", "procedure", "channel", "code", "applicant", "received_at"}
    | {"due_at", "by", "events"}
)
REQUIRED_LINE_KEYS = ("agency", "procedure", "channel", "applicant", "received_at")
APPLICANT_KEYS = {  # key -> max length (the model's column)
    "name": 255,
    "kind": 16,
    "id_kind": 16,
    "id_number": 32,
    "birth_date": 10,
    "phone": 32,
    "email": 254,
    "address": 500,
    "no_contact_reason": 500,
    "representative_name": 255,
    "representative_id_number": 32,
    "representative_phone": 32,
    "representative_email": 254,
    "representative_address": 500,
    "representative_document": 255,
    "notify_channels": 64,  # "sms,email": the applicant's choice
}
EVENT_COMMON_KEYS = frozenset({"action", "at", "by"})

# Per action: event key -> (the service's keyword, kind of value). "reason" is the
# free text the history keeps; a service calls it ``reason`` or ``note``.
_REASON = {"reason": ("reason", "text")}
_NOTE = {"reason": ("note", "text")}
_ASSIGNEE = {"assignee": ("assignee", "user")}
EVENT_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    A.REQUEST_SUPPLEMENT: {**_REASON, "items": ("items", "texts")},
    A.RESUBMIT: _NOTE,
    A.REFUSE: _REASON,
    A.ASSIGN: _ASSIGNEE,
    A.FORWARD: {**_ASSIGNEE, **_NOTE},
    A.CONSULT: {
        "agency": ("agency", "agency"),
        "question": ("question", "text"),
        "working_days": ("working_days", "int"),
    },
    A.ANSWER_CONSULT: {
        "answer": ("answer", "text"),
        "consultation": ("consultation", "int"),
    },
    A.SUBMIT: {**_ASSIGNEE, **_NOTE},
    A.APPROVE: _NOTE,
    A.SEND_BACK: _REASON,
    A.REQUEST_PAYMENT: {"amount": ("amount", "int")},
    A.RECORD_PAYMENT: {},
    A.FINISH: {"result_summary": ("result_summary", "text")},
    A.RETURN_RESULT: {
        "method": ("method", "text"),
        "to_name": ("to_name", "text"),
        "to_id_number": ("to_id_number", "text"),
        "is_applicant": ("is_applicant", "bool"),
    },
    A.WITHDRAW: _REASON,
    A.STOP: _REASON,
    A.REMIND: _NOTE,
    A.EXTEND: {
        "new_due_at": ("new_due_at", "datetime"),
        **_REASON,
        "override": ("override", "bool"),
    },
}
REQUIRED_EVENT_KEYS: dict[str, tuple[str, ...]] = {
    A.ASSIGN: ("assignee",),
    A.CONSULT: ("agency", "question"),
    A.ANSWER_CONSULT: ("answer",),
    A.EXTEND: ("new_due_at",),
    A.REMIND: ("reason",),
}
IMPLIED_ACTIONS = frozenset({A.SUBMIT_ONLINE, A.RECEIVE})  # from ``received_at``

SERVICES: dict[str, Callable[..., Dossier]] = {
    A.REQUEST_SUPPLEMENT: services.dossier_request_supplement,
    A.RESUBMIT: services.dossier_resubmit,
    A.REFUSE: services.dossier_refuse,
    A.ASSIGN: services.dossier_assign,
    A.FORWARD: services.dossier_forward,
    A.CONSULT: services.dossier_consult,
    A.ANSWER_CONSULT: services.dossier_answer_consult,
    A.SUBMIT: services.dossier_submit,
    A.APPROVE: services.dossier_approve,
    A.SEND_BACK: services.dossier_send_back,
    A.REQUEST_PAYMENT: services.dossier_request_payment,
    A.RECORD_PAYMENT: services.dossier_record_payment,
    A.FINISH: services.dossier_finish,
    A.RETURN_RESULT: services.dossier_return_result,
    A.WITHDRAW: services.dossier_withdraw,
    A.STOP: services.dossier_stop,
    A.EXTEND: services.dossier_extend,
    A.REMIND: services.dossier_remind,
}


def _bad(code: str, message: str) -> DomainError:
    return DomainError(f"import.{code}", message)


# ------------------------------------------------------------ the import user
def ensure_import_user() -> Any:
    """The account imported actions without ``by`` are attributed to. It can never
    log in: inactive (every auth backend refuses it) and no usable password."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=IMPORT_USERNAME).first()
    if user is None:
        user = user_model(
            username=IMPORT_USERNAME, first_name=IMPORT_USER_NAME, is_active=False
        )
        user.set_unusable_password()
        user.save()
    elif (
        user.is_active
        or user.is_staff
        or user.is_superuser
        or user.has_usable_password()
    ):
        raise _bad(
            "unsafe_import_user",
            f"Tài khoản «{IMPORT_USERNAME}» đã có và đăng nhập được; hãy khóa nó "
            "(bỏ «đang hoạt động», xóa mật khẩu) trước khi nhập.",
        )
    return user


# ------------------------------------------------------------ per-run cache
class Lookups:
    """Agencies, procedures (with the agencies offering them) and users, read once
    per run; unknown codes are remembered too."""

    def __init__(self, import_user: Any) -> None:
        self.import_user = import_user
        self._agencies: dict[str, Agency | None] = {}
        self._procedures: dict[str, tuple[Procedure, frozenset[int]] | None] = {}
        self._users: dict[str, Any] = {}
        self._versions: dict[int, list[ProcedureVersion]] = {}

    def agency(self, code: str, where: str) -> Agency:
        if code not in self._agencies:
            self._agencies[code] = Agency.objects.filter(code=code).first()
        found = self._agencies[code]
        if found is None:
            raise _bad(
                "unknown_agency", f"Không có cơ quan mã «{code}» (trường «{where}»)."
            )
        return found

    def procedure(self, code: str) -> tuple[Procedure, frozenset[int]]:
        if code not in self._procedures:
            procedure = Procedure.objects.filter(code=code).first()
            self._procedures[code] = (
                None
                if procedure is None
                else (
                    procedure,
                    frozenset(procedure.agencies.values_list("pk", flat=True)),
                )
            )
        found = self._procedures[code]
        if found is None:
            raise _bad("unknown_procedure", f"Không có thủ tục mã «{code}».")
        return found

    def versions(self, procedure: Procedure) -> list[ProcedureVersion]:
        """The procedure's versions, earliest first."""
        if procedure.pk not in self._versions:
            self._versions[procedure.pk] = list(
                procedure.versions.order_by("effective_from", "number")
            )
        return self._versions[procedure.pk]

    def user(self, username: str, where: str) -> Any:
        if username not in self._users:
            self._users[username] = (
                get_user_model().objects.filter(username=username).first()
            )
        found = self._users[username]
        if found is None:
            raise _bad(
                "unknown_user", f"Không có tài khoản «{username}» (trường «{where}»)."
            )
        return found


# ------------------------------------------------------------ parsing
@dataclass(frozen=True)
class ParsedEvent:
    number: int  # 1-based position in the line's ``events``
    action: str
    at: datetime
    actor: Any
    options: dict[str, Any]

    @property
    def label(self) -> str:
        return f"sự kiện {self.number} «{self.action}»"


# Why a line follows a version that was not in force on its reception day.
RECORDED_DUE = "recorded_due"  # its recorded due date; the earliest version's steps
EARLIEST = "earliest"  # no recorded due date: the earliest version, by option


@dataclass(frozen=True)
class ParsedLine:
    data: DossierInput
    received_at: datetime
    actor: Any
    events: tuple[ParsedEvent, ...]
    fallback: str = ""  # "", RECORDED_DUE or EARLIEST


def _check_keys(
    obj: dict[str, Any], allowed: Iterable[str], required: Iterable[str], where: str
) -> None:
    unknown = sorted(set(obj) - set(allowed))
    if unknown:
        raise _bad(
            "unknown_field",
            f"Trường không được hỗ trợ{where}: {', '.join(unknown)}; "
            f"dùng: {', '.join(sorted(allowed))}.",
        )
    for key in required:
        if obj.get(key) is None:
            raise _bad("missing_field", f"Thiếu trường bắt buộc «{key}»{where}.")


def _text(value: Any, where: str, max_length: int | None = None) -> str:
    if not isinstance(value, str):
        raise _bad("invalid_type", f"«{where}» phải là chuỗi ký tự.")
    if max_length is not None and len(value.strip()) > max_length:
        raise _bad("too_long", f"«{where}» dài quá {max_length} ký tự.")
    return value


def _instant(value: Any, where: str) -> datetime:
    text = _text(value, where)
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise _bad(
            "invalid_datetime",
            f"«{where}» = «{text}» không phải ngày giờ ISO 8601.",
        ) from None
    if instant.tzinfo is None:
        raise _bad(
            "naive_datetime",
            f"«{where}» = «{text}» thiếu múi giờ; ghi rõ, ví dụ "
            "2025-06-02T09:00:00+07:00.",
        )
    return instant


def _past(instant: datetime, where: str) -> datetime:
    if instant > clock.now():
        raise _bad("future_time", f"«{where}» ở tương lai; chỉ nhập việc đã xảy ra.")
    return instant


def _applicant(value: Any) -> ApplicantInput:
    if not isinstance(value, dict):
        raise _bad("invalid_type", "«applicant» phải là một đối tượng {…}.")
    _check_keys(value, APPLICANT_KEYS, ("name",), " trong «applicant»")
    texts = {
        key: _text(value[key], f"applicant.{key}", limit)
        for key, limit in APPLICANT_KEYS.items()
        if value.get(key) is not None
    }
    birth_date = None
    if "birth_date" in texts:
        try:
            birth_date = date.fromisoformat(texts.pop("birth_date"))
        except ValueError:
            raise _bad(
                "invalid_date", "«applicant.birth_date» phải là ngày YYYY-MM-DD."
            ) from None
    return ApplicantInput(
        name=texts["name"],
        kind=texts.get("kind", Applicant.Kind.PERSON),
        id_number=texts.get("id_number", ""),
        id_kind=texts.get("id_kind", ""),
        birth_date=birth_date,
        phone=texts.get("phone", ""),
        email=texts.get("email", ""),
        address=texts.get("address", ""),
        no_contact_reason=texts.get("no_contact_reason", ""),
        **{name: texts.get(name, "") for name in REPRESENTATIVE_FIELDS},
        notify_channels=tuple(
            c.strip() for c in texts.get("notify_channels", "").split(",") if c.strip()
        ),
    )


def _option(kind: str, value: Any, where: str, lookups: Lookups) -> Any:
    if kind == "text":
        return _text(value, where)
    if kind == "texts":
        if not isinstance(value, list):
            raise _bad("invalid_type", f"«{where}» phải là danh sách chuỗi.")
        return [_text(item, where) for item in value]
    if kind == "user":
        return lookups.user(_text(value, where), where)
    if kind == "agency":
        return lookups.agency(_text(value, where), where)
    if kind == "datetime":
        return _instant(value, where)
    if kind == "bool":
        if not isinstance(value, bool):
            raise _bad("invalid_type", f"«{where}» phải là true hoặc false.")
        return value
    if isinstance(value, bool) or not isinstance(value, int):  # kind == "int"
        raise _bad("invalid_type", f"«{where}» phải là số nguyên.")
    return value


def _event(number: int, value: Any, lookups: Lookups) -> ParsedEvent:
    if not isinstance(value, dict):
        raise _bad("invalid_type", "phải là một đối tượng {…}.")
    action = value.get("action")
    if not isinstance(action, str):
        raise _bad("missing_field", "Thiếu trường bắt buộc «action».")
    if action in IMPLIED_ACTIONS:
        raise _bad(
            "implied_action",
            f"«{action}» được suy ra từ «received_at», không ghi trong «events».",
        )
    if action not in EVENT_FIELDS:
        raise _bad(
            "unknown_action",
            f"thao tác «{action}» không có; dùng một trong: {', '.join(EVENT_FIELDS)}.",
        )
    fields = EVENT_FIELDS[action]
    required = ("at", *REQUIRED_EVENT_KEYS.get(action, ()))
    _check_keys(value, EVENT_COMMON_KEYS | set(fields), required, "")
    options = {
        keyword: _option(kind, value[key], key, lookups)
        for key, (keyword, kind) in fields.items()
        if value.get(key) is not None
    }
    if "reason" in fields and fields["reason"][0] not in options:
        options[fields["reason"][0]] = ""  # the service says when one is needed
    by = value.get("by")
    return ParsedEvent(
        number=number,
        action=action,
        at=_past(_instant(value["at"], "at"), "at"),
        actor=(
            lookups.import_user if by is None else lookups.user(_text(by, "by"), "by")
        ),
        options=options,
    )


def _events(value: Any, received_at: datetime, lookups: Lookups) -> list[ParsedEvent]:
    if not isinstance(value, list):
        raise _bad("invalid_type", "«events» phải là một danh sách […].")
    events = []
    for number, item in enumerate(value, start=1):
        try:
            events.append(_event(number, item, lookups))
        except DomainError as exc:
            action = item.get("action") if isinstance(item, dict) else None
            label = f"sự kiện {number}"
            if isinstance(action, str) and action in EVENT_FIELDS:
                label += f" «{action}»"
            raise DomainError(exc.code, f"{label}: {exc.message}") from None
    previous = received_at
    for event in events:
        if event.at < received_at:
            raise _bad(
                "event_before_reception",
                f"{event.label}: lúc {event.at.isoformat()} trước khi tiếp nhận "
                f"({received_at.isoformat()}).",
            )
        if event.at < previous:
            raise _bad(
                "events_out_of_order",
                f"{event.label}: các sự kiện phải theo thứ tự thời gian.",
            )
        previous = event.at
    return events


def _fallback(
    procedure: Procedure,
    received_at: datetime,
    due_at: datetime | None,
    lookups: Lookups,
    earliest_version: bool,
) -> tuple[ProcedureVersion | None, str]:
    """The version in force on the reception day (from the versions read once a
    run) or, when none was, the one to follow instead and why."""
    day = local(received_at).date()
    versions = lookups.versions(procedure)
    in_force = pick_in_force(versions, day)
    if in_force is not None:
        return in_force, ""
    if not versions:
        raise DomainError(
            "catalog.no_version_in_force",
            f"Thủ tục {procedure.code} chưa có phiên bản nào trong danh mục.",
        )
    if due_at is not None:
        return versions[0], RECORDED_DUE
    if earliest_version:
        return versions[0], EARLIEST
    raise _bad(
        "no_version_in_force",
        f"Thủ tục {procedure.code} không có phiên bản có hiệu lực vào ngày "
        f"{vn_date(day)} (phiên bản sớm nhất từ {vn_date(versions[0].effective_from)})"
        " và dòng không ghi hạn trả «due_at»: thêm «due_at» do hệ thống cũ ghi, "
        "thêm giai đoạn đó vào danh mục, hoặc nhập lại với --earliest-version.",
    )


def _dossier_input(
    obj: dict[str, Any],
    lookups: Lookups,
    received_at: datetime,
    earliest_version: bool,
) -> tuple[DossierInput, str]:
    agency = lookups.agency(_text(obj["agency"], "agency"), "agency")
    procedure, offered = lookups.procedure(_text(obj["procedure"], "procedure"))
    if agency.pk not in offered:
        raise DomainError(
            "dossier.procedure_not_offered",
            f"Thủ tục {procedure.code} không được thực hiện tại {agency.name}.",
        )
    channel = _text(obj["channel"], "channel")
    if channel not in Channel.values:
        raise _bad(
            "invalid_channel",
            f"Kênh nộp «{channel}» không hợp lệ; dùng: {', '.join(Channel.values)}.",
        )
    code = obj.get("code")
    due_at = None if obj.get("due_at") is None else _instant(obj["due_at"], "due_at")
    version, fallback = _fallback(
        procedure, received_at, due_at, lookups, earliest_version
    )
    data = DossierInput(
        agency=agency,
        procedure=procedure,
        channel=channel,
        applicant=_applicant(obj["applicant"]),
        code=None if code is None else (_text(code, "code", 64).strip() or None),
        due_at=due_at,
        version=version,
    )
    return data, fallback


def parse_line(
    text: str, lookups: Lookups, *, earliest_version: bool = False
) -> ParsedLine:
    """One line, checked without writing anything (raises ``DomainError``)."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(
            "invalid_json", f"Không phải JSON hợp lệ ({exc.msg}, cột {exc.colno})."
        ) from None
    if not isinstance(obj, dict):
        raise _bad("not_object", "Mỗi dòng phải là một đối tượng JSON {…}.")
    _check_keys(obj, LINE_KEYS, REQUIRED_LINE_KEYS, "")
    received_at = _past(_instant(obj["received_at"], "received_at"), "received_at")
    data, fallback = _dossier_input(obj, lookups, received_at, earliest_version)
    by = obj.get("by")
    actor = lookups.import_user if by is None else lookups.user(_text(by, "by"), "by")
    events = _events(obj.get("events") or [], received_at, lookups)
    return ParsedLine(data, received_at, actor, tuple(events), fallback)


# ------------------------------------------------------------ replay
def _consultation_to_answer(dossier: Dossier, ordinal: int | None) -> int:
    """The n-th consultation of the dossier, or by default the latest open one."""
    rows = list(
        Consultation.objects.filter(dossier=dossier)
        .order_by("id")
        .values_list("id", "answered_at")
    )
    if ordinal is not None:
        if not 1 <= ordinal <= len(rows):
            raise _bad(
                "unknown_consultation",
                f"Hồ sơ không có lần xin ý kiến thứ {ordinal}.",
            )
        return rows[ordinal - 1][0]
    open_ids = [pk for pk, answered_at in rows if answered_at is None]
    if not open_ids:
        raise _bad("no_open_consultation", "Không có yêu cầu xin ý kiến đang chờ.")
    return open_ids[-1]


def _apply(event: ParsedEvent, dossier: Dossier) -> Dossier:
    options = dict(event.options)
    if event.action == A.ANSWER_CONSULT:
        options["consultation_id"] = _consultation_to_answer(
            dossier, options.pop("consultation", None)
        )
    return SERVICES[event.action](event.actor, dossier, **options)


def replay(line: ParsedLine) -> Dossier:
    """Receive, then apply each event, each at its own time, through the services
    (roles are not checked — the older system decided — but the state machine,
    deadline and step rules are). Call inside a transaction."""
    with services.trusted_replay():
        with clock.frozen_at(line.received_at):
            dossier = services.dossier_receive(line.actor, data=line.data)
        for event in line.events:
            try:
                with clock.frozen_at(event.at):
                    dossier = _apply(event, dossier)
            except (DomainError, DeadlineError) as exc:
                raise DomainError(exc.code, f"{event.label}: {exc.message}") from exc
    return dossier


# ------------------------------------------------------------ the run
@dataclass(frozen=True)
class Rejection:
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"dòng {self.line}: {self.message} ({self.code})"


@dataclass
class ImportReport:
    dry_run: bool
    read: int = 0
    imported: int = 0
    already: int = 0  # imported by an earlier run (same code): skipped
    recorded_due: int = 0  # no version in force: recorded due date kept
    earliest: int = 0  # no version in force, no due date: earliest version
    events: int = 0
    plain: int = 0  # lines the unit of work handed to the plain path
    seconds: float = 0.0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def lines_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        verb = "nhập được (chạy thử, không ghi)" if self.dry_run else "đã nhập"
        text = (
            f"Đọc {self.read} dòng: {verb} {self.imported} hồ sơ, bỏ qua "
            f"{self.rejected} dòng lỗi"
        )
        if self.already:
            text += f", {self.already} hồ sơ đã nhập ở lần trước"
        text += (
            f"; dựng lại {self.events} sự kiện sau tiếp nhận; {self.seconds:.1f} "
            f"giây ({self.lines_per_second:.0f} dòng/giây)."
        )
        if self.recorded_due or self.earliest:
            text += (
                f" Không có phiên bản thủ tục có hiệu lực vào ngày tiếp nhận: "
                f"{self.recorded_due} hồ sơ theo hạn trả đã ghi, {self.earliest} "
                "hồ sơ theo phiên bản sớm nhất (--earliest-version)."
            )
        return text


def _decode(raw: bytes | str, number: int) -> str:
    if isinstance(raw, str):
        return raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad("invalid_encoding", "Dòng không phải văn bản UTF-8.") from None
    return text.removeprefix("\ufeff") if number == 1 else text


def _chunks(items: Iterable[tuple[int, bytes | str]], size: int) -> Iterator[list]:
    chunk: list[tuple[int, bytes | str]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _FlushFailed(Exception):
    """The unit of work of a batch could not be written: the batch is imported
    again through the plain path, one savepoint a line."""


class _Run:
    def __init__(
        self,
        report: ImportReport,
        on_reject: Callable[[Rejection], None] | None,
        on_progress: Callable[[int], None] | None,
        earliest_version: bool = False,
    ) -> None:
        self.report = report
        self.earliest_version = earliest_version
        self.on_reject = on_reject
        self.on_progress = on_progress
        self.lookups = Lookups(ensure_import_user())
        self.batch = observers.Batches([])
        self.unit: unit.UnitOfWork | None = None
        self._held_rejections: list[Rejection] = []

    @contextmanager
    def chunk(self, fast: bool = False) -> Iterator[None]:
        """One transaction for many lines; the observers (figures) write once
        at its end, and so does the unit of work when ``fast``."""
        with transaction.atomic(), observers.batched() as batch:
            self.batch = batch
            if not fast:
                yield
                return
            with unit.unit_of_work() as held:
                self.unit = held
                try:
                    yield
                    self._flush()
                finally:
                    self.unit = None

    def _flush(self) -> None:
        if self.unit is None:
            return
        try:
            with transaction.atomic():
                self.unit.flush()
        except DatabaseError as exc:
            raise _FlushFailed(str(exc)) from exc

    def lines(self, chunk: list[tuple[int, bytes | str]], fast: bool) -> None:
        """A batch of lines; through the unit of work when ``fast``, and again
        through the plain path if writing it fails."""
        parsed = [(number, self._parse(number, raw)) for number, raw in chunk]
        if fast:
            counts = dict(vars(self.report))
            counts["rejections"] = list(self.report.rejections)
            try:
                with self.chunk(fast=True):
                    if self.unit is not None:
                        self.unit.look_up_codes(
                            {
                                item.data.code
                                for _, item in parsed
                                if isinstance(item, ParsedLine) and item.data.code
                            }
                        )
                    for number, item in parsed:
                        self.line(number, item)
            except _FlushFailed:
                vars(self.report).update(counts)
                self._held_rejections = []
            else:
                self._release_rejections()
                return
        with self.chunk():
            for number, item in parsed:
                self.line(number, item)

    def _parse(self, number: int, raw: bytes | str) -> ParsedLine | DomainError | None:
        """The line checked and read (None: a blank line, ignored)."""
        if not raw.strip():
            return None
        try:
            return parse_line(
                _decode(raw, number),
                self.lookups,
                earliest_version=self.earliest_version,
            )
        except DomainError as exc:
            return exc

    def line(self, number: int, item: ParsedLine | DomainError | None) -> None:
        try:
            if item is not None:
                self.report.read += 1
                self._import(number, item)
        finally:
            if self.on_progress is not None:
                self.on_progress(number)

    @contextmanager
    def _line(self) -> Iterator[None]:
        """One line in its savepoint; through the unit of work, if any. On
        SQLite a line of the unit needs none: it writes nothing to the tables
        (``UnitOfWork.line(without_savepoint=True)``)."""
        if self.unit is not None and connection.vendor == "sqlite":
            with (
                self.batch.line(),
                self.unit.line(without_savepoint=True),
                unit.one_savepoint(),
            ):
                yield
            return
        with self.batch.line(), transaction.atomic():
            if self.unit is None:
                yield
                return
            with self.unit.line(), unit.one_savepoint():
                yield

    def _import(self, number: int, parsed: ParsedLine | DomainError) -> None:
        try:
            if isinstance(parsed, DomainError):
                raise parsed
            if _already_imported(parsed, self.unit):
                self.report.already += 1
                return
            # A savepoint: a failed line leaves nothing, in the tables, in
            # the figures the observers keep or in the unit of work.
            try:
                with self._line():
                    replay(parsed)
            except unit.Miss:
                # A read the unit does not answer: write what it holds, then
                # this line through the plain path.
                self._flush()
                with unit.suspended(), self.batch.line(), transaction.atomic():
                    replay(parsed)
                self.report.plain += 1
        except DomainError as exc:
            self.reject(Rejection(number, exc.code, exc.message))
        except DatabaseError as exc:
            self.reject(Rejection(number, "import.database_error", str(exc)))
        else:
            self.report.imported += 1
            self.report.events += len(parsed.events)
            self.report.recorded_due += parsed.fallback == RECORDED_DUE
            self.report.earliest += parsed.fallback == EARLIEST

    def reject(self, rejection: Rejection) -> None:
        self.report.rejections.append(rejection)
        if self.unit is not None:  # told once the batch is written
            self._held_rejections.append(rejection)
        elif self.on_reject is not None:
            self.on_reject(rejection)

    def _release_rejections(self) -> None:
        held, self._held_rejections = self._held_rejections, []
        if self.on_reject is not None:
            for rejection in held:
                self.on_reject(rejection)


def _already_imported(line: ParsedLine, held: unit.UnitOfWork | None = None) -> bool:
    """The same dossier (code, agency, reception instant) is already here (or
    held by the batch's unit of work); the same code on another dossier is still
    refused by the services."""
    code = line.data.code
    if not code:
        return False
    if held is not None:
        dossier = held.dossier_with_code(code)
        if dossier is not None:
            return (
                dossier.agency_id == line.data.agency.pk
                and dossier.received_at == line.received_at
            )
        stored = held.stored(code)
        if stored is not None:
            return (line.data.agency.pk, line.received_at) in stored
    with nullcontext() if held is None else held.direct():
        return Dossier.objects.filter(
            code=code, agency=line.data.agency, received_at=line.received_at
        ).exists()


def import_lines(
    lines: Iterable[bytes | str],
    *,
    dry_run: bool = False,
    earliest_version: bool = False,
    batch_size: int = 200,
    unit_of_work: bool = True,
    on_reject: Callable[[Rejection], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import JSON lines (numbered from 1). Lines commit in batches of
    ``batch_size``, each line in its own savepoint. ``dry_run``: the same work in
    one transaction rolled back at the end, so the report is exact (a duplicate
    code within the file is caught) and nothing is written. ``earliest_version``:
    a line with no version in force and no recorded due date follows the
    procedure's earliest version (otherwise it is refused). ``unit_of_work``:
    a batch's rows are held in memory and written in bulk at its end (the same
    rows as without; off: each service writes its rows itself, as live)."""
    report = ImportReport(dry_run=dry_run)
    started = time.perf_counter()
    with services.trusted_replay():  # calendars and workflows read once a run
        with transaction.atomic():
            run = _Run(report, on_reject, on_progress, earliest_version)
            if dry_run:
                for chunk in _chunks(enumerate(lines, start=1), batch_size):
                    run.lines(chunk, fast=unit_of_work)
                transaction.set_rollback(True)
        if not dry_run:
            for chunk in _chunks(enumerate(lines, start=1), batch_size):
                run.lines(chunk, fast=unit_of_work)
    report.seconds = time.perf_counter() - started
    return report


def import_file(path: str, **options: Any) -> ImportReport:
    """Import a JSON Lines file (UTF-8); see :func:`import_lines`."""
    with open(path, "rb") as handle:
        return import_lines(handle, **options)
