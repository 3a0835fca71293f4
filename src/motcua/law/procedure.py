"""The procedure rules that come from a legal text, by period (issue 10; ADR 0016):
the one function of each, called by every service, screen and API that applies
it. Each reads its :class:`~motcua.law.models.LegalRule` row for the dossier's
**law day** (:func:`motcua.law.selectors.law_day`), so a dossier received on
30/06/2025 keeps the 2018 rule for life and one received from 01/07/2025 follows
the Decree 118/2025 period, whatever an administrator later sets for another
period. When no row covers the day (a database not yet seeded) each function
answers the 2018 rule, the behaviour before these rules became data.

The values are checked when an administrator saves a row (:func:`check_value`),
so reading them never fails.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from motcua.core.dates import local
from motcua.core.errors import DomainError

from .keys import RuleKey
from .selectors import HasLawDates, law_day, rule_for, rules_on

RESTART, SHIFT = "restart", "shift"
STOP_BY_AGENCY, STOP_AT_REQUEST = "agency", "applicant"
PACK_2018, PACK_766 = "2018", "766"

# The 2018 rules (Decree 61/2018, Circular 01/2018): the answer when no row
# covers a day, and the values the seed keeps for the Decree 118 period where
# LAW-2025.md found no text.
DEFAULTS: dict[str, str] = {
    RuleKey.SUPPLEMENT_WINDOW: "3",
    RuleKey.SUPPLEMENT_RESTART: RESTART,
    RuleKey.SAME_DAY_CUTOFF: "15:00",
    RuleKey.EXTENSION_NOTICE: "1",
    RuleKey.EXTENSION_LIMIT: "1",
    RuleKey.STOP_RULE: STOP_BY_AGENCY,
    RuleKey.EVALUATION_PACK: PACK_2018,
}

Day = date | datetime | HasLawDates


def _day(when: Day) -> date:
    """A dossier → its law day; an instant → its Vietnam date; a date as is."""
    if isinstance(when, datetime):
        return local(when).date()
    if isinstance(when, date):
        return when
    return law_day(when)


def _value(key: RuleKey, when: Day) -> str:
    rule = rules_on(_day(when)).rule(str(key))
    if not rule.key:  # no row covers the day
        return DEFAULTS[key]
    return rule.value.strip()


# ------------------------------------------------------------ the rules
def supplement_window_days(when: Day) -> int:
    """Working days after reception within which the settling side may still ask
    for a supplement (Decree 61/2018 Art. 19(4): 3; Decree 118: kept)."""
    return int(_value(RuleKey.SUPPLEMENT_WINDOW, when))


def supplement_policy(when: Day, agency_policy: str = RESTART) -> str:
    """After a supplement, does the legal time run again in full (``restart``,
    Decree 61/2018 Art. 19(4)) or move by the time waited (``shift``)? An
    agency set to ``shift`` keeps its local practice; otherwise the period's rule
    decides."""
    if agency_policy == SHIFT:
        return SHIFT
    return _value(RuleKey.SUPPLEMENT_RESTART, when)


def same_day_cutoff(when: Day) -> time | None:
    """The cut-off of a same-day procedure: received on a working day after it →
    due the next working day (Decree 61/2018 Art. 18: 15:00). None: no cut-off."""
    value = _value(RuleKey.SAME_DAY_CUTOFF, when)
    return _parse_time(value) if value else None


def extension_notice_days(when: Day) -> int:
    """Working days before the due date by which the apology and new date must be
    issued (Decree 61/2018 Art. 19(8)(c): 1)."""
    return int(_value(RuleKey.EXTENSION_NOTICE, when))


def extension_once(when: Day) -> bool:
    """A dossier is extended once at most (Decree 61/2018 Art. 19(8)(c))."""
    return _value(RuleKey.EXTENSION_LIMIT, when) == "1"


def stop_at_request(when: Day) -> bool:
    """From 01/07/2025 stopping (Form 05) is at the applicant's request and only
    before any decision or result notice (Decree 118/2025 Art. 21; Circular
    03/2025 Art. 7). Before: the agency stops, with its reason."""
    return _value(RuleKey.STOP_RULE, when) == STOP_AT_REQUEST


def evaluation_pack(when: Day) -> str:
    """Which evaluation pack applies: ``2018`` (Circular 01/2018 Art. 12–15, nine
    indicators) or ``766`` (Decision 766/QĐ-TTg index)."""
    return _value(RuleKey.EVALUATION_PACK, when)


def supplement_cite(dossier: HasLawDates) -> str:
    return rule_for(RuleKey.CITE_SUPPLEMENT, dossier)


def check_supplement_window(dossier: HasLawDates, elapsed: timedelta) -> None:
    """Refuse a supplement request made later than the dossier's window, with
    the text of the dossier's day (none cited when it is not verified)."""
    days = supplement_window_days(dossier)
    if elapsed <= timedelta(hours=8 * days):
        return
    cite = supplement_cite(dossier)
    raise DomainError(
        "dossier.supplement_too_late",
        f"Chỉ được yêu cầu bổ sung trong {days:02d} ngày làm việc kể từ ngày tiếp "
        "nhận" + (f" ({cite})." if cite else "."),
    )


# ------------------------------------------------------------ admin checks
def _parse_time(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


def _bad(message: str) -> DomainError:
    return DomainError("law.invalid_value", message)


_CHOICES: dict[str, tuple[tuple[str, ...], str]] = {
    RuleKey.SUPPLEMENT_RESTART: (
        (RESTART, SHIFT),
        "Giá trị phải là «restart» (tính lại thời hạn từ đầu) hoặc «shift» (lùi "
        "hạn theo thời gian chờ bổ sung).",
    ),
    RuleKey.EXTENSION_LIMIT: (
        ("1", ""),
        "Giá trị phải là «1» (chỉ gia hạn một lần) hoặc để trống (không giới hạn "
        "số lần).",
    ),
    RuleKey.STOP_RULE: (
        (STOP_BY_AGENCY, STOP_AT_REQUEST),
        "Giá trị phải là «agency» (cơ quan dừng giải quyết) hoặc «applicant» "
        "(theo đề nghị của người nộp, trước khi có quyết định).",
    ),
    RuleKey.EVALUATION_PACK: (
        (PACK_2018, PACK_766),
        "Giá trị phải là «2018» (Thông tư 01/2018) hoặc «766» (Quyết định 766/QĐ-TTg).",
    ),
}


def check_value(key: str, value: str) -> None:
    """A procedure rule's value is one the functions above understand (other
    keys are free text). Called by the admin form before a row is saved."""
    value = (value or "").strip()
    if key in (RuleKey.SUPPLEMENT_WINDOW, RuleKey.EXTENSION_NOTICE):
        if not (value.isascii() and value.isdigit() and int(value) <= 60):
            raise _bad("Giá trị phải là số ngày làm việc, từ 0 đến 60 (ví dụ: 3).")
    elif key == RuleKey.SAME_DAY_CUTOFF and value:
        try:
            _parse_time(value)
        except ValueError:
            raise _bad(
                "Giờ chốt phải có dạng GG:PP (ví dụ: 15:00), hoặc để trống nếu "
                "không có giờ chốt."
            ) from None
    elif key in _CHOICES and value not in _CHOICES[key][0]:
        raise _bad(_CHOICES[key][1])
