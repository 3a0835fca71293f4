"""The dossier lifecycle: one service per action (Decree 61/2018/NĐ-CP Art. 15–22
until 30/06/2025, Decree 118/2025/NĐ-CP from 01/07/2025: each dossier follows
the rules of its own reception day, ``motcua.law``).

Every service runs in one transaction that locks the dossier row, checks the
caller's role, the transition table (``workflow.py``) and the action's own
guards, changes the dossier and appends its hash-chained event. A refused action
raises a ``DomainError`` (Vietnamese message, stable code) and changes nothing.
Time comes from ``motcua.core.clock``; every deadline from the deadline engine.

One module per topic, as Zulip's ``zerver/actions/``: ``reception``,
``processing``, ``interagency``, ``payments``, ``results``, ``records``,
``transfer``; what they share is in ``_common``. Callers import from here,
never from a topic.
"""

from ..applicants import ApplicantInput
from ._common import ComponentInput, DossierInput, bulk_work, trusted_replay
from .interagency import dossier_answer_consult, dossier_consult
from .payments import (
    dossier_record_online_payment,
    dossier_record_payment,
    dossier_request_payment,
)
from .processing import (
    dossier_approve,
    dossier_assign,
    dossier_extend,
    dossier_forward,
    dossier_remind,
    dossier_remind_automatically,
    dossier_send_back,
    dossier_submit,
)
from .reception import (
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_resubmit,
    dossier_submit_online,
)
from .records import dossier_anonymise_applicant, dossier_record_file
from .results import (
    dossier_finish,
    dossier_return_result,
    dossier_stop,
    dossier_withdraw,
)
from .transfer import MergerSummary, agencies_merge, dossier_transfer

__all__ = [
    "ApplicantInput",
    "ComponentInput",
    "DossierInput",
    "MergerSummary",
    "agencies_merge",
    "bulk_work",
    "dossier_anonymise_applicant",
    "dossier_answer_consult",
    "dossier_approve",
    "dossier_assign",
    "dossier_consult",
    "dossier_extend",
    "dossier_finish",
    "dossier_forward",
    "dossier_receive",
    "dossier_record_file",
    "dossier_record_online_payment",
    "dossier_record_payment",
    "dossier_refuse",
    "dossier_remind",
    "dossier_remind_automatically",
    "dossier_request_payment",
    "dossier_request_supplement",
    "dossier_resubmit",
    "dossier_return_result",
    "dossier_send_back",
    "dossier_stop",
    "dossier_submit",
    "dossier_submit_online",
    "dossier_transfer",
    "dossier_withdraw",
    "trusted_replay",
]
