"""Form 05 from 01/07/2025 (Decree 118 Art. 21, Circular 03 Art. 7): the notice
says the dossier is stopped at the applicant's request, as the stop event
recorded (law rule ``stop.rule`` of the dossier's day, ADR 0016)."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua.deadlines.engine import VN_TZ
from motcua.slips.services import render_slip

from . import scenarios as s
from .pdfs import text

pytestmark = pytest.mark.django_db
BASE = "https://motcua.example.vn/"


def test_the_2025_stop_notice_says_at_the_applicants_request():
    stopped = s.stop(s.world_with(week=s.Week(datetime(2025, 9, 16, 9, tzinfo=VN_TZ))))
    notice = text(render_slip(stopped, "stop", base_url=BASE))
    assert "dừng giải quyết hồ sơ nêu trên theo đề nghị của ông/bà" in notice
    again = text(render_slip(stopped, "stop", base_url=BASE))
    assert again == notice  # a reprint is the same text
