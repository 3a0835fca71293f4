"""The dossier lifecycle as one readable table (Decree 61/2018/NĐ-CP Art. 15–22).

Each action lists the states it may start from, the state it leads to (``None``:
the state does not change) and the roles that may take it. Services check this
table first, then the action's own guards (deadlines, steps, reasons); nothing
else decides whether a transition is allowed.

"pre" / "post" below: before reception the legal clock has not started
(``received_at`` is empty); after reception it has.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Role


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    NOT_RECEIVED = "not_received", _("Không tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    WAITING_SUPPLEMENT = "waiting_supplement", _("Chờ bổ sung")
    WAITING_PAYMENT = "waiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESULT_READY = "result_ready", _("Có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")


# National Public Service Portal (DVCQG) status codes, for data exchange.
DVCQG_STATUS = {
    Status.SUBMITTED: (1, "receiving"),
    Status.RECEIVED: (2, "new"),
    Status.NOT_RECEIVED: (3, "denied"),
    Status.PROCESSING: (4, "processing"),
    Status.WAITING_SUPPLEMENT: (5, "waiting"),
    Status.WAITING_PAYMENT: (6, "paying"),
    Status.WITHDRAWN: (7, "cancelled"),
    Status.STOPPED: (8, "unresolved"),
    Status.RESULT_READY: (9, "releasing"),
    Status.RETURNED: (10, "done"),
}

# Status groups: the one definition for services, screens, slips and reports.
# The legal clock runs while someone works on the dossier (WORKING); it is paused
# while waiting for the applicant (PAUSED); together they are OPEN (unfinished).
# ENDED: the clock has stopped for good, with or without a result (FINISHED: a
# result exists, waiting or handed over); CLOSED: nothing more will happen.
WORKING = frozenset({Status.RECEIVED, Status.PROCESSING})
PAUSED = frozenset({Status.WAITING_SUPPLEMENT, Status.WAITING_PAYMENT})
OPEN = WORKING | PAUSED
FINISHED = frozenset({Status.RESULT_READY, Status.RETURNED})
CLOSED = frozenset(
    {Status.RETURNED, Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED}
)
ENDED = CLOSED | FINISHED


class Action(models.TextChoices):
    SUBMIT_ONLINE = "submit_online", _("Nộp hồ sơ trực tuyến")
    RECEIVE = "receive", _("Tiếp nhận")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    RESUBMIT = "resubmit", _("Bổ sung hồ sơ")
    REFUSE = "refuse", _("Từ chối")
    ASSIGN = "assign", _("Phân công")
    FORWARD = "forward", _("Chuyển bước tiếp theo")
    CONSULT = "consult", _("Lấy ý kiến cơ quan khác")
    ANSWER_CONSULT = "answer_consult", _("Trả lời ý kiến")
    SUBMIT = "submit", _("Trình lãnh đạo")
    APPROVE = "approve", _("Phê duyệt")
    SEND_BACK = "send_back", _("Trả lại để xử lý lại")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu nộp phí, lệ phí")
    RECORD_PAYMENT = "record_payment", _("Ghi nhận đã nộp phí")
    FINISH = "finish", _("Có kết quả")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    STOP = "stop", _("Dừng xử lý")
    EXTEND = "extend", _("Gia hạn (xin lỗi, hẹn lại)")
    ATTACH_FILE = "attach_file", _("Đính kèm tệp")
    ANONYMISE = "anonymise", _("Ẩn danh thông tin người nộp")
    TRANSFER = "transfer", _("Chuyển sang cơ quan kế thừa")
    REMIND = "remind", _("Nhắc nhở")
    # Appended once by migration 0005 to bring older histories under the
    # applicant fingerprint; never taken by anyone, so not in the table below.
    SEAL = "seal", _("Niêm phong thông tin người nộp")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: unchanged
    roles: frozenset[str]
    article: str  # the legal rule, for docs/lifecycle.md and docstrings


S, A = Status, Action
NEW = "new"  # the dossier does not exist yet: the action creates it
RCP, SPC, LDR, ADM = Role.RECEPTION, Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN
# Not a staff role: the applicant acting on their own dossier through a citizen
# account (``permissions.is_applicant_of``). No membership can grant it.
APPLICANT = "applicant"
APP = APPLICANT


def _t(
    sources: AbstractSet[str], target: str | None, roles: set[str], article: str
) -> Transition:
    return Transition(frozenset(sources), target, frozenset(roles), article)


# Articles: Decree 61/2018/NĐ-CP (amended by Decree 107/2021/NĐ-CP).
# "pre" = before reception (slip 02/03 at the desk); "post" = after reception.
TRANSITIONS: dict[str, Transition] = {
    # action              from                        to            who
    A.SUBMIT_ONLINE:      _t({NEW},                   S.SUBMITTED, {RCP, APP}, "Đ.14"),
    A.RECEIVE:            _t({NEW, S.SUBMITTED, S.WAITING_SUPPLEMENT},
                             S.RECEIVED, {RCP}, "Đ.17(3)"),
    # pre: at reception; post: the specialist within 3 working days of reception
    A.REQUEST_SUPPLEMENT: _t({NEW, S.SUBMITTED} | WORKING,
                             S.WAITING_SUPPLEMENT, {RCP, SPC}, "Đ.17(2), Đ.19(4)"),
    # pre → back to reception; post → processing, the clock restarts or shifts
    A.RESUBMIT:           _t({S.WAITING_SUPPLEMENT},  None, {RCP, APP}, "Đ.19(4)"),
    # pre → not received (slip 03); post → result ready with a refusal
    A.REFUSE:             _t({NEW, S.SUBMITTED, S.WAITING_SUPPLEMENT} | WORKING,
                             None, {RCP, SPC, LDR}, "Đ.17(2), Đ.19(3)"),
    A.ASSIGN:             _t(WORKING, S.PROCESSING, {LDR, RCP, SPC}, "Đ.18, Đ.19(1)"),
    A.FORWARD:            _t(WORKING, S.PROCESSING, {RCP, SPC, LDR}, "Đ.18, Đ.19"),
    A.CONSULT:            _t({S.PROCESSING},          None, {SPC, LDR}, "Đ.19(2)(c)"),
    A.ANSWER_CONSULT:     _t({S.PROCESSING, S.WAITING_PAYMENT},
                             None, {SPC, LDR}, "Đ.19(2)(c)"),
    A.SUBMIT:             _t({S.PROCESSING},          None, {SPC}, "Đ.19(2)"),
    A.APPROVE:            _t({S.PROCESSING},          None, {LDR}, "Đ.19(2)"),
    A.SEND_BACK:          _t({S.PROCESSING},          None, {LDR}, "Đ.19(2)"),
    A.REQUEST_PAYMENT:    _t(WORKING, S.WAITING_PAYMENT, {RCP, SPC}, "Đ.22"),
    A.RECORD_PAYMENT:     _t(WORKING | {S.WAITING_PAYMENT}, None, {RCP}, "Đ.22"),
    A.FINISH:             _t(WORKING, S.RESULT_READY, {RCP, SPC, LDR}, "Đ.19(2)(d)"),
    A.RETURN_RESULT:      _t({S.RESULT_READY},        S.RETURNED, {RCP}, "Đ.20"),
    A.WITHDRAW:           _t({S.SUBMITTED} | OPEN,    S.WITHDRAWN, {RCP}, "Đ.21"),
    A.STOP:               _t(OPEN,                    S.STOPPED, {LDR}, "Đ.19"),
    A.EXTEND:             _t(OPEN,                    None, {LDR, ADM}, "Đ.19(8)(c)"),
    # scans at reception, drafts and results later (Decree 45/2020/NĐ-CP Art. 10)
    # the applicant only while the dossier waits for them (permissions)
    A.ATTACH_FILE:        _t({S.SUBMITTED, S.RESULT_READY} | OPEN,
                             None, {RCP, SPC, LDR, APP}, "NĐ 45/2020 Đ.10"),
    # personal data kept no longer than needed (Decree 13/2023/NĐ-CP Art. 16)
    A.ANONYMISE:          _t(CLOSED, None, {ADM}, "NĐ 13/2023 Đ.16"),
    # an agency merged into another (sắp xếp đơn vị hành chính, 07/2025): its
    # unfinished dossiers go on at the successor, code unchanged
    A.TRANSFER:           _t({S.SUBMITTED} | OPEN,    None, {ADM},
                             "chưa tìm thấy văn bản hướng dẫn"),
    # the leader follows every stage and reminds whoever holds a slow one
    # (our sources: "khâu nào chậm, lãnh đạo sẽ nhắc nhở bằng tin nhắn")
    A.REMIND:             _t(WORKING,                 None, {LDR},
                             "đôn đốc, chỉ đạo (quy chế nội bộ)"),
}  # fmt: skip
