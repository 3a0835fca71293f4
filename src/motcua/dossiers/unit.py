"""The replay unit of work (ADR 0012): the dossier aggregates a historical import
builds, held in memory and written in a few bulk statements.

The services write the aggregate's rows (applicant, dossier, components, steps,
events, consultations) through :func:`insert`, :func:`insert_all` and
:func:`save`, and read what they need of it back through :func:`steps_of` and
:func:`events_of`. Outside a unit these are the plain ORM statements the
services always made. Inside one (:func:`unit_of_work`, the import's batch) a
new row gets its id at once — allocated in advance from the table's counter
under the batch's exclusive transaction — and stays in memory; the services
change the same objects; :meth:`UnitOfWork.flush` writes them with one INSERT
statement per table (executed for all its rows), in foreign-key order. Every
rule (due dates, steps, status, hashes, figures) is still computed by the one
function live use calls: only where the rows go differs.

A guard watches every SQL statement while rows are pending: one that names an
aggregate table outside the unit's own statements means a read the unit does not
answer, so it raises :class:`Miss` before it runs — the importer then writes the
finished lines and replays that line through the plain path. Nothing pending is
ever read from a table that does not have it yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Model

from motcua.core import statements

from .models import Applicant, Consultation, Dossier, DossierComponent, Event, Step

M = TypeVar("M", bound=Model)

# The aggregate's tables in foreign-key order: an applicant before its dossier,
# a step before the events naming it.
MODELS: tuple[type[Model], ...] = (
    Applicant,
    Dossier,
    DossierComponent,
    Step,
    Event,
    Consultation,
)
_QUOTED = tuple(f'"{model._meta.db_table}"' for model in MODELS)
_HELD = "_replay_unit_held"  # marks an object the unit holds (not yet written)
_CHUNK = 500


# Field classes whose conversion for the database leaves a value of the given
# exact type as it is (Django's ``get_db_prep_save``): such values are passed
# straight to the driver; every other value goes through the field's own.
_AS_IS: dict[type[models.Field[Any, Any]], type] = {
    **dict.fromkeys(
        (models.CharField, models.TextField, models.EmailField, models.SlugField), str
    ),
    **dict.fromkeys(
        (
            models.IntegerField,
            models.PositiveIntegerField,
            models.PositiveSmallIntegerField,
            models.SmallIntegerField,
            models.BigIntegerField,
            models.AutoField,
            models.BigAutoField,
        ),
        int,
    ),
    models.BooleanField: bool,
}


def _column_value(field: models.Field[Any, Any]) -> Callable[[Model], Any]:
    """How one column's value is read from a held object for the INSERT: as
    ``bulk_create`` does (``pre_save``, then ``get_db_prep_save``)."""
    # The connection itself, not the ``connection`` proxy (which looks the
    # alias up on every attribute): the INSERT is made on this one.
    db = connections[DEFAULT_DB_ALIAS]
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):

        def stamped(obj: Model) -> Any:
            return field.get_db_prep_save(field.pre_save(obj, True), db)

        return stamped
    attname, prepare = field.attname, field.get_db_prep_save
    if type(_target(field)) is models.DateTimeField:
        adapt = _instant_adapter(db)

        def instant(obj: Model) -> Any:
            # An aware datetime needs no preparing (Django's would return it
            # as it is), only the backend's adapting.
            found = getattr(obj, attname)
            if type(found) is datetime and found.tzinfo is not None:
                return adapt(found)
            return prepare(found, db)

        return instant

    def value(obj: Model) -> Any:
        return prepare(getattr(obj, attname), db)

    return value


def _instant_adapter(db: Any) -> Callable[[datetime], Any]:
    """The backend's ``adapt_datetimefield_value`` for an aware datetime. On
    SQLite (with ``USE_TZ``) that is the text of the naive instant in the
    connection's zone, made here without the per-call checks."""
    if db.vendor != "sqlite" or not settings.USE_TZ:
        return db.ops.adapt_datetimefield_value
    zone = db.timezone

    def adapt(value: datetime) -> str:
        return str(value.astimezone(zone).replace(tzinfo=None))

    return adapt


def _target(field: models.Field[Any, Any]) -> models.Field[Any, Any]:
    return field.target_field if isinstance(field, models.ForeignKey) else field


