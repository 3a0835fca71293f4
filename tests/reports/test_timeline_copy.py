"""``Timeline.copy`` is what ``copy.deepcopy`` gives, field for field."""

import copy
import dataclasses
from datetime import date

from motcua.reports.figures import Interval, Timeline


def test_copy_names_every_field():
    # A field added to Timeline or Interval must be added to ``copy`` too.
    assert [f.name for f in dataclasses.fields(Timeline)] == [
        "channel",
        "received_day",
        "end_day",
        "end_kind",
        "timing",
        "due_day",
        "intervals",
    ]
    assert [f.name for f in dataclasses.fields(Interval)] == [
        "start",
        "end",
        "paused",
        "due_day",
    ]


def test_copy_equals_deepcopy_and_is_independent():
    timeline = Timeline(
        "online",
        date(2025, 3, 3),
        date(2025, 3, 20),
        "settled",
        "late",
        date(2025, 3, 14),
        [
            Interval(date(2025, 3, 3), date(2025, 3, 7), False, date(2025, 3, 14)),
            Interval(date(2025, 3, 7), None, True, None),
        ],
    )
    copied = timeline.copy()
    assert copied == copy.deepcopy(timeline)
    copied.intervals[-1].end = date(2025, 3, 9)
    copied.intervals.append(Interval(date(2025, 3, 9), None, False, None))
    assert timeline.intervals[-1].end is None
    assert len(timeline.intervals) == 2
