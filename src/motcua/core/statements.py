"""Reads whose SQL is compiled once per connection, not once per call (ADR 0033).

A few small reads run on nearly every request: the API key or the session,
the user, their memberships, the failed-sign-in counter of the address, the
request's idempotency key. Each is one short statement for the database, but
Django builds its ``WHERE`` and compiles its SQL again every time, and for a
short statement that costs more CPU than running it (issue 15: a third of a
creation's time went to building and compiling statements).

A :class:`Statement` is such a read written once as an ordinary query set, a
function of named parameters. The first call on a database connection builds
the query set with a stand-in value for each parameter, compiles it, and finds
where each stand-in sits among the statement's parameters; every later call on
that connection runs the same SQL with the caller's values in those places and
turns the rows into model objects (with their ``select_related`` rows) or
tuples exactly as Django's own iteration does, with the compiler it kept.

What stays the same as a query set's read:

- the database: the router chooses it at every call (``db_for_read``, so a
  read that may go to the replica still does);
- the statement goes through the connection's cursor: query logging, the
  test suite's query counts, execute wrappers (the configuration stamp's, the
  unit of work's guard) and PostgreSQL's prepared statements see it as before;
- the values are converted for the database as the field's own lookup does.

A query set that cannot be kept this way is refused when first compiled, with
the reason: a parameter changed by its lookup (``icontains`` wraps it in
``%``), a prefetch, ``extra()`` columns in a ``values_list``, model rows
of a combined query (a ``union`` of values is kept; so are annotations in a
``values_list``, in the order named, as Django 5.2 selects them). A parameter used in
several places gets its value in each; a list of ids (:class:`Ids`, for
``__in``) is compiled once per length. The
builder must depend on its parameters only (no clock, no settings read per
call): it runs once per connection. A value is compared with ``=``: ``None``
finds no row (the ORM would have written ``IS NULL``), so callers pass real
values only.
"""

from __future__ import annotations

