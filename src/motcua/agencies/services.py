"""Writes to agencies: creation and moves keep the tree ``path`` right.

``path`` lists the ids from the root down to the agency ("/1/4/9/"), so a
subtree is one prefix query. Only these services write it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr

from motcua.core import clock
from motcua.core.dates import vn_date
from motcua.core.errors import DomainError

from .models import Agency, AgencyRename, Membership, Role
from .selectors import has_role


def _cycle_error() -> DomainError:
    return DomainError(
        "agency.cycle",
        "Không thể đặt cơ quan làm cấp dưới của chính nó"
        " hoặc của một đơn vị trực thuộc nó.",
    )


def _ancestor_ids(parent_id: int | None, own_id: int | None) -> list[int]:
    """Ids from ``parent_id`` up to the root, read from the database (not from
    stored paths, which may predate a move). Refuses a chain through ``own_id``."""
    ids: list[int] = []
    while parent_id is not None:
        if parent_id == own_id or parent_id in ids:
            raise _cycle_error()
        ids.append(parent_id)
        parent_id = (
            Agency.objects.filter(pk=parent_id)
            .values_list("parent_id", flat=True)
            .first()
        )
    return ids


def _path(ids_from_root: list[int]) -> str:
    return "/" + "".join(f"{pk}/" for pk in ids_from_root)


def agency_check_parent(agency: Agency, parent: Agency | None) -> None:
    """Refuse a parent that is the agency itself or one of its descendants."""
    _ancestor_ids(parent.pk if parent else None, agency.pk)


def _validate(agency: Agency) -> None:
    try:
        agency.full_clean(exclude=["path"])
    except ValidationError as exc:
        messages = [m for ms in exc.message_dict.values() for m in ms]
        raise DomainError("agency.invalid", " ".join(messages)) from exc


@transaction.atomic
def agency_save(agency: Agency) -> Agency:
    """Validate and save ``agency``; recompute the paths of it and its subtree
    (one UPDATE for the whole subtree when it moves)."""
    above = _ancestor_ids(agency.parent_id, agency.pk)
    _validate(agency)
    if agency.pk is None:  # the path needs the new id
        agency.save()
        agency.path = _path([*reversed(above), agency.pk])
        Agency.objects.filter(pk=agency.pk).update(path=agency.path)
        return agency
    stored = Agency.objects.filter(pk=agency.pk).values_list("path", flat=True)
    old_path = stored.first() or ""
    new_path = agency.path = _path([*reversed(above), agency.pk])
    agency.save()
    if old_path and old_path != new_path:
        # Every descendant keeps its tail below the moved agency.
        Agency.objects.filter(path__startswith=old_path).exclude(pk=agency.pk).update(
            path=Concat(
                Value(new_path),
                Substr("path", len(old_path) + 1),
                output_field=CharField(),
            )
        )
    elif not old_path:
        _rebuild_below(agency)
    return agency


def _rebuild_below(root: Agency) -> None:
    # Children saved before paths existed: walk them level by level.
    level = [root]
    while level:
        by_id = {a.pk: a for a in level}
        children = list(Agency.objects.filter(parent_id__in=by_id))
        for child in children:
            assert child.parent_id is not None
            child.path = f"{by_id[child.parent_id].path}{child.pk}/"
        Agency.objects.bulk_update(children, ["path"])
        level = children


def agency_create(**fields: Any) -> Agency:
    """Create an agency with its tree path set."""
    return agency_save(Agency(**fields))


@transaction.atomic
def agency_rebuild_paths() -> int:
    """Recompute every agency's path from the parent links; returns how many
    changed. For databases filled before paths were kept."""
    agencies = {a.pk: a for a in Agency.objects.all()}
    changed = []
    for agency in agencies.values():
        ids = [agency.pk]
        parent_id = agency.parent_id
        while parent_id is not None and parent_id not in ids:
            ids.append(parent_id)
            parent_id = agencies[parent_id].parent_id
        path = _path(list(reversed(ids)))
        if agency.path != path:
            agency.path = path
            changed.append(agency)
    Agency.objects.bulk_update(changed, ["path"])
    return len(changed)


# ------------------------------------------------------------ renames
@transaction.atomic
def agency_rename(agency: Agency, new_name: str, *, on: date) -> AgencyRename:
    """Record that ``agency`` is called ``new_name`` from ``on`` (a decision
    already in force: ``on`` no later than today). Earlier days keep the old
    name (``selectors.name_on``), so a slip printed for an earlier day does not
    change."""
    new_name = (new_name or "").strip()
    if not new_name:
        raise DomainError("agency.name_required", "Cần nhập tên mới của cơ quan.")
    Agency.objects.select_for_update().get(pk=agency.pk)  # one rename at a time
    agency.refresh_from_db()  # the caller's copy becomes the renamed agency
    if on > clock.today():
        raise DomainError(
            "agency.rename_in_future",
            f"Chỉ ghi nhận việc đổi tên đã có hiệu lực; ngày {vn_date(on)} chưa đến.",
        )
    last = agency.renames.order_by("-valid_from").first()
    if last is not None and on <= last.valid_from:
        raise DomainError(
            "agency.rename_order",
            f"{agency.name} đã đổi tên từ ngày {vn_date(last.valid_from)}; "
            "lần đổi tên mới phải từ sau ngày đó.",
        )
    if new_name == agency.name:
        raise DomainError("agency.same_name", f"Cơ quan đã có tên «{new_name}».")
    rename = AgencyRename.objects.create(
        agency=agency, old_name=agency.name, new_name=new_name, valid_from=on
    )
    agency.name = new_name
    agency_save(agency)
    return rename


# ------------------------------------------------------------ mergers
@dataclass
class MergerRecord:
    """What ``agency_merge`` changed, for the command's report."""

    successor: Agency
    on: date
    formers: list[Agency] = field(default_factory=list)
    counters: int = 0
    memberships: int = 0
    procedures: int = 0


