"""Historical import and export (``motcua import_dossiers`` / ``export_dossiers``):
a dossier imported from a line has the history live use would have given it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from motcua.agencies.models import Role
from motcua.dossiers import services
from motcua.dossiers.exporting import export_lines
from motcua.dossiers.history import verify_all, verify_dossier
from motcua.dossiers.importing import IMPORT_USERNAME, ImportReport, import_file
from motcua.dossiers.models import (
    Applicant,
    DailyCounter,
    Dossier,
    Event,
)
from motcua.dossiers.workflow import Status
from motcua.reports import recompute
from motcua.reports.models import DossierFact, FigureBucket

from .builders import World, build_world, make_user, vn

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2)  # Monday 02/06/2025 09:00
TUE, WED, THU, FRI = (MON + timedelta(days=n) for n in (1, 2, 3, 4))
NEXT_MON = MON + timedelta(days=7)


# ------------------------------------------------------------ helpers
def ev(action: str, at: datetime | str, **extra: Any) -> dict[str, Any]:
    when = at.isoformat() if isinstance(at, datetime) else at
    return {"action": action, "at": when, **extra}


def row(world: World, *events: dict[str, Any], **extra: Any) -> dict[str, Any]:
    line: dict[str, Any] = {
        "agency": world.ward.code,
        "procedure": world.procedure.code,
        "channel": "direct",
        "applicant": {"name": "Trần Thị Bình", "id_number": "048090009999"},
        "received_at": MON.isoformat(),
        "events": list(events),
    }
    line.update(extra)
    return line


Line = dict[str, Any] | str | bytes


def write(folder: Path, *lines: Line) -> str:
    path = folder / "dossiers.jsonl"
    with path.open("wb") as handle:
        for x in lines:
            if isinstance(x, dict):
                x = json.dumps(x, ensure_ascii=False)
            handle.write((x.encode() if isinstance(x, str) else x) + b"\n")
    return str(path)


def run(folder: Path, *lines: Line, **options: Any) -> ImportReport:
    return import_file(write(folder, *lines), **options)


def history(dossier: Dossier) -> list[tuple[Any, ...]]:
    return [
        (e.action, e.at, e.from_status, e.to_status, e.reason, e.actor_name)
        for e in dossier.events.order_by("seq")
    ]


DATE_FIELDS = (
    "status",
    "received_at",
    "clock_started_at",
    "due_at",
    "original_due_at",
    "extended",
    "paused_at",
    "supplement_count",
    "finished_at",
    "ended_at",
    "returned_at",
    "timing",
    "outcome",
    "received_by_id",
    "signed_by_id",
    "signed_at",
)


def dates(dossier: Dossier) -> dict[str, Any]:
    dossier.refresh_from_db()
    return {name: getattr(dossier, name) for name in DATE_FIELDS}


def steps(dossier: Dossier) -> list[tuple[Any, ...]]:
    return [
        (s.name, s.state, s.started_at, s.due_at, s.ended_at, s.assignee_id)
        for s in dossier.steps.order_by("id")
    ]


def imported(code: str | None = None) -> Dossier:
    dossiers = Dossier.objects.order_by("-id")
    return dossiers.get(code=code) if code else dossiers.first()  # type: ignore[return-value]


# ------------------------------------------------------------ (a) same as live
def test_an_imported_dossier_has_the_history_and_dates_of_the_same_live_dossier(
    tmp_path,
):
    world = build_world()
    w = world
    live = world.receive(MON)
    script = [  # (when, actor, service, kwargs): one path through most rules
        (MON + timedelta(hours=1), w.leader, "assign", {"assignee": w.specialist}),
        (TUE, w.specialist, "request_supplement", {"reason": "Thiếu giấy khai sinh"}),
        (THU, w.reception, "resubmit", {"note": "Đã nộp bản sao"}),
        (
            THU + timedelta(hours=1),
            w.leader,
            "extend",
            {"new_due_at": vn(2025, 6, 13, 16), "reason": "Cần xác minh"},
        ),
        (FRI, w.specialist, "submit", {}),
        (FRI + timedelta(hours=5), w.leader, "approve", {"note": "Đồng ý"}),
        (FRI + timedelta(hours=6), w.reception, "finish", {}),
        (NEXT_MON, w.reception, "return_result", {"method": "post"}),
    ]
    for when, actor, action, kwargs in script:
        with world.at(when):
            live = getattr(services, f"dossier_{action}")(actor, live, **kwargs)

    names = {"note": "reason", "new_due_at": "new_due_at"}
    events = []
    for when, actor, action, kwargs in script:
        extra = {names.get(k, k): v for k, v in kwargs.items()}
        if "assignee" in extra:
            extra["assignee"] = extra["assignee"].username
        if "new_due_at" in extra:
            extra["new_due_at"] = extra["new_due_at"].isoformat()
        events.append(ev(action, when, by=actor.username, **extra))
    line = row(
        world,
        *events,
        applicant={"name": "Nguyễn Văn An", "id_number": "048090001234"},
        by=world.reception.username,
    )
    report = run(tmp_path, line)

    assert (report.imported, report.rejected, report.events) == (1, 0, len(script))
    copy = imported()
    assert copy.code == f"{world.ward.code}-250602-0002"  # next number of the day
    assert history(copy) == history(live)
    assert dates(copy) == dates(live)
    assert dates(copy)["timing"] == Dossier.Timing.EARLY
    assert steps(copy) == steps(live)
    assert verify_dossier(copy) == []


def test_consultation_payment_and_send_back_replay_like_live_use(tmp_path):
    world = build_world(fee=50_000)
    w = world
    live = world.processing(MON)
    with world.at(MON + timedelta(hours=2)):
        live = services.dossier_consult(
            w.specialist, live, agency=w.district, question="Xác minh?", working_days=2
        )
    with world.at(TUE):
        live = services.dossier_answer_consult(
            w.district_specialist,
            live,
            consultation_id=live.consultations.get().pk,
            answer="Đúng",
        )
    with world.at(TUE + timedelta(hours=1)):
        live = services.dossier_submit(w.specialist, live)
    with world.at(TUE + timedelta(hours=2)):
        live = services.dossier_send_back(w.leader, live, reason="Sai tên")
    with world.at(WED):
        live = services.dossier_request_payment(w.reception, live)
    with world.at(THU):
        live = services.dossier_record_payment(w.reception, live)
    with world.at(THU + timedelta(hours=1)):
        live = services.dossier_refuse(w.leader, live, reason="Không đủ điều kiện")

    line = row(
        world,
        ev("assign", MON, by=w.leader.username, assignee=w.specialist.username),
        ev(
            "consult",
            MON + timedelta(hours=2),
            by=w.specialist.username,
            agency=w.district.code,
            question="Xác minh?",
            working_days=2,
        ),
        ev("answer_consult", TUE, by=w.district_specialist.username, answer="Đúng"),
        ev("submit", TUE + timedelta(hours=1), by=w.specialist.username),
        ev(
            "send_back",
            TUE + timedelta(hours=2),
            by=w.leader.username,
            reason="Sai tên",
        ),
        ev("request_payment", WED, by=w.reception.username),
        ev("record_payment", THU, by=w.reception.username),
        ev(
            "refuse",
            THU + timedelta(hours=1),
            by=w.leader.username,
            reason="Không đủ điều kiện",
        ),
        applicant={"name": "Nguyễn Văn An", "id_number": "048090001234"},
        by=w.reception.username,
    )
    report = run(tmp_path, line)

    assert report.rejections == []
    copy = imported()
    assert history(copy) == history(live)
    assert dates(copy) == dates(live)
    assert copy.outcome == Dossier.Outcome.REFUSED
    assert copy.consultations.get().due_at == live.consultations.get().due_at
    assert verify_dossier(copy) == []


# ------------------------------------------------------------ (d), (e) inference
def test_finish_and_return_alone_close_a_dossier_in_the_import_users_name(tmp_path):
    world = build_world()
    report = run(
        tmp_path,
        row(world, ev("finish", WED), ev("return_result", THU)),
    )
    assert report.rejections == []
    dossier = imported()
    assert dossier.status == Status.RETURNED
    assert dossier.timing == Dossier.Timing.EARLY  # Wednesday, due Thursday 09:00
    assert (dossier.finished_at, dossier.returned_at) == (WED, THU)
    assert list(dossier.events.values_list("action", "actor_name")) == [
        ("receive", IMPORT_USERNAME),
        ("finish", IMPORT_USERNAME),
        ("return_result", IMPORT_USERNAME),
    ]
    assert verify_dossier(dossier) == []


def test_the_import_user_can_never_log_in(tmp_path, client):
    world = build_world()
    run(tmp_path, row(world, ev("finish", WED)))
    user = get_user_model().objects.get(username=IMPORT_USERNAME)
    assert not user.is_active
    assert not user.has_usable_password()
    assert not (user.is_staff or user.is_superuser)
    assert authenticate(username=IMPORT_USERNAME, password="") is None
    assert not client.login(username=IMPORT_USERNAME, password="")
    # A second run reuses it.
    run(tmp_path, row(world, ev("finish", WED)))
    assert get_user_model().objects.filter(username=IMPORT_USERNAME).count() == 1


def test_an_import_user_that_could_log_in_stops_the_import(tmp_path):
    world = build_world()
    get_user_model().objects.create_user(IMPORT_USERNAME, password="secret-123")
    with pytest.raises(CommandError, match="unsafe_import_user"):
        call_command("import_dossiers", write(tmp_path, row(world)), stdout=StringIO())
    assert not Dossier.objects.exists()


def test_a_given_due_date_is_kept_and_a_missing_one_is_computed(tmp_path):
    world = build_world()
    recorded = vn(2025, 6, 6, 16, 30)
    report = run(
        tmp_path,
        row(world, code="OLD-1", due_at=recorded.isoformat()),
        row(world, code="OLD-2"),
    )
    assert report.rejections == []
    kept, computed = imported("OLD-1"), imported("OLD-2")
    assert kept.due_at == kept.original_due_at == recorded
    # 3 working days from Monday 09:00 → Thursday 09:00.
    assert computed.due_at == computed.original_due_at == vn(2025, 6, 5, 9)
    assert verify_dossier(kept) == verify_dossier(computed) == []


def test_a_code_of_our_own_form_moves_the_days_counter_past_it(tmp_path):
    world = build_world()
    run(tmp_path, row(world, code=f"{world.ward.code}-250602-0007"))
    live = world.receive(MON + timedelta(hours=1))
    assert live.code == f"{world.ward.code}-250602-0008"


# ------------------------------------------------------------ (b) bad lines
def bad_lines(world: World) -> dict[int, tuple[Line, str]]:
    """Line number → (line, expected error code); the other lines are valid."""
    # Lines that get as far as replay are received on Tuesday, a day on which no
    # valid line is received, so "no counter change" can be checked.
    on_tue = {"received_at": TUE.isoformat()}
    no_name = row(world, **on_tue)
    del no_name["applicant"]["name"]
    return {
        2: ("{not json", "import.invalid_json"),
        3: ('["a", "list"]', "import.not_object"),
        4: (no_name, "import.missing_field"),
        5: (row(world, agency="999.99.99.999"), "import.unknown_agency"),
        6: (row(world, procedure="9.999999"), "import.unknown_procedure"),
        7: (row(world, agency=world.city.code), "dossier.procedure_not_offered"),
        8: (row(world, channel="fax"), "import.invalid_channel"),
        9: (row(world, received_at="2025-06-03T09:00:00"), "import.naive_datetime"),
        10: (row(world, ev("finish", MON), **on_tue), "import.event_before_reception"),
        11: (row(world, ev("approve_all", TUE), **on_tue), "import.unknown_action"),
        12: (
            row(world, ev("finish", TUE, by="nobody"), **on_tue),
            "import.unknown_user",
        ),
        13: (
            row(world, ev("return_result", TUE), **on_tue),
            "dossier.invalid_transition",
        ),
        14: (
            row(
                world,
                *(
                    ev(
                        "extend",
                        TUE + timedelta(minutes=n),
                        new_due_at=vn(2025, 6, 20 + n).isoformat(),
                        reason="Chờ xác minh",
                    )
                    for n in (1, 2)
                ),
                **on_tue,
            ),
            "deadline.already_extended",
        ),
        16: (row(world, code="OLD-7", **on_tue), "dossier.code_taken"),
        17: (row(world, ev("receive", TUE), **on_tue), "import.implied_action"),
        18: (row(world, ev("finish", "soon"), **on_tue), "import.invalid_datetime"),
        19: (row(world, ev("stop", TUE), **on_tue), "dossier.reason_required"),
        20: (row(world, ev("assign", TUE), **on_tue), "import.missing_field"),
        21: (row(world, colour="blue"), "import.unknown_field"),
        22: (row(world, received_at="2999-01-01T09:00:00+07:00"), "import.future_time"),
        23: (b"\xff\xfe{}", "import.invalid_encoding"),
    }


def mixed_file(folder: Path, world: World) -> str:
    bad = bad_lines(world)
    good = {
        1: row(world, ev("finish", WED), ev("return_result", THU)),
        15: row(world, code="OLD-7"),
        25: row(world, ev("assign", TUE, assignee=world.specialist.username)),
    }
    lines: list[Line] = []
    for number in range(1, 26):
        if number in bad:
            lines.append(bad[number][0])
        else:
            lines.append(good.get(number, "   "))  # 24: a blank line, ignored
    return write(folder, *lines)


def test_each_bad_line_is_rejected_with_its_number_and_the_others_import(tmp_path):
    world = build_world()
    expected = {n: code for n, (_, code) in bad_lines(world).items()}

    report = import_file(mixed_file(tmp_path, world))

    assert {r.line: r.code for r in report.rejections} == expected
    assert (report.read, report.imported, report.rejected) == (24, 3, len(expected))
    assert report.events == 3
    by_line = {r.line: str(r) for r in report.rejections}
    assert by_line[13].startswith("dòng 13: sự kiện 1 «return_result»: Không thể")
    assert by_line[13].endswith("(dossier.invalid_transition)")
    assert "nobody" in by_line[12]
    assert "thiếu múi giờ" in by_line[9]
    # The rejected lines left nothing: three dossiers, only their events, no
    # counter for Tuesday, no applicant of the rejected lines.
    assert Dossier.objects.count() == 3
    assert Event.objects.count() == 3 + 3
    assert not DailyCounter.objects.filter(day=TUE.date()).exists()
    assert Applicant.objects.count() == 3  # one per dossier, as received
    assert verify_all() == (3, [])
    # Line 13 was received, then failed on its first event, inside the batch
    # whose figures are written once at its end: nothing of it is counted.
    assert recompute.verify()[1] == []
    assert sum(DossierFact.objects.values_list("dossier_id", flat=True)) == sum(
        Dossier.objects.values_list("id", flat=True)
    )


def test_figures_written_once_a_batch_equal_the_live_observers(tmp_path):
    """Across several batches (2 lines each) with failures in the middle, the
    figures kept in memory and written at each batch's end are those the
    live observer writes action by action: a recompute from the histories
    finds no difference, and the day's bucket counts each line once."""
    world = build_world()
    good = row(world, ev("finish", WED), ev("return_result", THU))
    fails_late = row(world, ev("finish", WED), ev("finish", THU))  # event 2
    lines = [good, fails_late, good, good, fails_late, row(world)]

    report = run(tmp_path, *lines, batch_size=2)

    assert (report.imported, report.rejected) == (4, 2)
    assert recompute.verify()[1] == []
    bucket = FigureBucket.objects.get(
        agency=world.ward, grain="D", bucket=MON.date(), procedure=world.procedure
    )
    assert bucket.received_direct_postal == 4
    assert DossierFact.objects.count() == 4


