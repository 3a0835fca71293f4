"""``motcua recompute_figures [--verify]``: the maintained tables equal a replay
of the history after the demo and after an import; tampering is reported."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.reports.models import DossierFact, FigureBucket, ProgressInterval
from motcua.reports.selectors import CELLS, ReportQuery, bieu06, cell_value

from ..dossiers.builders import build_world, vn
from .brute import cells, stories

pytestmark = pytest.mark.django_db


def verify_output() -> str:
    out = StringIO()
    call_command("recompute_figures", "--verify", stdout=out)
    return out.getvalue()


def test_verify_is_clean_after_the_demo_and_rebuild_changes_nothing():
    with clock.frozen_at(vn(2026, 3, 20, 17)):
        call_command("load_demo", "--days", "40", "--per-day", "4", stdout=StringIO())
    assert DossierFact.objects.count() > 50
    assert "không có chênh lệch" in verify_output()
    before = sorted(
        FigureBucket.objects.exclude(
            received_online=0, received_direct_postal=0
        ).values_list("agency_id", "grain", "bucket", "received_direct_postal")
    )
    call_command("recompute_figures", stdout=StringIO())
    after = sorted(
        FigureBucket.objects.exclude(
            received_online=0, received_direct_postal=0
        ).values_list("agency_id", "grain", "bucket", "received_direct_postal")
    )
    assert before == after
    assert "không có chênh lệch" in verify_output()


def test_verify_is_clean_after_an_import_and_the_report_counts_it(tmp_path):
    pytest.importorskip("motcua.dossiers.importing")
    from motcua.dossiers.importing import import_file

    world = build_world(value=3)

    def line(received: str, *events: tuple[str, str]) -> str:
        return json.dumps(
            {
                "agency": world.ward.code,
                "procedure": world.procedure.code,
                "channel": "direct",
                "applicant": {"name": "Trần Thị Bình", "id_number": "048090009999"},
                "received_at": received,
                "events": [
                    {
                        "action": a,
                        "at": at,
                        **({"reason": "lý do"} if a != "finish" else {}),
                    }
                    for a, at in events
                ],
            },
            ensure_ascii=False,
        )

    path = tmp_path / "dossiers.jsonl"
    path.write_text(
        "\n".join(
            [
                line(
                    "2025-06-02T09:00:00+07:00", ("finish", "2025-06-04T10:00:00+07:00")
                ),
                line(
                    "2025-06-02T09:00:00+07:00", ("finish", "2025-06-20T10:00:00+07:00")
                ),
                line(
                    "2025-06-03T09:00:00+07:00", ("stop", "2025-06-05T10:00:00+07:00")
                ),
                line("2025-06-27T09:00:00+07:00"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = import_file(str(path))
    assert result.imported == 4, result.rejections
    assert "không có chênh lệch" in verify_output()
    start, end = date(2025, 6, 1), date(2025, 6, 30)
    report = bieu06(ReportQuery(world.ward, start, end))
    expected = cells(stories([world.ward.pk]), start, end)
    for cell in CELLS:
        assert cell_value(report["totals"], cell) == len(expected.get(cell, set()))
    assert report["totals"]["settled"]["late"] == 1


def test_verify_reports_a_tampered_bucket_and_a_tampered_fact():
    world = build_world(value=3)
    d = world.receive(vn(2026, 3, 2))
    row = FigureBucket.objects.filter(agency=world.ward, grain="M").first()
    row.received_direct_postal += 5
    row.save()
    DossierFact.objects.filter(pk=d.pk).update(received_day="2026-03-01")
    with pytest.raises(CommandError, match="chênh lệch"):
        verify_output()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("recompute_figures", "--verify", stdout=out)
    text = out.getvalue()
    assert "received_direct_postal: lưu 6, theo lịch sử 1" in text
    assert d.code in text
    call_command("recompute_figures", stdout=StringIO())
    assert "không có chênh lệch" in verify_output()


def test_rebuild_from_history_alone():
    world = build_world(value=3)
    world.processing(vn(2026, 3, 2))
    DossierFact.objects.all().delete()
    ProgressInterval.objects.all().delete()
    FigureBucket.objects.all().delete()
    call_command("recompute_figures", stdout=StringIO())
    assert DossierFact.objects.count() == Dossier.objects.count() == 1
    report = bieu06(ReportQuery(world.ward, date(2026, 3, 1), date(2026, 3, 4)))
    assert report["totals"]["in_progress"]["within_time"] == 1
