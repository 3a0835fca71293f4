"""Dossier codes: ``<agency code>-<YYMMDD>-<NNNN>`` (Decree 61/2018 Art. 26,
Circular 01/2018/TT-VPCP Art. 19): a per-agency, per-day counter, unique and
without gaps even under concurrent receptions.

The counter row is incremented with one ``UPDATE … SET last = last + 1`` inside
the reception's transaction: PostgreSQL holds the row lock until commit (a second
reception waits, then sees the new value) and SQLite serialises writers
(``BEGIN IMMEDIATE``). A reception that fails rolls its number back, so no gap.
"""

from __future__ import annotations

import re
from datetime import date

from django.db.models import F

from motcua.agencies.models import Agency

from .models import DailyCounter

CODE_RE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{4,})$")


def format_code(agency_code: str, day: date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def next_code(agency: Agency, day: date) -> str:
    """The next code of ``agency`` for ``day`` (call inside a transaction)."""
    DailyCounter.objects.bulk_create(
        [DailyCounter(agency=agency, day=day, last=0)], ignore_conflicts=True
    )
    counter = DailyCounter.objects.filter(agency=agency, day=day)
    counter.update(last=F("last") + 1)
    number = counter.values_list("last", flat=True).get()
    return format_code(agency.code, day, number)


def reserve_code(agency: Agency, code: str) -> None:
    """An imported code of our own form moves the day's counter past it, so the
    next live reception does not reuse its number."""
    match = CODE_RE.match(code)
    if not match or match["agency"] != agency.code:
        return
    raw = match["day"]
    try:
        day = date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:6]))
    except ValueError:
        return
    number = int(match["number"])
    DailyCounter.objects.bulk_create(
        [DailyCounter(agency=agency, day=day, last=0)], ignore_conflicts=True
    )
    DailyCounter.objects.filter(agency=agency, day=day, last__lt=number).update(
        last=number
    )
