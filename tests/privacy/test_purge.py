"""The retention purge: closed dossiers past their procedure's retention lose
the applicant's identifying data; files, history (hash chain) and every figure
stay; a second run does nothing."""

from __future__ import annotations

import io
import logging
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from motcua.core import clock
from motcua.dossiers.applicants import ANONYMOUS_NAME
from motcua.dossiers.files import dossier_file_upload
from motcua.dossiers.history import verify_all
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.privacy.models import ReadLog
from motcua.privacy.retention import due_for_purge, purge_personal_data
from motcua.privacy.services import record_read
from motcua.reports import recompute
from motcua.reports.selectors import ReportQuery, bieu06
from tests.dossiers.builders import World, vn
from tests.reports.histories import _act as act
from tests.reports.histories import play

pytestmark = pytest.mark.django_db


def returned_with_a_file(world: World) -> Dossier:
    """Received 02/03/2026, a scan attached while processed, then returned."""
    dossier = play(world, vn(2026, 3, 2), "direct", [(1, "assign")])
    with clock.frozen_at(vn(2026, 3, 2, 11)):
        dossier_file_upload(
            world.specialist,
            dossier,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"),
        )
    dossier = act(world, dossier, "finish", vn(2026, 3, 3, 10), 0)
    return act(world, dossier, "return", vn(2026, 3, 3, 14), 1)


STOPPED = [(1, "assign"), (24, "stop")]


@pytest.fixture
def dossiers(world: World) -> dict[str, Dossier]:
    """One dossier of each closing kind, closed in March 2026, and one still
    being processed."""
    made = {
        "returned": returned_with_a_file(world),
        "not_received": play(world, vn(2026, 3, 3), "desk_refused", []),
        "withdrawn": play(world, vn(2026, 3, 4), "online_withdrawn", []),
        "stopped": play(world, vn(2026, 3, 5), "direct", STOPPED),
        "processing": play(world, vn(2026, 3, 6), "direct", [(1, "assign")]),
    }
    statuses = {k: d.status for k, d in made.items()}
    assert statuses == {
        "returned": Status.RETURNED,
        "not_received": Status.NOT_RECEIVED,
        "withdrawn": Status.WITHDRAWN,
        "stopped": Status.STOPPED,
        "processing": Status.PROCESSING,
    }
    return made


def figures(world: World) -> dict[str, Any]:
    query = ReportQuery(
        agency=world.ward, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)
    )
    return bieu06(query)


def history_state() -> tuple[int, list[Any]]:
    return verify_all()


def names() -> dict[str, str]:
    return dict(Dossier.objects.values_list("code", "applicant__name"))


def test_closed_dossiers_past_retention_are_anonymised_figures_and_chain_kept(
    world: World, dossiers: dict[str, Dossier]
) -> None:
    returned = dossiers["returned"]
    before_figures, before_history = figures(world), history_state()
    assert before_history[1] == []
    summary = purge_personal_data(now=vn(2036, 6, 1))
    assert summary.anonymised == 4 and summary.failed == []
    after = names()
    for kind in ("returned", "not_received", "withdrawn", "stopped"):
        assert after[dossiers[kind].code] == ANONYMOUS_NAME, kind
    assert after[dossiers["processing"].code] == "Nguyễn Văn An"
    applicant = Dossier.objects.get(pk=returned.pk).applicant
    assert (applicant.id_number, applicant.phone) == ("", "")
    assert Dossier.objects.get(pk=returned.pk).files.count() == 1  # records stay
    assert figures(world) == before_figures
    checked, problems = history_state()
    assert (checked, problems) == (before_history[0], [])
    assert recompute.verify()[1] == []


def test_a_second_run_does_nothing(world: World, dossiers: dict[str, Dossier]) -> None:
    purge_personal_data(now=vn(2036, 6, 1))
    events = {d.pk: d.events.count() for d in Dossier.objects.all()}
    again = purge_personal_data(now=vn(2036, 6, 2))
    assert again.anonymised == 0
    assert {d.pk: d.events.count() for d in Dossier.objects.all()} == events


def test_nothing_is_anonymised_before_the_retention_ends(
    world: World, dossiers: dict[str, Dossier]
) -> None:
    assert purge_personal_data(now=vn(2036, 2, 28)).anonymised == 0
    assert ANONYMOUS_NAME not in names().values()


def test_a_procedures_own_period_replaces_the_default(
    world: World, dossiers: dict[str, Dossier]
) -> None:
    world.procedure.personal_data_retention_years = 15
    world.procedure.save()
    assert purge_personal_data(now=vn(2036, 6, 1)).anonymised == 0
    assert purge_personal_data(now=vn(2041, 6, 1)).anonymised == 4


def test_the_default_comes_from_settings(
    world: World, dossiers: dict[str, Dossier], settings: Any
) -> None:
    settings.MOTCUA_RETENTION_YEARS = 2
    assert purge_personal_data(now=vn(2028, 6, 1)).anonymised == 4


def test_a_dry_run_counts_and_changes_nothing(
    world: World, dossiers: dict[str, Dossier]
) -> None:
    events = sorted(Dossier.objects.values_list("pk", "lock_version"))
    out = io.StringIO()
    with clock.frozen_at(vn(2036, 6, 1)):
        call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "Sẽ ẩn danh thông tin người nộp của 4 hồ sơ." in out.getvalue()
    assert sorted(Dossier.objects.values_list("pk", "lock_version")) == events
    assert ANONYMOUS_NAME not in names().values()


def test_agency_and_before_narrow_the_purge(
    world: World, dossiers: dict[str, Dossier]
) -> None:
    with clock.frozen_at(vn(2036, 6, 1)):
        call_command(
            "purge_personal_data",
            "--agency",
            world.other_ward.code,
            stdout=io.StringIO(),
        )
        assert ANONYMOUS_NAME not in names().values()
        out = io.StringIO()
        call_command("purge_personal_data", "--before", "2026-03-04", stdout=out)
    assert "Đã ẩn danh thông tin người nộp của 2 hồ sơ." in out.getvalue()
    assert f"{world.ward.code}: 2 hồ sơ" in out.getvalue()
    left = {d.code for d in due_for_purge(now=vn(2036, 6, 1))}
    assert left == {dossiers["withdrawn"].code, dossiers["stopped"].code}


def test_bad_arguments_are_refused_in_vietnamese(world: World) -> None:
    with pytest.raises(CommandError, match="Không có cơ quan"):
        call_command("purge_personal_data", "--agency", "999.99.99.H99")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("purge_personal_data", "--before", "01/03/2026")


def test_the_audit_line_holds_no_personal_data_and_the_read_log_stays(
    world: World, dossiers: dict[str, Dossier], caplog: Any
) -> None:
    returned = dossiers["returned"]
    record_read(world.specialist, dossier=returned, what="dossier_view")
    with caplog.at_level(logging.INFO, logger="motcua.privacy"):
        purge_personal_data(now=vn(2036, 6, 1))
    lines = [r.getMessage() for r in caplog.records if r.name == "motcua.privacy"]
    assert lines and lines[-1].startswith("privacy.purge dry_run=False")
    assert not any("Nguyễn" in line or "0905123456" in line for line in lines)
    row = ReadLog.objects.get()
    assert (row.dossier_id, row.dossier_code) == (returned.pk, returned.code)
