"""The law by period (ADR 0014): the seeded periods of LAW-2025.md, the choice
by the dossier's own date, and the administrator's edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from motcua.core.errors import DomainError
from motcua.deadlines.engine import VN_TZ
from motcua.law.keys import Confidence, RuleKey
from motcua.law.models import LegalRule
from motcua.law.selectors import law_day, rule_for, rules_on
from motcua.law.services import check_period

pytestmark = pytest.mark.django_db

LAST_2018 = date(2025, 6, 30)
FIRST_118 = date(2025, 7, 1)
LAST_FORMS_2018 = date(2025, 9, 14)
FIRST_FORMS_2025 = date(2025, 9, 15)


@dataclass
class Received:
    received_at: datetime | None
    submitted_at: datetime | None = None
    created_at: datetime = datetime(2025, 1, 1, tzinfo=VN_TZ)


def test_the_2018_frame_holds_until_30_06_2025_and_decree_118_from_01_07():
    before, after = rules_on(LAST_2018), rules_on(FIRST_118)
    assert before[RuleKey.DECREE].startswith("Nghị định số 61/2018/NĐ-CP")
    assert after[RuleKey.DECREE] == "Nghị định số 118/2025/NĐ-CP"
    assert before[RuleKey.CITE_SUPPLEMENT] == "Điều 19 Nghị định số 61/2018/NĐ-CP"
    # [not found] in LAW-2025.md: no citation, and never Decree 61 after 01/07
    assert after[RuleKey.CITE_SUPPLEMENT] == ""
    assert after.rule(RuleKey.CITE_SUPPLEMENT).confidence == Confidence.UNVERIFIED
    assert before[RuleKey.DESK_NAME] == "Bộ phận Tiếp nhận và Trả kết quả"
    assert after[RuleKey.DESK_NAME] == "Trung tâm Phục vụ hành chính công"


def test_the_2018_forms_until_14_09_2025_and_circular_03_from_15_09():
    assert rules_on(LAST_2018)[RuleKey.FORM_SET] == "2018"
    kept = rules_on(LAST_FORMS_2018).rule(RuleKey.FORM_SET)
    assert kept.value == "2018" and kept.confidence == Confidence.UNVERIFIED
    new = rules_on(FIRST_FORMS_2025)
    assert new[RuleKey.FORM_SET] == "2025"
    assert new[RuleKey.FORM_BASIS].startswith(
        "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP"
    )
    assert rules_on(LAST_FORMS_2018)[RuleKey.CITE_STOP] == ""
    assert new[RuleKey.CITE_STOP].startswith("Điều 21 Nghị định số 118/2025/NĐ-CP")


def test_no_rule_in_force_from_01_07_2025_cites_decree_61():
    for day in (FIRST_118, LAST_FORMS_2018, FIRST_FORMS_2025, date(2026, 12, 1)):
        rules = rules_on(day)
        for key in RuleKey:
            assert "61/2018" not in rules[key], (day, key)


def test_every_day_has_one_row_per_key_and_every_row_names_its_source():
    for key in RuleKey:
        rows = list(LegalRule.objects.filter(key=key).order_by("valid_from"))
        assert rows, key
        for row in rows:
            assert row.source, row
            check_period(key, row.valid_from, row.valid_to, exclude_pk=row.pk)


def test_a_dossier_follows_the_day_it_was_received_in_vietnam_time():
    # Stored in UTC: 16:30 UTC is 23:30 on 30/06 in Vietnam, 17:30 is 00:30 on 01/07.
    late_evening = Received(datetime(2025, 6, 30, 16, 30, tzinfo=UTC))
    assert law_day(late_evening) == LAST_2018
    assert rule_for(RuleKey.DECREE, late_evening).startswith("Nghị định số 61/2018")
    after_midnight = Received(datetime(2025, 6, 30, 17, 30, tzinfo=UTC))
    assert law_day(after_midnight) == FIRST_118
    # Not received (refused at the desk): the submission day decides.
    submitted = Received(None, datetime(2025, 7, 1, 8, tzinfo=VN_TZ))
    assert law_day(submitted) == FIRST_118
    assert rule_for(RuleKey.DECREE, submitted) == "Nghị định số 118/2025/NĐ-CP"


def test_periods_may_not_overlap_or_run_backwards():
    with pytest.raises(DomainError) as overlap:
        check_period(RuleKey.FORM_SET, date(2025, 9, 1), None)
    assert overlap.value.code == "law.overlapping_period"
    assert "từ 01/07/2025 đến 14/09/2025" in overlap.value.message
    with pytest.raises(DomainError) as backwards:
        check_period("new.rule", date(2025, 9, 1), date(2025, 8, 1))
    assert backwards.value.code == "law.invalid_period"


def change_form(row: LegalRule, **fields: object) -> dict[str, object]:
    data: dict[str, object] = {
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


def test_an_administrator_moves_a_period_in_the_admin_and_the_choice_follows(
    admin_client,
):
    dossier = Received(datetime(2025, 9, 16, 9, tzinfo=VN_TZ))
    assert rule_for(RuleKey.FORM_SET, dossier) == "2025"
    url = "/admin/law/legalrule/{}/change/"
    new = LegalRule.objects.get(key=RuleKey.FORM_SET, valid_from=FIRST_FORMS_2025)
    kept = LegalRule.objects.get(key=RuleKey.FORM_SET, valid_to=LAST_FORMS_2018)
    assert admin_client.get("/admin/law/legalrule/").status_code == 200
    assert admin_client.get(url.format(new.pk)).status_code == 200
    # Extending the 2018 forms first would overlap the 2025 period: refused.
    refused = admin_client.post(
        url.format(kept.pk), change_form(kept, valid_to="2025-09-16")
    )
    assert refused.status_code == 200
    assert "trùng với giai đoạn" in refused.content.decode()
    moved = admin_client.post(
        url.format(new.pk), change_form(new, valid_from="2025-09-17")
    )
    assert moved.status_code == 302, moved.content.decode()[:2000]
    extended = admin_client.post(
        url.format(kept.pk), change_form(kept, valid_to="2025-09-16")
    )
    assert extended.status_code == 302, extended.content.decode()[:2000]
    assert rule_for(RuleKey.FORM_SET, dossier) == "2018"
    assert (
        rule_for(RuleKey.FORM_SET, Received(datetime(2025, 9, 17, 9, tzinfo=VN_TZ)))
        == "2025"
    )


def test_should_two_rows_overlap_the_later_start_wins():
    # The admin form refuses overlaps; rows written another way still give one answer.
    LegalRule.objects.create(
        key=RuleKey.DESK_NAME, value="Điểm tiếp nhận", valid_from=date(2026, 1, 1)
    )
    assert rules_on(date(2025, 12, 31))[RuleKey.DESK_NAME] == (
        "Trung tâm Phục vụ hành chính công"
    )
    assert rules_on(date(2026, 1, 1))[RuleKey.DESK_NAME] == "Điểm tiếp nhận"


def test_a_key_without_a_row_on_that_day_is_empty():
    assert rules_on(date(2025, 9, 14))[RuleKey.CITE_STOP] == ""
    assert rules_on(date(2025, 9, 14)).rule("no.such.key").value == ""
