"""Every agency sees only its own (ARCHITECTURE principle 7)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import (
    has_role,
    roles_read_once,
    sees_every_agency,
    user_roles,
    visible_agencies,
    visible_agency_ids,
)
from motcua.catalog.models import Field
from motcua.core.auth import require_roles
from motcua.core.errors import DomainError

from .conftest import City, grant

pytestmark = pytest.mark.django_db


def codes(agencies) -> set[str]:
    return {a.code for a in agencies}


def test_an_officer_of_ward_a_sees_only_ward_a(city: City, make_user):
    officer = make_user("officer")
    grant(officer, city.ward_1a, Role.RECEPTION)
    assert codes(visible_agencies(officer)) == {city.ward_1a.code}


def test_a_person_with_roles_in_two_agencies_sees_both(city: City, make_user):
    person = make_user("person")
    grant(person, city.ward_1a, Role.SPECIALIST)
    grant(person, city.ward_2, Role.LEADER)
    grant(person, city.ward_2, Role.RECEPTION)
    visible = visible_agencies(person)
    assert codes(visible) == {city.ward_1a.code, city.ward_2.code}
    assert visible.count() == 2  # no duplicates from two roles in ward 2


def test_a_district_monitor_covering_the_subtree_sees_its_wards_only(
    city: City, make_user
):
    monitor = make_user("monitor")
    grant(monitor, city.district_1, Role.MONITOR, covers_subtree=True)
    assert codes(visible_agencies(monitor)) == {
        city.district_1.code,
        city.ward_1a.code,
        city.ward_1b.code,
    }


def test_a_monitor_without_the_subtree_sees_only_the_district(city: City, make_user):
    monitor = make_user("monitor")
    grant(monitor, city.district_1, Role.MONITOR)
    assert codes(visible_agencies(monitor)) == {city.district_1.code}


def test_a_subtree_flag_on_another_role_widens_nothing(city: City, make_user):
    leader = make_user("leader")
    grant(leader, city.district_1, Role.LEADER, covers_subtree=True)
    assert codes(visible_agencies(leader)) == {city.district_1.code}


def test_a_monitor_of_an_agency_without_path_does_not_see_everything(
    city: City, make_user
):
    legacy = Agency.objects.create(code="000.77.77.H98", name="Cũ", level="district")
    monitor = make_user("monitor")
    grant(monitor, legacy, Role.MONITOR, covers_subtree=True)
    assert codes(visible_agencies(monitor)) == {legacy.code}


def test_an_inactive_membership_shows_nothing(city: City, make_user):
    former = make_user("former")
    grant(former, city.ward_1a, Role.RECEPTION, is_active=False)
    assert not visible_agencies(former).exists()
    assert not has_role(former, city.ward_1a, [Role.RECEPTION])


def test_an_inactive_account_sees_nothing(city: City, make_user):
    locked = make_user("locked", is_active=False)
    grant(locked, city.district_1, Role.MONITOR, covers_subtree=True)
    assert not visible_agencies(locked).exists()


def test_anonymous_visitors_see_nothing(city: City):
    assert not visible_agencies(AnonymousUser()).exists()
    assert not visible_agencies(None).exists()
    assert not has_role(AnonymousUser(), city.ward_1a, list(Role))


def test_a_superuser_sees_every_agency(city: City, make_user):
    root = make_user("root", is_superuser=True)
    assert visible_agencies(root).count() == Agency.objects.count() == 6
    assert user_roles(root, city.ward_2) == {r.value for r in Role}


def test_visible_agencies_is_one_query_whatever_the_roles(
    city: City, make_user, django_assert_num_queries
):
    person = make_user("busy")
    grant(person, city.ward_2, Role.RECEPTION)
    grant(person, city.ward_1b, Role.LEADER)
    grant(person, city.district_1, Role.MONITOR, covers_subtree=True)
    grant(person, city.province, Role.MONITOR)
    with django_assert_num_queries(1):
        visible = list(visible_agencies(person))
    assert len(visible) == 5


def test_visible_agencies_filters_another_query_as_a_subquery(
    city: City, make_user, django_assert_num_queries
):
    monitor = make_user("monitor")
    grant(monitor, city.district_2, Role.MONITOR, covers_subtree=True)
    with django_assert_num_queries(1):
        parents = set(
            Agency.objects.filter(children__in=visible_agencies(monitor)).values_list(
                "code", flat=True
            )
        )
    # District 2 is the parent of ward 2; the province of district 2.
    assert parents == {city.district_2.code, city.province.code}


def test_has_role_is_per_agency(city: City, make_user):
    officer = make_user("officer")
    grant(officer, city.ward_1a, Role.RECEPTION)
    assert has_role(officer, city.ward_1a, [Role.RECEPTION, Role.LEADER])
    assert not has_role(officer, city.ward_1a, [Role.LEADER])
    assert not has_role(officer, city.ward_1b, [Role.RECEPTION])
    assert user_roles(officer, city.ward_1a) == {Role.RECEPTION}


def test_a_subtree_monitor_holds_the_monitor_role_in_the_wards_below(
    city: City, make_user
):
    monitor = make_user("monitor")
    grant(monitor, city.district_1, Role.MONITOR, covers_subtree=True)
    assert has_role(monitor, city.ward_1a, [Role.MONITOR])
    assert user_roles(monitor, city.ward_1b) == {Role.MONITOR}
    assert not has_role(monitor, city.ward_2, [Role.MONITOR])
    assert not has_role(monitor, city.province, [Role.MONITOR])
    assert not has_role(monitor, city.ward_1a, [Role.LEADER])


def test_a_specialist_holds_the_role_only_in_the_fields_given(city: City, make_user):
    civil = Field.objects.create(code="HT", name="Hộ tịch")
    land = Field.objects.create(code="DD", name="Đất đai")
    notary = Field.objects.create(code="CT", name="Chứng thực")
    specialist = make_user("specialist")
    grant(specialist, city.ward_1a, Role.SPECIALIST, fields=[civil, notary])
    roles = [Role.SPECIALIST]
    assert has_role(specialist, city.ward_1a, roles, field_id=civil.pk)
    assert has_role(specialist, city.ward_1a, roles, field_id=notary.pk)
    assert not has_role(specialist, city.ward_1a, roles, field_id=land.pk)
    assert has_role(specialist, city.ward_1a, roles)  # no field asked


def test_a_specialist_without_fields_handles_every_field(city: City, make_user):
    land = Field.objects.create(code="DD", name="Đất đai")
    specialist = make_user("specialist")
    grant(specialist, city.ward_1a, Role.SPECIALIST)
    assert has_role(specialist, city.ward_1a, [Role.SPECIALIST], field_id=land.pk)


def test_field_limits_do_not_bind_a_leader(city: City, make_user):
    civil = Field.objects.create(code="HT", name="Hộ tịch")
    land = Field.objects.create(code="DD", name="Đất đai")
    person = make_user("person")
    grant(person, city.ward_1a, Role.SPECIALIST, fields=[civil])
    grant(person, city.ward_1a, Role.LEADER)
    both = [Role.SPECIALIST, Role.LEADER]
    assert has_role(person, city.ward_1a, both, field_id=land.pk)
    assert not has_role(person, city.ward_1a, [Role.SPECIALIST], field_id=land.pk)


def test_require_roles_refuses_with_403_and_a_vietnamese_message(city: City, make_user):
    officer = make_user("officer")
    grant(officer, city.ward_1a, Role.RECEPTION)
    require_roles(officer, city.ward_1a, [Role.RECEPTION])
    with pytest.raises(DomainError) as error:
        require_roles(officer, city.ward_1b, [Role.RECEPTION])
    assert (error.value.code, error.value.status) == ("auth.forbidden", 403)
    assert "không có quyền" in error.value.message


def _people(city: City, make_user) -> list:
    """Every kind of person the tests above set up, and some mixed ones."""
    officer = make_user("p-officer")
    grant(officer, city.ward_1a, Role.RECEPTION)
    two = make_user("p-two")
    grant(two, city.ward_1a, Role.SPECIALIST, fields=list(Field.objects.all()[:2]))
    grant(two, city.ward_2, Role.LEADER)
    grant(two, city.ward_2, Role.RECEPTION)
    covering = make_user("p-covering")
    grant(covering, city.district_1, Role.MONITOR, covers_subtree=True)
    grant(covering, city.ward_2, Role.RECEPTION)
    plain_monitor = make_user("p-monitor")
    grant(plain_monitor, city.district_1, Role.MONITOR)
    flag = make_user("p-flag")
    grant(flag, city.district_1, Role.LEADER, covers_subtree=True)
    former = make_user("p-former")
    grant(former, city.ward_1a, Role.RECEPTION, is_active=False)
    grant(former, city.ward_2, Role.SPECIALIST)
    legacy = Agency.objects.create(code="000.77.77.H97", name="Cũ", level="district")
    old = make_user("p-legacy")
    grant(old, legacy, Role.MONITOR, covers_subtree=True)
    locked = make_user("p-locked", is_active=False)
    grant(locked, city.ward_1a, Role.RECEPTION)
    root = make_user("p-root", is_superuser=True)
    nobody = make_user("p-nobody")
    return [officer, two, covering, plain_monitor, flag, former, old, locked, root,
            nobody, AnonymousUser(), None]  # fmt: skip


def test_the_visible_ids_are_the_visible_agencies_for_every_kind_of_person(
    city: City, make_user
):
    """``visible_agency_ids`` takes the memberships already read when no
    monitor covers a subtree: the same agencies as the query, in and out of
    ``roles_read_once``."""
    people = _people(city, make_user)
    every = sorted(Agency.objects.values_list("pk", flat=True))
    for person in people:
        expected = sorted(visible_agencies(person).values_list("pk", flat=True))
        assert sorted(visible_agency_ids(person)) == expected, person
        # only a shortcut: claimed for the administrator alone here (the
        # legacy agency lies outside every monitor's tree)
        assert sees_every_agency(person) is (person is not None and person.is_superuser)
        with roles_read_once():
            assert sorted(visible_agency_ids(person)) == expected, person
            if sees_every_agency(person):
                assert expected == every


def test_a_monitor_of_the_only_tree_sees_every_agency(city: City, make_user):
    """Read with the visible ids, in the same statement; an agency added
    outside the tree takes it away, a role there gives it back."""
    monitor = make_user("p-province")
    grant(monitor, city.province, Role.MONITOR, covers_subtree=True)
    part = make_user("p-part")
    grant(part, city.district_1, Role.MONITOR, covers_subtree=True)
    officer = make_user("p-officer")
    for agency in Agency.objects.all():
        grant(officer, agency, Role.RECEPTION)
    assert sees_every_agency(monitor)
    assert not sees_every_agency(part)
    assert not sees_every_agency(officer)  # no subtree: never claimed (no query)
    outside = Agency.objects.create(code="000.77.77.H96", name="Khác", level="district")
    assert not sees_every_agency(monitor)
    grant(monitor, outside, Role.MONITOR)
    assert sees_every_agency(monitor)


def test_without_a_covered_subtree_the_visible_ids_cost_no_query_of_their_own(
    city: City, make_user, django_assert_num_queries
):
    officer = make_user("p-officer")
    grant(officer, city.ward_1a, Role.RECEPTION)
    grant(officer, city.ward_2, Role.SPECIALIST)
    monitor = make_user("p-monitor")
    grant(monitor, city.district_1, Role.MONITOR, covers_subtree=True)
    with roles_read_once():
        with django_assert_num_queries(1):  # the memberships
            assert visible_agency_ids(officer) == sorted(
                [city.ward_1a.pk, city.ward_2.pk]
            )
            assert visible_agency_ids(officer) == visible_agency_ids(officer)
        with django_assert_num_queries(2):  # the memberships, the subtree
            assert len(visible_agency_ids(monitor)) == 3
            assert not sees_every_agency(monitor)  # read with them