import functools
import itertools
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, router, transaction
from django.db.models import Field, Model, QuerySet
from django.db.models.constants import OnConflict
from django.db.models.query import (  # type: ignore[attr-defined]
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

T = TypeVar("T")
M = TypeVar("M", bound=Model)
F = TypeVar("F", bound=Callable[..., Any])

# Where a connection keeps its compiled statements (one dict per connection
# object: a thread's own, like the connection itself).
_ON_CONNECTION = "_motcua_statements"
_numbers = itertools.count(1)


class Ids:
    """The kind of a parameter that is a non-empty list of ids (an ``__in``
    lookup): the SQL differs with the list's length, so each length is
    compiled once."""


_LONGEST = 10_000  # ids in one list parameter


def _stand_in(kind: type, number: int, length: int = 0) -> Any:
    """A value no caller passes, of ``kind``, unique to one parameter."""
    if kind is Ids:
        return [2_013_000_000 + number * _LONGEST + i for i in range(length)]
    if kind is str:
        return f"\x1fmotcua-statement-{number}-{uuid.uuid4().hex}"
    if kind is int:  # within a 32-bit key's range (a larger value finds nothing)
        return 2_013_000_000 + number * _LONGEST  # (not inside a list's block)
    if kind is datetime:
        return datetime(2999, 1, 2, 3, 4, 5, number, tzinfo=UTC)
    if kind is date:
        return date(2999, 1, 1 + number % 28)
    raise ImproperlyConfigured(f"statements: unsupported parameter kind {kind!r}")


def _adapter(kind: type, connection: Any) -> Callable[[Any], Any]:
    """How a value of ``kind`` is passed to the database, as the field's
    ``get_db_prep_value`` passes it for an exact lookup."""
    ops = connection.ops
    if kind is datetime:
        return ops.adapt_datetimefield_value
    if kind is date:
        return ops.adapt_datefield_value
    return _as_is


def _as_is(value: Any) -> Any:
    return value


@dataclass
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # (parameter, its element for ids or -1, place among the SQL's, conversion)
    places: tuple[tuple[str, int, int, Callable[[Any], Any]], ...]
    compiler: Any
    converters: Any
    shape: str  # "model", "tuples" or "flat"
    # for model rows
    model: Any = None
    start: int = 0
    end: int = 0
    init_list: tuple[str, ...] = ()
    populators: Any = ()
    annotations: Any = None


class Statement(Generic[T]):
    """A read compiled once per connection: ``build(**params)`` returns the
    query set; ``kinds`` names each parameter's type (``str``, ``int``,
    ``datetime``, ``date``, :class:`Ids`)."""

    def __init__(self, build: Callable[..., QuerySet[Any]], **kinds: type) -> None:
        self._build = build
        self._kinds = kinds
        self._model: type[Model] | None = None
        self._id = next(_numbers)

    def _stand_ins(self, lengths: dict[str, int]) -> dict[str, Any]:
        return {
            name: _stand_in(kind, n, lengths.get(name, 0))
            for n, (name, kind) in enumerate(self._kinds.items())
        }

    @property
    def model(self) -> type[Model]:
        if self._model is None:
            lengths = {name: 1 for name, kind in self._kinds.items() if kind is Ids}
            self._model = self._build(**self._stand_ins(lengths)).model
        return self._model

    def all(self, **values: Any) -> list[T]:
        """The rows, as the query set built with ``values`` gives them."""
        return self._run(*self._bound(values))

    def _run(
        self, alias: str, connection: Any, compiled: _Compiled, params: list[Any]
    ) -> list[T]:
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return self._rows(compiled, alias, rows)

    def _bound(self, values: dict[str, Any]) -> tuple[str, Any, _Compiled, list[Any]]:
        """The database, its connection, the compiled statement and its
        parameters for ``values``."""
        if set(values) != set(self._kinds):
            raise TypeError(
                f"statements: expected {sorted(self._kinds)}, got {sorted(values)}"
            )
        lengths = {
            name: len(values[name]) for name, kind in self._kinds.items() if kind is Ids
        }
        if not all(0 < n <= _LONGEST for n in lengths.values()):
            raise ValueError(f"statements: 1 to {_LONGEST} ids, got {lengths}")
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        kept = connection.__dict__.setdefault(_ON_CONNECTION, {})
        key = (self._id, *lengths.values())
        compiled = kept.get(key)
        if compiled is None:
            compiled = kept[key] = self._compile(alias, connection, lengths)
        params = list(compiled.params)
        for name, element, place, adapt in compiled.places:
            value = values[name] if element < 0 else values[name][element]
            params[place] = adapt(value)
        return alias, connection, compiled, params

    def _rows(self, compiled: _Compiled, alias: str, rows: list[Any]) -> list[T]:
        """The database's rows made into what the query set gives."""
        compiler = compiled.compiler
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        if compiled.converters:
            rows = list(compiler.apply_converters(rows, compiled.converters))
        if compiled.shape == "flat":
            return [row[0] for row in rows]
        if compiled.shape == "tuples":
            return [tuple(row) for row in rows]  # type: ignore[misc]
        return [self._model_row(compiled, alias, row) for row in rows]

    def first(self, **values: Any) -> T | None:
        """The first row or ``None`` (for a statement of one row at most: a
        unique key, or sliced ``[:1]``)."""
        rows = self.all(**values)
        return rows[0] if rows else None

    @staticmethod
    def _model_row(compiled: _Compiled, alias: str, row: Any) -> Any:
        obj = compiled.model.from_db(
            alias, compiled.init_list, row[compiled.start : compiled.end]
        )
        for populator in compiled.populators:
            populator.populate(row, obj)
        if compiled.annotations:
            for name, position in compiled.annotations.items():
                setattr(obj, name, row[position])
        return obj

    def _compile(
        self, alias: str, connection: Any, lengths: dict[str, int]
    ) -> _Compiled:
        values = self._stand_ins(lengths)
        queryset = self._build(**values)
        shape = _shape(queryset)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ImproperlyConfigured("statements: composite fields cannot be kept")
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            places=self._places(values, params, connection),
            compiler=compiler,
            converters=compiler.get_converters(fields),
            shape=shape,
        )
        if shape == "model":
            select, klass_info = compiler.select, compiler.klass_info
            select_fields = klass_info["select_fields"]
            compiled.model = klass_info["model"]
            compiled.start, compiled.end = select_fields[0], select_fields[-1] + 1
            compiled.init_list = tuple(
                f[0].target.attname for f in select[compiled.start : compiled.end]
            )
            compiled.populators = get_related_populators(klass_info, select, alias)
            compiled.annotations = compiler.annotation_col_map
        return compiled

    def _places(
        self, values: dict[str, Any], params: Any, connection: Any
    ) -> tuple[tuple[str, int, int, Callable[[Any], Any]], ...]:
        """Where each parameter's stand-in (each id of a list) sits among the
        SQL's parameters: at least once, unchanged; a value used in several
        places (a condition repeated in sub-queries) is put in each."""
        places: list[tuple[str, int, int, Callable[[Any], Any]]] = []
        for name, value in values.items():
            adapt = _adapter(self._kinds[name], connection)
            elements = enumerate(value) if self._kinds[name] is Ids else [(-1, value)]
            for element, one in elements:
                wanted = adapt(one)
                found = [
                    i
                    for i, param in enumerate(params)
                    if type(param) is type(wanted) and param == wanted
                ]
                if not found:
                    raise ImproperlyConfigured(
                        f"statements: parameter {name!r} must reach the SQL "
                        "unchanged (an exact or ``__in`` lookup); it does not"
                    )
                places.extend((name, element, place, adapt) for place in found)
        if len({place for _, _, place, _ in places}) != len(places):
            raise ImproperlyConfigured("statements: two parameters share a place")
        return tuple(places)