def _row_reader(model: type[Model]) -> Callable[[Model], list[Any]]:
    """The INSERT's values of one held object, as :func:`_column_value` gives
    them, in the order of ``concrete_fields``. A column whose field leaves a
    value of its exact type as it is (``_AS_IS``) is read straight from the
    object's attributes and prepared only when it holds something else; the
    other columns go through their field's own conversion."""
    fields = list(model._meta.concrete_fields)
    attnames = [f.attname for f in fields]
    checked: list[tuple[int, type, Callable[[Model], Any]]] = []
    converted: list[tuple[int, Callable[[Model], Any]]] = []
    for i, field in enumerate(fields):
        as_is = _AS_IS.get(type(_target(field)))
        stamped = getattr(field, "auto_now", False) or getattr(
            field, "auto_now_add", False
        )
        if as_is is None or stamped:
            converted.append((i, _column_value(field)))
        else:
            checked.append((i, as_is, _column_value(field)))

    def row(obj: Model) -> list[Any]:
        attributes = obj.__dict__
        values = [attributes[name] for name in attnames]
        for i, as_is, read in checked:
            found = values[i]
            if found is not None and type(found) is not as_is:
                values[i] = read(obj)
        for i, read in converted:
            values[i] = read(obj)
        return values

    return row


def _insert(model: type[Model], rows: Sequence[Model]) -> None:
    """One INSERT statement for the rows, executed for all of them at once."""
    if not rows:
        return
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    read = _row_reader(model)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [read(obj) for obj in rows])


class Miss(Exception):
    """The replay asked the database about the aggregate while the unit holds
    rows of it: the unit cannot answer that read, the plain path can."""


