"""Kiosk votes and online ratings feed the existing satisfaction figures —
the board and public figures, the monthly trend, the 766 index, Circular
01/2018 indicators 3 and 7 and the staff page — through their own selectors;
a held (abnormal) vote changes none of them until it is accepted.

Hand-computed, June 2025, the ward (dossiers: early, late settled; on_time
result ready):
- online, early: satisfied; contacts "bổ sung từ hai lần" (0), attitude
  "Bình thường" (1);
- kiosk, late (QR): unsatisfied; attitude "chưa lịch sự" (0);
- kiosk, no dossier: 4 × very satisfied at 10:00:00/10/20/30, then an
  unsatisfied one at 10:00:40 — the 5th in a minute: held.
Counted: 6 ratings, 5 satisfied → 83.3%; 766 group 6.1: 5/6 × 18 = 15.00.
Accepted: 7 ratings, 5 satisfied → 71.4%; 766: 5/7 × 18 = 12.857 → 12.86.
Circular 01 Q2: indicator 7 = (1 + 0) / 2 = 0.5 on 2 dossiers; indicator 3
= (0 + 2 + 2) / 3 = 1.33 → 1.3 (late and on_time: no supplement → 2).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from motcua.agencies.models import Agency
from motcua.core import clock
from motcua.evaluation import dashboard, index766, performance, scoring
from motcua.evaluation.followups import rating_review
from motcua.evaluation.kiosks import Vote, kiosk_vote
from motcua.evaluation.models import Rating
from motcua.evaluation.online import OnlineAnswer, online_rate
from motcua.evaluation.periods import month, quarter
from motcua.portal.qr import token_for
from tests.dossiers.builders import vn

from .voice import cid, voice_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evaluation.urls")]
JUNE = month(2025, 6)
TEN = vn(2025, 6, 20, 10)


def ward_of(v):
    return Agency.objects.filter(pk=v.world.ward.pk)


def satisfaction_766(v) -> Decimal | None:
    report = index766.index_report(v.world.ward, ward_of(v), JUNE)
    for group in report.total.groups:
        for result in group.indicators:
            if result.indicator.formula == "satisfaction":
                return result.score
    raise AssertionError("no satisfaction indicator")


def circular(v, number):
    evaluation = scoring.evaluate_agency(v.world.ward, quarter(2025, 2))
    score = next(s for s in evaluation.scores if s.indicator.number == number)
    return score.points, score.counted


def vote_everything(v):
    with clock.frozen_at(TEN - timedelta(minutes=5)):
        online_rate(
            token_for(v.e.early),
            OnlineAnswer("satisfied", {"contacts": 2, "attitude": 1}),
        )
        kiosk_vote(
            v.kiosk,
            Vote(cid(100), "unsatisfied", token=token_for(v.e.late),
                 answers={"attitude": 2}),
        )  # fmt: skip
    with clock.frozen_at(TEN + timedelta(minutes=1)):
        for i in range(4):
            kiosk_vote(
                v.kiosk,
                Vote(cid(i), "very_satisfied", at=TEN + timedelta(seconds=10 * i)),
            )
        held, _ = kiosk_vote(
            v.kiosk, Vote(cid(4), "unsatisfied", at=TEN + timedelta(seconds=40))
        )
    return held


def test_before_any_vote_there_is_no_satisfaction_figure():
    v = voice_world()
    assert dashboard.figures(ward_of(v), JUNE).satisfaction_rate is None
    assert satisfaction_766(v) is None
    assert circular(v, 7) == (None, 0)


def test_kiosk_and_online_votes_change_every_figure_as_computed_by_hand(client):
    v = voice_world()
    held = vote_everything(v)
    assert held.state == Rating.State.HELD
    figures = dashboard.figures(ward_of(v), JUNE)
    assert (figures.ratings, figures.satisfied) == (6, 5)
    assert figures.satisfaction_rate == Decimal("83.3")
    assert satisfaction_766(v) == Decimal("15.00")
    assert circular(v, 7) == (Decimal("0.5"), 2)
    assert circular(v, 3) == (Decimal("1.3"), 3)
    june = dashboard.monthly_trend(ward_of(v), date(2025, 6, 30))[-1]
    assert june.satisfaction_rate == Decimal("83.3")
    page = client.get(
        "/danh-gia/cong-khai/", {"co-quan": v.world.ward.code, "ky": "2025-06"}
    )
    assert "5/6 (83,3%)" in page.content.decode()  # Vietnamese decimal comma
    staff = {r.user: r for r in performance.staff_performance(ward_of(v), JUNE)}
    reception = staff[v.world.reception]
    # 4 anonymous votes at the counter in her duty + the two rated dossiers she
    # received and handed over (satisfied, unsatisfied)
    assert dict(reception.ratings) == {
        "very_satisfied": 4, "satisfied": 1, "unsatisfied": 1,
    }  # fmt: skip


def test_a_held_vote_counts_only_once_accepted_and_never_once_rejected(client):
    v = voice_world()
    held = vote_everything(v)
    with clock.frozen_at(TEN + timedelta(hours=1)):
        rating_review(v.world.admin, held, accept=True)
    figures = dashboard.figures(ward_of(v), JUNE)
    assert (figures.ratings, figures.satisfied) == (7, 5)
    assert figures.satisfaction_rate == Decimal("71.4")
    assert satisfaction_766(v) == Decimal("12.86")
    page = client.get(
        "/danh-gia/cong-khai/", {"co-quan": v.world.ward.code, "ky": "2025-06"}
    )
    assert "5/7 (71,4%)" in page.content.decode()


def test_a_rejected_vote_is_kept_but_never_counted():
    v = voice_world()
    held = vote_everything(v)
    with clock.frozen_at(TEN + timedelta(hours=1)):
        rating_review(v.world.admin, held, accept=False)
    assert Rating.objects.filter(state="rejected").count() == 1
    assert dashboard.figures(ward_of(v), JUNE).ratings == 6
    assert satisfaction_766(v) == Decimal("15.00")
