"""Which legal texts and rules apply: the one home of that question
(docs/development.md, "One home per rule"; ADR 0014).

A dossier follows the rules in force on its own **law day** — the Vietnam date
on which it was received (else submitted, else created) — for life: a dossier
received on 30/06/2025 keeps the 2018 rules, one received on 01/07/2025 follows
Decree 118/2025/NĐ-CP. Today's date never enters the choice, so a slip reprinted
a year later says what the first print said.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from django.db.models import Q

from motcua.core import configstamp
from motcua.core.dates import local

from .keys import Confidence, RuleKey
from .models import LegalRule


class HasLawDates(Protocol):
    """A dossier, as far as the law's choice is concerned."""

    received_at: datetime | None
    submitted_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class Rule:
    key: str
    value: str
    valid_from: date | None
    valid_to: date | None
    source: str
    confidence: str

    @property
    def confirmed(self) -> bool:
        return self.confidence == Confidence.CONFIRMED


NO_RULE = Rule("", "", None, None, "", Confidence.UNVERIFIED)


class Rules:
    """The rules in force on one day: ``rules["forms.set"]`` is the value
    (``""`` when no row covers the day), ``rules.rule(key)`` the whole row."""

    def __init__(self, day: date, rows: dict[str, Rule]) -> None:
        self.day = day
        self._rows = rows

    @property
    def rows(self) -> dict[str, Rule]:
        return self._rows

    def __getitem__(self, key: str) -> str:
        return self.rule(key).value

    def rule(self, key: str) -> Rule:
        return self._rows.get(key, NO_RULE)

    def __repr__(self) -> str:
        return f"Rules({self.day}, {sorted(self._rows)})"


def law_day(dossier: HasLawDates) -> date:
    """The date whose rules the dossier follows for life (Vietnam time)."""
    moment = dossier.received_at or dossier.submitted_at or dossier.created_at
    return local(moment).date()


class _Pinned:
    """Rules already read, by day and by stretch of days: the rules in force
    change only on a row's ``valid_from`` or the day after its ``valid_to``, so
    every day between two such boundaries has the rules of any one of them. The
    boundaries are read only when a second day is asked for (one action asks
    for one day: one query)."""

    def __init__(self) -> None:
        self._bounds: list[date] | None = None
        self.rules: dict[int, Rules] = {}
        self.days: dict[date, Rules] = {}

    @property
    def bounds(self) -> list[date]:
        if self._bounds is None:
            bounds: set[date] = set()
            for start, end in LegalRule.objects.values_list("valid_from", "valid_to"):
                if start is not None:
                    bounds.add(start)
                if end is not None and end < date.max:
                    bounds.add(end + timedelta(days=1))
            self._bounds = sorted(bounds)
            for day, rules in self.days.items():
                self.rules.setdefault(bisect_right(self._bounds, day), rules)
        return self._bounds


_pinned: ContextVar[_Pinned | None] = ContextVar("motcua_pinned_rules", default=None)


@contextmanager
def pinned_rules() -> Iterator[None]:
    """Within the block the rules are read once for each stretch of days (bulk
    work that changes no rule: one dossier action, the historical import).
    Nested blocks share the outer one's."""
    outer = _pinned.get()
    token = _pinned.set(_Pinned() if outer is None else outer)
    try:
        yield
    finally:
        _pinned.reset(token)


def rules_on(day: date) -> Rules:
    """Every rule in force on ``day`` (one query; within :func:`pinned_rules`,
    one for each stretch of days with the same rules)."""
    pinned = _pinned.get()
    if pinned is None:
        return _read_rules(day)
    if day in pinned.days:
        return pinned.days[day]
    if not pinned.days:  # the first day asked for: no boundary needed yet
        rules = pinned.days[day] = _read_rules(day)
        return rules
    stretch = bisect_right(pinned.bounds, day)
    if stretch not in pinned.rules:
        pinned.rules[stretch] = _read_rules(day)
    rules = pinned.days[day] = Rules(day, pinned.rules[stretch].rows)
    return rules


_RULES = configstamp.reader("law.rules", "law.LegalRule")


def _read_rules(day: date) -> Rules:
    """The rules of ``day``, kept between requests until a rule changes
    (ADR 0032)."""
    return configstamp.kept(_RULES, day, lambda: _rules_from_rows(day))


def _rules_from_rows(day: date) -> Rules:
    """Should two rows of one key overlap (the admin form refuses it), the one
    that starts later wins."""
    covering = LegalRule.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    ).order_by("key", "valid_from")
    rows: dict[str, Rule] = {}
    for row in covering:  # nulls sort first on SQLite, last on PostgreSQL
        current = rows.get(row.key)
        if current and (row.valid_from or date.min) < (current.valid_from or date.min):
            continue
        rows[row.key] = Rule(
            row.key,
            row.value,
            row.valid_from,
            row.valid_to,
            row.source,
            row.confidence,
        )
    return Rules(day, rows)


def rules_for(dossier: HasLawDates) -> Rules:
    """The rules this dossier follows (those in force on its law day)."""
    return rules_on(law_day(dossier))


def rule_for(key: RuleKey | str, dossier: HasLawDates) -> str:
    """One rule's value for this dossier."""
    return rules_for(dossier)[str(key)]