def together(*calls: tuple[Statement[Any], dict[str, Any]]) -> list[list[Any]]:
    """The rows of several statements, each ``(statement, values)``, as
    ``statement.all(**values)`` gives them. On PostgreSQL the statements of one
    database are sent together in one pipeline: the server runs them back to
    back and the answers come in one round trip instead of one each (a
    dossier's detail reads its five parts so). Elsewhere, or when a pipeline is
    already open, they run one after another. Each still goes through the
    connection's cursor (query logging, execute wrappers, prepared
    statements)."""
    bound = [statement._bound(values) for statement, values in calls]
    connection = bound[0][1] if bound else None
    if (
        connection is None
        or connection.vendor != "postgresql"
        or any(b[1] is not connection for b in bound)
        or not can_pipeline(connection)
    ):
        return [
            statement._run(*one)
            for (statement, _), one in zip(calls, bound, strict=True)
        ]
    cursors = [connection.cursor() for _ in bound]
    try:
        # The driver's errors, raised at a fetch or when the pipeline ends,
        # become Django's, as for a statement run alone.
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, (_, _, compiled, params) in zip(cursors, bound, strict=True):
                cursor.execute(compiled.sql, params)
            found = [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
    return [
        statement._rows(compiled, alias, rows)
        for (statement, _), (alias, _, compiled, _), rows in zip(
            calls, bound, found, strict=True
        )
    ]


def can_pipeline(connection: Any) -> bool:
    """Whether ``connection`` (Django's, PostgreSQL) may open a pipeline now:
    allowed (``MOTCUA_PG_PIPELINE``), psycopg 3 with a libpq that has them, and
    none open already."""
    if not getattr(settings, "MOTCUA_PG_PIPELINE", True) or not _pipelines():
        return False
    connection.ensure_connection()
    raw = connection.connection
    return getattr(type(raw), "pipeline", None) is not None and (
        getattr(raw, "_pipeline", None) is None
    )


@functools.cache
def _pipelines() -> bool:
    """Whether this process's psycopg and libpq have pipelines (asked once)."""
    try:
        import psycopg
    except ImportError:  # psycopg2, or no PostgreSQL driver at all
        return False
    return bool(psycopg.Pipeline.is_supported())


def _shape(queryset: QuerySet[Any]) -> str:
    """How the rows are returned ("model", "tuples", "flat"), or a refusal."""
    query = queryset.query
    rows: Any = queryset  # (the attributes below are not in the stubs)
    if rows._prefetch_related_lookups or rows._known_related_objects:
        raise ImproperlyConfigured("statements: prefetches cannot be kept")
    iterable = queryset._iterable_class
    if query.combinator and iterable is ModelIterable:
        # (values of a union are kept: a list page's first ids, issue 15)
        raise ImproperlyConfigured("statements: combined model rows cannot be kept")
    shapes: dict[Any, str] = {
        ModelIterable: "model",
        FlatValuesListIterable: "flat",
        ValuesListIterable: "tuples",
    }
    if iterable not in shapes:
        raise ImproperlyConfigured(
            f"statements: {iterable.__name__} rows cannot be kept"
        )
    if shapes[iterable] != "model" and query.extra_select:
        raise ImproperlyConfigured(
            "statements: a values list with extra() cannot be kept"
        )
    return shapes[iterable]


# ---------------------------------------------------------------- inserts
@dataclass
class _KeptInsert:
    sql: str
    fields: tuple[Any, ...]  # the columns written, in the SQL's order
    returning: tuple[Any, ...]  # the columns the database gives back
    converters: Any
    compiler: Any


def insert(obj: M) -> M:
    """``obj.save(force_insert=True)`` for a new row, with the ``INSERT``
    compiled once per connection and model instead of once per row (ADR 0034:
    a reception writes about ten rows one by one, and building each statement
    cost more than running it).

    The values are prepared as Django's own insert prepares them (each field's
    ``pre_save``, then ``get_db_prep_save``) and the primary key the database
    gives is set on ``obj``. Whatever this path would not write exactly as
    ``save()`` writes it goes through ``save()`` itself: a model with its own
    ``save()``, with parents, with an ordering by another model, generated
    columns or ``pre_save`` / ``post_save`` receivers; a field with its own
    placeholder; a value that is an expression (``F``, a database default); a
    backend that cannot return the new key from the ``INSERT``."""
    using = router.db_for_write(type(obj), instance=obj)
    connection = connections[using]
    compiled = _kept_insert(obj, connection, using)
    params = None if compiled is None else _insert_params(obj, compiled, connection)
    if compiled is None or params is None:
        obj.save(force_insert=True)
        return obj
    with (
        transaction.mark_for_rollback_on_error(using),
        connection.cursor() as cursor,
    ):
        cursor.execute(compiled.sql, params)
        if compiled.returning:
            rows = [connection.ops.fetch_returned_insert_columns(cursor, ())]
            if compiled.converters:
                rows = list(
                    compiled.compiler.apply_converters(rows, compiled.converters)
                )
            for value, field in zip(rows[0], compiled.returning, strict=True):
                setattr(obj, field.attname, value)
    obj._state.db = using
    obj._state.adding = False
    return obj


def insert_statement(
    obj: Model, *, ignore_conflicts: bool = False
) -> tuple[str, str, list[Any]] | None:
    """``(database, sql, params)`` of ``obj``'s new row as :func:`insert`
    writes it, but giving nothing back, for a write sent later
    (``core.held``); with ``ignore_conflicts``, ``ON CONFLICT DO NOTHING``.
    ``None`` when only ``save()`` writes the row exactly."""
    using = router.db_for_write(type(obj), instance=obj)
    connection = connections[using]
    compiled = _kept_insert(
        obj, connection, using, returning=False, ignore_conflicts=ignore_conflicts
    )
    params = None if compiled is None else _insert_params(obj, compiled, connection)
    if compiled is None or params is None:
        return None
    return using, compiled.sql, params


def refuses_rewrites(save: F) -> F:
    """Marks a model's own ``save()`` that only refuses to rewrite a stored
    row (an append-only log) and otherwise is ``Model.save()``: a new row of
    the model is then written as ``save()`` would write it, by :func:`insert`
    too."""
    save._motcua_refuses_rewrites = True  # type: ignore[attr-defined]
    return save


def _saved_plainly(cls: type[Model], *, new: bool = False) -> bool:
    """Whether ``save()`` writes a ``cls`` row as one plain statement, with
    nothing around it: no ``save()`` of its own (for a ``new`` row without
    its key, one that only refuses rewrites, :func:`refuses_rewrites`), no
    parents, no ordering by another model, no generated column, no
    ``pre_save`` or ``post_save`` receiver."""
    meta = cls._meta
    own_save = cls.save is not Model.save and not (
        new and getattr(cls.save, "_motcua_refuses_rewrites", False)
    )
    return not (
        own_save
        or cls.save_base is not Model.save_base
        or meta.parents
        or meta.proxy
        or meta.order_with_respect_to
        or any(f.generated for f in meta.local_concrete_fields)
        or pre_save.has_listeners(cls)
        or post_save.has_listeners(cls)
    )


def _kept_insert(
    obj: Model,
    connection: Any,
    using: str,
    *,
    returning: bool = True,
    ignore_conflicts: bool = False,
) -> _KeptInsert | None:
    """The compiled ``INSERT`` of ``obj``'s row on ``connection``, or ``None``
    when only ``save()`` writes it exactly. Without ``returning``, the
    statement gives nothing back (the new key stays unknown); with
    ``ignore_conflicts``, a row whose unique values are taken already is not
    written (``ON CONFLICT DO NOTHING``)."""
    cls = type(obj)
    meta = cls._meta
    if not _saved_plainly(cls, new=obj.pk is None) or (
        returning and not connection.features.can_return_columns_from_insert
    ):
        return None
    # As save() does: an unsaved related object refused, a saved one's key set.
    prepare = obj._prepare_related_fields_for_save  # type: ignore[attr-defined]
    prepare(operation_name="save")
    if obj.pk is None:
        obj.pk = meta.pk.get_pk_value_on_save(obj)  # type: ignore[attr-defined]
    with_key = obj.pk is not None
    kept = connection.__dict__.setdefault(_ON_CONNECTION, {})
    shape = (cls, with_key, returning, ignore_conflicts)
    compiled = kept.get(shape)
    if compiled is None:
        compiled = kept[shape] = _compile_insert(
            cls, using, with_key, returning, ignore_conflicts
        )
    return None if compiled is _NOT_KEPT else compiled


def _insert_params(
    obj: Model, compiled: _KeptInsert, connection: Any
) -> list[Any] | None:
    """The row's values as Django's insert prepares them (``None``: one is an
    expression, which only ``save()`` compiles)."""
    params = []
    for field in compiled.fields:
        value = field.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):
            return None
        params.append(field.get_db_prep_save(value, connection))
    return params


