"""The session store: Django's database sessions, read with a statement
compiled once per connection (ADR 0033), since every signed-in request reads
its session first. Same table, same rows, same expiry rule."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from .statements import Statement

_LIVE: Statement[Session] = Statement(
    lambda key, after: Session.objects.filter(session_key=key, expire_date__gt=after),
    key=str,
    after=datetime,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        found = _LIVE.first(key=self.session_key, after=timezone.now())
        if found is None:
            self._session_key = None
        return found