def _merger_error(code: str, message: str) -> DomainError:
    return DomainError(f"agency.{code}", message)


def _check_merger(formers: list[Agency], successor: Agency, on: date) -> None:
    if not formers:
        raise _merger_error("merger_empty", "Cần ít nhất một cơ quan được sáp nhập.")
    if on > clock.today():
        raise _merger_error(
            "merger_in_future",
            f"Chỉ ghi nhận việc sáp nhập đã có hiệu lực; ngày {vn_date(on)} chưa đến.",
        )
    if successor.merged_into_id is not None:
        raise _merger_error(
            "successor_merged",
            f"{successor.name} đã được sáp nhập vào cơ quan khác, "
            "không thể nhận sáp nhập.",
        )
    for former in formers:
        if former.pk == successor.pk:
            raise _merger_error(
                "merger_into_itself",
                f"Không thể sáp nhập {former.name} vào chính nó.",
            )
        if former.merged_into_id is not None:
            raise _merger_error(
                "already_merged",
                f"{former.name} đã được sáp nhập từ ngày {vn_date(former.merged_on)}.",
            )
        if successor.path and former.path and successor.path.startswith(former.path):
            raise _merger_error(
                "merger_into_child",
                f"Không thể sáp nhập {former.name} vào đơn vị trực thuộc nó.",
            )


def _move_counters(former: Agency, successor: Agency) -> int:
    """The former agency's desks become the successor's; a number already used
    there takes the next free one (its name says where it came from)."""
    taken = set(successor.counters.values_list("number", flat=True))
    moved = 0
    for counter in former.counters.order_by("number"):
        if counter.number in taken:
            if not counter.name:
                counter.name = f"Quầy {counter.number} ({former.name})"
            counter.number = max(taken) + 1
        taken.add(counter.number)
        counter.agency = successor
        counter.save(update_fields=["agency", "number", "name"])
        moved += 1
    return moved


def _copy_memberships(former: Agency, successor: Agency) -> int:
    """Each active role held in the former agency is held in the successor too.
    The former role stays: the former agency's finished dossiers (results to
    hand over, records) are still worked by the same people."""
    added = 0
    for membership in former.memberships.filter(is_active=True):
        copy, created = Membership.objects.get_or_create(
            user_id=membership.user_id,
            agency=successor,
            role=membership.role,
            defaults={
                "covers_subtree": membership.covers_subtree,
                "is_active": True,
            },
        )
        if created:
            copy.fields.set(membership.fields.all())
            added += 1
    return added


def _offer_procedures(former: Agency, successor: Agency) -> int:
    """The successor offers every procedure its predecessor offered."""
    from motcua.catalog.models import Procedure  # the catalogue needs agencies

    through = Procedure.agencies.through
    have = set(
        through.objects.filter(agency_id=successor.pk).values_list(
            "procedure_id", flat=True
        )
    )
    missing = [
        through(procedure_id=pk, agency_id=successor.pk)
        for pk in through.objects.filter(agency_id=former.pk)
        .values_list("procedure_id", flat=True)
        .distinct()
        if pk not in have
    ]
    through.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@transaction.atomic