_NOT_KEPT: Any = object()


def _compile_insert(
    cls: type[Model],
    using: str,
    with_key: bool,
    given_back: bool = True,
    ignore_conflicts: bool = False,
) -> Any:
    """The ``INSERT`` of one ``cls`` row, as ``save()`` compiles it (the same
    columns, the same ``RETURNING`` unless not ``given_back``; ``ON CONFLICT
    DO NOTHING`` as ``bulk_create(ignore_conflicts=True)`` writes it), or
    ``_NOT_KEPT``."""
    meta = cls._meta
    fields = [
        f for f in meta.local_concrete_fields if with_key or f is not meta.auto_field
    ]
    if any(getattr(f, "get_placeholder", None) is not None for f in fields):
        return _NOT_KEPT
    returning = list(meta.db_returning_fields) if given_back else []
    query = InsertQuery(
        cls, on_conflict=OnConflict.IGNORE if ignore_conflicts else None
    )
    # Compiled without any row: only the statement's text is kept, with a
    # ``%s`` for each column (checked: no field above has its own placeholder).
    query.insert_values(fields, [None])  # type: ignore[list-item]
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = returning
    compiler.pre_save_val = lambda field, obj: None
    ((sql, params),) = compiler.as_sql()
    if len(params) != len(fields):
        return _NOT_KEPT
    columns = [f.get_col(meta.db_table) for f in returning]
    return _KeptInsert(
        sql=sql,
        fields=tuple(fields),
        returning=tuple(returning),
        converters=compiler.get_converters(columns),
        compiler=compiler,
    )


