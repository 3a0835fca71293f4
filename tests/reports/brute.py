"""A brute-force Biểu 06, written independently of ``motcua.reports``: it reads
each dossier's events (action names, times, snapshots) and asks, for every
number, "is this dossier counted?" — no timelines, no buckets, no prefix sums."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.dossiers.models import Dossier, Event

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
END_ACTIONS = {"finish": "settled", "withdraw": "withdrawn", "stop": "stopped"}


def _day(value: datetime | str | None) -> date | None:
    if not value:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(HCM).date()


def _story(dossier: Dossier, events: list[Event]) -> dict[str, Any]:
    received = ended = None
    kind = timing = ""
    for e in events:
        snap = e.payload["snapshot"]
        if e.action == "receive" and received is None:
            received = _day(e.at)
        if received is None or ended is not None:
            continue
        action_kind = END_ACTIONS.get(e.action)
        if e.action == "refuse":  # after reception: a refusal is a result
            action_kind = "settled"
        if action_kind:
            ended, kind = _day(e.at), action_kind
            if kind == "settled":
                due = _day(snap["original_due_at"])
                if due is None or due == ended:
                    timing = "on_time"
                else:
                    timing = "early" if ended < due else "late"
    return {
        "code": dossier.code,
        "channel": dossier.channel,
        "received": received,
        "ended": ended,
        "kind": kind,
        "timing": timing,
        "events": [(_day(e.at), e.to_status, e.payload["snapshot"]) for e in events],
    }


def stories(agency_ids: list[int]) -> list[dict[str, Any]]:
    dossiers = list(Dossier.objects.filter(agency_id__in=agency_ids).order_by("id"))
    events: dict[int, list[Event]] = defaultdict(list)
    for e in Event.objects.filter(dossier__in=dossiers).order_by("dossier_id", "seq"):
        events[e.dossier_id].append(e)
    return [_story(d, events[d.pk]) for d in dossiers]


def _at_end_of(story: dict[str, Any], day: date) -> tuple[str, dict[str, Any]]:
    last = None
    for when, status, snap in story["events"]:
        if when <= day:
            last = (status, snap)
    assert last is not None
    return last


def cells(stories_: list[dict[str, Any]], start: date, end: date) -> dict[str, set]:
    out: dict[str, set[str]] = defaultdict(set)
    for s in stories_:
        r, e, code = s["received"], s["ended"], s["code"]
        if r is None or r > end:
            continue
        if e is not None and e < start:
            continue
        out["received.total"].add(code)
        if r < start:
            out["received.carried_over"].add(code)
        elif s["channel"] == "online":
            out["received.online"].add(code)
        else:
            out["received.direct_postal"].add(code)
        if e is not None and e <= end:
            if s["kind"] == "settled":
                out["settled.total"].add(code)
                out[f"settled.{s['timing']}"].add(code)
            else:
                out[s["kind"]].add(code)
            continue
        out["in_progress.total"].add(code)
        status, snap = _at_end_of(s, end)
        if status in ("waiting_supplement", "waiting_payment"):
            out["in_progress.paused"].add(code)
            continue
        due = _day(snap["original_due_at"])
        if due is not None and due < end:
            out["in_progress.overdue"].add(code)
        else:
            out["in_progress.within_time"].add(code)
    return out
