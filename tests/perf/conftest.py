"""A small city that grows: the world of the query-count and output tests."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.agencies.models import Membership, Role
from motcua.dossiers import services
from tests.citizens.factories import link_dossier, make_citizen
from tests.dossiers.builders import World, build_world, make_user, vn

MON = vn(2025, 6, 2)
RATED = vn(2025, 6, 2, 16)


class City:
    """A small city that grows by ``grow(n)`` varied dossiers at a time."""

    def __init__(self) -> None:
        from motcua.catalog.services import refresh_search_text

        self.world: World = build_world()
        refresh_search_text(self.world.version)
        self.citizen = make_citizen()
        self.monitor = make_user(
            f"gs{self.world.district.pk}", self.world.district, Role.MONITOR
        )
        Membership.objects.filter(user=self.monitor).update(covers_subtree=True)
        self.dossiers: list[Any] = []

    def grow(self, n: int) -> None:
        w = self.world
        for _ in range(n):
            received = w.receive(MON)
            assigned = w.processing(MON)
            with w.at(MON):
                consulted = services.dossier_consult(
                    w.specialist, assigned, agency=w.district, question="Xác minh?"
                )
                waiting = services.dossier_request_supplement(
                    w.reception, reason="Thiếu bản sao", data=w.input()
                )
            other = w.receive(MON, actor=w.other_reception, agency=w.other_ward)
            finished, returned = self._finished(), self._finished(returned=True)
            for dossier in (received, other, finished, returned):
                link_dossier(self.citizen, dossier)
            self._feedback()
            self._rate(returned)
            self.dossiers += [received, consulted, waiting, other, finished, returned]

    def _finished(self, *, returned: bool = False) -> Any:
        w = self.world
        dossier = w.processing(MON)
        with w.at(MON):
            dossier = services.dossier_submit(w.specialist, dossier)
            dossier = services.dossier_approve(w.leader, dossier)
            dossier = services.dossier_finish(w.reception, dossier)
            if returned:
                dossier = services.dossier_return_result(w.reception, dossier)
        return dossier

    def _rate(self, returned: Any) -> None:
        """Every other returned dossier is rated unsatisfied (a follow-up)."""
        from motcua.core import clock
        from motcua.evaluation.online import OnlineAnswer, online_rate
        from motcua.portal.qr import token_for

        unhappy = len(self.dossiers) % 12 == 0
        answer = (
            OnlineAnswer("unsatisfied", reasons=("late",))
            if unhappy
            else OnlineAnswer("satisfied", {"contacts": 0, "attitude": 1})
        )
        with clock.frozen_at(RATED):
            online_rate(token_for(returned), answer)

    def _feedback(self) -> None:
        from tests.feedback.builders import submit

        submit(self.world.ward)


@pytest.fixture
def city(settings: Any, tmp_path: Any) -> City:
    settings.MEDIA_ROOT = tmp_path
    from tests.feedback.conftest import seed_texts

    seed_texts()
    return City()
