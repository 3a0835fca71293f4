"""Who may see and do what, by agency and role (ARCHITECTURE principle 7).

Every check is set-based: ``visible_agencies(user)`` is one subquery that a list
filters on, whatever the number of agencies or roles.

A monitor whose membership ``covers_subtree`` holds the monitor role in every
agency below theirs too: ``has_role``/``user_roles`` see it through the
agency's ``path`` (its ancestors' ids), ``visible_agencies`` through a path
prefix test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.lookups import StartsWith

from motcua.core import clock
from motcua.core.statements import Statement

from .models import Agency, AgencyRename, Membership, Role


def _is_active_user(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
    )


def _is_system_admin(user: Any) -> bool:
    return _is_active_user(user) and bool(getattr(user, "is_superuser", False))


def memberships(user: Any) -> QuerySet[Membership]:
    """The active memberships of an active, logged-in ``user``."""
    if not _is_active_user(user):
        return Membership.objects.none()
    return _active_memberships(user.pk)


def _active_memberships(users: Any) -> QuerySet[Membership]:
    """The active memberships of ``users``: a user's id, or a query of ids."""
    lookup = "user_id__in" if isinstance(users, QuerySet) else "user_id"
    return Membership.objects.filter(is_active=True, **{lookup: users})


def held_rows(users: Any) -> QuerySet[Membership, Any]:
    """What ``held_roles`` reads of the active memberships of ``users`` (a
    user's id, or a query of user ids): one row per membership and field."""
    return _active_memberships(users).values_list(
        "pk", "agency_id", "role", "covers_subtree", "fields"
    )


# What ``held_roles`` reads, on nearly every request (ADR 0033: compiled once).
_HELD: Statement[tuple[int, int, str, bool, int | None]] = Statement(
    lambda user_id: held_rows(user_id), user_id=int
)


def is_staff_account(user: Any) -> bool:
    """A staff account: ``is_staff``, a superuser, or holding any agency role,
    active or not (a suspended officer is still not a citizen's account). The
    active roles come from ``held_roles`` (read once per request); only an
    account without one costs a query of its own."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    # answered once per user object, like a reverse relation Django caches on
    # it (getattr: through a request's lazy user too)
    any_role = getattr(user, "_motcua_any_role", None)
    if any_role is None:
        any_role = bool(user.is_active and held_roles(user).memberships) or bool(
            user.memberships.exists()
        )
        user._motcua_any_role = any_role
    return bool(any_role)


def is_staff_member(user: Any) -> bool:
    """Whether ``user`` is a staff account: a system admin or someone holding at
    least one active role."""
    return _is_system_admin(user) or memberships(user).exists()


def ancestor_ids(agency: Agency) -> list[int]:
    """Ids of ``agency`` and the agencies above it, read from its ``path``."""
    ids = [int(part) for part in agency.path.strip("/").split("/") if part]
    return ids or [agency.pk]


class HeldRoles:
    """The active memberships of one user, read in one query: the roles held in
    an agency are those of a membership in it, or a monitor's covering it from
    above (its ``path``); a specialist limited to some fields holds the role
    only for dossiers of those fields."""

    def __init__(self, rows: Iterable[tuple[int, int, str, bool, int | None]]) -> None:
        # membership id → (agency id, role, covers subtree, its fields)
        self.memberships: dict[int, tuple[int, str, bool, set[int]]] = {}
        for pk, agency_id, role, covers, field_id in rows:
            held = self.memberships.setdefault(pk, (agency_id, role, covers, set()))
            if field_id is not None:
                held[3].add(field_id)

    def _in(self, agency: Agency) -> list[tuple[int, str, bool, set[int]]]:
        above: list[int] | None = None
        found = []
        for held in self.memberships.values():
            agency_id, role, covers, _ = held
            if agency_id == agency.pk:
                found.append(held)
            elif role == Role.MONITOR and covers:
                above = ancestor_ids(agency) if above is None else above
                if agency_id in above:
                    found.append(held)
        return found

    def roles_in(self, agency: Agency) -> set[str]:
        return {role for _, role, _, _ in self._in(agency)}

    def has(
        self, agency: Agency, roles: Iterable[str], field_id: int | None = None
    ) -> bool:
        wanted = set(roles)
        return any(
            role in wanted
            and (
                field_id is None
                or role != Role.SPECIALIST
                or not fields
                or field_id in fields
            )
            for _, role, _, fields in self._in(agency)
        )

    def anywhere(self, roles: Iterable[str]) -> bool:
        wanted = set(roles)
        return any(role in wanted for _, role, _, _ in self.memberships.values())

    def covers_a_subtree(self) -> bool:
        """Whether one of these is a monitor's covering the agencies below."""
        return any(
            role == Role.MONITOR and covers
            for _, role, covers, _ in self.memberships.values()
        )

    def agency_ids(self) -> list[int]:
        """The agencies of these memberships (each once, in id order)."""
        return sorted({agency_id for agency_id, _, _, _ in self.memberships.values()})


