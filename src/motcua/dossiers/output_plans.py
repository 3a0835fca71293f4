"""The dossier API's output serializers without DRF's per-field machinery.

DRF builds a ``ModelSerializer``'s fields by introspecting the model on every
serializer instance (a third of a dossier's detail), then, for every field of
every row, resolves its source and converts the value through generic code.
A ``Plan`` does the same work with what DRF declared, read once per class:
for each readable field its getter and converter, the common types (text,
numbers, booleans, dates and times, nested serializers, lists, methods)
converted directly and anything else by the field itself. The output is the
same dict DRF makes (tests/perf/test_serializer_output.py compares them byte
for byte); a value DRF would treat specially (a callable, a missing
attribute, a naive datetime, a mapping) goes through the field's own code.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from datetime import date, datetime
from types import FunctionType, MethodType
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.manager import BaseManager
from django.utils import timezone
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

_SPECIAL = (MethodType, FunctionType)
_MISSING = object()
Convert = Callable[[Any, "Bound"], Any]


class Bound:
    """The live serializers of one output: the root (with the request in its
    context) and one instance per nested class whose methods are called."""

    def __init__(self, root: serializers.Serializer) -> None:
        self.root = root
        self.instances: dict[type[Any], Any] = {type(root): root}
        # the zone DRF's DateTimeField asks for at every value: asked once
        self.zone = timezone.get_current_timezone()

    def of(self, cls: type[Any]) -> Any:
        found = self.instances.get(cls)
        if found is None:
            found = self.instances[cls] = cls(context=self.root.context)
        return found


def _iso_datetime(value: Any, zone: Any) -> Any:
    if type(value) is not datetime or value.tzinfo is None:
        return _MISSING
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _simple(field: serializers.Field) -> Convert | None:
    """Text, numbers, booleans, dates and times (``None``: not one of them)."""
    kind, slow = type(field), field.to_representation
    if kind is serializers.CharField:
        return lambda value, bound: str(value)
    if kind is serializers.IntegerField:
        return lambda value, bound: int(value)
    if kind is serializers.BooleanField:
        return lambda value, bound: value if type(value) is bool else slow(value)
    if kind is serializers.DateTimeField and _plain_datetimes(field):

        def as_datetime(value: Any, bound: Bound) -> Any:
            text = _iso_datetime(value, bound.zone)
            return slow(value) if text is _MISSING else text

        return as_datetime
    if kind is serializers.DateField and _plain_dates(field):
        return lambda value, bound: (
            value.isoformat() if type(value) is date else slow(value)
        )
    return None


def _converter(field: serializers.Field) -> Convert:
    """How to turn a non-null attribute into what ``field.to_representation``
    returns (anything unusual is handed to the field itself)."""
    simple = _simple(field)
    if simple is not None:
        return simple
    if isinstance(field, serializers.ListSerializer) and _plannable(field.child):
        child = plan_of(cast(serializers.Serializer, field.child))

        def as_list(value: Any, bound: Bound) -> Any:
            rows = value.all() if isinstance(value, BaseManager) else value
            return [child.render(row, bound) for row in rows]

        return as_list
    if _plannable(field):
        nested = plan_of(cast(serializers.Serializer, field))
        return lambda value, bound: nested.render(value, bound)
    if type(field) is serializers.SerializerMethodField:
        owner, name = type(field.parent), field.method_name
        return lambda value, bound: getattr(bound.of(owner), name)(value)
    return lambda value, bound: field.to_representation(value)


def _plain_datetimes(field: serializers.Field) -> bool:
    output = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        settings.USE_TZ
        and not hasattr(field, "timezone")
        and isinstance(output, str)
        and output.lower() == api_settings.DATETIME_FORMAT.lower() == "iso-8601"
    )


def _plain_dates(field: serializers.Field) -> bool:
    output = getattr(field, "format", api_settings.DATE_FORMAT)
    return isinstance(output, str) and output.lower() == "iso-8601"


def _plannable(field: Any) -> bool:
    return isinstance(field, serializers.Serializer) and not isinstance(
        field, serializers.ListSerializer
    )


class _Step:
    __slots__ = ("convert", "field", "get", "identity", "name")

    def __init__(self, field: serializers.Field) -> None:
        self.name = cast(str, field.field_name)
        self.field = field
        self.identity = field.source == "*"
        attrs = ".".join(field.source_attrs)
        self.get = None if self.identity else operator.attrgetter(attrs)
        related = isinstance(field, serializers.RelatedField)
        self.convert = None if related else _converter(field)


class Plan:
    """One serializer class's fields, read once (``plan_of``)."""

    def __init__(self, template: serializers.Serializer) -> None:
        self.steps = [
            _Step(field) for field in template.fields.values() if not field.write_only
        ]

    def render(self, instance: Any, bound: Bound) -> dict[str, Any]:
        if isinstance(instance, Mapping):
            raise TypeError("a Plan renders model instances, not mappings")
        out: dict[str, Any] = {}
        for step in self.steps:
            if step.convert is None:  # related fields: DRF's own pk shortcut
                self._as_drf(step.field, instance, out)
                continue
            if step.identity:
                value = instance
            else:
                try:
                    value = step.get(instance)  # type: ignore[misc]
                except (AttributeError, KeyError, ObjectDoesNotExist):
                    self._as_drf(step.field, instance, out)
                    continue
                if type(value) in _SPECIAL:
                    self._as_drf(step.field, instance, out)
                    continue
            out[step.name] = None if value is None else step.convert(value, bound)
        return out

    @staticmethod
    def _as_drf(field: serializers.Field, instance: Any, out: dict[str, Any]) -> None:
        """``Serializer.to_representation``'s own loop body, for one field."""
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            return
        value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        out[cast(str, field.field_name)] = (
            None if value is None else field.to_representation(attribute)
        )


_PLANS: dict[type[Any], Plan] = {}


def plan_of(serializer: serializers.Serializer) -> Plan:
    """The plan of ``serializer``'s class, built on first use."""
    cls = type(serializer)
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = Plan(cls())
    return plan


def render(serializer: serializers.Serializer, instance: Any) -> dict[str, Any]:
    """What ``serializer.to_representation(instance)`` gives, through its plan;
    a mapping (not a model instance) goes through DRF."""
    if isinstance(instance, Mapping):
        return serializers.Serializer.to_representation(serializer, instance)
    bound = getattr(serializer, "_bound_plan", None)
    if bound is None:
        bound = Bound(serializer)
        serializer._bound_plan = bound  # type: ignore[attr-defined]
    return plan_of(serializer).render(instance, bound)
