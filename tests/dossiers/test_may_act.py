"""One rule decides who may act (issue 9): the buttons (``allowed_actions``) and
the services (``check_action``) can never disagree.

For dossiers in every state, built through the real services, and every kind of
officer: each action offered succeeds or fails only on its input (never 403 or
409); each action not offered is refused by the service with 403 or 409."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction

from motcua.agencies.models import Role
from motcua.core.errors import DomainError
from motcua.dossiers import permissions, selectors, services
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.workflow import TRANSITIONS, Action, Status

from .builders import World, build_world, make_user, vn

A = Action
MON = vn(2025, 6, 2, 9)
LATER = vn(2025, 6, 2, 10)  # same day: within the 3-day supplement window


def _reason() -> str:
    return "Thiếu bản sao giấy khai sinh"


def _consultation_id(d: Dossier) -> int:
    pending = d.consultations.filter(answered_at__isnull=True).first()
    return pending.pk if pending else 0


RUN: dict[str, Callable[[World, Any, Dossier], Any]] = {
    A.RECEIVE: lambda w, u, d: services.dossier_receive(u, d),
    A.REQUEST_SUPPLEMENT: lambda w, u, d: services.dossier_request_supplement(
        u, d, reason=_reason()
    ),
    A.RESUBMIT: lambda w, u, d: services.dossier_resubmit(u, d),
    A.REFUSE: lambda w, u, d: services.dossier_refuse(u, d, reason=_reason()),
    A.ASSIGN: lambda w, u, d: services.dossier_assign(u, d, assignee=w.specialist),
    A.FORWARD: lambda w, u, d: services.dossier_forward(u, d),
    A.CONSULT: lambda w, u, d: services.dossier_consult(
        u, d, agency=w.district, question="Xin ý kiến về nơi cư trú"
    ),
    A.ANSWER_CONSULT: lambda w, u, d: services.dossier_answer_consult(
        u, d, consultation_id=_consultation_id(d), answer="Đồng ý"
    ),
    A.SUBMIT: lambda w, u, d: services.dossier_submit(u, d),
    A.APPROVE: lambda w, u, d: services.dossier_approve(u, d),
    A.SEND_BACK: lambda w, u, d: services.dossier_send_back(u, d, reason=_reason()),
    A.REQUEST_PAYMENT: lambda w, u, d: services.dossier_request_payment(
        u, d, amount=50000
    ),
    A.RECORD_PAYMENT: lambda w, u, d: services.dossier_record_payment(u, d),
    A.FINISH: lambda w, u, d: services.dossier_finish(u, d),
    A.RETURN_RESULT: lambda w, u, d: services.dossier_return_result(u, d),
    A.WITHDRAW: lambda w, u, d: services.dossier_withdraw(u, d, reason=_reason()),
    A.STOP: lambda w, u, d: services.dossier_stop(u, d, reason=_reason()),
    A.EXTEND: lambda w, u, d: services.dossier_extend(
        u,
        d,
        new_due_at=(d.due_at or LATER) + timedelta(days=7),
        reason="Cần xác minh thêm",
    ),
    A.REMIND: lambda w, u, d: services.dossier_remind(u, d, note="Khẩn trương"),
}
BUTTONS = [a for a in TRANSITIONS if a not in permissions.NOT_BUTTONS]


def test_every_button_action_has_a_runner():
    assert set(BUTTONS) == set(RUN)


# ------------------------------------------------------------------ states
def _submitted(w: World) -> Dossier:
    with w.at(MON):
        return services.dossier_submit_online(None, w.input(channel="online"))


def _received(w: World) -> Dossier:
    return w.receive(MON)


def _processing(w: World) -> Dossier:
    return w.processing(MON)


def _at_leader(w: World) -> Dossier:
    d = w.processing(MON)
    with w.at(MON):
        return services.dossier_submit(w.specialist, d)


def _consulting(w: World) -> Dossier:
    d = w.processing(MON)
    with w.at(MON):
        return services.dossier_consult(
            w.specialist, d, agency=w.district, question="Xin ý kiến"
        )


def _supplement_at_desk(w: World) -> Dossier:
    with w.at(MON):
        return services.dossier_request_supplement(
            w.reception, data=w.input(), reason=_reason()
        )


def _supplement_later(w: World) -> Dossier:
    d = w.processing(MON)
    with w.at(MON):
        return services.dossier_request_supplement(w.specialist, d, reason=_reason())


def _waiting_payment(w: World) -> Dossier:
    d = w.processing(MON)
    with w.at(MON):
        return services.dossier_request_payment(w.specialist, d, amount=50000)


def _paid(w: World) -> Dossier:
    d = _waiting_payment(w)
    with w.at(MON):
        return services.dossier_record_payment(w.reception, d)


def _result_ready(w: World) -> Dossier:
    d = _at_leader(w)
    with w.at(MON):
        services.dossier_approve(w.leader, d)
        return services.dossier_finish(w.leader, d)


def _returned(w: World) -> Dossier:
    d = _result_ready(w)
    with w.at(MON):
        return services.dossier_return_result(w.reception, d)


def _not_received(w: World) -> Dossier:
    with w.at(MON):
        return services.dossier_refuse(w.reception, data=w.input(), reason=_reason())


def _withdrawn(w: World) -> Dossier:
    d = w.processing(MON)
    with w.at(MON):
        return services.dossier_withdraw(w.reception, d, reason=_reason())


def _stopped(w: World) -> Dossier:
    d = w.processing(MON)
    with w.at(MON):
        return services.dossier_stop(w.leader, d, reason=_reason())


STATES: dict[str, Callable[[World], Dossier]] = {
    "submitted": _submitted,
    "received": _received,
    "processing": _processing,
    "at_leader": _at_leader,
    "consulting": _consulting,
    "supplement_at_desk": _supplement_at_desk,
    "supplement_later": _supplement_later,
    "waiting_payment": _waiting_payment,
    "paid": _paid,
    "result_ready": _result_ready,
    "returned": _returned,
    "not_received": _not_received,
    "withdrawn": _withdrawn,
    "stopped": _stopped,
}


def _people(w: World) -> dict[str, Any]:
    n = w.ward.code.replace(".", "")
    return {
        "reception": w.reception,
        "specialist_assigned": w.specialist,
        "specialist_not_assigned": make_user(f"cv2_{n}", w.ward, Role.SPECIALIST),
        "leader": w.leader,
        "agency_admin": w.admin,
        "monitor": make_user(f"gs_{n}", w.ward, Role.MONITOR),
        "other_agency": w.other_reception,
        "consulted_agency": w.district_specialist,
    }


def _loaded(d: Dossier) -> Dossier:
    return Dossier.objects.prefetch_related(
        "steps__agency", "consultations__agency"
    ).get(pk=d.pk)


def _outcome(w: World, user: Any, d: Dossier, action: str) -> DomainError | None:
    """Run the action for real, then roll it back."""
    try:
        with transaction.atomic():
            with w.at(LATER):
                RUN[action](w, user, Dossier.objects.get(pk=d.pk))
            raise _Rollback
    except _Rollback:
        return None
    except DomainError as error:
        return error


class _Rollback(Exception):
    pass


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(STATES))
def test_buttons_and_services_agree(state):
    world = build_world()
    dossier = STATES[state](world)
    disagreements = []
    for who, user in _people(world).items():
        with world.at(LATER):
            offered = set(permissions.allowed_actions(user, _loaded(dossier)))
        assert offered == set(selectors.actions_for(user, _loaded(dossier)))
        for action in BUTTONS:
            error = _outcome(world, user, dossier, action)
            refused = error is not None and error.status in (403, 409)
            if action == A.ANSWER_CONSULT and error is not None:
                # no consultation to name: the id itself is refused (400)
                refused = refused or error.code == "dossier.unknown_consultation"
            if (action in offered) == refused:
                disagreements.append(
                    (who, action, "offered" if action in offered else "hidden",
                     error and (error.status, error.code))
                )  # fmt: skip
    assert disagreements == [], f"{state}: {disagreements}"


# ------------------------------------------------------------- regressions
@pytest.mark.django_db
def test_the_desk_is_not_offered_to_forward_the_specialists_step():
    world = build_world()
    dossier = world.receive(MON)
    assert dossier.status == Status.RECEIVED
    assert A.FORWARD not in permissions.allowed_actions(
        world.reception, _loaded(dossier)
    )
    with pytest.raises(DomainError) as refused, world.at(LATER):
        services.dossier_forward(world.reception, dossier)
    assert refused.value.status == 403
    assert refused.value.code == "auth.forbidden"


@pytest.mark.django_db
def test_once_at_the_leader_the_specialist_no_longer_works_the_step():
    world = build_world()
    dossier = _at_leader(world)
    step_actions = set(permissions.STEP_ACTIONS)
    mine = set(permissions.allowed_actions(world.specialist, _loaded(dossier)))
    assert mine & step_actions == set()
    leader = set(permissions.allowed_actions(world.leader, _loaded(dossier)))
    assert {A.APPROVE, A.SEND_BACK, A.ASSIGN} <= leader
    assert A.SUBMIT not in leader  # the next step is the desk, not a leader
    for run in (services.dossier_forward, services.dossier_submit):
        with pytest.raises(DomainError) as refused, world.at(LATER):
            run(world.specialist, dossier)
        assert refused.value.status == 403
    with pytest.raises(DomainError) as refused, world.at(LATER):
        services.dossier_assign(world.specialist, dossier, assignee=world.specialist)
    assert refused.value.status == 403
    # Nor does the specialist settle it behind the leader's back.
    assert mine == set()
    for action in (A.FINISH, A.REFUSE, A.REQUEST_SUPPLEMENT, A.REQUEST_PAYMENT):
        assert _outcome(world, world.specialist, dossier, action).status == 403


@pytest.mark.django_db
def test_the_consulted_agency_may_answer_only_its_own_question():
    world = build_world()
    dossier = _consulting(world)
    consultation = Consultation.objects.get(dossier=dossier)
    assert A.ANSWER_CONSULT in permissions.allowed_actions(
        world.district_specialist, _loaded(dossier)
    )
    assert A.ANSWER_CONSULT not in permissions.allowed_actions(
        world.specialist, _loaded(dossier)
    )
    with pytest.raises(DomainError) as refused, world.at(LATER):
        services.dossier_answer_consult(
            world.specialist, dossier, consultation_id=consultation.pk, answer="Có"
        )
    assert refused.value.status == 403
