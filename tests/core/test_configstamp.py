"""The configuration stamp (ADR 0032): configuration kept between requests, and
never one change longer, whoever makes the change and however."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core import configstamp
from motcua.core.configstamp import kept, read_stamp, reader, stamp_scope
from motcua.dossiers.models import Dossier
from motcua.law.keys import RuleKey
from motcua.law.models import LegalRule
from tests.dossiers.builders import build_world
from tests.dossiers.test_api import MON, URL, body, client_for, post

pytestmark = pytest.mark.django_db

PROBE = reader("tests.probe", "law.LegalRule")


class Loads:
    """A loader that counts its calls and reads the rules' table."""

    def __init__(self) -> None:
        self.calls = 0
        self.start = LegalRule.objects.count()

    def __call__(self) -> int:
        self.calls += 1
        return LegalRule.objects.count() - self.start


def test_every_watched_table_carries_its_triggers():
    names = configstamp.trigger_names(connection.vendor)
    assert set(names) == set(configstamp.watched_tables())
    assert len(names) == len(configstamp.WATCHED)
    installed = configstamp.installed_triggers(connection)
    assert {n for ns in names.values() for n in ns} <= installed


def test_a_trigger_lost_with_a_rebuilt_table_comes_back_after_migrate():
    table = "law_legalrule"
    dropped = configstamp.trigger_names(connection.vendor)[table][0]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'DROP TRIGGER {dropped} ON "{table}"')
        else:
            cursor.execute(f"DROP TRIGGER {dropped}")
    assert dropped not in configstamp.installed_triggers(connection)
    configstamp.after_migrate(using=connection.alias)
    assert dropped in configstamp.installed_triggers(connection)


def test_any_change_of_a_watched_table_makes_a_stamp_never_seen_before():
    world = build_world()
    seen = [read_stamp()]

    def changed() -> None:
        stamp = read_stamp()
        assert stamp is not None and stamp not in seen
        seen.append(stamp)

    rule = LegalRule.objects.create(key=RuleKey.DESK_NAME, value="x")
    changed()
    rule.value = "y"
    rule.save()  # through the ORM
    changed()
    LegalRule.objects.filter(pk=rule.pk).update(value="z")  # a bulk update
    changed()
    with connection.cursor() as cursor:  # plain SQL, as a restore would
        cursor.execute("UPDATE law_legalrule SET value = 'w' WHERE id = %s", [rule.pk])
    changed()
    rule.delete()
    changed()
    world.version.steps.update(name="Tiếp nhận")  # another watched table
    changed()
    world.ward.save()
    changed()
    # a change rolled back leaves the stamp as it was, and the next change
    # does not take the value the rolled-back one had
    before = read_stamp()
    with transaction.atomic():
        LegalRule.objects.create(key=RuleKey.DESK_NAME, value="gone")
        inside = read_stamp()
        transaction.set_rollback(True)
    assert read_stamp() == before and inside not in seen
    seen.append(inside)
    LegalRule.objects.create(key=RuleKey.DESK_NAME, value="kept")
    changed()


def test_dossiers_and_their_figures_do_not_change_the_stamp():
    world = build_world()
    before = read_stamp()
    with world.at(MON):
        created = post(client_for(world.reception), URL, body(world))
    assert created.status_code == 201, created.content
    assert Dossier.objects.count() == 1
    assert read_stamp() == before


def test_a_request_keeps_what_it_read_until_the_configuration_changes():
    load = Loads()
    with stamp_scope():
        assert kept(PROBE, "k", load) == 0
    with stamp_scope(), CaptureQueriesContext(connection) as ctx:
        assert kept(PROBE, "k", load) == 0
        assert kept(PROBE, "k", load) == 0
    assert load.calls == 1
    assert len(ctx) == 1  # the stamp, read once in the request
    # another process (here: outside any request) changes a rule
    LegalRule.objects.create(key=RuleKey.DESK_NAME, value="x")
    with stamp_scope():
        assert kept(PROBE, "k", load) == 1
    assert load.calls == 2


def test_a_request_sees_its_own_change_at_once():
    load = Loads()
    with stamp_scope():
        assert kept(PROBE, "k", load) == 0
        LegalRule.objects.create(key=RuleKey.DESK_NAME, value="x")
        assert kept(PROBE, "k", load) == 1
        LegalRule.objects.filter(value="x").delete()
        assert kept(PROBE, "k", load) == 0
    assert load.calls == 3


def test_outside_a_request_nothing_is_kept():
    load = Loads()
    assert kept(PROBE, "k", load) == 0
    assert kept(PROBE, "k", load) == 0
    assert load.calls == 2


def test_a_reader_of_an_unwatched_table_is_refused():
    with pytest.raises(ValueError, match="unwatched"):
        reader("tests.bad", "dossiers.Dossier")
    with pytest.raises(ValueError, match="not a registered reader"):
        kept("tests.unknown", "k", Loads())


CONFIGURATION = (
    "law_legalrule",
    "deadlines_calendaroverride",
    "catalog_steptemplate",
    "catalog_procedureversion",
    "notifications_messagetemplate",
    "webhooks_subscription",
    "dossiers_centralisedprocedure",
)


def _reads(ctx: CaptureQueriesContext) -> list[str]:
    return [
        table
        for q in ctx
        for table in CONFIGURATION
        if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]
    ]


def test_a_second_reception_reads_no_configuration_and_the_next_sees_an_edit():
    world = build_world()
    client = client_for(world.reception)
    with world.at(MON):
        first = post(client, URL, body(world))
        with CaptureQueriesContext(connection) as ctx:
            second = post(client, URL, body(world))
    assert (first.status_code, second.status_code) == (201, 201)
    assert _reads(ctx) == []
    # an administrator renames the first step and lengthens the legal time
    step = world.version.steps.order_by("position").first()
    assert step is not None
    step.name = "Tiếp nhận và số hoá hồ sơ"
    step.save()
    world.version.time_value = world.version.time_value + Decimal(2)
    world.version.save()
    with world.at(MON):
        third = post(client, URL, body(world))
    assert third.status_code == 201, third.content
    steps = {s["position"]: s["name"] for s in third.json()["steps"]}
    assert steps[1] == "Tiếp nhận và số hoá hồ sơ"
    assert second.json()["steps"][0]["name"] != steps[1]
    due = {r.json()["code"]: r.json()["due_at"] for r in (second, third)}
    assert len(set(due.values())) == 2  # the longer time is followed at once
