"""Periodic jobs of ``motcua scheduler`` (issue 11 item 3; docs/notifications.md).

Every job reads the time from :func:`motcua.core.clock.now`, asks the one home
of each rule (:mod:`motcua.dossiers.timing` for due soon and overdue, the
agency's calendar for working days, :mod:`motcua.law.procedure` for the
extension notice) and writes its messages to the outbox; the worker delivers
them. A job is idempotent: each message has an idempotency key naming the job,
its day or target and the recipient (``job:<name>:…``), so a second run for the
same day or target writes nothing twice.

Staff recipients are ``user.email``; a user without one is skipped. A step
nobody holds yet is not e-mailed: the unit's queue shows it, and the leaders'
digest lists its overdue dossiers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q

from motcua.agencies.models import Agency, Role
from motcua.core import clock
from motcua.core.dates import vn_date
from motcua.core.names import display_name
from motcua.deadlines.engine import VN_TZ, WORKING_DAY, Calendar
from motcua.deadlines.services import calendar_for
from motcua.dossiers import services, timing
from motcua.dossiers.models import Dossier, Event, Step
from motcua.dossiers.workflow import Action
from motcua.law.procedure import extension_notice_days

from . import texts
from .models import ChannelName
from .outbox import enqueue

log = logging.getLogger(__name__)

#: Lines listed in a digest or an alert before "… and N more".
LIST_LIMIT = 30


class Calendars:
    """One calendar per agency for a whole pass."""

    def __init__(self) -> None:
        self._found: dict[int, Calendar] = {}

    def of(self, agency: Agency) -> Calendar:
        if agency.pk not in self._found:
            self._found[agency.pk] = calendar_for(agency)
        return self._found[agency.pk]

    def soon_until(self, agency: Agency, now: datetime) -> datetime:
        """One working day from now: "due soon" up to there (as the queues)."""
        return self.of(agency).add_working_time(now, WORKING_DAY)


def local_day(now: datetime) -> date:
    return now.astimezone(VN_TZ).date()


def address(user: Any) -> str:
    return (getattr(user, "email", "") or "").strip() if user is not None else ""


def write(
    key: str,
    ident: str,
    recipient: str,
    variables: dict[str, str],
    *,
    agency_id: int | None = None,
    dossier_id: int | None = None,
) -> bool:
    """One staff e-mail in the outbox, unless ``ident`` was written before."""
    if not recipient:
        return False
    written = enqueue(
        ident,
        channel=ChannelName.EMAIL,
        recipient=recipient,
        key=key,
        variables=lambda: {
            name: variables.get(name, "") for name in texts.VARIABLES[key]
        },
        agency_id=agency_id,
        dossier_id=dossier_id,
    )
    return written is not None


def leaders(agency_id: int) -> list[Any]:
    """Active leaders of an agency who have an e-mail address."""
    users = get_user_model().objects.filter(
        is_active=True,
        memberships__agency_id=agency_id,
        memberships__role=Role.LEADER,
        memberships__is_active=True,
    )
    return [u for u in users.distinct().order_by("username") if address(u)]


def admins() -> list[Any]:
    users = get_user_model().objects.filter(is_active=True, is_superuser=True)
    return [u for u in users.order_by("username") if address(u)]


def _lines(items: list[str]) -> str:
    shown = items[:LIST_LIMIT]
    if len(items) > LIST_LIMIT:
        shown.append(f"… và {len(items) - LIST_LIMIT} mục khác")
    return "\n".join(f"- {item}" for item in shown) or "- (không có)"


# ------------------------------------------------------------ deadline watch
def _step_variables(step: Step, state: str) -> dict[str, str]:
    dossier = step.dossier
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "item": f"bước «{step.name}»",
        "unit": step.agency.name,
        "due_date": vn_date(step.due_at),
        "officer": display_name(step.assignee),
    }


def _dossier_variables(dossier: Dossier, holder: Step) -> dict[str, str]:
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "item": "hồ sơ",
        "unit": holder.agency.name,
        "due_date": vn_date(timing.dossier_due(dossier)),
        "officer": display_name(holder.assignee),
    }


def _key_for(state: str) -> str | None:
    return {timing.OVERDUE: "overdue", timing.DUE_SOON: "due_soon"}.get(state)


def deadline_watch(now: datetime) -> int:
    """Due within one working day and newly overdue, for the officer holding
    the step (steps against their own budget, dossiers against their due date);
    extensions that must be issued before the due date, for the leaders."""
    calendars = Calendars()
    written = 0
    active = (
        Step.objects.filter(state=Step.State.ACTIVE, ended_at__isnull=True)
        .filter(timing.working_q("dossier__"))
        .select_related("dossier", "dossier__agency", "dossier__procedure_version")
        .select_related("agency", "assignee")
        .order_by("dossier_id", "position", "pk")
    )
    for step in active:
        officer = address(step.assignee)
        if not officer:  # nobody holds it (or no address): the queue shows it
            continue
        soon = calendars.soon_until(step.agency, now)
        key = _key_for(timing.step_state_at(step, now, soon))
        if key is not None:
            written += write(
                key,
                f"job:deadline_watch:{key}:step:{step.pk}:{vn_date(step.due_at)}",
                officer,
                _step_variables(step, key),
                agency_id=step.dossier.agency_id,
                dossier_id=step.dossier_id,
            )
        dossier = step.dossier
        soon = calendars.soon_until(dossier.agency, now)
        key = _key_for(timing.state_at(dossier, now, soon))
        if key is not None:
            due = vn_date(timing.dossier_due(dossier))
            written += write(
                key,
                f"job:deadline_watch:{key}:dossier:{dossier.pk}:{due}:"
                f"user:{step.assignee_id}",
                officer,
                _dossier_variables(dossier, step),
                agency_id=dossier.agency_id,
                dossier_id=dossier.pk,
            )
    return written + extension_watch(now, calendars)


def auto_remind(now: datetime) -> int:
    """The leaders' standing reminder: an active step of a working dossier, in
    an agency that set ``auto_remind_percent``, that has used that share of its
    budget and is not overdue yet (the watch tells of overdue) is reminded once
    (``services.dossier_remind_automatically``: an event of the history, whose
    observer e-mails the holder like a leader's reminder). Returns the number of
    reminders written."""
    calendars = Calendars()
    written = 0
    automatic = Event.objects.filter(
        step_id=OuterRef("pk"), action=Action.REMIND, actor__isnull=True
    )
    steps = (
        Step.objects.filter(
            state=Step.State.ACTIVE,
            ended_at__isnull=True,
            budget_hours__gt=0,
            due_at__gt=now,
            agency__auto_remind_percent__gt=0,
        )
        .filter(timing.working_q("dossier__"))
        .exclude(Exists(automatic))
        .select_related("agency", "dossier")
        .order_by("due_at", "pk")
    )
    for step in steps:
        percent = step.agency.auto_remind_percent
        used = timing.budget_used(step, now, calendars.of(step.agency).elapsed)
        if used is not None and used * 100 >= percent:
            written += services.dossier_remind_automatically(
                step.dossier, step, percent=percent
            )
    return written


def extension_watch(now: datetime, calendars: Calendars | None = None) -> int:
    """A working dossier not extended, not overdue, whose last day to issue the
    apology and new date (its law's ``extension.notice`` working days before
    the due date, Decree 61/2018 Art. 19(8)(c)) is within one working day."""
    calendars = calendars or Calendars()
    written = 0
    candidates = (
        Dossier.objects.filter(timing.working_q(), extended=False, due_at__gt=now)
        .exclude(timing.overdue_q(now))
        .select_related("agency", "procedure_version")
        .order_by("pk")
    )
    for dossier in candidates:
        if dossier.due_at is None:
            continue
        notice = extension_notice_days(dossier)
        left = calendars.of(dossier.agency).elapsed(now, dossier.due_at)
        if left > WORKING_DAY * (notice + 1):
            continue
        variables = {
            "code": dossier.code,
            "procedure": dossier.procedure_version.name,
            "due_date": vn_date(dossier.due_at),
            "notice_days": str(notice),
        }
        for leader in leaders(dossier.agency_id):
            written += write(
                "extension_due",
                f"job:extension_due:dossier:{dossier.pk}:{vn_date(dossier.due_at)}:"
                f"user:{leader.pk}",
                address(leader),
                variables | {"leader": display_name(leader)},
                agency_id=dossier.agency_id,
                dossier_id=dossier.pk,
            )
    return written


# ------------------------------------------------------------ leaders' digest
def digest_for(agency: Agency, now: datetime) -> dict[str, str]:
    """The figures of the leaders' board (:mod:`motcua.dossiers.timing`
    filters): overdue dossiers, and overdue steps by unit and by officer."""
    overdue = list(
        Dossier.objects.filter(agency=agency)
        .filter(timing.overdue_q(now))
        .order_by(timing.DOSSIER_DUE, "code")
        .values_list("code", timing.DOSSIER_DUE)
    )
    late_steps = Step.objects.filter(timing.step_overdue_q(now)).filter(
        Q(dossier__agency=agency) | Q(agency=agency)
    )
    by_unit = (
        late_steps.values(unit=F("agency__name"))
        .annotate(n=Count("pk"))
        .order_by("-n", "unit")
    )
    by_officer = (
        late_steps.values("assignee_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "assignee_id")
    )
    users = get_user_model().objects.in_bulk(
        [row["assignee_id"] for row in by_officer if row["assignee_id"]]
    )
    officers = [
        f"{display_name(users.get(row['assignee_id'])) or 'chưa phân công'}: "
        f"{row['n']} bước"
        for row in by_officer
    ]
    return {
        "agency": agency.name,
        "date": vn_date(local_day(now)),
        "overdue_count": str(len(overdue)),
        "overdue_list": _lines(
            [f"{code} (hạn {vn_date(due)})" for code, due in overdue]
        ),
        "late_steps_count": str(late_steps.count()),
        "by_unit": _lines([f"{row['unit']}: {row['n']} bước" for row in by_unit]),
        "by_officer": _lines(officers),
    }


def digest(now: datetime) -> int:
    """On a working day of each agency's calendar: one e-mail to each of its
    leaders (once per day and leader)."""
    today = local_day(now)
    calendars = Calendars()
    agency_ids = (
        Agency.objects.filter(
            memberships__role=Role.LEADER, memberships__is_active=True
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    written = 0
    for agency in Agency.objects.filter(pk__in=list(agency_ids)).order_by("pk"):
        if not calendars.of(agency).is_working_day(today):
            continue
        recipients = leaders(agency.pk)
        if not recipients:
            continue
        values = digest_for(agency, now)
        for leader in recipients:
            written += write(
                "digest",
                f"job:digest:{today.isoformat()}:agency:{agency.pk}:user:{leader.pk}",
                address(leader),
                values | {"leader": display_name(leader)},
                agency_id=agency.pk,
            )
    return written


# ------------------------------------------------------------ nightly checks
def nightly_checks(now: datetime) -> int:
    """``verify_history`` and the figures check; an alert to the system
    administrators only when something differs (once per day)."""
    from motcua.dossiers.history import verify_all
    from motcua.reports.recompute import verify

    checked, history = verify_all()
    _, figures = verify()
    problems = [f"{p.dossier_code} #{p.seq or '-'}: {p.message}" for p in history]
    problems += figures
    log.info(
        "notifications.nightly dossiers=%s history=%s figures=%s",
        checked,
        len(history),
        len(figures),
    )
    if not problems:
        return 0
    today = local_day(now)
    values = {
        "date": vn_date(today),
        "history_count": str(len(history)),
        "figures_count": str(len(figures)),
        "problems": _lines(problems),
    }
    return sum(
        write(
            "nightly_alert",
            f"job:nightly_checks:{today.isoformat()}:user:{admin.pk}",
            address(admin),
            values,
        )
        for admin in admins()
    )


JOBS: dict[str, Callable[[datetime], int]] = {
    "deadline_watch": deadline_watch,
    "auto_remind": auto_remind,
    "digest": digest,
    "nightly_checks": nightly_checks,
}


# Jobs run every few minutes (the others once a day at their hour).
WATCHES: list[str] = ["deadline_watch", "auto_remind"]
# Jobs run once a night at MOTCUA_NIGHTLY_AT.
NIGHTLY: list[str] = ["nightly_checks"]
# Jobs that talk to another system: run outside one wrapping transaction, so a
# slow gateway never holds the database (SQLite writers would queue behind it).
OWN_TRANSACTIONS: set[str] = set()


def register(
    name: str,
    job: Callable[[datetime], int],
    *,
    every: str,
    own_transactions: bool = False,
) -> None:
    """Another app's periodic job (called from its ``AppConfig.ready``): ``every``
    is ``"watch"`` (every few minutes) or ``"night"`` (once a night). The job
    takes the time and returns how many things it did; it must be idempotent."""
    if every not in ("watch", "night"):
        raise ValueError(f"unknown schedule {every!r} for job {name!r}")
    JOBS[name] = job
    schedule = WATCHES if every == "watch" else NIGHTLY
    if name not in schedule:
        schedule.append(name)
    if own_transactions:
        OWN_TRANSACTIONS.add(name)


def run(
    names: Iterable[str] | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Run the named jobs (all by default) once; messages written per job.
    Each job runs in its own transaction: its messages all, or none (a job
    registered with ``own_transactions`` opens its own)."""
    now = now or clock.now()
    done: dict[str, int] = {}
    for name in names or list(JOBS):
        if name in OWN_TRANSACTIONS:
            done[name] = JOBS[name](now)
        else:
            with transaction.atomic():
                done[name] = JOBS[name](now)
        log.info("notifications.job name=%s count=%s", name, done[name])
    return done


def due_jobs(
    now: datetime,
    last: dict[str, Any],
    *,
    watch_every: timedelta,
    digest_at: Any,
    nightly_at: Any,
) -> list[str]:
    """Which jobs the loop runs now: the watch every ``watch_every``; the
    digest and the checks once a (Vietnam) day from their hour. ``last``
    remembers what ran (the outbox keys make a second run harmless anyway)."""
    local = now.astimezone(VN_TZ)
    wanted = []
    for name in WATCHES:
        previous = last.get(name)
        if previous is None or now - previous >= watch_every:
            wanted.append(name)
    daily = [("digest", digest_at)] + [(name, nightly_at) for name in NIGHTLY]
    for name, at in daily:
        if local.time() >= at and last.get(name) != local.date():
            wanted.append(name)
    return wanted
