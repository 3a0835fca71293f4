"""Random dossier histories driven through the real lifecycle services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from motcua.core.errors import DomainError
from motcua.dossiers import services as sv
from motcua.dossiers.models import Dossier

from ..dossiers.builders import World

STARTS = (
    "direct",
    "postal",
    "online",
    "online_withdrawn",
    "desk_refused",
    "desk_supplement",
)
ACTIONS = (
    "assign",
    "supplement",
    "resubmit",
    "request_payment",
    "record_payment",
    "extend",
    "finish",
    "finish_on_due",
    "refuse",
    "withdraw",
    "stop",
    "return",
)
R = "lý do"


def _start(world: World, kind: str, when: datetime) -> Dossier:
    with world.at(when):
        if kind in ("direct", "postal"):
            return sv.dossier_receive(world.reception, data=world.input(channel=kind))
        if kind == "desk_refused":
            return sv.dossier_refuse(world.reception, reason=R, data=world.input())
        if kind == "desk_supplement":
            return sv.dossier_request_supplement(
                world.reception, reason=R, data=world.input()
            )
        return sv.dossier_submit_online(None, world.input(channel="online"))


def _act(world: World, d: Dossier, action: str, when: datetime, n: int) -> Dossier:
    w = world
    calls: dict[str, Any] = {
        "assign": lambda: sv.dossier_assign(w.leader, d, assignee=w.specialist),
        "supplement": lambda: sv.dossier_request_supplement(
            w.specialist if d.received_at else w.reception, d, reason=R
        ),
        "resubmit": lambda: sv.dossier_resubmit(w.reception, d),
        "request_payment": lambda: sv.dossier_request_payment(w.reception, d),
        "record_payment": lambda: sv.dossier_record_payment(w.reception, d),
        "extend": lambda: sv.dossier_extend(
            w.admin,
            d,
            new_due_at=(d.due_at or when) + timedelta(days=2 + n % 9),
            reason=R,
            override=True,
        ),
        "finish": lambda: sv.dossier_finish(w.leader, d),
        "finish_on_due": lambda: sv.dossier_finish(w.leader, d),
        "refuse": lambda: sv.dossier_refuse(
            w.specialist if d.received_at else w.reception, d, reason=R
        ),
        "withdraw": lambda: sv.dossier_withdraw(w.reception, d),
        "stop": lambda: sv.dossier_stop(w.leader, d, reason=R),
        "return": lambda: sv.dossier_return_result(w.reception, d),
        "receive": lambda: sv.dossier_receive(w.reception, d),
    }
    with world.at(when):
        try:
            return calls[action]()
        except DomainError:  # not allowed now (state, 3-day window, …): skip
            return Dossier.objects.get(pk=d.pk)


def play(
    world: World, start: datetime, kind: str, steps: list[tuple[int, str]]
) -> Dossier:
    """One dossier: a start, then (hours later, action) steps in order."""
    when = start
    dossier = _start(world, kind, when)
    if kind == "online":
        steps = [(steps[0][0] if steps else 2, "receive"), *steps]
    if kind == "online_withdrawn":
        steps = [(3, "withdraw")]
    if kind == "desk_supplement":
        steps = [(24, "resubmit"), (1, "receive"), *steps]
    for n, (hours, action) in enumerate(steps):
        when += timedelta(hours=hours)
        if action == "finish_on_due" and dossier.original_due_at:
            when = max(when, dossier.original_due_at)
        dossier = _act(world, dossier, action, when, n)
    return dossier