def test_the_command_reports_rejected_lines_and_fails(tmp_path):
    world = build_world()
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="Đọc 24 dòng: đã nhập 3 hồ sơ"):
        call_command(
            "import_dossiers", mixed_file(tmp_path, world), stdout=out, stderr=err
        )
    assert "dòng 2: Không phải JSON hợp lệ" in err.getvalue()
    assert "dòng 13: sự kiện 1 «return_result»" in err.getvalue()
    assert Dossier.objects.count() == 3


def test_the_command_succeeds_when_every_line_imports(tmp_path):
    world = build_world()
    path = write(tmp_path, row(world, ev("finish", WED)), "", row(world))
    out, err = StringIO(), StringIO()
    call_command("import_dossiers", path, "--progress", stdout=out, stderr=err)
    assert "Đọc 2 dòng: đã nhập 2 hồ sơ, bỏ qua 0 dòng lỗi" in out.getvalue()
    assert "dòng/giây" in out.getvalue()
    bar = err.getvalue()
    assert f"[{'#' * 30}] 3/3 · " in bar  # the progress bar, at its end
    assert " dòng/giây · còn 0 giây" in bar  # with the rate and the time left


# ------------------------------------------------------------ (c) dry run
def database_state() -> dict[str, list[tuple[Any, ...]]]:
    state = {}
    for label in ("dossiers", "agencies", "auth", "catalog"):
        for model in apps.get_app_config(label).get_models():
            rows = model.objects.order_by("pk").values_list()
            state[model._meta.label] = list(rows)
    return state


