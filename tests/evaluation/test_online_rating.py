"""The online rating after the result is returned: only a returned dossier,
once on this channel, idempotent by the client's id; an unsatisfied answer
gives its reasons and opens a follow-up due in working days, which the
leader answers (who, when)."""

from __future__ import annotations

import json

import pytest

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.evaluation import followups
from motcua.evaluation.models import FollowUp, Rating
from motcua.evaluation.online import OnlineAnswer, online_rate
from motcua.portal.qr import token_for
from tests.dossiers.builders import vn

from .world import evaluated_world

pytestmark = pytest.mark.django_db
FRIDAY_10 = vn(2025, 6, 20, 10)


def refused(code, fn, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        fn(*args, **kwargs)
    assert error.value.code == code, error.value.message
    return error.value


def test_a_returned_dossier_is_rated_online_once_with_its_answers():
    e = evaluated_world()
    token = token_for(e.early)
    with clock.frozen_at(FRIDAY_10):
        rating, created = online_rate(
            token,
            OnlineAnswer("very_satisfied", {"contacts": 0, "attitude": 1},
                         client_id="web-0001"),
        )  # fmt: skip
        again, created_again = online_rate(
            token, OnlineAnswer("very_satisfied", client_id="web-0001")
        )
        refused(
            "rating.already_rated",
            online_rate,
            token,
            OnlineAnswer("satisfied", client_id="web-0002"),
        )
    assert created and not created_again and again.pk == rating.pk
    assert rating.source == "online" and rating.at == FRIDAY_10
    assert (rating.contacts_points, rating.attitude_points) == (2, 1)
    assert not FollowUp.objects.exists()


def test_a_dossier_not_returned_or_an_unknown_token_cannot_be_rated():
    e = evaluated_world()  # on_time: result ready, not handed over
    with clock.frozen_at(FRIDAY_10):
        refused("rating.not_returned", online_rate, token_for(e.on_time),
                OnlineAnswer("satisfied"))  # fmt: skip
        error = refused("rating.unknown_dossier", online_rate, "12.nope",
                        OnlineAnswer("satisfied"))  # fmt: skip
    assert error.status == 404
    assert not Rating.objects.exists()


def test_an_unhappy_answer_must_say_why_and_opens_a_follow_up_due_in_5_working_days():
    e = evaluated_world()
    token = token_for(e.late)
    with clock.frozen_at(FRIDAY_10):
        refused("rating.reason_required", online_rate, token,
                OnlineAnswer("unsatisfied"))  # fmt: skip
        refused("rating.invalid_reason", online_rate, token,
                OnlineAnswer("unsatisfied", reasons=("nonsense",)))  # fmt: skip
        refused("rating.invalid_phone", online_rate, token,
                OnlineAnswer("unsatisfied", reasons=("late",), may_contact=True,
                             contact_phone="call me"))  # fmt: skip
        assert not Rating.objects.exists()
        rating, _ = online_rate(
            token,
            OnlineAnswer("unsatisfied", reasons=("late", "wait"),
                         comment="Hẹn thứ Năm, thứ Sáu mới có.",
                         may_contact=True, contact_phone="0905 123 456"),
        )  # fmt: skip
    follow_up = rating.follow_up
    # Friday 10:00 + 5 working days of 8 h (08–12, 13–17) → Friday 27/06 10:00
    assert follow_up.opened_at == FRIDAY_10
    assert follow_up.due_at == vn(2025, 6, 27, 10)
    assert {r.code for r in follow_up.reasons.all()} == {"late", "wait"}
    assert follow_up.may_contact and follow_up.contact_phone == "0905123456"
    assert follow_up.agency == e.world.ward


def test_the_leader_answers_a_follow_up_with_what_was_done():
    e = evaluated_world()
    with clock.frozen_at(FRIDAY_10):
        rating, _ = online_rate(
            token_for(e.late),
            OnlineAnswer("unsatisfied", reasons=("late",)),
        )
    follow_up = rating.follow_up
    refused("auth.forbidden", followups.followup_answer, e.world.specialist,
            follow_up, answer="a", action_taken="b")  # fmt: skip
    refused("followup.incomplete", followups.followup_answer, e.world.leader,
            follow_up, answer="Xin lỗi ông/bà.", action_taken=" ")  # fmt: skip
    with clock.frozen_at(vn(2025, 6, 23, 9)):
        open_now = followups.followups_for(
            e.world.leader, e.world.ward.__class__.objects.filter(pk=e.world.ward.pk)
        )
        assert list(open_now) == [follow_up]
        done = followups.followup_answer(
            e.world.leader, follow_up,
            answer="Xin lỗi ông/bà vì trả kết quả trễ một ngày.",
            action_taken="Nhắc chuyên viên; bổ sung người thẩm định dự phòng.",
        )  # fmt: skip
    assert done.answered_by == e.world.leader
    assert done.answered_at == vn(2025, 6, 23, 9)
    refused("followup.already_answered", followups.followup_answer, e.world.leader,
            done, answer="x", action_taken="y")  # fmt: skip


def test_overdue_is_one_rule_unanswered_after_the_due_instant():
    e = evaluated_world()
    with clock.frozen_at(FRIDAY_10):
        rating, _ = online_rate(
            token_for(e.late), OnlineAnswer("unsatisfied", reasons=("late",))
        )
    ward = e.world.ward.__class__.objects.filter(pk=e.world.ward.pk)
    with clock.frozen_at(vn(2025, 6, 27, 10)):
        assert not followups.followups_for(e.world.leader, ward, "overdue").exists()
    with clock.frozen_at(vn(2025, 6, 27, 10, 1)):
        assert list(followups.followups_for(e.world.leader, ward, "overdue")) == [
            rating.follow_up
        ]
    # a monitor from elsewhere reads nothing
    assert not followups.followups_for(e.world.other_reception, ward, "all").exists()


def test_the_rating_link_is_offered_only_while_the_dossier_can_be_rated():
    from motcua.evaluation.online import rating_link

    e = evaluated_world()
    assert rating_link(e.on_time) is None  # result ready, not handed over
    link = rating_link(e.early)
    assert link == f"/danh-gia-hai-long/ho-so/{token_for(e.early)}/"
    with clock.frozen_at(FRIDAY_10):
        online_rate(token_for(e.early), OnlineAnswer("satisfied"))
    assert rating_link(e.early) is None


@pytest.mark.parametrize(
    ("options", "valid"),
    [
        ([{"label": "Có", "points": 2}, {"label": "Không", "points": 0}], True),
        ([{"label": "Có", "points": 2}], False),
        ([{"label": "Có", "points": 3}, {"label": "Không", "points": 0}], False),
        ([{"label": "", "points": 2}, {"label": "Không", "points": 0}], False),
        ([{"label": "Có", "points": True}, {"label": "Không", "points": 0}], False),
        ({"label": "Có"}, False),
    ],
)
def test_an_administrator_types_questions_with_answers_worth_0_to_2(options, valid):
    from motcua.evaluation.admin import RatingQuestionForm

    form = RatingQuestionForm(
        data={
            "code": "help",
            "text": "Cán bộ hướng dẫn tận tình?",
            "target": "attitude_points",
            "options": json.dumps(options),
            "position": 3,
            "valid_from": "2026-01-01",
        }
    )
    assert form.is_valid() is valid, form.errors