# Set by ``roles_read_once``: what was read of each user during one request,
# by (what, user id).
_READ_ONCE: ContextVar[dict[tuple[str, Any], Any] | None] = ContextVar(
    "motcua_roles_read_once", default=None
)


@contextmanager
def roles_read_once() -> Iterator[None]:
    """Within this block (one request that changes no membership: any GET,
    HEAD or OPTIONS by ``agencies.middleware``, and the dossier API) each
    user's memberships (``held_roles``) and visible agencies
    (``visible_agency_ids``) are read once; outside it, at every call. A
    nested block shares the outer one's reads (the same request)."""
    outer = _READ_ONCE.get()
    token = _READ_ONCE.set({} if outer is None else outer)
    try:
        yield
    finally:
        _READ_ONCE.reset(token)


def held_roles(user: Any) -> HeldRoles:
    """The memberships of an active, logged-in ``user`` (none otherwise)."""
    if not _is_active_user(user):
        return HeldRoles(())
    return _read_once("roles", user, lambda: HeldRoles(_HELD.all(user_id=user.pk)))


def roles_read_once_here() -> bool:
    """Whether a ``roles_read_once`` block is open: a caller that reads a
    user's memberships with other rows (an API key's, ADR 0035) gives them to
    :func:`roles_found`."""
    return _READ_ONCE.get() is not None


def roles_found(user: Any, rows: list[tuple[int, int, str, bool, int | None]]) -> None:
    """The memberships of ``user`` read by the caller (``held_rows``, in the
    same request): ``held_roles``' answer in this ``roles_read_once`` block."""
    cache = _READ_ONCE.get()
    if cache is not None and _is_active_user(user):
        cache.setdefault(("roles", user.pk), HeldRoles(rows))


def _read_once(what: str, user: Any, read: Callable[[], Any]) -> Any:
    cache = _READ_ONCE.get()
    if cache is None:
        return read()
    key = (what, user.pk)
    if key not in cache:
        cache[key] = read()
    return cache[key]


def user_roles(user: Any, agency: Agency) -> set[str]:
    """The roles ``user`` holds in ``agency`` (a system admin holds them all)."""
    if _is_system_admin(user):
        return {r.value for r in Role}
    return held_roles(user).roles_in(agency)


def has_role(
    user: Any, agency: Agency, roles: Iterable[str], *, field_id: int | None = None
) -> bool:
    """Whether ``user`` holds one of ``roles`` in ``agency``. A specialist limited
    to some fields holds the role only for dossiers of those fields."""
    if _is_system_admin(user):
        return True
    return held_roles(user).has(agency, roles, field_id)


def visible_agencies(user: Any) -> QuerySet[Agency]:
    """Agencies whose dossiers ``user`` may read: those where they hold a role,
    plus the subtrees of monitors who cover them. One query when evaluated, and
    usable as a subquery (``agency__in=visible_agencies(user)``)."""
    if _is_system_admin(user):
        return Agency.objects.all()
    if not _is_active_user(user):
        return Agency.objects.none()
    return _visible_to(user.pk)


def _visible_to(user_id: int) -> QuerySet[Agency]:
    """``visible_agencies`` of an active user who is not a system
    administrator."""
    mine = _active_memberships(user_id)
    direct = Q(id__in=mine.values("agency_id"))
    # The outer agency's path starts with the path of an agency the user
    # monitors with its subtree. An empty path (an agency saved without
    # agency_save) would be a prefix of everything: never use it.
    covering = Exists(
        mine.filter(role=Role.MONITOR, covers_subtree=True)
        .exclude(agency__path="")
        .filter(StartsWith(OuterRef("path"), F("agency__path")))
    )
    return Agency.objects.filter(direct | covering)


def visible_agency_ids(user: Any) -> list[int]:
    """The ids of ``visible_agencies(user)`` (at most one query, once per
    request within ``roles_read_once``)."""
    return seen_agencies(user).ids


def sees_every_agency(user: Any) -> bool:
    """Whether ``visible_agencies(user)`` is every agency of the deployment (a
    system administrator; a province's monitor covering its whole tree): then
    every dossier is visible, whatever agency holds, received or consults on it,
    and a list need not filter at all (issue 15: the province monitor's page
    compiled four sub-queries of its 500 agencies). Read with the ids
    (``visible_agency_ids``), in the same statement: no query of its own."""
    return _is_system_admin(user) or seen_agencies(user).every