def test_a_dry_run_writes_nothing_and_reports_what_the_import_would(tmp_path):
    world = build_world()
    path = mixed_file(tmp_path, world)
    before = database_state()

    out = StringIO()
    with pytest.raises(CommandError, match="chạy thử"):
        call_command("import_dossiers", path, "--dry-run", stdout=out, stderr=out)
    dry = import_file(path, dry_run=True)

    assert database_state() == before  # no dossier, counter, event or user
    assert not get_user_model().objects.filter(username=IMPORT_USERNAME).exists()
    real = import_file(path)
    assert [str(r) for r in dry.rejections] == [str(r) for r in real.rejections]
    assert (dry.read, dry.imported, dry.events) == (real.read, real.imported, 3)


# ------------------------------------------------------------ (g) round trip
def live_dossiers(world: World) -> None:
    """Dossiers made by live service calls, covering every kind of event."""
    w = world
    full = world.processing(MON)
    for when, actor, action, kwargs in [
        (TUE, w.specialist, "submit", {"note": "Trình ký"}),
        (TUE + timedelta(hours=1), w.leader, "approve", {}),
        (TUE + timedelta(hours=2), w.reception, "request_payment", {"amount": 30_000}),
        (TUE + timedelta(hours=6), w.reception, "record_payment", {}),
        (WED, w.reception, "finish", {"result_summary": "Giấy khai sinh bản chính"}),
        (
            THU,
            w.reception,
            "return_result",
            {"is_applicant": False, "to_name": "Lê Văn C", "to_id_number": "0480901"},
        ),
    ]:
        with world.at(when):
            full = getattr(services, f"dossier_{action}")(actor, full, **kwargs)

    paused = world.processing(MON + timedelta(hours=2))
    for when, actor, action, kwargs in [
        (TUE, w.specialist, "request_supplement", {"reason": "Thiếu", "items": ["A"]}),
        (WED, w.reception, "resubmit", {}),
        (
            WED + timedelta(hours=1),
            w.admin,
            "extend",
            {"new_due_at": vn(2025, 6, 16, 10), "reason": "Xác minh", "override": True},
        ),
        (THU, w.leader, "stop", {"reason": "Người nộp không liên lạc được"}),
    ]:
        with world.at(when):
            paused = getattr(services, f"dossier_{action}")(actor, paused, **kwargs)

    city_leader = make_user("ld-city", world.city, Role.LEADER)
    asked = world.processing(TUE)
    with world.at(TUE + timedelta(hours=1)):
        asked = services.dossier_consult(
            w.specialist, asked, agency=w.district, question="Hỏi 1", working_days=10
        )
        asked = services.dossier_consult(
            w.specialist, asked, agency=w.city, question="Hỏi 2"
        )
    first, second = asked.consultations.order_by("id")
    with world.at(WED):  # the first (not the latest) is answered first
        asked = services.dossier_answer_consult(
            w.district_specialist, asked, consultation_id=first.pk, answer="Đáp 1"
        )
        asked = services.dossier_answer_consult(
            city_leader, asked, consultation_id=second.pk, answer="Đáp 2"
        )
    with world.at(WED + timedelta(hours=1)):
        asked = services.dossier_forward(
            w.specialist, asked, assignee=w.leader, note="Chuyển"
        )
    with world.at(THU):
        asked = services.dossier_send_back(w.leader, asked, reason="Làm lại")
    with world.at(THU + timedelta(hours=1)):
        services.dossier_withdraw(w.reception, asked, reason="Rút")

    online = DossierInputFactory(world)
    with world.at(MON):
        submitted = services.dossier_submit_online(None, online)
    with world.at(TUE):
        services.dossier_receive(w.reception, submitted)  # its first event is trimmed
    with world.at(TUE):
        services.dossier_submit_online(None, DossierInputFactory(world))  # waiting


