"""How one dossier's history becomes figures — pure Python, no queries.

The same two functions serve the same-transaction observer and the replay of
``recompute_figures``: ``state_after(event)`` reads what an event says about the
dossier (its new status and the snapshot the hash chain covers), ``advance``
moves the dossier's :class:`Timeline` to that state on the event's local day,
and ``contributions`` turns a timeline into dated changes of the figure columns
(:data:`motcua.reports.models.FIGURE_COLUMNS`).

Rules (Circular 01/2020/TT-VPCP, Biểu 06; DOMAIN.md §6; docs/figures.md):
received on the day of the ``receive`` event; ended on the day the dossier leaves
the open states — settled (a result, or a refusal after reception), withdrawn or
stopped; early / on time / late compare that day with the original due day
(an extension never helps; no due date = on time); a dossier open at the end of
a day is paused there if waiting for a supplement or a payment, else overdue if
its original due day is before that day.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from motcua.deadlines.engine import VN_TZ
from motcua.dossiers.timing import day_timing, first_overdue_day
from motcua.dossiers.workflow import OPEN, PAUSED, Status

from .models import EndKind

ONE_DAY = timedelta(days=1)
_ENDS = {
    Status.RESULT_READY: EndKind.SETTLED,
    Status.RETURNED: EndKind.SETTLED,
    Status.WITHDRAWN: EndKind.WITHDRAWN,
    Status.STOPPED: EndKind.STOPPED,
}


def local_day(value: datetime | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(VN_TZ).date()


@dataclass(frozen=True)
class State:
    """The dossier as the figures see it right after one event."""

    received: bool
    end_kind: str = ""  # "" while open
    paused: bool = False
    due_day: date | None = None  # the original due day (before any extension)


def state_after(to_status: str, snapshot: dict[str, Any]) -> State:
    """What an event says: its ``to_status`` and its snapshot (both hashed)."""
    received = bool(snapshot.get("received_at"))
    due = local_day(snapshot.get("original_due_at"))
    if not received or to_status == Status.NOT_RECEIVED:
        return State(received=False)
    if to_status in OPEN:
        return State(True, "", to_status in PAUSED, due)
    return State(True, _ENDS.get(Status(to_status), EndKind.SETTLED), False, due)


def timing(end: date, due: date | None) -> str:
    """Early / on time / late by date: :func:`motcua.dossiers.timing.day_timing`."""
    return day_timing(end, due)


@dataclass
class Interval:
    start: date
    end: date | None
    paused: bool
    due_day: date | None


@dataclass
class Timeline:
    """One received dossier: its fact and its open intervals."""

    channel: str
    received_day: date
    end_day: date | None = None
    end_kind: str = ""
    timing: str = ""
    due_day: date | None = None
    intervals: list[Interval] = field(default_factory=list)

    def copy(self) -> Timeline:
        """An independent copy (what ``copy.deepcopy`` gives: dates and
        strings are immutable, the intervals are new objects)."""
        return Timeline(
            self.channel,
            self.received_day,
            self.end_day,
            self.end_kind,
            self.timing,
            self.due_day,
            [Interval(i.start, i.end, i.paused, i.due_day) for i in self.intervals],
        )


def _close(intervals: list[Interval], day: date) -> None:
    if intervals and intervals[-1].end is None:
        if intervals[-1].start == day:  # not open at the end of any day
            intervals.pop()
        else:
            intervals[-1].end = day


def advance(
    timeline: Timeline | None, state: State, day: date, channel: str
) -> Timeline | None:
    """The timeline after an event that left the dossier in ``state`` on ``day``.
    Ended dossiers stay as they ended (a later return changes nothing)."""
    if timeline is None:
        if not state.received:
            return None
        timeline = Timeline(channel=channel, received_day=day)
    if timeline.end_day is not None:
        return timeline
    timeline.due_day = state.due_day
    intervals = timeline.intervals
    if state.end_kind:
        _close(intervals, day)
        timeline.end_day, timeline.end_kind = day, state.end_kind
        if state.end_kind == EndKind.SETTLED:
            timeline.timing = timing(day, state.due_day)
        return timeline
    current = intervals[-1] if intervals and intervals[-1].end is None else None
    if current and (current.paused, current.due_day) == (state.paused, state.due_day):
        return timeline
    _close(intervals, day)
    intervals.append(Interval(day, None, state.paused, state.due_day))
    return timeline


def end_column(timeline: Timeline) -> str:
    if timeline.end_kind == EndKind.SETTLED:
        return f"settled_{timeline.timing}"
    return str(timeline.end_kind)


def contributions(timeline: Timeline | None) -> Counter[tuple[date, str]]:
    """Dated changes of the figure columns that this dossier makes."""
    out: Counter[tuple[date, str]] = Counter()
    if timeline is None:
        return out
    received = "received_online" if timeline.channel == "online" else None
    out[(timeline.received_day, received or "received_direct_postal")] += 1
    if timeline.end_day is not None:
        out[(timeline.end_day, end_column(timeline))] += 1
    for interval in timeline.intervals:
        if interval.paused:
            out[(interval.start, "paused")] += 1
            if interval.end is not None:
                out[(interval.end, "paused")] -= 1
        elif interval.due_day is not None:
            overdue_from = max(interval.start, first_overdue_day(interval.due_day))
            if interval.end is None or overdue_from < interval.end:
                out[(overdue_from, "overdue")] += 1
                if interval.end is not None:
                    out[(interval.end, "overdue")] -= 1
    return out


def difference(
    before: Counter[tuple[date, str]], after: Counter[tuple[date, str]]
) -> dict[tuple[date, str], int]:
    """``after − before``, without the zeros."""
    keys = set(before) | set(after)
    return {k: after[k] - before[k] for k in keys if after[k] != before[k]}


def buckets(day: date) -> tuple[tuple[str, date], ...]:
    """The day, month and year buckets a dated change is added to."""
    return (("D", day), ("M", day.replace(day=1)), ("Y", day.replace(month=1, day=1)))
