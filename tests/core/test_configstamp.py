"""The configuration stamp (ADR 0032): configuration kept between requests, and
never one change longer, whoever makes the change and however."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core import configstamp
from motcua.core.configstamp import kept, read_stamp, reader, stamp_scope
from motcua.deadlines.models import CalendarOverride
from motcua.dossiers.models import Dossier
from motcua.law.keys import RuleKey
from motcua.law.models import LegalRule
from motcua.notifications.models import Message, MessageTemplate
from motcua.webhooks.models import Subscription
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


FIRST_TABLE = re.compile(r'SELECT .*? FROM "(\w+)"')


def _reads(ctx: CaptureQueriesContext) -> list[str]:
    """The configuration tables the statements read (one watched, first)."""
    tables = set(configstamp.watched_tables())
    found = (FIRST_TABLE.match(q["sql"]) for q in ctx)
    return [m.group(1) for m in found if m and m.group(1) in tables]


def test_a_second_reception_reads_no_configuration_and_the_next_sees_an_edit():
    world = build_world()
    client = client_for(world.reception)
    with world.at(MON):
        first = post(client, URL, body(world))
        with CaptureQueriesContext(connection) as ctx:
            second = post(client, URL, body(world))
    assert (first.status_code, second.status_code) == (201, 201)
    assert _reads(ctx) == [], "\n".join(q["sql"] for q in ctx)
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


def _not_offered(world: Any) -> None:
    world.procedure.agencies.remove(world.ward)


def _deactivated(world: Any) -> None:
    world.procedure.is_active = False
    world.procedure.save()


def _component_added(world: Any) -> None:
    world.version.components.create(position=9, name="Giấy uỷ quyền", kind="copy")


def _text_replaced(world: Any) -> None:
    old = MessageTemplate.objects.filter(key="received", channel="sms").latest(
        "version"
    )
    MessageTemplate.objects.create(
        key="received", channel="sms", version=old.version + 1, body=old.body
    )


def _holiday(world: Any) -> None:
    CalendarOverride.objects.create(
        date=MON.date() + timedelta(days=1), working=False, reason="Nghỉ bù"
    )


def _merged(world: Any) -> None:
    world.ward.merged_into = world.other_ward
    world.ward.merged_on = MON.date()
    world.ward.save()


def _subscribed(world: Any) -> None:
    Subscription.objects.create(
        name="Kho dữ liệu",
        agency=world.ward,
        target_url="http://127.0.0.1:9/hook",
        secret="s" * 40,
        events=["receive"],
    )


def _text_versions() -> list[int]:
    """The text version of each reception's SMS, in order."""
    sent = Message.objects.filter(template_key="received", channel="sms")
    return list(sent.order_by("pk").values_list("template_version", flat=True))


def _refused(response: Any) -> tuple[int, str]:
    """The status and error code of a refusal."""
    return response.status_code, response.json().get("code", "")


EDITS: dict[str, tuple[Callable[[Any], None], Callable[[Any, Any, Any], None]]] = {
    "procedure no longer offered at the ward": (
        _not_offered,
        lambda w, before, after: (
            _refused(after) == (400, "dossier.procedure_not_offered")
        ),
    ),
    "procedure withdrawn": (
        _deactivated,
        lambda w, before, after: (
            after.status_code == 400
            and "procedure" in after.json().get("fields", after.json())
        ),
    ),
    "component added": (
        _component_added,
        lambda w, before, after: (
            len(after.json()["components"]) == len(before.json()["components"]) + 1
        ),
    ),
    "message text replaced": (
        _text_replaced,
        lambda w, before, after: _text_versions() == [1, 1, 2],
    ),
    "national holiday added": (
        _holiday,
        lambda w, before, after: after.json()["due_at"] > before.json()["due_at"],
    ),
    "ward merged": (
        _merged,
        lambda w, before, after: _refused(after) == (409, "agency.merged"),
    ),
    "webhook subscribed": (
        _subscribed,
        lambda w, before, after: Message.objects.filter(channel="webhook").count() == 1,
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_each_kind_of_edit_is_followed_by_the_very_next_reception(edit):
    world = build_world()
    change, seen = EDITS[edit]
    client = client_for(world.reception)
    with world.at(MON):
        before = post(client, URL, body(world))
        assert post(client, URL, body(world)).status_code == 201  # kept now
    assert before.status_code == 201, before.content
    change(world)
    with world.at(MON):
        after = post(client, URL, body(world))
    assert seen(world, before, after), after.content
