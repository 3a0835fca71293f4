"""Writes to agencies: creation and moves keep the tree ``path`` right."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from motcua.core.errors import DomainError

from .models import Agency


def _path_for(agency: Agency) -> str:
    prefix = agency.parent.path if agency.parent_id and agency.parent else "/"
    return f"{prefix}{agency.pk}/"


@transaction.atomic
def agency_save(agency: Agency) -> Agency:
    """Validate and save ``agency``; recompute the paths of it and its subtree."""
    if agency.pk and agency.parent_id:
        ancestor = agency.parent
        while ancestor is not None:
            if ancestor.pk == agency.pk:
                raise DomainError(
                    "agency.cycle", "Không thể đặt cơ quan làm cấp dưới của chính nó."
                )
            ancestor = ancestor.parent
    old_path = agency.path
    agency.full_clean(exclude=["path"])
    agency.save()
    new_path = _path_for(agency)
    if new_path != old_path:
        Agency.objects.filter(pk=agency.pk).update(path=new_path)
        agency.path = new_path
        if old_path:
            for child in Agency.objects.filter(path__startswith=old_path).exclude(
                pk=agency.pk
            ):
                Agency.objects.filter(pk=child.pk).update(
                    path=new_path + child.path[len(old_path) :]
                )
    return agency


def agency_create(**fields: Any) -> Agency:
    return agency_save(Agency(**fields))
