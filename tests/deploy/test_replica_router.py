"""Reports read a PostgreSQL streaming replica, and fall back to the primary
when it lags or is down (issue 15 item 2).

The PostgreSQL tests start a real second cluster in streaming replication
from the suite's throwaway primary (``tests/deploy/replica.py``); on SQLite
only the router's no-replica behaviour is checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections, router, transaction

from motcua.agencies.models import Agency
from motcua.core import configstamp
from motcua.core.configstamp import stamp_scope
from motcua.core.replica import (
    REPLICA,
    forget_replica_health,
    replica_is_fresh,
    replica_reads,
)
from motcua.privacy.models import ReadLog

from .replica import StreamingReplica

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: run with TEST_DBS=postgres tools/run-tests.sh",
)


def _agency(code: str) -> Agency:
    return Agency.objects.create(code=code, name=f"Cơ quan {code}", level="commune")


@pytest.fixture(scope="module")
def streaming_replica(django_db_setup: None) -> Iterator[StreamingReplica]:
    """A standby of the test database, known to Django as ``replica``.

    Its alias mirrors ``default`` for the test machinery only (the standby is
    read-only: it is never flushed; it receives the primary's flush instead)."""
    replica = StreamingReplica(connections["default"].settings_dict)
    primary = connections["default"].settings_dict
    try:
        replica.create()
        connections.settings[REPLICA] = {
            **primary,
            "PORT": str(replica.port),
            "OPTIONS": {**primary.get("OPTIONS", {}), "connect_timeout": 3},
            "CONN_MAX_AGE": 0,
            "TEST": {**primary.get("TEST", {}), "MIRROR": "default"},
        }
        yield replica
    finally:
        if REPLICA in connections.settings:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
        replica.remove()


@pytest.fixture
def replica(
    streaming_replica: StreamingReplica, settings: Any
) -> Iterator[StreamingReplica]:
    settings.MOTCUA_REPLICA_CHECK_SECONDS = 0  # ask at every read in these tests
    settings.MOTCUA_REPLICA_MAX_LAG_SECONDS = 3600
    forget_replica_health()
    yield streaming_replica
    forget_replica_health()


# Committed writes (a standby never sees an open transaction) on both aliases.
with_replica = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@on_postgres
@with_replica
def test_report_reads_go_to_the_replica_when_it_is_current(
    replica: StreamingReplica,
) -> None:
    _agency("R-01")
    replica.wait_replayed()
    with replica_reads():
        rows = Agency.objects.filter(code="R-01")
        assert rows.db == REPLICA
        assert [a.code for a in rows] == ["R-01"]
        # writes never go to the replica, even inside the block
        assert router.db_for_write(Agency) == "default"
        log_rows = ReadLog.objects.all()
        assert log_rows.db == "default"  # not a report app: never the replica
    assert Agency.objects.all().db == "default"  # outside the block


@on_postgres
@with_replica
def test_a_lagging_replica_is_left_for_the_primary(
    replica: StreamingReplica, settings: Any
) -> None:
    replica.wait_replayed()
    replica.pause_replay()
    try:
        _agency("R-02")  # committed on the primary, received but not applied
        replica.wait_received()
        with replica_reads():
            # a tolerant limit: the replica answers, without the new row
            assert Agency.objects.all().db == REPLICA
            assert not Agency.objects.filter(code="R-02").exists()
            # the limit below the replica's delay: the primary answers
            settings.MOTCUA_REPLICA_MAX_LAG_SECONDS = 0
            assert Agency.objects.all().db == "default"
            assert Agency.objects.filter(code="R-02").exists()
    finally:
        replica.resume_replay()
    replica.wait_replayed()
    settings.MOTCUA_REPLICA_MAX_LAG_SECONDS = 3600
    with replica_reads():
        assert Agency.objects.filter(code="R-02").exists()
        assert Agency.objects.all().db == REPLICA


@on_postgres
@with_replica
def test_inside_a_transaction_reads_stay_on_the_primary(
    replica: StreamingReplica,
) -> None:
    with transaction.atomic(), replica_reads():
        _agency("R-03")
        assert Agency.objects.all().db == "default"
        assert Agency.objects.filter(code="R-03").exists()


@on_postgres
@with_replica
def test_a_stopped_replica_is_left_for_the_primary_until_it_is_back(
    replica: StreamingReplica,
) -> None:
    _agency("R-04")
    replica.stop()
    try:
        assert not replica_is_fresh()
        with replica_reads():
            assert Agency.objects.all().db == "default"
            assert Agency.objects.filter(code="R-04").exists()
    finally:
        replica.start()
    replica.wait_replayed()
    with replica_reads():
        assert Agency.objects.all().db == REPLICA
        assert Agency.objects.filter(code="R-04").exists()


AGENCY_CODES = configstamp.reader("tests.replica_agency_codes", "agencies.Agency")


@on_postgres
@with_replica
def test_configuration_kept_under_the_primarys_stamp_is_read_on_the_primary(
    replica: StreamingReplica,
) -> None:
    """A list or report may read agencies from the replica; configuration kept
    under the stamp is read where the stamp is, never from a lagging replica
    (else the old rows would stay kept under the new stamp; ADR 0032)."""
    replica.wait_replayed()
    replica.pause_replay()
    try:
        _agency("R-05")  # committed on the primary, not applied on the replica
        replica.wait_received()
        with replica_reads(), stamp_scope():
            assert not Agency.objects.filter(code="R-05").exists()  # the replica
            codes = configstamp.kept(
                AGENCY_CODES,
                None,
                lambda: set(Agency.objects.values_list("code", flat=True)),
            )
        assert "R-05" in codes
    finally:
        replica.resume_replay()
    replica.wait_replayed()


@on_postgres
@with_replica
def test_the_readiness_check_reports_the_replica_without_depending_on_it(
    replica: StreamingReplica, settings: Any
) -> None:
    """``/healthz/`` (ADR 0039): the replica's state and delay are reported;
    late or down, the process stays ready — its reads go to the primary."""
    from django.test import Client

    from motcua.core import health

    health.forget()
    replica.wait_replayed()
    body = Client().get("/healthz/").json()
    assert body["status"] == "ok"
    assert body["checks"]["replica"] == {"status": "ok", "lag_seconds": 0.0}
    replica.pause_replay()
    try:
        _agency("R-06")  # received by the replica, not applied
        replica.wait_received()
        settings.MOTCUA_REPLICA_MAX_LAG_SECONDS = 0
        response = Client().get("/healthz/")
        assert response.status_code == 200
        late = response.json()["checks"]["replica"]
        assert late["status"] == "behind" and late["lag_seconds"] > 0
    finally:
        replica.resume_replay()
    replica.wait_replayed()
    replica.stop()
    try:
        response = Client().get("/healthz/")
        assert response.status_code == 200
        assert response.json()["checks"]["replica"] == {"status": "unavailable"}
    finally:
        replica.start()
    replica.wait_replayed()
    health.forget()