def DossierInputFactory(world: World) -> services.DossierInput:
    return world.input(
        channel="online",
        applicant=services.ApplicantInput(
            name="Phạm Thị Dung",
            kind="organisation",
            birth_date=MON.date(),
            address="12 Lê Duẩn, Đà Nẵng",
        ),
    )


def forget_dossiers() -> None:
    """Empty the dossier tables (keep agencies, catalogue, users)."""
    Event.objects.all().delete()
    Dossier.objects.all().delete()
    Applicant.objects.all().delete()
    DailyCounter.objects.all().delete()


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_file(
    tmp_path,
):
    world = build_world(fee=20_000)
    live_dossiers(world)
    before = {d.code: history(d) for d in Dossier.objects.all()}
    first = list(export_lines())
    assert len(first) == 4  # the one never received is not exported
    assert '"action": "answer_consult"' in first[2]
    assert '"consultation": 1' in first[2]  # not the latest open one

    forget_dossiers()
    report = run(tmp_path, *first)
    assert report.rejections == []

    assert list(export_lines()) == first
    assert verify_all() == (4, [])
    for dossier in Dossier.objects.all():
        expected = before[dossier.code]
        if dossier.channel == "online":
            expected = expected[1:]  # the online submission is not in the format
            expected[0] = (*expected[0][:2], "", *expected[0][3:])
        assert history(dossier) == expected


