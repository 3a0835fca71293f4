"""Writes to agencies: creation and moves keep the tree ``path`` right.

``path`` lists the ids from the root down to the agency ("/1/4/9/"), so a
subtree is one prefix query. Only these services write it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr

from motcua.core.errors import DomainError

from .models import Agency


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
