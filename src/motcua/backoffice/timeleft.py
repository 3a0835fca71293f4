"""The remaining working time of a dossier or step, as a badge: text and a tone
(the colour is never the only signal — the text says it too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from motcua.deadlines.engine import WORKING_DAY, Calendar
from motcua.deadlines.services import calendar_for
from motcua.dossiers import timing
from motcua.dossiers.workflow import ENDED, PAUSED


@dataclass(frozen=True)
class Badge:
    text: str
    tone: str  # ok | soon | late | paused | done | none


def span_text(amount: timedelta) -> str:
    """ "2 ngày 3 giờ" of working time (1 working day = :data:`WORKING_DAY`)."""
    minutes = int(abs(amount).total_seconds() // 60)
    days, rest = divmod(minutes, int(WORKING_DAY.total_seconds() // 60))
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d ngày") % {"n": days})
    if hours:
        parts.append(_("%(n)d giờ") % {"n": hours})
    if not days and (mins or not hours):
        parts.append(_("%(n)d phút") % {"n": mins})
    return " ".join(parts)


def remaining(
    calendar: Calendar, now: datetime, due_at: datetime | None, state: str
) -> Badge:
    """ "còn 2 ngày 3 giờ" (green), under one working day or due today (amber),
    "quá hạn 5 giờ" (red) — the colour follows ``state`` from
    :mod:`motcua.dossiers.timing`, never a rule of its own."""
    if due_at is None:
        return Badge(_("không có hạn"), "none")
    left = calendar.elapsed(now, due_at)
    if state == timing.OVERDUE:
        return Badge(_("quá hạn %(t)s") % {"t": span_text(left)}, "late")
    if left < timedelta(0) or (left == timedelta(0) and now > due_at):
        return Badge(_("đến hạn hôm nay"), "soon")
    tone = "soon" if state == timing.DUE_SOON else "ok"
    return Badge(_("còn %(t)s") % {"t": span_text(left)}, tone)


class Badges:
    """Badges for many dossiers, one calendar per agency (cached per request)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._calendars: dict[int, Calendar] = {}

    def calendar(self, agency: Any) -> Calendar:
        if agency.pk not in self._calendars:
            self._calendars[agency.pk] = calendar_for(agency)
        return self._calendars[agency.pk]

    def soon_until(self, agency: Any) -> datetime:
        """One working day from now: "due soon" up to there."""
        return self.calendar(agency).add_working_time(self.now, WORKING_DAY)

    def for_dossier(self, dossier: Any) -> Badge:
        if dossier.status in ENDED:
            return Badge(dossier.get_status_display(), "done")
        if dossier.status in PAUSED:
            return Badge(
                _("tạm dừng: %(s)s") % {"s": dossier.get_status_display()}, "paused"
            )
        if dossier.received_at is None:
            return Badge(_("chưa tiếp nhận"), "none")
        state = timing.state_at(dossier, self.now, self.soon_until(dossier.agency))
        due = timing.dossier_due(dossier)
        return remaining(self.calendar(dossier.agency), self.now, due, state)

    def for_step(self, step: Any) -> Badge:
        if step.ended_at is None:
            if step.state != "active":
                return Badge(step.get_state_display(), "done")
            if not timing.has_budget(step):
                return Badge(_("không có hạn"), "none")
            state = timing.step_state_at(step, self.now, self.soon_until(step.agency))
            return remaining(self.calendar(step.agency), self.now, step.due_at, state)
        return step_timing(step)


def step_timing(step: Any) -> Badge:
    """A finished step against its own budget (slip 05), by
    :func:`motcua.dossiers.timing.step_timing`; none without a budget."""
    found = timing.step_timing(step)
    if not found:
        return Badge(_("không có hạn"), "none")
    return {
        timing.EARLY: Badge(_("Trước hạn"), "ok"),
        timing.ON_TIME: Badge(_("Đúng hạn"), "ok"),
        timing.LATE: Badge(_("Quá hạn"), "late"),
    }[found]