def test_the_export_command_filters_by_agency_and_reception_date(tmp_path):
    world = build_world()
    world.receive(MON)
    world.receive(WED)
    world.receive(WED, actor=world.other_reception, agency=world.other_ward)
    out = tmp_path / "out.jsonl"

    def exported(*args: str) -> list[str]:
        call_command("export_dossiers", str(out), *args, stdout=StringIO())
        return [json.loads(x)["code"] for x in out.read_text("utf-8").splitlines()]

    assert len(exported()) == 3
    assert exported("--agency", world.ward.code) == [
        f"{world.ward.code}-250602-0001",
        f"{world.ward.code}-250604-0001",
    ]
    assert exported("--from", "2025-06-03", "--to", "2025-06-04") == [
        f"{world.ward.code}-250604-0001",
        f"{world.other_ward.code}-250604-0001",
    ]
    assert exported("--to", "2025-06-02") == [f"{world.ward.code}-250602-0001"]
    out_stream, err_stream = StringIO(), StringIO()
    call_command("export_dossiers", "-", stdout=out_stream, stderr=err_stream)
    assert len(out_stream.getvalue().splitlines()) == 3
    assert "Đã xuất 3 hồ sơ." in err_stream.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        exported("--from", "02/06/2025")
    with pytest.raises(CommandError, match="Không có cơ quan"):
        exported("--agency", "999.99.99.999")
