"""Settings of the feedback box: a Django setting of the same name wins, else
the environment variable, else the default."""

from __future__ import annotations

import os

from django.conf import settings

from motcua.core.errors import DomainError

# Working days to answer an item. A configurable default, not a legal figure:
# the legal basis (the rules on receiving and handling PAKN about
# administrative regulations and procedures) is "chưa đối chiếu" — set the
# figure your agency must meet.
DEFAULT_ANSWER_DAYS = 10
MAX_ANSWER_DAYS = 365


def answer_days() -> int:
    """``MOTCUA_FEEDBACK_ANSWER_DAYS`` (default 10 working days)."""
    raw = getattr(settings, "MOTCUA_FEEDBACK_ANSWER_DAYS", None)
    if raw is None:
        raw = os.environ.get("MOTCUA_FEEDBACK_ANSWER_DAYS", DEFAULT_ANSWER_DAYS)
    try:
        days = int(str(raw).strip())
    except ValueError:
        days = -1
    if not 1 <= days <= MAX_ANSWER_DAYS:
        raise DomainError(
            "feedback.bad_setting",
            "Cấu hình MOTCUA_FEEDBACK_ANSWER_DAYS phải là số ngày làm việc từ 1 "
            f"đến {MAX_ANSWER_DAYS}.",
        )
    return days
