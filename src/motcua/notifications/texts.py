"""Rendering a message from its template row and variables.

Placeholders are ``{name}`` with a letter, digit or underscore name; nothing
else in a text is interpreted (an editor cannot reach code or attributes).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from motcua.core import configstamp
from motcua.core.errors import DomainError, NotFound

from .models import MessageTemplate

PLACEHOLDER = re.compile(r"\{(\w+)\}")

#: Variables a template may use, per event (the admin form checks them).
VARIABLES: dict[str, frozenset[str]] = {
    "received": frozenset({"code", "procedure", "due_date", "tracking_url"}),
    "supplement_requested": frozenset(
        {"code", "procedure", "missing_items", "reason", "tracking_url"}
    ),
    "refused": frozenset({"code", "procedure", "reason", "tracking_url"}),
    "extended": frozenset({"code", "procedure", "new_date", "reason", "tracking_url"}),
    "result_ready": frozenset({"code", "procedure", "tracking_url"}),
    "result_ready_early": frozenset({"code", "procedure", "due_date", "tracking_url"}),
    "returned": frozenset({"code", "procedure", "tracking_url", "rating_url"}),
    # to staff: a leader's reminder about a step they hold
    "reminder": frozenset({"code", "procedure", "step", "note", "leader"}),
    "assigned": frozenset({"code", "procedure", "step", "due_date", "by"}),
    # to staff, from ``motcua scheduler`` (notifications.scheduler)
    "due_soon": frozenset({"code", "procedure", "item", "unit", "due_date", "officer"}),
    "overdue": frozenset({"code", "procedure", "item", "unit", "due_date", "officer"}),
    "extension_due": frozenset(
        {"code", "procedure", "due_date", "notice_days", "leader"}
    ),
    "digest": frozenset(
        {
            "agency",
            "date",
            "leader",
            "overdue_count",
            "overdue_list",
            "late_steps_count",
            "by_unit",
            "by_officer",
        }
    ),
    "nightly_alert": frozenset({"date", "history_count", "figures_count", "problems"}),
}


#: Messages the recipient asked for this minute and that carry a secret (a
#: one-time code): sent at any hour (no SMS quiet hours: it would expire
#: unread), their variables erased once the gateway has answered, never shown
#: in the admin.
SECRET: set[str] = set()


def register(
    key: str, variables: frozenset[str] | set[str], *, secret: bool = False
) -> None:
    """Another app's message (a citizen's one-time code, a feedback answer…):
    call from its ``AppConfig.ready``; the admin form then checks its texts like
    these. A key is registered once, with one set of variables."""
    names = frozenset(variables)
    if VARIABLES.get(key, names) != names:
        raise ValueError(f"message key {key!r} already has other variables")
    VARIABLES[key] = names
    if secret:
        SECRET.add(key)


def render(text: str, variables: Mapping[str, Any]) -> str:
    return PLACEHOLDER.sub(lambda m: str(variables.get(m.group(1), "")), text)


def unknown_placeholders(key: str, text: str) -> list[str]:
    allowed = VARIABLES.get(key, frozenset())
    return sorted({name for name in PLACEHOLDER.findall(text)} - allowed)


_CURRENT = configstamp.reader("notifications.current", "notifications.MessageTemplate")


def current(key: str, channel: str) -> MessageTemplate:
    """The latest version of the text for ``key`` on ``channel`` (kept between
    requests until a text changes, ADR 0032: a copy of the row)."""
    row = configstamp.kept(
        _CURRENT,
        (key, channel),
        lambda: (
            MessageTemplate.objects.filter(key=key, channel=channel)
            .order_by("-version")
            .first()
        ),
    )
    if row is None:
        raise NotFound(
            "notifications.template_missing",
            f"Chưa có mẫu tin nhắn “{key}” cho kênh “{channel}”.",
        )
    return copy.copy(row)


def exact(key: str, channel: str, version: int) -> MessageTemplate:
    row = MessageTemplate.objects.filter(
        key=key, channel=channel, version=version
    ).first()
    if row is None:
        raise NotFound(
            "notifications.template_missing",
            f"Không còn mẫu tin nhắn “{key}” phiên bản {version} cho kênh “{channel}”.",
        )
    return row


def check(key: str, subject: str, body: str) -> None:
    """A text may use only its event's variables."""
    if key not in VARIABLES:
        raise DomainError(
            "notifications.unknown_event", f"Không có sự kiện “{key}” để gửi tin."
        )
    unknown = unknown_placeholders(key, subject + "\n" + body)
    if unknown:
        names = ", ".join("{" + n + "}" for n in unknown)
        raise DomainError(
            "notifications.unknown_variable",
            f"Mẫu tin nhắn dùng biến không có: {names}. Các biến được dùng: "
            + ", ".join("{" + n + "}" for n in sorted(VARIABLES[key]))
            + ".",
        )