@dataclass(frozen=True)
class SeenAgencies:
    ids: list[int]  # ``visible_agencies``
    every: bool  # they are every agency (``sees_every_agency``)


def seen_agencies(user: Any) -> SeenAgencies:
    """Both answers at once (one read, where a caller needs both outside
    ``roles_read_once``)."""
    if not _is_active_user(user):
        return SeenAgencies([], False)
    return _read_once("visible", user, lambda: _read_seen(user))


def _read_seen(user: Any) -> SeenAgencies:
    """Without a monitor's subtree, the agencies ``visible_agencies`` finds are
    those of the memberships ``held_roles`` has read already (no query within
    ``roles_read_once``; such a user is not said to see every agency, which is
    only a shortcut); with one, the paths must be compared in SQL, and the same
    statement counts the agencies there are."""
    if _is_system_admin(user):
        return SeenAgencies(
            list(Agency.objects.order_by("pk").values_list("pk", flat=True)), True
        )
    held = held_roles(user)
    if not held.covers_a_subtree():
        return SeenAgencies(held.agency_ids(), False)
    rows = _SEEN.all(user_id=user.pk)
    every = bool(rows) and len(rows) == rows[0][1]
    return SeenAgencies([pk for pk, _ in rows], every)


def _with_how_many(agencies: QuerySet[Agency]) -> QuerySet[Any]:
    """``(id, number of agencies there are)`` of each of ``agencies``."""
    everyone = (
        Agency.objects.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return agencies.order_by("pk").values_list(
        "pk", Subquery(everyone, output_field=IntegerField())
    )


# What a monitor of a subtree sees, read once per request (ADR 0033: compiled
# once per connection; a province's monitor asks it on every page).
_SEEN: Statement[tuple[int, int]] = Statement(
    lambda user_id: _with_how_many(_visible_to(user_id)), user_id=int
)


def subtree(agency: Agency) -> QuerySet[Agency]:
    """The agency and every agency below it."""
    if not agency.path:  # not saved through agency_save: only itself is known
        return Agency.objects.filter(pk=agency.pk)
    return Agency.objects.filter(path__startswith=agency.path)


def province_of(agency: Agency) -> int | None:
    """The id of the province-level agency above (or equal to) ``agency``, read
    from its ``path`` (one query); ``None`` when it has none."""
    ids = ancestor_ids(agency)
    provinces = set(
        Agency.objects.filter(pk__in=ids, level=Agency.Level.PROVINCE).values_list(
            "pk", flat=True
        )
    )
    return next((pk for pk in ids if pk in provinces), None)


def same_province(one: Agency, other: Agency) -> bool:
    """Whether both agencies belong to one province (Decree 118/2025: a centre
    receives regardless of administrative boundary within its province)."""
    province = province_of(one)
    return province is not None and province == province_of(other)


# ------------------------------------------------ mergers and renames (on a day)
def is_former(agency: Agency, day: date) -> bool:
    """Whether ``agency`` had been merged into another by ``day`` (from its
    ``merged_on`` it receives nothing; its successor does). No query."""
    return (
        agency.merged_into_id is not None
        and agency.merged_on is not None
        and agency.merged_on <= day
    )


def successor_on(agency: Agency, day: date) -> Agency | None:
    """The agency that does the work of ``agency`` on ``day`` when it is a former
    one (following later mergers of the successor too), else ``None``."""
    if not is_former(agency, day):
        return None
    current, seen = agency, {agency.pk}
    while is_former(current, day):
        assert current.merged_into is not None
        current = current.merged_into
        if current.pk in seen:  # pragma: no cover - agency_merge refuses cycles
            break
        seen.add(current.pk)
    return current


def former_on(day: date) -> Q:
    """A filter for agencies that are former ones on ``day`` (``successor_on``'s
    rule as a query)."""
    return Q(merged_into__isnull=False, merged_on__lte=day)


def name_on(agency: Agency, day: date) -> str:
    """The agency's name on ``day``: the old name of the first rename after that
    day, else the name in use now."""
    later = (
        AgencyRename.objects.filter(agency=agency, valid_from__gt=day)
        .order_by("valid_from")
        .values_list("old_name", flat=True)
        .first()
    )
    return later if later is not None else agency.name


def public_agencies(
    *, parent_code: str | None = None, level: str | None = None
) -> QuerySet[Agency]:
    """Active agencies as published (code, name, level, parent, contacts); a
    former agency (merged into another) is no longer published."""
    rows = (
        Agency.objects.filter(is_active=True)
        .exclude(former_on(clock.today()))
        .select_related("parent")
    )
    if parent_code:
        rows = rows.filter(parent__code=parent_code)
    if level:
        rows = rows.filter(level=level)
    return rows.order_by("code")
