"""Reads compiled once per connection (ADR 0033): the same rows as the query
set they are written as, whatever the values, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import Count, Subquery, Value
from django.db.models.functions import Upper
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.agencies.models import Agency, Membership, Role
from motcua.core.statements import Ids, Statement, insert, together, update

pytestmark = pytest.mark.django_db
User = get_user_model()


class Counted:
    """A builder that counts how often it is run."""

    def __init__(self, build: Any) -> None:
        self.build, self.runs = build, 0

    def __call__(self, **values: Any) -> Any:
        self.runs += 1
        return self.build(**values)


def _member(username: str, agency: Agency, role: str = Role.RECEPTION) -> Any:
    user = User.objects.create_user(username, password="x")
    Membership.objects.create(user=user, agency=agency, role=role)
    return user


def test_model_rows_with_their_joined_rows_equal_the_query_sets(agency):
    ward, other = agency(), agency()
    users = [_member(f"u{i}", ward if i % 2 else other) for i in range(4)]
    build = Counted(
        lambda user_id: Membership.objects.select_related("user", "agency").filter(
            user_id=user_id, is_active=True
        )
    )
    statement: Statement[Membership] = Statement(build, user_id=int)
    for user in users + users:
        expected = list(build.build(user_id=user.pk))
        with CaptureQueriesContext(connection) as seen:
            got = statement.all(user_id=user.pk)
        assert len(seen) == 1  # joined in the one statement, as select_related
        assert got == expected
        assert [m.user.username for m in got] == [user.username]
        assert got[0].agency.code == expected[0].agency.code
        assert got[0]._state.db == "default" and not got[0]._state.adding
    assert build.runs == 1 + 1  # the stand-ins' build for the model, then once


def test_values_lists_tuples_and_flat(agency):
    ward = agency()
    one, two = _member("mot", ward), _member("hai", ward, Role.SPECIALIST)
    tuples: Statement[tuple[Any, ...]] = Statement(
        lambda user_id: Membership.objects.filter(user_id=user_id).values_list(
            "agency_id", "role"
        ),
        user_id=int,
    )
    flat: Statement[str] = Statement(
        lambda name: User.objects.filter(username=name).values_list("pk", flat=True),
        name=str,
    )
    assert tuples.all(user_id=one.pk) == [(ward.pk, Role.RECEPTION)]
    assert tuples.all(user_id=two.pk) == [(ward.pk, Role.SPECIALIST)]
    assert flat.first(name="hai") == two.pk
    assert flat.first(name="mot") == one.pk
    assert flat.first(name="ba") is None
    assert flat.all(name="ba") == []


def test_an_instant_and_a_day_are_passed_as_their_lookup_passes_them(agency):
    now = timezone.now()
    for key, minutes in (("a" * 32, -5), ("b" * 32, 5), ("c" * 32, 60)):
        Session.objects.create(
            session_key=key,
            session_data="",
            expire_date=now + timedelta(minutes=minutes),
        )
    live: Statement[Session] = Statement(
        lambda key, after: Session.objects.filter(
            session_key=key, expire_date__gt=after
        ),
        key=str,
        after=datetime,
    )
    assert live.first(key="a" * 32, after=now) is None
    assert live.first(key="b" * 32, after=now).session_key == "b" * 32
    assert live.first(key="c" * 32, after=now + timedelta(minutes=30)) is not None
    assert live.first(key="b" * 32, after=now + timedelta(minutes=30)) is None
    ward = agency()
    Agency.objects.filter(pk=ward.pk).update(merged_on=date(2025, 7, 1))
    merged: Statement[int] = Statement(
        lambda day: Agency.objects.filter(merged_on=day).values_list("pk", flat=True),
        day=date,
    )
    assert merged.all(day=date(2025, 7, 1)) == [ward.pk]
    assert merged.all(day=date(2025, 7, 2)) == []


def test_a_parameter_its_lookup_changes_is_refused():
    wrapped: Statement[Any] = Statement(
        lambda name: User.objects.filter(username__icontains=name), name=str
    )
    with pytest.raises(ImproperlyConfigured, match="'name' must reach the SQL"):
        wrapped.all(name="an")
    prefetched: Statement[Any] = Statement(
        lambda name: User.objects.filter(username=name).prefetch_related("groups"),
        name=str,
    )
    with pytest.raises(ImproperlyConfigured, match="prefetches"):
        prefetched.all(name="an")


def test_a_parameter_used_twice_gets_its_value_in_both_places():
    User.objects.create_user("an", email="x@example.vn")
    User.objects.create_user("binh", email="an")
    User.objects.create_user("chi", email="y@example.vn")
    either: Statement[str] = Statement(
        lambda name: (
            (User.objects.filter(username=name) | User.objects.filter(email=name))
            .order_by("username")
            .values_list("username", flat=True)
        ),
        name=str,
    )
    assert either.all(name="an") == ["an", "binh"]
    assert either.all(name="chi") == ["chi"]


def test_lists_of_ids_are_compiled_once_per_length_and_repeated_where_used(agency):
    wards = [agency() for _ in range(4)]
    users = {ward.pk: _member(f"w{ward.pk}", ward) for ward in wards}
    build = Counted(
        lambda agency_ids: (
            (
                Membership.objects.filter(agency_id__in=agency_ids)
                | Membership.objects.filter(user__memberships__agency_id__in=agency_ids)
            )
            .distinct()
            .order_by("agency_id")
            .values_list("agency_id", flat=True)
        ),
    )
    among: Statement[int] = Statement(build, agency_ids=Ids)
    a, b, c, d = (w.pk for w in wards)
    assert among.all(agency_ids=[a, c]) == sorted([a, c])
    runs = build.runs
    assert among.all(agency_ids=[b, d]) == sorted([b, d])
    assert build.runs == runs  # the same length: compiled already
    assert among.all(agency_ids=[d]) == [d]
    assert among.all(agency_ids=[a, b, c]) == sorted([a, b, c])
    assert build.runs == runs + 2
    assert users  # one member per ward
    with pytest.raises(ValueError):
        among.all(agency_ids=[])
    # an id list before a number: their stand-ins never meet
    of_user: Statement[int] = Statement(
        lambda agency_ids, user_id: Membership.objects.filter(
            agency_id__in=agency_ids, user_id=user_id
        ).values_list("agency_id", flat=True),
        agency_ids=Ids,
        user_id=int,
    )
    assert of_user.all(agency_ids=[a, b, c], user_id=users[b].pk) == [b]


def test_a_union_of_values_is_kept_with_its_parameters_in_every_part(agency):
    wards = [agency() for _ in range(3)]
    users = [_member(f"h{i}", ward) for i, ward in enumerate(wards)]
    sliced = connection.features.supports_slicing_ordering_in_compound

    def build(agency_ids: list[int], user_id: int) -> Any:
        def part(rows: Any) -> Any:
            rows = rows.values_list("user_id", flat=True)
            return rows.order_by("-user_id")[:2] if sliced else rows

        mine = part(Membership.objects.filter(agency_id__in=agency_ids))
        theirs = part(Membership.objects.filter(user_id=user_id))
        return mine.union(theirs)

    union: Statement[int] = Statement(build, agency_ids=Ids, user_id=int)
    a, b, c = (w.pk for w in wards)
    for ids, user in (([a], users[2]), ([b, c], users[0]), ([a, b], users[0])):
        expected = sorted(build(ids, user.pk))
        with CaptureQueriesContext(connection) as seen:
            got = sorted(union.all(agency_ids=ids, user_id=user.pk))
        assert got == expected and len(seen) == 1
    assert sorted(union.all(agency_ids=[b, c], user_id=users[0].pk)) == sorted(
        [users[0].pk, users[1].pk, users[2].pk]
    )
    rows: Statement[Any] = Statement(
        lambda user_id: Membership.objects.filter(user_id=user_id).union(
            Membership.objects.filter(user_id=user_id)
        ),
        user_id=int,
    )
    with pytest.raises(ImproperlyConfigured, match="combined model rows"):
        rows.all(user_id=users[0].pk)


def test_annotations_in_a_values_list_come_in_the_order_named(agency):
    wards = [agency() for _ in range(3)]
    user = _member("chu", wards[0])
    Membership.objects.create(user=user, agency=wards[2], role=Role.MONITOR)
    count = (
        Agency.objects.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")
    )

    def build(user_id: int) -> Any:
        return (
            Membership.objects.filter(user_id=user_id)
            .annotate(upper=Upper("role"))
            .order_by("pk")
            .values_list("agency_id", "upper", Subquery(count), "role")
        )

    statement: Statement[tuple[Any, ...]] = Statement(build, user_id=int)
    expected = list(build(user.pk))
    assert expected[0][1:] == ("RECEPTION", Agency.objects.count(), "reception")
    assert statement.all(user_id=user.pk) == expected
    assert statement.all(user_id=user.pk + 1000) == []


def test_values_must_be_named_as_declared():
    statement: Statement[Any] = Statement(
        lambda name: User.objects.filter(username=name), name=str
    )
    with pytest.raises(TypeError):
        statement.all(username="an")


def test_each_connection_compiles_its_own(agency):
    """The kept SQL lives on the connection object: a new connection (another
    thread, a reconnect of another alias) compiles again."""
    ward = agency()
    user = _member("bon", ward)
    build = Counted(lambda user_id: Membership.objects.filter(user_id=user_id))
    statement: Statement[Membership] = Statement(build, user_id=int)
    statement.all(user_id=user.pk)
    runs = build.runs
    statement.all(user_id=user.pk)
    assert build.runs == runs
    del connections["default"].__dict__["_motcua_statements"]
    assert [m.user_id for m in statement.all(user_id=user.pk)] == [user.pk]
    assert build.runs == runs + 1


def test_the_session_store_loads_a_live_session_and_no_expired_one(client):
    from motcua.core.sessions import SessionStore

    user = User.objects.create_user("phien", password="x")
    client.force_login(user)
    key = client.cookies["sessionid"].value
    store = SessionStore(session_key=key)
    assert store.load()["_auth_user_id"] == str(user.pk)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(session_key=key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key at the next save, as Django's


# ------------------------------------------------------------ kept inserts
def _stored(model: Any, pk: Any) -> dict[str, Any]:
    row = model.objects.filter(pk=pk).values().get()
    row.pop(model._meta.pk.attname)
    return row


def _message(agency: Agency, key: str, **fields: Any) -> Any:
    from motcua.notifications.models import Message

    at = datetime(
        2026, 7, 1, 8, 30, 15, 123456, tzinfo=timezone.get_fixed_timezone(420)
    )
    values: dict[str, Any] = {
        "agency": agency,
        "channel": "sms",
        "recipient": "0905123456",
        "template_key": "received",
        "template_version": 2,
        "variables": {"mã": "000.01.01.H12-260701-0001", "n": [1, 2.5, None]},
        "idempotency_key": key,
        "next_attempt_at": at,
        "give_up_at": at + timedelta(days=2),
        "created_at": at,
        **fields,
    }
    return Message(**values)


def test_a_kept_insert_writes_the_row_save_writes(agency):
    ward = agency()
    for n in range(3):  # compiled at the first, kept for the others
        saved = _message(ward, f"saved-{n}")
        saved.save(force_insert=True)
        kept = _message(ward, f"kept-{n}")
        with CaptureQueriesContext(connection) as seen:
            assert insert(kept) is kept
        assert len(seen) == 1
        assert kept.pk is not None and kept.pk != saved.pk
        assert kept._state.db == "default" and not kept._state.adding
        expected = _stored(type(saved), saved.pk)
        got = _stored(type(kept), kept.pk)
        assert expected.pop("idempotency_key") == f"saved-{n}"
        assert got.pop("idempotency_key") == f"kept-{n}"
        assert got == expected
        assert got["variables"]["mã"] == "000.01.01.H12-260701-0001"


def test_a_kept_insert_stamps_and_keys_as_save_does(agency):
    from motcua.citizens.models import Citizen

    user = User.objects.create_user("cong-dan", password="x")
    before = timezone.now()
    citizen = insert(
        Citizen(user=user, verified_by="local", birth_date=date(1990, 2, 3))
    )
    stored = Citizen.objects.get(pk=citizen.pk)
    assert before <= stored.created_at == citizen.created_at
    assert stored.updated_at == citizen.updated_at
    assert stored.user_id == user.pk and stored.birth_date == date(1990, 2, 3)
    unsaved = User(username="chua-luu")
    with pytest.raises(ValueError, match="unsaved related object"):
        insert(Citizen(user=unsaved, verified_by="local"))
    assert Citizen.objects.count() == 1


def test_what_only_save_writes_goes_through_save(agency):
    from django.db.models.functions import Now
    from django.db.models.signals import pre_save

    from motcua.notifications.models import Message
    from motcua.privacy.models import ReadLog, ReadLogImmutable

    ward = agency()
    # A value that is an expression: compiled by save().
    message = insert(_message(ward, "now", created_at=Now()))
    assert Message.objects.get(pk=message.pk).created_at is not None
    # A model with its own save(): the log refuses a row that has a key.
    with pytest.raises(ReadLogImmutable):
        insert(ReadLog(pk=10**6, username="x", what="api_detail"))
    # A receiver of pre_save is called.
    seen: list[str] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance.idempotency_key)

    pre_save.connect(receiver, sender=Message)
    try:
        insert(_message(ward, "heard"))
    finally:
        pre_save.disconnect(receiver, sender=Message)
    assert seen == ["heard"]


def test_a_failed_kept_insert_marks_its_block_for_rollback(agency):
    from django.db import IntegrityError, transaction

    ward = agency()
    insert(_message(ward, "once"))
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert(_message(ward, "once"))
        assert transaction.get_rollback()  # as save() leaves it


# ------------------------------------------------------------ kept updates
def _change(message: Any, n: int) -> None:
    message.state = "sent"
    message.attempts = n
    message.variables = {"lần": n, "ghi chú": "đã gửi"}
    message.sent_at = datetime(2026, 7, 2, 9, n, tzinfo=UTC)
    message.last_error = ""


def test_a_kept_update_writes_the_row_save_writes(agency):
    ward = agency()
    for n in range(3):
        saved, kept = insert(_message(ward, f"s{n}")), insert(_message(ward, f"k{n}"))
        _change(saved, n)
        _change(kept, n)
        saved.save()
        with CaptureQueriesContext(connection) as seen:
            assert update(kept) is kept
        assert len(seen) == 1
        expected = _stored(type(saved), saved.pk)
        got = _stored(type(kept), kept.pk)
        assert (expected.pop("idempotency_key"), got.pop("idempotency_key")) == (
            f"s{n}",
            f"k{n}",
        )
        assert got == expected
        assert got["attempts"] == n and got["variables"]["ghi chú"] == "đã gửi"


def test_a_kept_update_of_named_fields_writes_only_those(agency):
    from motcua.notifications.models import Message

    message = insert(_message(agency(), "named"))
    _change(message, 7)
    update(message, ["state", "attempts"])
    stored = Message.objects.get(pk=message.pk)
    assert (stored.state, stored.attempts) == ("sent", 7)
    assert stored.sent_at is None and stored.variables != message.variables
    # A row loaded with deferred columns: only the loaded ones are written.
    partial = Message.objects.only("id", "attempts").get(pk=message.pk)
    partial.attempts = 8
    update(partial)
    stored = Message.objects.get(pk=message.pk)
    assert (stored.attempts, stored.state) == (8, "sent")
    with pytest.raises(ValueError, match="do not exist"):
        update(message, ["nothing_like_this"])


def test_a_kept_update_of_a_missing_row_fails_as_save_does(agency):
    from django.db import DatabaseError, transaction

    from motcua.notifications.models import Message

    message = insert(_message(agency(), "gone"))
    Message.objects.filter(pk=message.pk).delete()
    with transaction.atomic():
        with pytest.raises(DatabaseError, match="did not affect any rows"):
            update(message, ["state"])
        assert transaction.get_rollback()  # as save() leaves it
        transaction.set_rollback(False)  # (nothing was written to undo)
    _change(message, 1)
    update(message)  # every field: save() then inserts the row again
    assert Message.objects.get(pk=message.pk).attempts == 1


# ------------------------------------------------------------ sent together
def test_statements_sent_together_give_each_its_own_rows(agency):
    ward, other = agency(), agency()
    users = [_member(f"t{i}", ward if i % 2 else other) for i in range(3)]
    memberships: Statement[Membership] = Statement(
        lambda user_id: Membership.objects.select_related("agency").filter(
            user_id=user_id
        ),
        user_id=int,
    )
    names: Statement[str] = Statement(
        lambda agency_id: Agency.objects.filter(pk=agency_id).values_list(
            "code", flat=True
        ),
        agency_id=int,
    )
    for _ in range(2):  # compiled, then kept
        calls = [(memberships, {"user_id": u.pk}) for u in users]
        calls.append((names, {"agency_id": ward.pk}))
        with CaptureQueriesContext(connection) as seen:
            found = together(*calls)
        assert len(seen) == len(calls)  # each statement still seen by the cursor
        assert found[:-1] == [memberships.all(user_id=u.pk) for u in users]
        assert [m.agency.code for m in found[1]] == [ward.code]
        assert found[-1] == [ward.code]
    assert together() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL pipelines")
def test_on_postgresql_they_go_in_one_pipeline(agency, monkeypatch, settings):
    ward = agency()
    codes: Statement[str] = Statement(
        lambda agency_id: Agency.objects.filter(pk=agency_id).values_list(
            "code", flat=True
        ),
        agency_id=int,
    )
    raw = connection.cursor().connection  # the psycopg connection
    opened: list[Any] = []
    pipeline = type(raw).pipeline

    def counted(self: Any) -> Any:
        opened.append(self)
        return pipeline(self)

    monkeypatch.setattr(type(raw), "pipeline", counted)
    assert together(*[(codes, {"agency_id": ward.pk})] * 3) == [[ward.code]] * 3
    assert opened == [raw]
    settings.MOTCUA_PG_PIPELINE = False  # behind a pooler that cannot pass them
    assert together(*[(codes, {"agency_id": ward.pk})] * 2) == [[ward.code]] * 2
    assert opened == [raw]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL pipelines")
def test_an_error_in_a_pipeline_is_djangos_and_the_connection_goes_on(agency):
    from django.db import DataError, transaction

    ward = agency()
    codes: Statement[str] = Statement(
        lambda agency_id: Agency.objects.filter(pk=agency_id).values_list(
            "code", flat=True
        ),
        agency_id=int,
    )
    with pytest.raises(DataError), transaction.atomic():
        # refused by the server: not a number for an integer column
        together((codes, {"agency_id": ward.pk}), (codes, {"agency_id": "x"}))
    assert together((codes, {"agency_id": ward.pk})) == [[ward.code]]
