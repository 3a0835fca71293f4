"""``motcua scheduler``: the deadline watch, the leaders' digest and the
nightly checks write staff e-mails to the outbox, once (issue 11 item 3)."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from motcua.core import clock
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.models import Dossier
from motcua.notifications import scheduler, worker
from motcua.notifications.models import Message, State
from tests.dossiers.builders import build_world, vn

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2)  # Monday; 3 working days → the dossier is due Thursday 05/06


def staff_world():
    world = build_world()
    for user, address in (
        (world.specialist, "mai@phuong.example.vn"),
        (world.leader, "lanh.dao@phuong.example.vn"),
    ):
        user.email = address
        user.save()
    dossier = world.processing(MON)
    return world, dossier


def run(job, at):
    with clock.frozen_at(at):
        return scheduler.run([job])[job]


def sent(key, recipient=None):
    rows = Message.objects.filter(template_key=key).order_by("id")
    if recipient:
        rows = rows.filter(recipient=recipient)
    return list(rows)


def test_deadline_watch_tells_the_officer_holding_the_step_and_the_leader():
    _, dossier = staff_world()
    assert run("deadline_watch", MON) == 0  # the step is due tomorrow afternoon
    assert run("deadline_watch", vn(2025, 6, 3)) == 2
    (soon,) = sent("due_soon")
    assert soon.recipient == "mai@phuong.example.vn" and soon.dossier_id == dossier.pk
    assert soon.variables["item"] == "bước «Thụ lý, thẩm định»"
    assert soon.variables["due_date"] == "03/06/2025"
    # the apology must be issued one working day before Thursday: the leader
    (extension,) = sent("extension_due")
    assert extension.recipient == "lanh.dao@phuong.example.vn"
    assert extension.variables["notice_days"] == "1"
    assert extension.variables["due_date"] == "05/06/2025"
    # Wednesday: the step is newly overdue; the dossier is due within a day
    assert run("deadline_watch", vn(2025, 6, 4)) == 2
    (late_step,) = sent("overdue")
    assert late_step.variables["item"] == "bước «Thụ lý, thẩm định»"
    assert [m.variables["item"] for m in sent("due_soon")] == [
        "bước «Thụ lý, thẩm định»",
        "hồ sơ",
    ]
    # Friday: the dossier itself is overdue
    assert run("deadline_watch", vn(2025, 6, 6)) == 1
    assert [m.variables["item"] for m in sent("overdue")] == [
        "bước «Thụ lý, thẩm định»",
        "hồ sơ",
    ]


def test_running_the_watch_twice_writes_once():
    staff_world()
    at = vn(2025, 6, 4, 10)
    first = run("deadline_watch", at)
    assert first > 0
    assert run("deadline_watch", at) == 0
    assert run("deadline_watch", at + timedelta(minutes=5)) == 0
    keys = list(Message.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == len(set(keys))


def test_nobody_assigned_or_no_address_is_skipped():
    world = build_world()
    world.receive(MON)  # the reception step is closed; the next one unassigned
    assert run("deadline_watch", vn(2025, 6, 6)) == 0  # nobody has an address
    assert not sent("overdue")


def test_the_digest_goes_to_each_leader_on_working_day_mornings_once():
    world, dossier = staff_world()
    friday = vn(2025, 6, 6, 7, 30)
    assert run("digest", friday) == 1
    (digest,) = sent("digest")
    assert digest.recipient == "lanh.dao@phuong.example.vn"
    assert digest.agency_id == world.ward.pk
    values = digest.variables
    assert values["overdue_count"] == "1" and dossier.code in values["overdue_list"]
    assert values["late_steps_count"] == "1"
    assert "UBND phường Hòa Cường Nam: 1 bước" in values["by_unit"]
    assert world.specialist.username in values["by_officer"]
    assert values["date"] == "06/06/2025"
    assert run("digest", friday + timedelta(hours=2)) == 0  # once a day


@pytest.mark.parametrize(
    "quiet",
    [vn(2025, 6, 7, 7, 30), vn(2025, 6, 8, 7, 30), vn(2025, 9, 2, 7, 30)],
    ids=["saturday", "sunday", "national-day"],
)
def test_no_digest_on_a_quiet_day(quiet):
    staff_world()
    assert run("digest", quiet) == 0
    assert not sent("digest")


def make_admin(email="qtht@motcua.example.vn"):
    return get_user_model().objects.create_superuser(
        "qtht", email=email, password="pw-qtht"
    )


def test_the_nightly_checks_are_silent_when_all_is_well():
    staff_world()
    make_admin()
    assert run("nightly_checks", vn(2025, 6, 3, 2)) == 0
    assert not sent("nightly_alert")


def test_the_nightly_checks_alert_the_administrators_on_a_tampered_dossier():
    _, dossier = staff_world()
    make_admin()
    get_user_model().objects.create_superuser("noemail", email="", password="pw")
    Dossier.objects.filter(pk=dossier.pk).update(
        due_at=dossier.due_at + timedelta(days=3)
    )
    night = vn(2025, 6, 3, 2)
    assert run("nightly_checks", night) == 1
    (alert,) = sent("nightly_alert")
    assert alert.recipient == "qtht@motcua.example.vn"
    assert alert.variables["history_count"] == "1"
    assert dossier.code in alert.variables["problems"]
    assert run("nightly_checks", night + timedelta(hours=1)) == 0  # once a night
    assert run("nightly_checks", night + timedelta(days=1)) == 1  # still wrong


def test_the_worker_delivers_the_scheduler_messages(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MOTCUA_NOTIFY_CHANNELS = "email"
    _, dossier = staff_world()
    at = vn(2025, 6, 6, 7, 30)
    with clock.frozen_at(at):
        call_command(
            "scheduler", "--once", "--job", "deadline_watch", "--job", "digest"
        )
        worker.run_once()
    to_officer = [  # besides "assigned to you" when the step was given
        m
        for m in mail.outbox
        if m.to == ["mai@phuong.example.vn"] and "được giao" not in m.subject
    ]
    assert [m.subject for m in to_officer] == [f"Quá hạn: hồ sơ {dossier.code}"] * 2
    (digest,) = [m for m in mail.outbox if m.to == ["lanh.dao@phuong.example.vn"]]
    assert digest.subject.startswith("Bản tin ngày 06/06/2025: 1 hồ sơ quá hạn")
    assert dossier.code in digest.body and "Theo cán bộ:" in digest.body
    assert not Message.objects.exclude(state=State.DELIVERED).filter(
        template_key__in=["overdue", "digest"]
    )
    count = len(mail.outbox)
    with clock.frozen_at(at + timedelta(minutes=5)):
        call_command("scheduler", "--once")
        worker.run_once()
    assert len(mail.outbox) == count  # nothing twice


def test_the_loop_runs_the_watch_often_and_the_daily_jobs_once_from_their_hour():
    from datetime import time

    last = {}
    options = {
        "watch_every": timedelta(minutes=5),
        "digest_at": time(7, 30),
        "nightly_at": time(2, 0),
    }
    watches = list(scheduler.WATCHES)
    nightly = list(scheduler.NIGHTLY)
    # the watch, and the jobs other apps registered at start-up
    assert watches[:2] == ["deadline_watch", "auto_remind"]
    assert "payments_reconcile" in watches  # motcua.payments
    assert nightly[0] == "nightly_checks" and "client_log_purge" in nightly
    early = vn(2025, 6, 2, 1, 0)
    assert scheduler.due_jobs(early, last, **options) == watches
    last.update(dict.fromkeys(watches, early))
    assert scheduler.due_jobs(early + timedelta(minutes=1), last, **options) == []
    morning = vn(2025, 6, 2, 7, 31)
    assert scheduler.due_jobs(morning, last, **options) == [
        *watches,
        "digest",
        *nightly,
    ]
    last.update(dict.fromkeys(["digest", *nightly], morning.astimezone(VN_TZ).date()))
    last.update(dict.fromkeys(watches, morning))
    assert scheduler.due_jobs(morning + timedelta(hours=1), last, **options) == watches


@pytest.mark.django_db(transaction=True)
def test_a_registered_job_runs_in_its_own_transactions_when_asked():
    """A job that calls another system is not wrapped in one transaction."""
    from django.db import connection

    seen = []

    def job(now):
        seen.append(connection.in_atomic_block)
        return 0

    try:
        scheduler.register("test_outside", job, every="night", own_transactions=True)
        scheduler.register("test_inside", job, every="watch")
        scheduler.run(["test_outside", "test_inside"], vn(2025, 6, 2, 2, 0))
    finally:
        for name in ("test_outside", "test_inside"):
            scheduler.JOBS.pop(name)
            for schedule in (scheduler.WATCHES, scheduler.NIGHTLY):
                if name in schedule:
                    schedule.remove(name)
            scheduler.OWN_TRANSACTIONS.discard(name)
    assert seen == [False, True]
    with pytest.raises(ValueError):
        scheduler.register("test_bad", job, every="hourly")


@pytest.mark.django_db(transaction=True)
def test_sigterm_stops_a_looping_scheduler_cleanly(tmp_path):
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from .test_worker_process import REPO, database_env, wait_for

    _, dossier = staff_world()  # long overdue by the real clock
    db, copy = database_env(tmp_path)
    env = {
        **os.environ,
        **db,
        "MOTCUA_VAR_DIR": str(tmp_path),
        "MOTCUA_SECRET_KEY": "notifications-scheduler-test",
        "PYTHONPATH": str(REPO / "src"),
    }

    def written() -> list[str]:
        if copy is None:
            return list(
                Message.objects.filter(template_key="overdue").values_list(
                    "idempotency_key", flat=True
                )
            )
        with sqlite3.connect(copy) as rows:
            found = rows.execute(
                "select idempotency_key from notifications_message "
                "where template_key = 'overdue'"
            )
            return [row[0] for row in found.fetchall()]

    command = [sys.executable, "-m", "motcua", "scheduler", "--sleep", "0.2"]
    command += ["--job", "deadline_watch"]
    running = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: len(written()) == 2, timeout=60)
        time.sleep(0.5)
    finally:
        running.send_signal(signal.SIGTERM)
    out, err = running.communicate(timeout=20)
    assert running.returncode == 0, err
    assert "notifications.job deadline_watch count=2" in out
    keys = sorted(written())
    assert keys[0].startswith(f"job:deadline_watch:overdue:dossier:{dossier.pk}:")
    assert keys[1].startswith("job:deadline_watch:overdue:step:")
