"""The scheduler's integration job: the request log's bounded retention."""

from __future__ import annotations

from datetime import datetime

from .selectors import log_days
from .services import requests_purge


def purge_request_log(now: datetime) -> int:
    """``integration_client purge`` once a night (``MOTCUA_CLIENT_LOG_DAYS``)."""
    return requests_purge(log_days(), now)
