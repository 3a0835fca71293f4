"""The remaining working time of a dossier or step, as a badge: text and a tone
(the colour is never the only signal — the text says it too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from motcua.deadlines.engine import Calendar
from motcua.deadlines.services import calendar_for
from motcua.dossiers.workflow import ENDED, PAUSED

WORKING_DAY = timedelta(hours=8)


@dataclass(frozen=True)
class Badge:
    text: str
    tone: str  # ok | soon | late | paused | done | none


def span_text(amount: timedelta) -> str:
    """ "2 ngày 3 giờ" of working time (1 working day = 8 working hours)."""
    minutes = int(abs(amount).total_seconds() // 60)
    days, rest = divmod(minutes, 8 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d ngày") % {"n": days})
    if hours:
        parts.append(_("%(n)d giờ") % {"n": hours})
    if not days and (mins or not hours):
        parts.append(_("%(n)d phút") % {"n": mins})
    return " ".join(parts)


def remaining(calendar: Calendar, now: datetime, due_at: datetime | None) -> Badge:
    """ "còn 2 ngày 3 giờ" (green), under one working day (amber), "quá hạn 5
    giờ" (red)."""
    if due_at is None:
        return Badge(_("không có hạn"), "none")
    left = calendar.elapsed(now, due_at)
    if left < timedelta(0) or (left == timedelta(0) and now > due_at):
        return Badge(_("quá hạn %(t)s") % {"t": span_text(left)}, "late")
    tone = "soon" if left <= WORKING_DAY else "ok"
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

    def for_dossier(self, dossier: Any) -> Badge:
        if dossier.status in ENDED:
            return Badge(dossier.get_status_display(), "done")
        if dossier.status in PAUSED:
            return Badge(
                _("tạm dừng: %(s)s") % {"s": dossier.get_status_display()}, "paused"
            )
        if dossier.received_at is None:
            return Badge(_("chưa tiếp nhận"), "none")
        return remaining(self.calendar(dossier.agency), self.now, dossier.due_at)

    def for_step(self, step: Any) -> Badge:
        calendar = self.calendar(step.agency)
        if step.ended_at is None:
            if step.state != "active":
                return Badge(step.get_state_display(), "done")
            return remaining(calendar, self.now, step.due_at)
        return step_timing(step)


def step_timing(step: Any) -> Badge:
    """A finished step against its budget (slip 05): early, on time or late."""
    if step.due_at is None:
        return Badge(_("Đúng hạn"), "ok")
    if step.ended_at > step.due_at:
        return Badge(_("Quá hạn"), "late")
    from motcua.deadlines.engine import VN_TZ

    if step.ended_at.astimezone(VN_TZ).date() < step.due_at.astimezone(VN_TZ).date():
        return Badge(_("Trước hạn"), "ok")
    return Badge(_("Đúng hạn"), "ok")
