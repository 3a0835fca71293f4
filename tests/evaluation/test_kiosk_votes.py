"""The satisfaction kiosk: set-up and revocation, the officer on duty, votes
tied to counter and officer, idempotent resends, one rating per dossier per
channel, anonymous votes rate-limited and held when abnormal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.evaluation import kiosks
from motcua.evaluation.followups import rating_review
from motcua.evaluation.kiosks import Vote, kiosk_vote
from motcua.evaluation.models import CounterDuty, KioskPrompt, Rating, RatingQuestion
from motcua.portal.qr import token_for
from tests.dossiers.builders import vn

from .voice import FRIDAY, cid, voice_world

pytestmark = pytest.mark.django_db


def refused(code, fn, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        fn(*args, **kwargs)
    assert error.value.code == code, error.value.message
    return error.value


def test_a_kiosk_credential_names_its_kiosk_until_the_agency_admin_revokes_it():
    v = voice_world()
    assert kiosks.kiosk_from_credential(v.credential) == v.kiosk
    assert kiosks.kiosk_from_credential(v.credential[:-2] + "xx") is None
    assert kiosks.kiosk_from_credential("") is None
    pk, _secret = v.credential.rsplit(":", 1)[0].split(":")
    from django.core import signing

    forged = signing.Signer(salt=kiosks.SALT).sign(f"{pk}:not-the-secret")
    assert kiosks.kiosk_from_credential(forged) is None
    refused("auth.forbidden", kiosks.kiosk_revoke, v.world.reception, v.kiosk)
    with clock.frozen_at(FRIDAY):
        kiosks.kiosk_revoke(v.world.admin, v.kiosk)
    assert kiosks.kiosk_from_credential(v.credential) is None


def test_only_staff_of_the_counters_agency_set_up_a_kiosk():
    v = voice_world()
    refused("auth.forbidden", kiosks.kiosk_set_up, v.world.other_reception, v.counter)
    refused("auth.forbidden", kiosks.kiosk_set_up, v.world.specialist, v.counter)


def test_a_vote_is_tied_to_the_counter_and_the_officer_on_duty_when_cast():
    v = voice_world()
    with clock.frozen_at(vn(2025, 6, 20, 9)):
        first, created = kiosk_vote(v.kiosk, Vote(cid(1), "very_satisfied"))
    assert created and first.counter == v.counter
    assert first.officer == v.world.reception and first.kiosk == v.kiosk
    assert first.source == "kiosk" and first.dossier is None
    assert first.agency == v.world.ward and first.state == "counted"
    with clock.frozen_at(vn(2025, 6, 20, 10)):  # the leader takes the counter
        kiosks.duty_start(v.world.leader, v.counter)
    duty = CounterDuty.objects.get(officer=v.world.reception)
    assert duty.ended_at == vn(2025, 6, 20, 10)
    with clock.frozen_at(vn(2025, 6, 20, 11)):
        later, _ = kiosk_vote(v.kiosk, Vote(cid(2), "satisfied"))
        # cast at 09:30 while the connection was lost, received at 11:00
        queued, _ = kiosk_vote(
            v.kiosk, Vote(cid(3), "satisfied", at=vn(2025, 6, 20, 9, 30))
        )
    assert later.officer == v.world.leader
    assert queued.officer == v.world.reception and queued.at == vn(2025, 6, 20, 9, 30)
    assert queued.recorded_at == vn(2025, 6, 20, 11)


def test_a_resend_with_the_same_client_id_counts_once():
    v = voice_world()
    with clock.frozen_at(vn(2025, 6, 20, 9)):
        one, created = kiosk_vote(v.kiosk, Vote(cid(1), "satisfied"))
        again, created_again = kiosk_vote(v.kiosk, Vote(cid(1), "satisfied"))
    assert created and not created_again and one.pk == again.pk
    assert Rating.objects.count() == 1
    with clock.frozen_at(FRIDAY):
        other, _ = kiosks.kiosk_set_up(v.world.reception, v.other_counter)
    refused("rating.client_id_taken", kiosk_vote, other, Vote(cid(1), "satisfied"))
    refused("rating.invalid_client_id", kiosk_vote, v.kiosk, Vote("short", "satisfied"))
    assert Rating.objects.count() == 1


def test_one_kiosk_rating_per_dossier_with_the_circular_01_answers():
    v = voice_world()
    token = token_for(v.e.early)
    with clock.frozen_at(vn(2025, 6, 20, 9)):
        rating, _ = kiosk_vote(
            v.kiosk,
            Vote(cid(1), "satisfied", token=token,
                 answers={"contacts": 1, "attitude": 2}),
        )  # fmt: skip
        refused(
            "rating.already_rated",
            kiosk_vote,
            v.kiosk,
            Vote(cid(2), "very_satisfied", token=token),
        )
        refused(
            "rating.invalid_answer",
            kiosk_vote,
            v.kiosk,
            Vote(cid(3), "satisfied", token=token_for(v.e.late),
                 answers={"attitude": 7}),
        )  # fmt: skip
    assert rating.dossier == v.e.early and rating.contacts_points == 1
    assert rating.attitude_points == 0 and rating.officer == v.world.reception
    assert Rating.objects.count() == 1


def test_a_dossier_of_another_agency_or_not_settled_is_refused():
    v = voice_world()
    elsewhere = v.world.receive(vn(2025, 6, 2), actor=v.world.other_reception,
                                agency=v.world.other_ward)  # fmt: skip
    open_dossier = v.world.receive(vn(2025, 6, 3))
    with clock.frozen_at(vn(2025, 6, 20, 9)):
        refused("kiosk.dossier_elsewhere", kiosk_vote, v.kiosk,
                Vote(cid(1), "satisfied", token=token_for(elsewhere)))  # fmt: skip
        refused("rating.not_settled", kiosk_vote, v.kiosk,
                Vote(cid(2), "satisfied", token=token_for(open_dossier)))  # fmt: skip
        refused("kiosk.unknown_receipt", kiosk_vote, v.kiosk,
                Vote(cid(3), "satisfied", token="1.forged"))  # fmt: skip
    assert not Rating.objects.exists()


def test_the_fifth_anonymous_vote_in_a_minute_is_held_not_counted():
    v = voice_world()
    start = vn(2025, 6, 20, 9)
    with clock.frozen_at(start + timedelta(minutes=2)):
        states = [
            kiosk_vote(
                v.kiosk, Vote(cid(i), "satisfied", at=start + timedelta(seconds=10 * i))
            )[0].state
            for i in range(5)
        ]
        # a minute later the kiosk is normal again
        calm, _ = kiosk_vote(
            v.kiosk, Vote(cid(9), "satisfied", at=start + timedelta(seconds=110))
        )
    assert states == ["counted"] * 4 + ["held"]
    assert calm.state == "counted"
    held = Rating.objects.get(state="held")
    assert "5 phiếu trong một phút" in held.flag_reason
    refused("auth.forbidden", rating_review, v.world.reception, held, accept=True)
    with clock.frozen_at(start + timedelta(hours=1)):
        accepted = rating_review(v.world.admin, held, accept=True)
    assert accepted.state == "counted" and accepted.reviewed_by == v.world.admin
    refused("rating.not_held", rating_review, v.world.admin, held, accept=False)


def test_past_the_hard_limit_a_kiosk_is_refused_and_nothing_is_stored():
    v = voice_world()
    now = vn(2025, 6, 20, 9)
    with clock.frozen_at(now):
        for i in range(kiosks.HARD_LIMIT):
            kiosk_vote(v.kiosk, Vote(cid(i), "satisfied", at=now - timedelta(hours=i)))
        error = refused(
            "rating.too_many", kiosk_vote, v.kiosk, Vote(cid(999), "satisfied")
        )
    assert error.status == 429 and error.retry_after == kiosks.RETRY_AFTER
    assert Rating.objects.count() == kiosks.HARD_LIMIT
    with clock.frozen_at(now + timedelta(minutes=2)):  # the minute has passed
        kiosk_vote(v.kiosk, Vote(cid(999), "satisfied"))


def test_a_vote_older_than_a_week_is_refused_a_future_time_is_now():
    v = voice_world()
    now = vn(2025, 6, 20, 9)
    with clock.frozen_at(now):
        refused("rating.too_old", kiosk_vote, v.kiosk,
                Vote(cid(1), "satisfied", at=now - timedelta(days=8)))  # fmt: skip
        future, _ = kiosk_vote(
            v.kiosk, Vote(cid(2), "satisfied", at=now + timedelta(hours=3))
        )
    assert future.at == now


def test_the_officer_on_duty_invites_the_kiosk_to_rate_a_returned_dossier():
    v = voice_world()
    with clock.frozen_at(vn(2025, 6, 20, 9)):
        refused("kiosk.not_on_duty", kiosks.prompt_dossier, v.world.leader, v.e.early)
        kiosks.prompt_dossier(v.world.reception, v.e.early)
        state = kiosks.kiosk_state(v.kiosk)
    assert state["officer"] == v.world.reception.get_username()
    assert state["dossier"]["code"] == v.e.early.code
    assert state["dossier"]["token"] == token_for(v.e.early)
    with clock.frozen_at(vn(2025, 6, 20, 9, 1)):
        kiosk_vote(
            v.kiosk, Vote(cid(1), "very_satisfied", token=state["dossier"]["token"])
        )
        assert kiosks.kiosk_state(v.kiosk)["dossier"] is None
        refused(
            "rating.already_rated", kiosks.prompt_dossier, v.world.reception, v.e.early
        )
    assert KioskPrompt.objects.get().closed_at == vn(2025, 6, 20, 9, 1)
    with clock.frozen_at(vn(2025, 6, 20, 9, 2)):
        kiosks.prompt_dossier(v.world.reception, v.e.late)
    with clock.frozen_at(vn(2025, 6, 20, 9, 20)):  # prompts expire
        assert kiosks.kiosk_state(v.kiosk)["dossier"] is None


def test_the_questions_are_data_with_a_period():
    v = voice_world()
    old = RatingQuestion.objects.get(code="attitude", valid_from=date(2018, 1, 1))
    old.valid_to = date(2025, 6, 30)
    old.save()
    RatingQuestion.objects.create(
        code="attitude", text="Cán bộ có hướng dẫn tận tình không?",
        target="attitude_points", valid_from=date(2025, 7, 1),
        options=[{"label": "Có", "points": 2}, {"label": "Không", "points": 0}],
    )  # fmt: skip
    with clock.frozen_at(vn(2025, 6, 30, 9)):
        june, _ = kiosk_vote(
            v.kiosk,
            Vote(
                cid(1), "satisfied", token=token_for(v.e.early), answers={"attitude": 1}
            ),
        )
    with clock.frozen_at(vn(2025, 7, 1, 9)):
        july, _ = kiosk_vote(
            v.kiosk,
            Vote(
                cid(2), "satisfied", token=token_for(v.e.late), answers={"attitude": 1}
            ),
        )
    assert june.attitude_points == 1  # "Bình thường" in the 2018 set
    assert july.attitude_points == 0  # "Không" in the new set


def test_an_unsatisfied_kiosk_vote_on_a_dossier_opens_a_follow_up():
    from motcua.evaluation.models import FollowUp

    v = voice_world()
    with clock.frozen_at(vn(2025, 6, 20, 9)):  # a Friday
        unhappy, _ = kiosk_vote(
            v.kiosk, Vote(cid(1), "unsatisfied", token=token_for(v.e.early))
        )
        kiosk_vote(v.kiosk, Vote(cid(2), "satisfied", token=token_for(v.e.late)))
        kiosk_vote(v.kiosk, Vote(cid(3), "unsatisfied"))  # anonymous: no one to answer
    follow_up = FollowUp.objects.get()
    assert follow_up.rating == unhappy and follow_up.agency == v.world.ward
    assert not follow_up.may_contact and follow_up.contact_phone == ""
    assert follow_up.due_at == vn(2025, 6, 27, 9)  # 5 working days later
