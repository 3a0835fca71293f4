"""The procedure rules by period (issue 10, ADR 0016): the supplement window and
restart, the same-day cut-off, the extension notice and once-only limit, the
stop rule and the evaluation pack. The same procedure received on 30/06/2025
keeps the 2018 rule for life; received on 01/07/2025 (or 16/09/2025) it follows
the Decree 118 period; an administrator's change of a row changes the
dossiers of that period only."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from motcua.core.errors import DomainError
from motcua.deadlines.engine import Calendar
from motcua.dossiers import services
from motcua.dossiers.workflow import Status
from motcua.law import procedure
from motcua.law.keys import Confidence, RuleKey
from motcua.law.models import LegalRule
from motcua.law.selectors import rules_on
from tests.dossiers.builders import build_world, vn

pytestmark = pytest.mark.django_db

LAST_2018 = date(2025, 6, 30)  # a Monday
FIRST_118 = date(2025, 7, 1)  # a Tuesday
FORMS_2025 = date(2025, 9, 16)  # a Tuesday, Circular 03 forms in force

PROCEDURE_KEYS = [
    RuleKey.SUPPLEMENT_WINDOW,
    RuleKey.SUPPLEMENT_RESTART,
    RuleKey.SAME_DAY_CUTOFF,
    RuleKey.EXTENSION_NOTICE,
    RuleKey.EXTENSION_LIMIT,
    RuleKey.STOP_RULE,
    RuleKey.EVALUATION_PACK,
]


def set_2025(key: RuleKey, value: str) -> None:
    """What an administrator does to the Decree 118 row of a rule."""
    LegalRule.objects.filter(key=key, valid_from=FIRST_118).update(value=value)


# ------------------------------------------------------------ the seed
def test_each_rule_keeps_its_2018_value_and_is_unverified_where_not_found():
    before, after = rules_on(LAST_2018), rules_on(FIRST_118)
    for key in PROCEDURE_KEYS:
        assert before.rule(key).key, key
        assert after.rule(key).key, key
        assert before.rule(key).source and after.rule(key).source
    for key in (
        RuleKey.SUPPLEMENT_WINDOW,
        RuleKey.SUPPLEMENT_RESTART,
        RuleKey.SAME_DAY_CUTOFF,
        RuleKey.EXTENSION_NOTICE,
        RuleKey.EXTENSION_LIMIT,
    ):
        assert after[key] == before[key], key  # behaviour does not change
        assert after.rule(key).confidence == Confidence.UNVERIFIED, key
        assert "61/2018" not in after.rule(key).source
    assert before[RuleKey.SUPPLEMENT_WINDOW] == "3"
    assert before.rule(RuleKey.SUPPLEMENT_WINDOW).confirmed
    assert before[RuleKey.SAME_DAY_CUTOFF] == "15:00"
    assert before.rule(RuleKey.SAME_DAY_CUTOFF).confirmed
    # Decree 118 Art. 21 / Circular 03 Art. 7: confirmed in text
    assert before[RuleKey.STOP_RULE] == "agency"
    assert after[RuleKey.STOP_RULE] == "applicant"
    assert after.rule(RuleKey.STOP_RULE).confirmed
    assert before[RuleKey.EVALUATION_PACK] == "2018"
    assert after[RuleKey.EVALUATION_PACK] == "766"


def test_without_a_row_each_rule_answers_the_2018_value():
    LegalRule.objects.filter(key__in=PROCEDURE_KEYS).delete()
    assert procedure.supplement_window_days(FIRST_118) == 3
    assert procedure.supplement_policy(FIRST_118) == "restart"
    assert procedure.same_day_cutoff(FIRST_118) == time(15, 0)
    assert procedure.extension_notice_days(FIRST_118) == 1
    assert procedure.extension_once(FIRST_118)
    assert not procedure.stop_at_request(FIRST_118)
    assert procedure.evaluation_pack(FIRST_118) == "2018"


# ------------------------------------------------------------ supplement
def test_supplement_window_by_period_and_an_edit_moves_only_its_period():
    world = build_world(unit="working_days", value=10)
    old = world.processing(vn(2025, 6, 30, 9))  # window ends Thu 03/07 09:00
    new = world.processing(vn(2025, 7, 1, 9))  # window ends Fri 04/07 09:00
    with world.at(vn(2025, 7, 3, 9, 1)), pytest.raises(DomainError) as error:
        services.dossier_request_supplement(world.specialist, old, reason="Thiếu")
    assert error.value.code == "dossier.supplement_too_late"
    assert "03 ngày làm việc" in error.value.message
    assert "61/2018" in error.value.message  # its own day's text
    with world.at(vn(2025, 7, 4, 9, 1)), pytest.raises(DomainError) as late:
        services.dossier_request_supplement(world.specialist, new, reason="Thiếu")
    assert "61/2018" not in late.value.message
    # The administrator gives the Decree 118 period 5 working days.
    set_2025(RuleKey.SUPPLEMENT_WINDOW, "5")
    with world.at(vn(2025, 7, 4, 9, 1)):
        new = services.dossier_request_supplement(world.specialist, new, reason="Thiếu")
    assert new.status == Status.WAITING_SUPPLEMENT
    with world.at(vn(2025, 7, 3, 9, 1)), pytest.raises(DomainError):
        services.dossier_request_supplement(world.specialist, old, reason="Thiếu")
    old.refresh_from_db()
    assert old.status == Status.PROCESSING and old.supplement_count == 0


def _asked_and_resubmitted(world, received, asked, back):
    dossier = world.processing(received)
    with world.at(asked):
        dossier = services.dossier_request_supplement(
            world.specialist, dossier, reason="Thiếu"
        )
    with world.at(back):
        return services.dossier_resubmit(world.reception, dossier)


def test_restart_or_shift_follows_the_dossiers_period():
    set_2025(RuleKey.SUPPLEMENT_RESTART, "shift")
    world = build_world(unit="working_days", value=3)
    old = _asked_and_resubmitted(
        world, vn(2025, 6, 30, 9), vn(2025, 7, 1, 9), vn(2025, 7, 2, 9)
    )
    assert old.due_at == vn(2025, 7, 7, 9)  # 3 working days from Wed 02/07
    new = _asked_and_resubmitted(
        world, vn(2025, 7, 1, 9), vn(2025, 7, 2, 9), vn(2025, 7, 3, 9)
    )
    # shift: due Fri 04/07 09:00 + 1 working day waited
    assert new.due_at == vn(2025, 7, 7, 9)
    assert new.events.order_by("-seq").first().payload["policy"] == "shift"
    assert old.events.order_by("-seq").first().payload["policy"] == "restart"


def test_an_agency_set_to_shift_keeps_shifting_in_both_periods():
    world = build_world(unit="working_days", value=3, policy="shift")
    for day in (30, 1):
        month = 6 if day == 30 else 7
        received = vn(2025, month, day, 9)
        dossier = _asked_and_resubmitted(
            world,
            received,
            received + timedelta(days=1),
            received + timedelta(days=2),
        )
        assert dossier.events.order_by("-seq").first().payload["policy"] == "shift"


# ------------------------------------------------------------ same-day cut-off
def test_same_day_cutoff_comes_from_the_reception_days_rule():
    world = build_world(unit="same_day", value=0)
    old = world.receive(vn(2025, 6, 30, 15, 30))
    new = world.receive(vn(2025, 7, 1, 15, 30))
    assert old.due_at == vn(2025, 7, 1, 17)  # after 15:00 → next working day
    assert new.due_at == vn(2025, 7, 2, 17)  # same default from 01/07/2025
    set_2025(RuleKey.SAME_DAY_CUTOFF, "16:00")
    later = world.receive(vn(2025, 7, 1, 15, 30))
    assert later.due_at == vn(2025, 7, 1, 17)
    again = world.receive(vn(2025, 6, 30, 15, 30))  # a 2018 dossier: 15:00
    assert again.due_at == vn(2025, 7, 1, 17)
    set_2025(RuleKey.SAME_DAY_CUTOFF, "")  # no cut-off
    assert world.receive(vn(2025, 9, 16, 16, 50)).due_at == vn(2025, 9, 16, 17)
    assert world.receive(vn(2025, 6, 30, 16, 50)).due_at == vn(2025, 7, 1, 17)


def test_the_engine_receives_the_cutoff_and_stays_the_same_calendar():
    calendar = Calendar()
    assert calendar.with_cutoff(time(15, 0)) is calendar
    late = vn(2025, 7, 1, 16)
    assert calendar.due(late, "same_day") == vn(2025, 7, 2, 17)
    assert calendar.with_cutoff(None).due(late, "same_day") == vn(2025, 7, 1, 17)
    assert calendar.with_cutoff(time(16, 30)).due(late, "same_day") == vn(
        2025, 7, 1, 17
    )
    assert calendar.due(late, "same_day") == vn(2025, 7, 2, 17)  # unchanged


def test_the_due_date_calculator_applies_the_rule_of_the_day_it_is_given(client):
    set_2025(RuleKey.SAME_DAY_CUTOFF, "")
    url = "/api/v1/calendar/due?unit=same_day&start="
    old = client.get(url + "2025-06-30T15:30:00%2B07:00")
    new = client.get(url + "2025-07-01T15:30:00%2B07:00")
    assert old.status_code == 200, old.content
    assert old.json()["due_at"].startswith("2025-07-01T17:00")
    assert new.json()["due_at"].startswith("2025-07-01T17:00")


# ------------------------------------------------------------ extension
def test_once_only_extension_by_period():
    set_2025(RuleKey.EXTENSION_LIMIT, "")  # the administrator lifts the limit
    world = build_world()  # 3 working days
    old = world.processing(vn(2025, 6, 30, 9))  # due Thu 03/07 09:00
    new = world.processing(vn(2025, 7, 1, 9))  # due Fri 04/07 09:00
    with world.at(vn(2025, 7, 1, 9)):
        old = services.dossier_extend(
            world.leader, old, new_due_at=vn(2025, 7, 10, 17), reason="Xác minh"
        )
        new = services.dossier_extend(
            world.leader, new, new_due_at=vn(2025, 7, 10, 17), reason="Xác minh"
        )
    with world.at(vn(2025, 7, 2, 9)):
        with pytest.raises(DomainError) as error:
            services.dossier_extend(
                world.leader, old, new_due_at=vn(2025, 7, 15, 17), reason="Lần 2"
            )
        assert error.value.code == "deadline.already_extended"
        new = services.dossier_extend(
            world.leader, new, new_due_at=vn(2025, 7, 15, 17), reason="Lần 2"
        )
    assert new.due_at == vn(2025, 7, 15, 17)
    assert new.original_due_at == vn(2025, 7, 4, 9)


def test_extension_notice_by_period():
    world = build_world()
    old = world.processing(vn(2025, 6, 30, 9))  # due Thu 03/07 09:00
    new = world.processing(vn(2025, 7, 1, 9))  # due Fri 04/07 09:00
    with world.at(vn(2025, 7, 2, 9)):  # 1 and 2 working days before the due dates
        services.dossier_extend(
            world.leader, new, new_due_at=vn(2025, 7, 10, 17), reason="Xác minh"
        )
    set_2025(RuleKey.EXTENSION_NOTICE, "3")
    again = world.processing(vn(2025, 7, 1, 9))
    with world.at(vn(2025, 7, 2, 9)):
        with pytest.raises(DomainError) as error:
            services.dossier_extend(
                world.leader, again, new_due_at=vn(2025, 7, 10, 17), reason="Muộn"
            )
        old = services.dossier_extend(
            world.leader, old, new_due_at=vn(2025, 7, 10, 17), reason="Xác minh"
        )
    assert error.value.code == "deadline.extension_too_late"
    assert "03 ngày làm việc" in error.value.message
    again.refresh_from_db()
    assert not again.extended
    assert old.extended


# ------------------------------------------------------------ stop
def _approved(world, received):
    dossier = world.processing(received)
    with world.at(received + timedelta(hours=1)):
        dossier = services.dossier_submit(world.specialist, dossier)
    with world.at(received + timedelta(hours=2)):
        return services.dossier_approve(world.leader, dossier)


@pytest.mark.parametrize("day", [FIRST_118, FORMS_2025])
def test_from_07_2025_no_stop_once_a_decision_is_signed(day):
    world = build_world(unit="working_days", value=10)
    signed = _approved(world, vn(day.year, day.month, day.day, 9))
    version = signed.lock_version
    with (
        world.at(vn(day.year, day.month, day.day, 14)),
        pytest.raises(DomainError) as error,
    ):
        services.dossier_stop(world.leader, signed, reason="Công dân đề nghị")
    assert error.value.code == "dossier.stop_after_decision"
    assert error.value.status == 409
    signed.refresh_from_db()
    assert signed.status == Status.PROCESSING and signed.lock_version == version
    # Before any decision: stopped at the applicant's request (recorded).
    open_one = world.processing(vn(day.year, day.month, day.day, 9))
    with world.at(vn(day.year, day.month, day.day, 10)):
        stopped = services.dossier_stop(
            world.leader, open_one, reason="Công dân đề nghị dừng"
        )
    assert stopped.status == Status.STOPPED
    last = stopped.events.order_by("-seq").first()
    assert last.payload["at_request"] == "applicant"


def test_a_2018_dossier_may_still_be_stopped_after_approval():
    world = build_world(unit="working_days", value=10)
    signed = _approved(world, vn(2025, 6, 30, 9))
    with world.at(vn(2025, 7, 2, 9)):  # stopped under Decree 118, received before
        stopped = services.dossier_stop(world.leader, signed, reason="Cơ quan dừng")
    assert stopped.status == Status.STOPPED
    assert "at_request" not in stopped.events.order_by("-seq").first().payload


# ------------------------------------------------------------ evaluation pack
def test_the_evaluation_pack_by_period():
    assert procedure.evaluation_pack(LAST_2018) == "2018"
    assert procedure.evaluation_pack(FIRST_118) == "766"


# ------------------------------------------------------------ the admin
def _form(row: LegalRule, **fields: str) -> dict[str, str]:
    data = {
        "key": row.key,
        "value": row.value,
        "valid_from": row.valid_from.isoformat() if row.valid_from else "",
        "valid_to": row.valid_to.isoformat() if row.valid_to else "",
        "source": row.source,
        "confidence": row.confidence,
        "note": row.note,
    }
    data.update(fields)
    return data


def test_an_administrator_changes_the_2025_window_in_the_admin(admin_client):
    row = LegalRule.objects.get(key=RuleKey.SUPPLEMENT_WINDOW, valid_from=FIRST_118)
    url = f"/admin/law/legalrule/{row.pk}/change/"
    refused = admin_client.post(url, _form(row, value="ba ngày"))
    assert refused.status_code == 200
    assert "số ngày làm việc" in refused.content.decode()
    bad_time = LegalRule.objects.get(key=RuleKey.SAME_DAY_CUTOFF, valid_from=None)
    refused = admin_client.post(
        f"/admin/law/legalrule/{bad_time.pk}/change/", _form(bad_time, value="25:00")
    )
    assert "GG:PP" in refused.content.decode()
    saved = admin_client.post(url, _form(row, value="5"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert procedure.supplement_window_days(FIRST_118) == 5
    assert procedure.supplement_window_days(LAST_2018) == 3
    world = build_world(unit="working_days", value=10)
    new = world.processing(vn(2025, 7, 1, 9))
    with world.at(vn(2025, 7, 7, 9)):  # 4 working days later
        new = services.dossier_request_supplement(world.specialist, new, reason="Thiếu")
    assert new.status == Status.WAITING_SUPPLEMENT


def test_the_due_date_page_explains_the_cutoff_of_the_day_or_its_absence():
    from motcua.deadlines.engine import Unit
    from motcua.deadlines.views import compute_due

    def notes(received):
        cleaned = {"agency": None, "unit": Unit.SAME_DAY, "duration": None}
        return compute_due(cleaned | {"received": received}).notes

    assert "Nhận sau 15 giờ" in notes(vn(2025, 7, 1, 15, 30))[0]
    set_2025(RuleKey.SAME_DAY_CUTOFF, "")
    assert notes(vn(2025, 7, 1, 15, 30))[0].startswith("Nhận trong ngày làm việc")
    assert "Nhận sau 15 giờ" in notes(vn(2025, 6, 30, 15, 30))[0]


def _rule_reads(sqls: list[dict]) -> list[str]:
    return [q["sql"] for q in sqls if "law_legalrule" in q["sql"]]


def test_pinned_rules_read_each_day_once_and_each_stretch_once():
    """One action asks for one day: the rules only, no boundaries. Further
    days of the same stretch (no rule starts or ends between them) reuse them;
    a day of another stretch reads its own; every answer is the plain read's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.law.selectors import pinned_rules

    days = [LAST_2018, LAST_2018, LAST_2018 - timedelta(days=3), FIRST_118,
            FIRST_118 + timedelta(days=1), FORMS_2025, LAST_2018]  # fmt: skip
    plain = {day: rules_on(day) for day in days}
    with pinned_rules(), CaptureQueriesContext(connection) as ctx:
        first = rules_on(days[0])
        assert len(_rule_reads(ctx.captured_queries)) == 1
        pinned = [first, *(rules_on(day) for day in days[1:])]
    # the bounds, then one read for 01/07/2025 and one for 16/09/2025
    assert len(_rule_reads(ctx.captured_queries)) == 4
    for day, rules in zip(days, pinned, strict=True):
        assert rules.day == day
        assert rules.rows == plain[day].rows, day


def test_a_reception_reads_the_law_once():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = build_world()
    with CaptureQueriesContext(connection) as ctx:
        world.receive(vn(2025, 7, 1, 9))
    assert len(_rule_reads(ctx.captured_queries)) == 1
