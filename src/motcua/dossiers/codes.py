"""Dossier codes (mã số hồ sơ): ``<agency part>-<YYMMDD>-<sequence>``, in the form
of the law in force on the day the code is given (``motcua.law``, keys
``code.format`` and ``code.centralised``; ADR 0015):

- until 30/06/2025 (Circular 01/2018/TT-VPCP Art. 19): the agency's QCVN 102
  code, e.g. ``000.00.15.H12-250630-0001``;
- from 01/07/2025 (Circular 03/2025/TT-VPCP Art. 13(1), chưa đối chiếu): the
  agency's electronic identifier under QĐ 20/2020/QĐ-TTg, e.g.
  ``H48.15.01-250701-0001`` — or its QCVN 102 code while it has none;
- from 25/01/2026, for a procedure set up as run on a nationwide centralised
  system (``CentralisedProcedure``; Art. 13(3) added by Circular 04/2025/TT-VPCP
  Art. 23(2)): ``H48.15.01-260126-AA0001``.

The sequence is zero-padded to at least 4 digits and grows past 9999
(``…-10000``); it never wraps. A code is stored once given and never recomputed:
a later rename, new identifier or merger does not change it.

One per-agency, per-day counter serves every form. It is incremented with one
``UPDATE … SET last = last + 1`` inside the reception's transaction: PostgreSQL
holds the row lock until commit (a second reception waits, then sees the new
value) and SQLite serialises writers (``BEGIN IMMEDIATE``). A reception that
fails rolls its number back, so no gap (ADR 0005).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import connections, router

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.core import configstamp
from motcua.law.keys import RuleKey
from motcua.law.selectors import Rules, rules_on

from .models import CentralisedProcedure, DailyCounter

CODE_RE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{4,})$")
FORMAT_2018 = "2018"
MIN_DIGITS = 4


@dataclass(frozen=True)
class CodeParts:
    agency: str  # the agency part as printed (QCVN 102 code or e-identifier)
    day: date
    system: str  # "AA" of a centralised-service code, else ""
    number: int


def format_code(agency_part: str, day: date, number: int, system: str = "") -> str:
    return f"{agency_part}-{day:%y%m%d}-{system}{number:0{MIN_DIGITS}d}"


def agency_part(agency: Agency, rules: Rules) -> str:
    """The agency part under ``rules``: the 2018 form names the QCVN 102 code;
    later forms the electronic identifier, else (none recorded) the QCVN code."""
    if rules[RuleKey.CODE_FORMAT] == FORMAT_2018 or not agency.e_identifier:
        return agency.code
    return agency.e_identifier


def system_code(procedure: Procedure | None, rules: Rules) -> str:
    """``AA`` when the centralised form applies to ``procedure`` under ``rules``."""
    if procedure is None or not rules[RuleKey.CODE_CENTRALISED]:
        return ""
    return configstamp.kept(
        _SYSTEM_CODES, procedure.pk, lambda: _system_code_of(procedure)
    )


# kept between requests until the list changes (ADR 0032)
_SYSTEM_CODES = configstamp.reader(
    "dossiers.system_code", "dossiers.CentralisedProcedure"
)


def _system_code_of(procedure: Procedure) -> str:
    found = CentralisedProcedure.objects.filter(procedure=procedure)
    return found.values_list("system_code", flat=True).first() or ""


def parse_code(code: str, *, system: str = "") -> CodeParts | None:
    """The parts of a code of our forms (``None`` if it is not one). ``system``:
    the ``AA`` expected before the sequence of a centralised-service code."""
    match = CODE_RE.match(code)
    if not match:
        return None
    raw = match["day"]
    try:
        day = date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:6]))
    except ValueError:
        return None
    digits = match["number"]
    found = ""
    if system and digits.startswith(system) and len(digits) >= len(system) + 4:
        found, digits = system, digits[len(system) :]
    return CodeParts(match["agency"], day, found, int(digits))


def _advance(agency: Agency, day: date) -> int:
    """The day's next number, in one statement (it was three): the day's row
    inserted at 1, or one added to it. The row stays locked until the
    reception commits, so numbers have no gaps (ADR 0005); PostgreSQL and
    SQLite (3.35 and later) both speak ``ON CONFLICT … RETURNING``."""
    db = connections[router.db_for_write(DailyCounter)]
    q = db.ops.quote_name
    table = q(DailyCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({q('agency_id')}, {q('day')}, {q('last')}) "
        f"VALUES (%s, %s, 1) ON CONFLICT ({q('agency_id')}, {q('day')}) "
        f"DO UPDATE SET {q('last')} = {table}.{q('last')} + 1 RETURNING {q('last')}"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [agency.pk, db.ops.adapt_datefield_value(day)])
        (number,) = cursor.fetchone()
    return int(number)


def next_code(agency: Agency, day: date, procedure: Procedure | None = None) -> str:
    """The next code of ``agency`` (the competent agency) for ``day``, in the
    form of the law in force that day (call inside a transaction)."""
    rules = rules_on(day)
    # Everything else first: the number's row stays locked until commit.
    prefix, system = agency_part(agency, rules), system_code(procedure, rules)
    return format_code(prefix, day, _advance(agency, day), system)


def reserve_code(agency: Agency, code: str, procedure: Procedure | None = None) -> None:
    """An imported code of our own form moves the day's counter past it, so the
    next live reception does not reuse its number (any length of sequence)."""
    parsed = parse_code(code)
    if parsed is None or parsed.agency not in {agency.code, agency.e_identifier}:
        return
    if len(code.rsplit("-", 1)[-1]) >= MIN_DIGITS + 2:  # room for AA + 4-digit sequence
        system = system_code(procedure, rules_on(parsed.day))
        if system:
            parsed = parse_code(code, system=system) or parsed
    DailyCounter.objects.bulk_create(
        [DailyCounter(agency=agency, day=parsed.day, last=0)], ignore_conflicts=True
    )
    DailyCounter.objects.filter(
        agency=agency, day=parsed.day, last__lt=parsed.number
    ).update(last=parsed.number)
