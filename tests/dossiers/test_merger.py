"""Two wards merged into one (issue 10, item 4): the former wards refuse new
receptions from the merger date, their unfinished dossiers go on at the
successor with one ``transfer`` event each, finished ones stay; histories verify
and the figures equal their recomputation. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections import Counter as Tally
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from motcua.agencies.models import Agency, Counter, Membership, Role
from motcua.agencies.selectors import is_former, public_agencies, successor_on
from motcua.agencies.services import agency_create
from motcua.core.errors import Conflict
from motcua.dossiers import services
from motcua.dossiers.history import verify_all
from motcua.dossiers.importing import import_lines
from motcua.dossiers.models import Dossier, Event, Step
from motcua.dossiers.services import transfer
from motcua.dossiers.workflow import Action, Status
from motcua.reports.models import FIGURE_COLUMNS, FigureBucket

from .builders import World, build_world, vn

pytestmark = pytest.mark.django_db

JUNE = vn(2025, 6, 16, 9)
MERGER_DAY = date(2025, 7, 1)
ON_THE_DAY = vn(2025, 7, 1, 8, 30)
JULY = vn(2025, 7, 2, 9)


def _successor(world: World) -> Agency:
    return agency_create(
        code=f"{world.ward.code[:-3]}HC1",
        name="UBND phường Hòa Cường",
        level=Agency.Level.WARD,
        parent=world.city,
    )


def _merge(world: World, successor: Agency, *extra: str) -> None:
    with world.at(ON_THE_DAY):
        call_command(
            "merge_agencies",
            world.ward.code,
            world.other_ward.code,
            "--into",
            successor.code,
            "--on",
            "2025-07-01",
            *extra,
        )


def _dossiers_in_every_state(world: World) -> dict[str, Dossier]:
    """At the ward: working, paused (waiting for a supplement), submitted
    online, result ready and returned; at the other ward: received and refused."""
    made: dict[str, Dossier] = {}
    made["processing"] = world.processing(JUNE)
    paused = world.processing(JUNE)
    with world.at(JUNE):
        made["paused"] = services.dossier_request_supplement(
            world.specialist, paused, reason="Thiếu bản sao giấy khai sinh"
        )
        made["submitted"] = services.dossier_submit_online(
            None, world.input(channel="online")
        )
    ready = world.processing(JUNE)
    returned = world.processing(JUNE)
    with world.at(vn(2025, 6, 18, 9)):
        made["result_ready"] = services.dossier_finish(world.specialist, ready)
        services.dossier_finish(world.specialist, returned)
        made["returned"] = services.dossier_return_result(
            world.reception, Dossier.objects.get(pk=returned.pk)
        )
    made["other_received"] = world.receive(
        JUNE, actor=world.other_reception, agency=world.other_ward
    )
    with world.at(JUNE):
        made["other_refused"] = services.dossier_refuse(
            world.other_reception,
            data=world.input(agency=world.other_ward),
            reason="Không thuộc thẩm quyền",
        )
    return made


def _figure_totals() -> dict[str, int]:
    """Every column summed over the month buckets (grain "M")."""
    sums = FigureBucket.objects.filter(grain="M").aggregate(
        **{c: Sum(c) for c in FIGURE_COLUMNS}
    )
    return {c: sums[c] or 0 for c in FIGURE_COLUMNS}


def _refreshed(made: dict[str, Dossier]) -> dict[str, Dossier]:
    return {k: Dossier.objects.get(pk=d.pk) for k, d in made.items()}


def test_merging_two_wards_moves_unfinished_dossiers_and_loses_nothing():
    world = build_world()
    successor = _successor(world)
    Counter.objects.create(agency=world.ward, number=1)
    Counter.objects.create(agency=world.other_ward, number=1, name="Quầy hộ tịch")
    Counter.objects.create(agency=successor, number=1)
    made = _dossiers_in_every_state(world)
    before = _refreshed(made)
    events_before = {k: d.events.count() for k, d in before.items()}
    figures_before = _figure_totals()
    call_command("recompute_figures", verify=True)

    _merge(world, successor)

    after = _refreshed(made)
    moved = {"processing", "paused", "submitted", "other_received"}
    for key, dossier in after.items():
        assert dossier.code == before[key].code
        assert dossier.status == before[key].status
        assert dossier.due_at == before[key].due_at
        if key in moved:
            assert dossier.agency_id == successor.pk, key
            assert dossier.applicant.agency_id == successor.pk
            assert dossier.events.count() == events_before[key] + 1
            last = dossier.events.order_by("-seq").first()
            assert last.action == Action.TRANSFER
            assert last.payload["to"] == successor.code
            assert last.payload["merged_on"] == "2025-07-01"
            assert last.agency_id == successor.pk
        else:
            assert dossier.agency_id == before[key].agency_id, key
            assert dossier.events.count() == events_before[key], key
    # active steps go with the dossier; finished steps keep the ward's name
    for key in ("processing", "paused"):
        steps = Step.objects.filter(dossier=after[key])
        assert {s.agency_id for s in steps if s.state == Step.State.ACTIVE} == {
            successor.pk
        }
        assert world.ward.pk in {s.agency_id for s in steps if s.state == "done"}
    # nothing lost: the same dossiers, their histories whole, the figures equal
    # their recomputation and the same totals as before
    assert Dossier.objects.count() == len(made)
    checked, problems = verify_all()
    assert checked == len(made) and problems == []
    call_command("recompute_figures", verify=True)
    assert _figure_totals() == figures_before
    # desks and staff
    numbers = Tally(successor.counters.values_list("number", flat=True))
    assert sorted(numbers) == [1, 2, 3] and max(numbers.values()) == 1
    assert not Counter.objects.filter(agency__in=[world.ward, world.other_ward])
    assert Membership.objects.filter(
        user=world.specialist, agency=successor, role=Role.SPECIALIST
    ).exists()
    assert successor.procedures.filter(pk=world.procedure.pk).exists()


def test_the_successor_goes_on_with_the_moved_dossiers():
    world = build_world()
    successor = _successor(world)
    made = _dossiers_in_every_state(world)
    _merge(world, successor)
    made = _refreshed(made)
    with world.at(JULY):
        finished = services.dossier_finish(world.specialist, made["processing"])
        resumed = services.dossier_resubmit(world.reception, made["paused"])
        received = services.dossier_receive(world.reception, made["submitted"])
        # the ward's own result still waiting is handed over by its people
        returned = services.dossier_return_result(world.reception, made["result_ready"])
        new = services.dossier_receive(
            world.reception, data=world.input(agency=successor)
        )
    assert finished.status == Status.RESULT_READY
    assert resumed.status == Status.PROCESSING
    assert received.status == Status.RECEIVED and received.agency_id == successor.pk
    assert returned.status == Status.RETURNED and returned.agency_id == world.ward.pk
    assert new.code.startswith(successor.code)
    assert verify_all()[1] == []
    call_command("recompute_figures", verify=True)


@pytest.mark.parametrize("ward", ["ward", "other_ward"])
def test_a_former_ward_refuses_receptions_from_the_merger_day(ward):
    world = build_world()
    successor = _successor(world)
    _merge(world, successor)
    former = getattr(world, ward)
    reception = world.reception if ward == "ward" else world.other_reception
    for call in (
        lambda: services.dossier_receive(reception, data=world.input(agency=former)),
        lambda: services.dossier_submit_online(
            None, world.input(agency=former, channel="online")
        ),
        lambda: services.dossier_refuse(
            reception, data=world.input(agency=former), reason="Thiếu"
        ),
    ):
        with world.at(ON_THE_DAY), pytest.raises(Conflict) as refused:
            call()
        assert refused.value.code == "agency.merged"
        assert "01/07/2025" in refused.value.message
        assert "UBND phường Hòa Cường." in refused.value.message
    assert not Dossier.objects.filter(agency=former).exists()


def test_a_former_ward_still_takes_receptions_dated_before_the_merger():
    """The historical import replays each line with the clock at its date."""
    world = build_world()
    successor = _successor(world)
    _merge(world, successor)
    with world.at(vn(2025, 6, 30, 16)), services.trusted_replay():
        dossier = services.dossier_receive(None, data=world.input())
    assert dossier.agency_id == world.ward.pk
    world.ward.refresh_from_db()
    assert is_former(world.ward, date(2025, 7, 1))
    assert not is_former(world.ward, date(2025, 6, 30))
    assert successor_on(world.ward, date(2025, 7, 1)) == successor
    with world.at(JULY):
        assert world.ward not in public_agencies()
        assert successor in public_agencies()


def test_a_dry_run_changes_nothing(capsys):
    world = build_world()
    successor = _successor(world)
    made = _dossiers_in_every_state(world)
    events = Event.objects.count()
    _merge(world, successor, "--dry-run")
    out = capsys.readouterr().out
    assert "Sẽ sáp nhập" in out and "Hồ sơ chuyển sang cơ quan kế thừa: 4" in out
    assert Event.objects.count() == events
    world.ward.refresh_from_db()
    assert world.ward.merged_into is None
    assert {d.agency_id for d in _refreshed(made).values()} == {
        world.ward.pk,
        world.other_ward.pk,
    }


def test_a_failure_midway_leaves_everything_as_it_was(monkeypatch):
    world = build_world()
    successor = _successor(world)
    made = _dossiers_in_every_state(world)
    events = Event.objects.count()
    real = transfer.dossier_transfer
    calls = []

    def fail_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise Conflict("test.failure", "Lỗi giả lập")
        return real(*args, **kwargs)

    monkeypatch.setattr(transfer, "dossier_transfer", fail_on_the_third)
    with pytest.raises(CommandError, match=r"test\.failure"):
        _merge(world, successor)
    assert Event.objects.count() == events
    assert not Agency.objects.filter(merged_into__isnull=False).exists()
    assert {d.agency_id for d in _refreshed(made).values()} == {
        world.ward.pk,
        world.other_ward.pk,
    }
    assert not Membership.objects.filter(agency=successor).exists()


def test_a_merger_is_refused_twice_into_itself_and_in_the_future():
    world = build_world()
    successor = _successor(world)
    with world.at(ON_THE_DAY), pytest.raises(CommandError, match="merger_in_future"):
        call_command(
            "merge_agencies", world.ward.code, into=successor.code, on="2025-07-02"
        )
    with world.at(ON_THE_DAY), pytest.raises(CommandError, match="into_itself"):
        call_command(
            "merge_agencies", world.ward.code, into=world.ward.code, on="2025-07-01"
        )
    _merge(world, successor)
    with world.at(ON_THE_DAY), pytest.raises(CommandError, match="already_merged"):
        call_command(
            "merge_agencies", world.ward.code, into=successor.code, on="2025-07-01"
        )


def test_steps_at_a_former_ward_of_another_agencys_dossier_move_too():
    """A district dossier with a verification step at the ward (liên thông)."""
    world = build_world(liên_thông=True)
    successor = _successor(world)
    dossier = world.processing(JUNE)
    with world.at(JUNE):
        dossier = services.dossier_forward(world.specialist, dossier)
    step = dossier.steps.get(state=Step.State.ACTIVE)
    assert step.agency_id == world.district.pk
    # merge the district (history) into the new ward: the step follows
    with world.at(ON_THE_DAY):
        call_command(
            "merge_agencies", world.district.code, into=successor.code, on="2025-07-01"
        )
    step.refresh_from_db()
    dossier.refresh_from_db()
    assert step.agency_id == successor.pk
    assert dossier.agency_id == world.ward.pk
    last = dossier.events.order_by("-seq").first()
    assert last.action == Action.TRANSFER and last.payload["steps"] == [step.pk]
    assert verify_all()[1] == []
    call_command("recompute_figures", verify=True)


def test_the_history_import_files_older_lines_under_the_former_ward():
    """The importer replays each line at its date: a line received before the
    merger goes to the former ward, a line received after it is refused."""
    world = build_world()
    successor = _successor(world)
    _merge(world, successor)

    def line(received: str, code: str) -> str:
        return json.dumps(
            {
                "agency": world.ward.code,
                "procedure": world.procedure.code,
                "channel": "direct",
                "code": code,
                "applicant": {"name": "Trần Thị Bình", "id_number": "048090009999"},
                "received_at": received,
                "events": [],
            },
            ensure_ascii=False,
        )

    with world.at(JULY):
        report = import_lines(
            [
                line("2025-06-30T09:00:00+07:00", "CU-250630-0001"),
                line("2025-07-01T09:00:00+07:00", "CU-250701-0001"),
            ]
        )
    assert report.imported == 1
    assert [r.code for r in report.rejections] == ["agency.merged"]
    assert Dossier.objects.get(code="CU-250630-0001").agency_id == world.ward.pk
    assert not Dossier.objects.filter(code="CU-250701-0001").exists()


def test_a_transfer_moves_the_dossiers_figures_to_its_new_agency():
    """No rebuild: the figures observer moves a transferred dossier's counts, so
    the summary tables equal a recompute from the history right away."""
    world = build_world()
    successor = _successor(world)
    made = _dossiers_in_every_state(world)
    moved = [d for d in _refreshed(made).values() if d.status in transfer.UNFINISHED]
    totals = _figure_totals()
    assert totals["received_direct_postal"] + totals["received_online"] >= 5
    with world.at(ON_THE_DAY):
        transfer.agencies_merge(
            None, [world.ward, world.other_ward], successor, on=ON_THE_DAY.date()
        )
    call_command("recompute_figures", verify=True)  # CommandError if it differs
    assert _figure_totals() == totals  # nothing counted twice or lost
    at_successor = FigureBucket.objects.filter(agency=successor, grain="M")
    received = at_successor.aggregate(
        n=Sum("received_online") + Sum("received_direct_postal")
    )["n"]
    assert received == sum(1 for d in moved if d.received_at is not None)
