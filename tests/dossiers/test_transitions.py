"""Every action refused from every state the transition table does not allow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from motcua.core.errors import Conflict
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.workflow import TRANSITIONS, Action, Status

from .builders import World, build_world, vn

pytestmark = pytest.mark.django_db
MON = vn(2025, 6, 2)
LATER = vn(2025, 6, 3, 9)


def _in_state(world: World, status: str) -> Dossier:
    """A dossier brought to ``status`` through the real services."""
    s, w = services, world
    with w.at(MON):
        if status == Status.SUBMITTED:
            return s.dossier_submit_online(None, w.input(channel="online"))
        if status == Status.NOT_RECEIVED:
            return s.dossier_refuse(w.reception, data=w.input(), reason="Sai")
        dossier = s.dossier_receive(w.reception, data=w.input())
        if status == Status.RECEIVED:
            return dossier
        dossier = s.dossier_assign(w.leader, dossier, assignee=w.specialist)
        steps: dict[str, Callable[[Dossier], Dossier]] = {
            Status.PROCESSING: lambda d: d,
            Status.WAITING_SUPPLEMENT: lambda d: s.dossier_request_supplement(
                w.specialist, d, reason="Thiếu"
            ),
            Status.WAITING_PAYMENT: lambda d: s.dossier_request_payment(
                w.specialist, d, amount=10000
            ),
            Status.WITHDRAWN: lambda d: s.dossier_withdraw(w.reception, d),
            Status.STOPPED: lambda d: s.dossier_stop(w.leader, d, reason="Dừng"),
            Status.RESULT_READY: lambda d: s.dossier_finish(w.specialist, d),
            Status.RETURNED: lambda d: s.dossier_return_result(
                w.reception, s.dossier_finish(w.specialist, d)
            ),
        }
        return steps[status](dossier)


def _call(action: str, actor: Any, dossier: Dossier, world: World) -> None:
    s = services
    calls: dict[str, Callable[[], Any]] = {
        Action.RECEIVE: lambda: s.dossier_receive(actor, dossier),
        Action.REQUEST_SUPPLEMENT: lambda: s.dossier_request_supplement(
            actor, dossier, reason="Thiếu"
        ),
        Action.RESUBMIT: lambda: s.dossier_resubmit(actor, dossier),
        Action.REFUSE: lambda: s.dossier_refuse(actor, dossier, reason="Sai"),
        Action.ASSIGN: lambda: s.dossier_assign(
            actor, dossier, assignee=world.specialist
        ),
        Action.FORWARD: lambda: s.dossier_forward(actor, dossier),
        Action.CONSULT: lambda: s.dossier_consult(
            actor, dossier, agency=world.district, question="?"
        ),
        Action.ANSWER_CONSULT: lambda: s.dossier_answer_consult(
            actor, dossier, consultation_id=0, answer="!"
        ),
        Action.SUBMIT: lambda: s.dossier_submit(actor, dossier),
        Action.APPROVE: lambda: s.dossier_approve(actor, dossier),
        Action.SEND_BACK: lambda: s.dossier_send_back(actor, dossier, reason="Sửa"),
        Action.REQUEST_PAYMENT: lambda: s.dossier_request_payment(
            actor, dossier, amount=1000
        ),
        Action.RECORD_PAYMENT: lambda: s.dossier_record_payment(actor, dossier),
        Action.FINISH: lambda: s.dossier_finish(actor, dossier),
        Action.RETURN_RESULT: lambda: s.dossier_return_result(actor, dossier),
        Action.WITHDRAW: lambda: s.dossier_withdraw(actor, dossier),
        Action.STOP: lambda: s.dossier_stop(actor, dossier, reason="Dừng"),
        Action.EXTEND: lambda: s.dossier_extend(
            actor, dossier, new_due_at=vn(2025, 7, 1, 17), reason="Gia hạn"
        ),
        Action.ANONYMISE: lambda: s.dossier_anonymise_applicant(
            dossier, actor=actor, reason="Hết thời hạn lưu trữ"
        ),
        Action.ATTACH_FILE: lambda: s.dossier_record_file(
            actor, dossier, dossier_file=DossierFile(dossier=dossier, size=1)
        ),
        Action.TRANSFER: lambda: s.dossier_transfer(
            actor,
            dossier,
            formers=[dossier.agency],
            successor=world.other_ward,
            on=LATER.date(),
        ),
        Action.REMIND: lambda: s.dossier_remind(actor, dossier, note="Nhắc"),
    }
    calls[action]()


FORBIDDEN = [
    (action, status)
    for action, transition in TRANSITIONS.items()
    if action != Action.SUBMIT_ONLINE
    for status in Status
    if status not in transition.sources
]


@pytest.mark.parametrize(("action", "status"), FORBIDDEN)
def test_forbidden_transition_is_a_conflict_and_changes_nothing(action, status):
    world = build_world(fee=10000)
    dossier = _in_state(world, status)
    assert dossier.status == status
    before = (dossier.lock_version, dossier.events.count(), dossier.steps.count())
    system_admin = get_user_model().objects.create_superuser("root", "", "pw")
    with world.at(LATER), pytest.raises(Conflict) as error:
        _call(action, system_admin, dossier, world)
    assert error.value.code == "dossier.invalid_transition"
    assert error.value.status == 409
    dossier.refresh_from_db()
    assert dossier.status == status
    assert (
        dossier.lock_version,
        dossier.events.count(),
        dossier.steps.count(),
    ) == before


def test_every_action_but_online_submission_has_a_forbidden_state_covered():
    covered = {action for action, _ in FORBIDDEN}
    assert covered == set(TRANSITIONS) - {Action.SUBMIT_ONLINE}