def update(obj: M, fields: Sequence[str] | None = None) -> M:
    """``obj.save(update_fields=fields)`` for a stored row (every column but
    the key when ``fields`` is None, as ``obj.save()`` writes a loaded row),
    with the ``UPDATE`` compiled once per connection, model and columns (ADR
    0034: every action rewrites its dossier). Values are prepared as Django's
    update prepares them (``pre_save``, then ``get_db_prep_save``). What this
    path would not write exactly as ``save()`` goes through ``save()``: what
    :func:`insert` leaves to it, a new object, a row loaded with deferred
    columns, a model that selects before saving, an unknown field name (which
    ``save()`` refuses). No row updated: an error for named fields, as
    ``save()`` raises; otherwise ``save()`` decides (it inserts)."""
    cls = type(obj)
    meta = cls._meta
    using = router.db_for_write(cls, instance=obj)
    connection = connections[using]
    columns = _update_columns(obj, fields)
    if columns is None or not _saved_plainly(cls):
        obj.save(update_fields=fields)
        return obj
    prepare = obj._prepare_related_fields_for_save  # type: ignore[attr-defined]
    prepare(operation_name="save")
    kept = connection.__dict__.setdefault(_ON_CONNECTION, {})
    key = (cls, tuple(f.attname for f in columns))
    sql = kept.get(key)
    if sql is None:
        sql = kept[key] = _compile_update(cls, columns, connection)
    params = []
    for field in columns:
        value = field.pre_save(obj, False)
        if hasattr(value, "resolve_expression"):
            obj.save(update_fields=fields)
            return obj
        params.append(field.get_db_prep_save(value, connection))
    params.append(meta.pk.get_db_prep_value(obj.pk, connection))
    with (
        transaction.mark_for_rollback_on_error(using),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
        updated = cursor.rowcount > 0
        if not updated and fields is not None:  # marks the block, as save() does
            raise DatabaseError("Save with update_fields did not affect any rows.")
    if not updated:
        obj.save()
        return obj
    obj._state.db = using
    obj._state.adding = False
    return obj


def _update_columns(
    obj: Model, fields: Sequence[str] | None
) -> tuple[Field[Any, Any], ...] | None:
    """The fields ``save(update_fields=fields)`` writes, in the model's order,
    or ``None`` when only ``save()`` writes them exactly."""
    meta = obj._meta
    if obj._state.adding or obj.pk is None or meta.select_on_save:
        return None
    stored = [f for f in meta.local_concrete_fields if not f.primary_key]
    if fields is None:
        if any(f.attname not in obj.__dict__ for f in meta.concrete_fields):
            return None  # deferred columns: save() writes the loaded ones
        chosen = stored
    else:
        wanted = set(fields)
        chosen = [f for f in stored if f.name in wanted or f.attname in wanted]
        named = {f.name for f in chosen} | {f.attname for f in chosen}
        if not wanted or wanted - named:
            return None  # save() does nothing, or refuses an unknown name
    if not chosen or any(getattr(f, "get_placeholder", None) for f in chosen):
        return None
    return tuple(chosen)


def _compile_update(
    cls: type[Model], columns: tuple[Field[Any, Any], ...], connection: Any
) -> str:
    meta = cls._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    return (
        f"UPDATE {table} SET {assignments} WHERE {table}.{quote(meta.pk.column)} = %s"
    )