class UnitOfWork:
    def __init__(self) -> None:
        self._next: dict[type[Model], int] = {}
        self._rows: dict[type[Model], list[Model]] = {m: [] for m in MODELS}
        self._steps: dict[int, list[Step]] = {}
        self._events: dict[int, list[Event]] = {}
        self._codes: dict[str, Dossier] = {}
        # Codes looked up in the tables for a batch at once: code -> the
        # (agency id, reception instant) of the dossiers bearing it.
        self._stored: dict[str, list[tuple[int, Any]]] = {}
        self._looked_up: set[str] = set()
        self._bypass = 0
        self._locked = False
        self._writes_refused = False

    # ------------------------------------------------------------ rows
    @property
    def pending(self) -> int:
        return sum(len(rows) for rows in self._rows.values())

    def add(self, obj: Model) -> None:
        model = type(obj)
        obj.pk = self._allocate(model)
        obj._state.adding = False
        setattr(obj, _HELD, True)
        self._rows[model].append(obj)
        self._index(obj)

    def _index(self, obj: Model) -> None:
        if isinstance(obj, Dossier):
            self._steps[obj.pk] = []
            self._events[obj.pk] = []
            self._codes[obj.code] = obj
        elif isinstance(obj, Step):
            self._steps[obj.dossier_id].append(obj)
        elif isinstance(obj, Event):
            self._events[obj.dossier_id].append(obj)

    def holds(self, dossier: Dossier) -> bool:
        return dossier.pk in self._steps and getattr(dossier, _HELD, False)

    def steps_of(self, dossier: Dossier) -> list[Step] | None:
        return self._steps[dossier.pk] if self.holds(dossier) else None

    def events_of(self, dossier: Dossier) -> list[Event] | None:
        return self._events[dossier.pk] if self.holds(dossier) else None

    def dossier_with_code(self, code: str) -> Dossier | None:
        return self._codes.get(code)

    def look_up_codes(self, codes: set[str]) -> None:
        """Read which of ``codes`` the tables hold, in a few queries."""
        wanted = sorted(codes - self._looked_up)
        with self.direct():
            for i in range(0, len(wanted), _CHUNK):
                part = wanted[i : i + _CHUNK]
                rows = Dossier.objects.filter(code__in=part).values_list(
                    "code", "agency_id", "received_at"
                )
                for code, agency_id, received_at in rows:
                    self._stored.setdefault(code, []).append((agency_id, received_at))
                self._looked_up.update(part)

    def stored(self, code: str) -> list[tuple[int, Any]] | None:
        """The dossiers of the tables bearing ``code`` (None: not looked up)."""
        if code not in self._looked_up:
            return None
        return self._stored.get(code, [])

    # ------------------------------------------------------------ ids
    def _allocate(self, model: type[Model]) -> int:
        if model not in self._next:
            self._next[model] = self._last_id(model) + 1
        pk = self._next[model]
        self._next[model] = pk + 1
        return pk

    def _last_id(self, model: type[Model]) -> int:
        """The last id the table's own counter gave (or would give): the rows a
        live insert would number next, so the ids are those of the plain path."""
        table = model._meta.db_table
        with self.direct(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                if not self._locked:  # no other writer until this batch commits
                    tables = ", ".join(m._meta.db_table for m in MODELS)
                    cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
                    self._locked = True
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                # The id nextval would give, less one (and never below the rows').
                cursor.execute(
                    "SELECT GREATEST(last_value - CASE WHEN is_called THEN 0 ELSE 1 "
                    f"END, (SELECT COALESCE(MAX(id), 0) FROM {table})) FROM {sequence}"
                )
            else:  # SQLite, AUTOINCREMENT: never reuses an id, even a deleted one
                cursor.execute(
                    f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), "
                    "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                    [table],
                )
            return int(cursor.fetchone()[0])

    # ------------------------------------------------------------ lines
    @contextmanager
    def line(self, *, without_savepoint: bool = False) -> Iterator[None]:
        """One imported line: if it fails, the rows it added are forgotten. Their
        ids are given again where the plain path's savepoint would give them
        again (SQLite's counter rolls back, PostgreSQL's sequences do not), and
        always when the line goes to the plain path (:class:`Miss`), which then
        numbers its rows itself.

        ``without_savepoint`` (SQLite, where a failed statement undoes only
        itself): the line runs in no savepoint of its own, so it must write
        nothing — the guard sends any statement other than a read to the plain
        path (:class:`Miss`) before it runs. A failed line then has nothing to
        undo in the tables; the services' blocks, which took no savepoint
        (:func:`one_savepoint`), marked the transaction for a rollback it does
        not need, and that mark, and what they asked to run at commit, are
        taken back as the line's savepoint would have taken them."""
        counts = {model: len(rows) for model, rows in self._rows.items()}
        allocated = dict(self._next)
        wrapper = connections[DEFAULT_DB_ALIAS]
        callbacks = len(wrapper.run_on_commit)
        self._writes_refused = without_savepoint
        try:
            yield
        except BaseException as exc:
            for model, count in counts.items():
                del self._rows[model][count:]
            if isinstance(exc, Miss) or connection.vendor != "postgresql":
                self._next = allocated
            self._reindex()
            if without_savepoint:
                wrapper.needs_rollback = False
                del wrapper.run_on_commit[callbacks:]
            raise
        finally:
            self._writes_refused = False

    def _reindex(self) -> None:
        self._steps, self._events, self._codes = {}, {}, {}
        for model in MODELS:
            for obj in self._rows[model]:
                self._index(obj)

    # ------------------------------------------------------------ writing
    def flush(self) -> None:
        """Write the held rows, one INSERT statement per table, in
        foreign-key order; then hold nothing (the tables answer from now on)."""
        with self.direct():
            for model in MODELS:
                rows = self._rows[model]
                _insert(model, rows)
                for obj in rows:
                    delattr(obj, _HELD)
            if connection.vendor == "postgresql":
                self._move_sequences()
        self._rows = {m: [] for m in MODELS}
        self._next = {}
        self._reindex()
        self._stored, self._looked_up = {}, set()  # the tables answer again

    def _move_sequences(self) -> None:
        with connection.cursor() as cursor:
            for model, following in self._next.items():
                table = model._meta.db_table
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [table, following - 1],
                )

    # ------------------------------------------------------------ the guard
    @contextmanager
    def direct(self) -> Iterator[None]:
        """Statements the unit means (its own, or a read of rows already in the
        tables that it has checked against what it holds)."""
        self._bypass += 1
        try:
            yield
        finally:
            self._bypass -= 1

    def guard(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        if not self._bypass:
            if self._writes_refused and not _reads(sql):
                raise Miss(sql[:300])
            if self.pending and any(t in sql for t in _QUOTED):
                raise Miss(sql[:300])
        return execute(sql, params, many, ctx)


def _reads(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


_unit: ContextVar[UnitOfWork | None] = ContextVar("motcua_replay_unit", default=None)


def current() -> UnitOfWork | None:
    return _unit.get()


@contextmanager
def unit_of_work() -> Iterator[UnitOfWork]:
    """Within the block (inside one transaction), the aggregate's writes are
    held by one unit; the caller flushes it (see ``importing``)."""
    unit = UnitOfWork()
    token = _unit.set(unit)
    try:
        with connection.execute_wrapper(unit.guard):
            yield unit
    finally:
        _unit.reset(token)


@contextmanager
def suspended() -> Iterator[None]:
    """The plain path within a unit's block (a line the unit could not replay)."""
    token = _unit.set(None)
    try:
        yield
    finally:
        _unit.reset(token)


@contextmanager
def one_savepoint() -> Iterator[None]:
    """Inside a line that has its own savepoint (the importer's), the services'
    atomic blocks take none of their own: an error inside one marks the line's
    block for rollback, which then rolls back to the line's savepoint — Django's
    behaviour for a nested block that has no savepoint. Nothing in a replayed
    line catches an error and goes on, so only the statements are saved. Leave
    the block before the line's own block ends (it needs its savepoint)."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    # What ``transaction.atomic`` asks for a savepoint id; None: no savepoint
    # (SQLite's backend does not consult ``features.uses_savepoints``).
    wrapper.savepoint = _no_savepoint  # type: ignore[method-assign]
    try:
        yield
    finally:
        del wrapper.savepoint


def _no_savepoint() -> None:
    return None


# ------------------------------------------------ rows written, remembered
_written: ContextVar[list[Model] | None] = ContextVar(
    "motcua_rows_written", default=None
)


@contextmanager
def remembered() -> Iterator[list[Model]]:
    """Within the block, the aggregate's rows written outside a unit (by
    ``insert`` and ``insert_all``, as the services left them) are added to the
    list it gives: the API answers a creation from them instead of reading
    them back (``selectors.created_for``; issue 15)."""
    written: list[Model] = []
    token = _written.set(written)
    try:
        yield written
    finally:
        _written.reset(token)


# ------------------------------------------------ what the services call
def insert(obj: M) -> M:
    """A new row: ``obj.save(force_insert=True)`` (through the INSERT kept
    compiled, ``statements.insert``), or held by the unit."""
    unit = _unit.get()
    if unit is None:
        statements.insert(obj)
        _remember([obj])
    else:
        unit.add(obj)
    return obj


def insert_all(model: type[M], objs: Sequence[M]) -> None:
    """New rows of one table: one ``bulk_create``, or held by the unit."""
    unit = _unit.get()
    if unit is None:
        model._default_manager.bulk_create(objs)
        _remember(objs)
    else:
        for obj in objs:
            unit.add(obj)


def _remember(objs: Sequence[Model]) -> None:
    written = _written.get()
    if written is not None:
        written.extend(objs)


def save(obj: Model, fields: Sequence[str] | None = None) -> None:
    """A changed row: ``obj.save(update_fields=fields)`` (every field when
    None), through the UPDATE kept compiled (``statements.update``); a row the
    unit holds is written, as it is then, when it flushes."""
    if getattr(obj, _HELD, False) and _unit.get() is not None:
        return
    statements.update(obj, None if fields is None else list(fields))


def steps_of(dossier: Dossier) -> list[Step] | None:
    """The steps of a dossier the unit holds, in id order (None: not held)."""
    unit = _unit.get()
    return None if unit is None else unit.steps_of(dossier)


def events_of(dossier: Dossier) -> list[Event] | None:
    """The events of a dossier the unit holds, in order (None: not held)."""
    unit = _unit.get()
    return None if unit is None else unit.events_of(dossier)


def code_taken(code: str) -> bool:
    """A dossier has ``code``: one the unit holds, or one in the table."""
    unit = _unit.get()
    if unit is None:
        return Dossier.objects.filter(code=code).exists()
    if unit.dossier_with_code(code) is not None:
        return True
    stored = unit.stored(code)
    if stored is not None:
        return bool(stored)
    with unit.direct():
        return Dossier.objects.filter(code=code).exists()
