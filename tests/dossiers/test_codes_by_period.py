"""Dossier codes follow the law of the day they are given (issue 10, ADR 0015):
the 2018 form until 30/06/2025, the agency's electronic identifier from
01/07/2025, the centralised-service form of Circular 04/2025 from 25/01/2026 for
a procedure set up for it; the daily sequence grows past 9999; a code never
changes once given."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.agencies.models import Agency
from motcua.agencies.services import agency_rename
from motcua.catalog.models import Procedure
from motcua.dossiers.codes import CODE_RE, format_code, parse_code, reserve_code
from motcua.dossiers.models import CentralisedProcedure, DailyCounter, Dossier
from motcua.dossiers.services import transfer
from motcua.law.keys import Confidence, RuleKey
from motcua.law.models import LegalRule
from motcua.law.selectors import rules_on
from motcua.slips.services import render_slip
from tests.slips.pdfs import text

from .builders import World, build_world, vn

pytestmark = pytest.mark.django_db
BASE = "https://motcua.example.vn/"

LAST_2018 = vn(2025, 6, 30)
FIRST_118 = vn(2025, 7, 1)
AFTER_CIRCULAR_03 = vn(2025, 9, 16)
BEFORE_CIRCULAR_04 = vn(2026, 1, 23)  # Friday before 25/01/2026
AFTER_CIRCULAR_04 = vn(2026, 1, 26)


def _with_e_id(world: World, e_id: str | None = None) -> str:
    e_id = e_id or f"H48.{world.ward.pk}.01"
    Agency.objects.filter(pk=world.ward.pk).update(e_identifier=e_id)
    world.ward.refresh_from_db()
    return e_id


def _centralised(procedure: Procedure, aa: str = "12") -> None:
    CentralisedProcedure.objects.create(
        procedure=procedure, system_code=aa, system_name="Hệ thống thử nghiệm"
    )


def test_the_same_procedure_gets_the_code_form_of_its_reception_day():
    world = build_world()
    e_id = _with_e_id(world)
    _centralised(world.procedure)
    codes = {
        when: world.receive(when).code
        for when in (
            LAST_2018,
            FIRST_118,
            AFTER_CIRCULAR_03,
            BEFORE_CIRCULAR_04,
            AFTER_CIRCULAR_04,
        )
    }
    assert codes[LAST_2018] == f"{world.ward.code}-250630-0001"
    assert codes[FIRST_118] == f"{e_id}-250701-0001"
    assert codes[AFTER_CIRCULAR_03] == f"{e_id}-250916-0001"
    assert codes[BEFORE_CIRCULAR_04] == f"{e_id}-260123-0001"
    # Circular 03 Art. 13(3), added by Circular 04/2025 Art. 23(2): AA + XXXX
    assert codes[AFTER_CIRCULAR_04] == f"{e_id}-260126-120001"


def test_a_procedure_not_on_a_centralised_system_keeps_the_plain_form_in_2026():
    world = build_world()
    e_id = _with_e_id(world)
    assert world.receive(AFTER_CIRCULAR_04).code == f"{e_id}-260126-0001"


def test_an_agency_without_e_identifier_keeps_its_qcvn_code_from_01_07_2025():
    world = build_world()
    assert world.ward.e_identifier == ""
    assert world.receive(FIRST_118).code == f"{world.ward.code}-250701-0001"


def test_the_code_rules_are_law_data_with_their_confidence():
    before, after = rules_on(date(2025, 6, 30)), rules_on(date(2025, 7, 1))
    assert before[RuleKey.CODE_FORMAT] == "2018"
    assert before.rule(RuleKey.CODE_FORMAT).confirmed
    assert after[RuleKey.CODE_FORMAT] == "2025"
    # Circular 03 Art. 13(1) was not found (LAW-2025.md §2.4)
    row = after.rule(RuleKey.CODE_FORMAT)
    assert row.confidence == Confidence.UNVERIFIED
    assert "khoản 1 Điều 13" in row.source
    assert rules_on(date(2026, 1, 24))[RuleKey.CODE_CENTRALISED] == ""
    centralised = rules_on(date(2026, 1, 25)).rule(RuleKey.CODE_CENTRALISED)
    assert centralised.value and centralised.confirmed
    assert "04/2025/TT-VPCP" in centralised.source


def test_an_administrator_can_move_the_2025_form_to_another_day():
    world = build_world()
    _with_e_id(world)
    LegalRule.objects.filter(key=RuleKey.CODE_FORMAT, valid_to__isnull=False).update(
        valid_to=date(2025, 9, 14)
    )
    LegalRule.objects.filter(key=RuleKey.CODE_FORMAT, valid_to__isnull=True).update(
        valid_from=date(2025, 9, 15)
    )
    assert world.receive(FIRST_118).code.startswith(f"{world.ward.code}-250701-")


def test_the_daily_sequence_goes_from_9999_to_10000():
    world = build_world()
    e_id = _with_e_id(world)
    DailyCounter.objects.create(agency=world.ward, day=date(2025, 9, 16), last=9998)
    first = world.receive(AFTER_CIRCULAR_03)
    second = world.receive(AFTER_CIRCULAR_03)
    assert first.code == f"{e_id}-250916-9999"
    assert second.code == f"{e_id}-250916-10000"
    match = CODE_RE.match(second.code)
    assert match and match["agency"] == e_id and match["number"] == "10000"
    parts = parse_code(second.code)
    assert parts is not None and parts.number == 10000
    assert parts.day == date(2025, 9, 16) and parts.agency == e_id


def test_format_code_pads_to_at_least_four_digits_and_never_truncates():
    day = date(2026, 1, 26)
    assert format_code("H48.15", day, 7) == "H48.15-260126-0007"
    assert format_code("H48.15", day, 123456) == "H48.15-260126-123456"
    assert format_code("H48.15", day, 7, "03") == "H48.15-260126-030007"


def test_an_imported_five_digit_code_moves_the_counter_past_it():
    world = build_world()
    e_id = _with_e_id(world)
    imported = world.receive(AFTER_CIRCULAR_03, code=f"{e_id}-250916-12345")
    assert imported.code == f"{e_id}-250916-12345"
    assert world.receive(AFTER_CIRCULAR_03).code == f"{e_id}-250916-12346"


def test_reserve_code_reads_either_agency_part_and_the_centralised_prefix():
    world = build_world()
    e_id = _with_e_id(world)
    _centralised(world.procedure, "07")
    reserve_code(world.ward, f"{world.ward.code}-250630-10001")
    reserve_code(world.ward, f"{e_id}-260126-0712345", world.procedure)
    reserve_code(world.ward, "H99.1.1-260127-55555")  # another agency's: ignored
    last = dict(
        DailyCounter.objects.filter(agency=world.ward).values_list("day", "last")
    )
    assert last == {date(2025, 6, 30): 10001, date(2026, 1, 26): 12345}
    assert world.receive(AFTER_CIRCULAR_04).code == f"{e_id}-260126-0712346"


def test_a_code_never_changes_after_a_new_identifier_a_rename_or_a_merger():
    world = build_world()
    e_id = _with_e_id(world)
    dossier = world.receive(AFTER_CIRCULAR_03)
    first = _receipt(dossier)
    with world.at(vn(2025, 10, 1)):
        agency_rename(world.ward, "UBND phường Hòa Cường", on=date(2025, 10, 1))
    _with_e_id(world, f"H48.{world.ward.pk}.99")
    again = _receipt(dossier)
    assert Dossier.objects.get(pk=dossier.pk).code == f"{e_id}-250916-0001"
    assert again == first
    assert f"{e_id}-250916-0001" in again
    assert "UBND PHƯỜNG HÒA CƯỜNG NAM" in again
    successor = world.other_ward
    with world.at(vn(2025, 10, 2)):
        transfer.agencies_merge(None, [world.ward], successor, on=date(2025, 10, 2))
    moved = Dossier.objects.get(pk=dossier.pk)
    assert moved.agency_id == successor.pk and moved.code == dossier.code
    assert moved.received_by_agency_id == world.ward.pk
    assert _receipt(moved) == first


def _receipt(dossier: Dossier) -> str:
    fresh = Dossier.objects.get(pk=dossier.pk)
    return text(render_slip(fresh, "receipt", base_url=BASE))
