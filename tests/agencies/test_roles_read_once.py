"""The roles a user holds are read once per dossier API request
(``roles_read_once``), never longer: outside it every check reads them again,
so a role granted or withdrawn counts at the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.agencies.models import Membership, Role
from motcua.agencies.selectors import (
    has_role,
    roles_read_once,
    user_roles,
    visible_agency_ids,
)
from tests.dossiers.builders import build_world, make_user

pytestmark = pytest.mark.django_db


def test_within_one_request_the_roles_are_read_once():
    w = build_world()
    with roles_read_once(), CaptureQueriesContext(connection) as ctx:
        assert has_role(w.specialist, w.ward, {Role.SPECIALIST})
        assert not has_role(w.specialist, w.ward, {Role.LEADER})
        assert not has_role(w.specialist, w.other_ward, {Role.SPECIALIST})
        assert user_roles(w.specialist, w.ward) == {Role.SPECIALIST}
        assert visible_agency_ids(w.specialist) == visible_agency_ids(w.specialist)
    # the memberships; the agencies seen come from them (no covered subtree)
    assert len(ctx.captured_queries) == 1


def test_a_role_granted_counts_at_the_next_request():
    w = build_world()
    assert not has_role(w.specialist, w.ward, {Role.LEADER})
    granted = Membership.objects.create(
        user=w.specialist, agency=w.ward, role=Role.LEADER
    )
    assert has_role(w.specialist, w.ward, {Role.LEADER})
    with roles_read_once():
        assert has_role(w.specialist, w.ward, {Role.LEADER})
    granted.is_active = False
    granted.save()
    with roles_read_once():
        assert not has_role(w.specialist, w.ward, {Role.LEADER})
    assert not has_role(w.specialist, w.ward, {Role.LEADER})


def test_a_specialist_of_some_fields_holds_the_role_for_those_only():
    w = build_world()
    limited = make_user("cv-linh-vuc", w.ward, Role.SPECIALIST, fields=[w.field])
    with roles_read_once():
        assert has_role(limited, w.ward, {Role.SPECIALIST}, field_id=w.field.pk)
        assert not has_role(limited, w.ward, {Role.SPECIALIST}, field_id=-1)
        assert has_role(limited, w.ward, {Role.SPECIALIST})
        assert has_role(w.specialist, w.ward, {Role.SPECIALIST}, field_id=-1)


def test_a_covering_monitor_holds_its_role_below_and_nothing_else():
    w = build_world()
    monitor = make_user("gs-huyen", w.district, Role.MONITOR)
    assert not has_role(monitor, w.ward, {Role.MONITOR})
    Membership.objects.filter(user=monitor).update(covers_subtree=True)
    with roles_read_once():
        assert has_role(monitor, w.ward, {Role.MONITOR})
        assert not has_role(monitor, w.ward, {Role.SPECIALIST})
        assert user_roles(monitor, w.ward) == {Role.MONITOR}


def _counting_view(w, calls):
    def view(request):
        with CaptureQueriesContext(connection) as ctx:
            has_role(w.specialist, w.ward, {Role.SPECIALIST})
            has_role(w.specialist, w.ward, {Role.LEADER})
        calls.append(len(ctx.captured_queries))
        from django.http import HttpResponse

        return HttpResponse("ok")

    return view


@pytest.mark.parametrize(("method", "reads"), [("get", 1), ("head", 1), ("post", 2)])
def test_a_reading_request_reads_the_roles_once_a_writing_one_at_every_check(
    method, reads
):
    from django.test import RequestFactory

    from motcua.agencies.middleware import RolesReadOnceMiddleware

    w = build_world()
    calls: list[int] = []
    middleware = RolesReadOnceMiddleware(_counting_view(w, calls))
    middleware(getattr(RequestFactory(), method)("/can-bo/"))
    assert calls == [reads]
    # nothing is kept after the request
    with CaptureQueriesContext(connection) as ctx:
        has_role(w.specialist, w.ward, {Role.SPECIALIST})
    assert len(ctx.captured_queries) == 1


def test_the_middleware_is_installed():
    from django.conf import settings

    assert "motcua.agencies.middleware.RolesReadOnceMiddleware" in settings.MIDDLEWARE
