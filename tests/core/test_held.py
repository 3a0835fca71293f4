"""Writes held to the end of an action (``core.held``, ADR 0038): nothing kept
is missing from a read, a savepoint undoes exactly what it would have undone,
errors still roll back, and on PostgreSQL the kept statements go in one
pipeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core import clock, statements
from motcua.core.held import execute_later, held_writes, insert_later
from motcua.notifications.models import Message
from motcua.privacy.models import ReadLog, ReadLogImmutable
from tests.core.test_statements import _message, _stored

pytestmark = pytest.mark.django_db

TABLE = Message._meta.db_table


def _keys() -> list[str]:
    return sorted(Message.objects.values_list("idempotency_key", flat=True))


class _Watch:
    """Each statement's first word, and whether a pipeline was open for it."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, bool]] = []

    def __call__(
        self, execute: Any, sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        piped = getattr(connection.connection, "_pipeline", None) is not None
        self.seen.append((sql.split(" ", 1)[0], piped))
        return execute(sql, params, many, ctx)


def test_outside_a_block_a_write_runs_at_once(agency):
    ward = agency()
    insert_later(_message(ward, "now"))
    assert _keys() == ["now"]


@pytest.mark.django_db(transaction=True)
def test_a_block_needs_a_transaction():
    with pytest.raises(RuntimeError), held_writes():
        pass


def test_kept_writes_run_at_the_end_of_the_block_in_one_pipeline(agency):
    ward = agency()
    watch = _Watch()
    with transaction.atomic():
        with connection.execute_wrapper(watch), held_writes():
            for n in range(3):
                insert_later(_message(ward, f"m{n}"))
            execute_later(
                f"UPDATE {TABLE} SET attempts = 1 WHERE idempotency_key = %s",
                ["m1"],
                (TABLE,),
                model=Message,
            )
            assert watch.seen == []  # nothing has run yet
        # Inside the transaction still: the rows are there before the commit.
        assert _keys() == ["m0", "m1", "m2"]
    assert Message.objects.get(idempotency_key="m1").attempts == 1
    postgres = connection.vendor == "postgresql"
    assert watch.seen == [("INSERT", postgres)] * 3 + [("UPDATE", postgres)]


def test_a_kept_row_is_written_as_save_writes_it(agency):
    ward = agency()
    saved = _message(ward, "saved")
    saved.save(force_insert=True)
    with transaction.atomic(), held_writes():
        insert_later(_message(ward, "kept"))
    kept = Message.objects.get(idempotency_key="kept")
    expected, got = _stored(Message, saved.pk), _stored(Message, kept.pk)
    expected.pop("idempotency_key"), got.pop("idempotency_key")
    assert got == expected


def test_a_read_of_a_kept_table_runs_the_kept_writes_first(agency):
    ward = agency()
    with transaction.atomic(), held_writes():
        insert_later(_message(ward, "a"))
        with CaptureQueriesContext(connection) as seen:
            Agency = type(ward)
            assert Agency.objects.filter(pk=ward.pk).exists()  # another table
        assert len(seen) == 1  # nothing kept ran for it
        assert _keys() == ["a"]  # a read of the table: the row is there
        insert_later(_message(ward, "b"))
        assert Message.objects.filter(idempotency_key="b").update(attempts=2) == 1
    assert Message.objects.get(idempotency_key="b").attempts == 2


def test_a_savepoint_undoes_what_was_kept_since_and_nothing_before(agency):
    ward = agency()
    with transaction.atomic(), held_writes():
        insert_later(_message(ward, "before"))
        try:
            with transaction.atomic():  # a savepoint
                insert_later(_message(ward, "inside"))
                raise ValueError("undone")
        except ValueError:
            pass
        with transaction.atomic():  # released: kept
            insert_later(_message(ward, "released"))
        insert_later(_message(ward, "after"))
    assert _keys() == ["after", "before", "released"]


def test_a_block_inside_another_drops_what_it_kept_when_it_fails(agency):
    ward = agency()
    with transaction.atomic(), held_writes():
        insert_later(_message(ward, "outer"))
        with pytest.raises(ValueError), held_writes():
            insert_later(_message(ward, "inner"))
            raise ValueError("failed")
        insert_later(_message(ward, "last"))
    assert _keys() == ["last", "outer"]


def test_an_error_of_a_kept_write_is_raised_and_undoes_the_transaction(agency):
    ward = agency()
    insert_later(_message(ward, "taken"))
    with pytest.raises(IntegrityError), transaction.atomic(), held_writes():
        insert_later(_message(ward, "new"))
        insert_later(_message(ward, "taken"))
        insert_later(_message(ward, "other"))
    assert _keys() == ["taken"]


def test_an_error_in_the_block_writes_nothing_kept(agency):
    ward = agency()
    with pytest.raises(ValueError), transaction.atomic(), held_writes():
        insert_later(_message(ward, "never"))
        raise ValueError("failed")
    assert _keys() == []


def test_a_row_whose_unique_values_are_taken_is_left_out(agency):
    ward = agency()
    insert_later(_message(ward, "once"))
    with transaction.atomic(), held_writes():
        insert_later(_message(ward, "once", recipient="other"), ignore_conflicts=True)
        insert_later(_message(ward, "twice"), ignore_conflicts=True)
    insert_later(_message(ward, "twice", recipient="other"), ignore_conflicts=True)
    assert _keys() == ["once", "twice"]
    assert set(Message.objects.values_list("recipient", flat=True)) == {"0905123456"}


def test_the_read_log_is_written_by_the_kept_insert_and_refuses_rewrites(agency):
    ward = agency()
    row = ReadLog(agency=ward, username="mc1", what="api_detail", at=clock.now())
    assert statements.insert_statement(row) is not None  # not through save()
    with transaction.atomic(), held_writes():
        insert_later(row)
    stored = ReadLog.objects.get(username="mc1")
    with pytest.raises(ReadLogImmutable):
        stored.save()
    again = ReadLog(pk=stored.pk, agency=ward, username="x", what="api_detail")
    assert statements.insert_statement(again) is None  # left to save() …
    with pytest.raises(ReadLogImmutable):  # … which refuses it
        insert_later(again)
