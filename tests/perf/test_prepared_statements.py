"""PostgreSQL statements are prepared on their second use on a connection
(settings ``MOTCUA_PG_PREPARED``, ADR 0029): a page's statements are planned
once per connection, not once per request."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from motcua.agencies.models import Agency

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def prepared_count() -> int:
    raw = connection.connection  # psycopg's own, to ask for no preparation
    row = raw.execute("SELECT count(*) FROM pg_prepared_statements", prepare=False)
    return int(row.fetchone()[0])


def test_the_connection_binds_on_the_server_and_prepares_after_one_use():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 1
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 1


def test_a_query_run_twice_is_prepared_and_answers_the_same(agency):
    first, second = agency(), agency()
    before = prepared_count()
    answers = [
        list(Agency.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk"))
        for _ in range(3)
    ]
    assert prepared_count() == before + 1
    assert answers[0] == answers[1] == answers[2] == [first, second]
