"""Circular 01/2018 scores of the small world, computed by hand from the
timeline in ``world.py``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.evaluation.models import Rating
from motcua.evaluation.periods import quarter, year
from motcua.evaluation.scoring import evaluate_agency, evaluate_staff
from motcua.evaluation.services import evaluator_score_set, rating_record
from tests.dossiers.builders import vn

from .world import evaluated_world

pytestmark = pytest.mark.django_db
D = Decimal
Q2 = quarter(2025, 2)


def rated(e):
    rating_record(e.early, Rating.Level.VERY_SATISFIED, at=vn(2025, 6, 2, 16, 30))
    rating_record(e.late, Rating.Level.SATISFIED, at=vn(2025, 6, 6, 15, 30))
    rating_record(
        e.on_time, Rating.Level.SATISFIED, at=vn(2025, 6, 5, 9), attitude_points=2
    )
    return e


def points(result):
    return {s.indicator.number: s.points for s in result.scores}


def test_indicators_of_the_ward_for_the_quarter():
    e = rated(evaluated_world())
    result = evaluate_agency(e.world.ward, Q2)
    assert result.dossiers == 3
    assert points(result) == {
        1: D("1.0"),  # early 2 + late 0 + on time 1 = 3 / 3
        2: D("1.0"),  # all within 2 + specialist after its due date 0 + leader 1
        3: D("2.0"),  # no supplement anywhere
        4: D("2.0"),  # no other agency consulted
        5: D(2),  # 3 of 3 received at the desk
        6: D("1.0"),  # listed, no publishing decision recorded
        7: D("1.7"),  # very satisfied 2 + satisfied 1 + attitude 2 = 5 / 3
        8: None,  # no feedback item due in the quarter (nor entered)
        9: D(0),  # 0 of 3 online although the procedure is offered online
    }
    assert result.total == D("10.7")
    assert not result.complete and result.rating is None


def test_evaluator_points_complete_the_rating():
    e = rated(evaluated_world())
    evaluator_score_set(e.world.admin, e.world.ward, Q2, 8, "1,5", note="PAKN")
    result = evaluate_agency(e.world.ward, Q2)
    assert points(result)[8] == D("1.5")
    assert result.total == D("12.2") and result.rating == "Tốt"
    # another period does not see the quarter's entry
    assert points(evaluate_agency(e.world.ward, year(2025)))[8] is None


def test_evaluator_entry_overrides_a_unit_indicator_and_is_checked():
    e = evaluated_world()
    evaluator_score_set(e.world.admin, e.world.ward, Q2, 9, 2)
    assert points(evaluate_agency(e.world.ward, Q2))[9] == D(2)
    with pytest.raises(DomainError) as bad:
        evaluator_score_set(e.world.admin, e.world.ward, Q2, 1, 2)
    assert bad.value.code == "evaluation.not_enterable"
    with pytest.raises(DomainError) as bad:
        evaluator_score_set(e.world.admin, e.world.ward, Q2, 8, "2.5")
    assert bad.value.code == "evaluation.invalid_points"
    with pytest.raises(DomainError) as bad:
        evaluator_score_set(e.world.leader, e.world.ward, Q2, 8, 1)
    assert bad.value.status == 403


def test_supplement_and_consultation_lower_indicators_3_and_4():
    e = evaluated_world()
    w = e.world
    with w.at(vn(2025, 6, 9, 9)):
        d = services.dossier_request_supplement(
            w.reception, data=w.input(), reason="Thiếu bản sao CCCD"
        )
    with w.at(vn(2025, 6, 9, 10)):
        d = services.dossier_receive(w.reception, d)
        d = services.dossier_assign(w.leader, d, assignee=w.specialist)
        d = services.dossier_consult(
            w.specialist, d, agency=w.district, question="Xác minh"
        )
    with w.at(vn(2025, 6, 9, 11)):
        d = services.dossier_submit(w.specialist, d)
        d = services.dossier_approve(w.leader, d)
        d = services.dossier_finish(w.reception, d)
    result = evaluate_agency(w.ward, Q2)
    # 3: three dossiers with no contact (2) and one with one supplement (1): 7/4
    # 4: three with one agency (2), one with two (1): 7/4 = 1.75 → 1.8
    assert points(result)[3] == D("1.8")
    assert points(result)[4] == D("1.8")
    # a rating's own answer on contacts wins over the count
    rating_record(d, Rating.Level.SATISFIED, contacts_points=2)
    assert points(evaluate_agency(w.ward, Q2))[3] == D("2.0")


def test_staff_ratings_on_indicators_1_2_3_4_7():
    e = rated(evaluated_world())
    staff = {s.user.pk: s for s in evaluate_staff(e.world.ward, Q2)}
    specialist = staff[e.world.specialist.pk]
    # indicator 2 on the specialist's own steps: 2 + 0 + 2 = 4/3 → 1.3
    assert [s.points for s in specialist.scores] == [
        D("1.0"), D("1.3"), D("2.0"), D("2.0"), D("1.7")
    ]  # fmt: skip
    assert specialist.total == D("8.0")
    assert specialist.rating == "Hoàn thành 100% nhiệm vụ"
    leader = staff[e.world.leader.pk]
    # the leader's steps: within, within, over budget on the due day: 5/3 → 1.7
    assert leader.scores[1].points == D("1.7") and leader.total == D("8.4")
    reception = staff[e.world.reception.pk]
    assert reception.scores[1].points == D("2.0") and reception.total == D("8.7")


def test_a_staff_member_without_ratings_is_not_rated():
    e = evaluated_world()
    specialist = next(
        s for s in evaluate_staff(e.world.ward, Q2) if s.user == e.world.specialist
    )
    assert specialist.scores[4].points is None
    assert specialist.rating is None


def test_indicator_8_counts_feedback_answered_by_its_due_day():
    """Five items received Monday 05/05/2025, due ten working days later
    (19/05): four answered by then, one on 26/05 → 4/5 = 80 % → 1 point; an
    evaluator's entry still wins."""
    from motcua.core import clock
    from motcua.feedback.services import feedback_answer
    from tests.feedback.builders import submit

    e = evaluated_world()
    ward = e.world.ward
    with clock.frozen_at(vn(2025, 5, 5, 9)):
        items = [submit(ward, title=f"Phản ánh {n}") for n in range(5)]
    assert {i.due_at.date().isoformat() for i in items} == {"2025-05-19"}
    with clock.frozen_at(vn(2025, 5, 12, 10)):
        for item in items[:4]:
            feedback_answer(e.world.leader, item, "Đã xử lý theo phản ánh.")
    with clock.frozen_at(vn(2025, 5, 26, 10)):
        feedback_answer(e.world.leader, items[4], "Đã xử lý, xin lỗi vì chậm.")
    score = {s.indicator.number: s for s in evaluate_agency(ward, Q2).scores}[8]
    assert score.points == D(1) and score.note == "4/5"
    evaluator_score_set(e.world.admin, ward, Q2, 8, 2, note="Đã kiểm tra sổ")
    assert points(evaluate_agency(ward, Q2))[8] == D(2)
