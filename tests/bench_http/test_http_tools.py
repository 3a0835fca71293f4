"""bench/http.py's own arithmetic: the CPU a request from the kernel's
counters, and the summary of a py-spy profile (``--profile``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

http = pytest.importorskip("bench.http")


def test_the_cpu_a_request_is_the_counters_difference_over_the_requests() -> None:
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    before, after = (100, 50, 10), (100 + 300, 50 + 100, 10 + 20)
    app, pg, load = http.cpu_per_request(before, after, 100)
    assert (app, pg, load) == pytest.approx((3 * tick_ms, tick_ms, 0.2 * tick_ms))


def test_this_process_and_its_ended_children_are_counted() -> None:
    """The counters are the kernel's: this process's own ticks never fall,
    and a process that is not there counts nothing."""
    first = http._tree(os.getpid())
    sum(i * i for i in range(200_000))
    assert http._tree(os.getpid()) >= first > 0
    assert http._ticks(2**22 + 1) == (0, 0)


def test_the_profile_summary_counts_areas_and_innermost_frames(tmp_path: Path) -> None:
    raw = tmp_path / "public-tracking-qr-16c-worker0.txt"
    raw.write_text(
        "run (gunicorn/arbiter.py:1);render (django/template/base.py:1) 6\n"
        "run (gunicorn/arbiter.py:1);public_status (motcua/portal/tracking.py:9);"
        "execute (psycopg/cursor.py:7) 3\n"
        "run (gunicorn/arbiter.py:1);render (django/template/base.py:1);"
        "gettext (django/utils/translation/trans_real.py:3) 1\n",
        encoding="utf-8",
    )
    scenario = http.Scenario("public tracking (QR)", "get", [], "-")
    row = http.Measure("public tracking (QR)", 16, 0, 0, 0, 0, 0, 0, (4.0, 0.5, 0.1))
    http.profile_end([], tmp_path, scenario, 16, row)
    text = (tmp_path / "public-tracking-qr-16c.summary.txt").read_text()
    assert "10 samples" in text
    assert "gunicorn 4.00 ms, PostgreSQL 0.50 ms, wrk 0.10 ms" in text
    assert " 70.0%  templates (django.template)" in text
    assert " 30.0%  database driver (psycopg)" in text
    assert " 30.0%  MotCua code" in text
    assert " 10.0%  translation (gettext)" in text
    assert " 60.0%  render (django/template/base.py:1)" in text