def agency_merge(formers: list[Agency], successor: Agency, *, on: date) -> MergerRecord:
    """Record that ``formers`` are merged into ``successor`` from ``on`` (an
    arrangement of administrative units already in force): from that day they
    receive nothing (``selectors.is_former``); their desks move to the successor,
    their staff's roles and their procedures are the successor's too. Their
    dossiers are moved by ``dossiers.services.agencies_merge``, which calls this."""
    ids = [a.pk for a in formers]
    locked = {a.pk: a for a in Agency.objects.select_for_update().filter(pk__in=ids)}
    formers = [locked[pk] for pk in ids]
    successor = Agency.objects.select_for_update().get(pk=successor.pk)
    _check_merger(formers, successor, on)
    record = MergerRecord(successor=successor, on=on, formers=formers)
    for former in formers:
        former.merged_into = successor
        former.merged_on = on
        former.save(update_fields=["merged_into", "merged_on", "updated_at"])
        record.counters += _move_counters(former, successor)
        record.memberships += _copy_memberships(former, successor)
        record.procedures += _offer_procedures(former, successor)
    return record


# ------------------------------------------------- public contacts (issue 13)
def parse_phone_lines(text: str) -> list[dict[str, str]]:
    """Lines "Họ tên | Chức vụ | Số điện thoại" (the title may be left out:
    "Họ tên | Số điện thoại") as ``{"name", "title", "phone"}``; blank lines
    are skipped. The rows are checked by ``validate_public_phones``."""
    rows = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        if len(parts) == 2:
            parts.insert(1, "")
        if len(parts) != 3:
            parts = [line.strip(), "", ""]  # refused below with the line's text
        rows.append({"name": parts[0], "title": parts[1], "phone": parts[2]})
    return rows


def phone_lines(rows: list[dict[str, str]]) -> str:
    """The inverse of ``parse_phone_lines``, for the form."""
    return "\n".join(
        " | ".join(
            [str(r.get("name", "")), str(r.get("title", "")), str(r.get("phone", ""))]
        )
        for r in rows or []
    )


CONTACT_LABELS = {
    "address": "Địa chỉ",
    "hotline": "Đường dây nóng",
    "leader_phones": "Số điện thoại lãnh đạo",
    "desk_phones": "Số điện thoại cán bộ một cửa",
}


@transaction.atomic
def agency_public_contacts_set(
    actor: Any,
    agency: Agency,
    *,
    address: str,
    hotline: str,
    leader_phones: list[dict[str, str]],
    desk_phones: list[dict[str, str]],
) -> Agency:
    """The agency's administrator publishes its address, hotline and the
    leaders' and desk officers' phone lines (the transparency page). All or
    nothing: a bad line refuses the whole change with its field named."""
    if not (
        getattr(actor, "is_superuser", False)
        or has_role(actor, agency, [Role.AGENCY_ADMIN])
    ):
        raise DomainError(
            "auth.forbidden",
            f"Chỉ quản trị của {agency.name} được sửa thông tin công khai.",
            status=403,
        )
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    locked.address = (address or "").strip()[:255]
    locked.hotline = (hotline or "").strip()
    locked.leader_phones = leader_phones
    locked.desk_phones = desk_phones
    try:
        locked.full_clean(
            exclude=[
                f.name
                for f in Agency._meta.fields
                if f.name not in {"address", "hotline", "leader_phones", "desk_phones"}
            ]
        )
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = CONTACT_LABELS.get(field, field)
        message = f"{label}: {messages[0]}"
        raise DomainError(f"agency.invalid_{field}", message) from None
    _check_hotline(locked.hotline)
    locked.save(update_fields=["address", "hotline", "leader_phones", "desk_phones"])
    return locked


def _check_hotline(hotline: str) -> None:
    digits = hotline.replace(" ", "").replace(".", "")
    if digits and not (digits.lstrip("+").isdigit() and 3 <= len(digits) <= 15):
        raise DomainError(
            "agency.invalid_hotline",
            "Đường dây nóng chỉ gồm chữ số (3–15 số, ví dụ 1022 hoặc 0236 3888 999).",
        )
