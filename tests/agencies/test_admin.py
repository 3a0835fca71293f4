"""Admin pages for agencies, counters and staff roles."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.agencies.models import Agency, Counter, Membership, Role
from motcua.catalog.models import Field

from .conftest import City, grant

pytestmark = pytest.mark.django_db


def agency_form(**fields: Any) -> dict[str, Any]:
    """The add/change form of an agency with its two inlines, all empty."""
    data: dict[str, Any] = {
        "code": "000.05.05.H99",
        "name": "UBND phường Mới",
        "level": "commune",
        "parent": "",
        "is_active": "on",
        "address": "",
        "hotline": "",
        "leader_phones": "[]",
        "desk_phones": "[]",
        "auto_remind_percent": "0",
        "working_hours": "08:00-12:00, 13:00-17:00",
        "supplement_policy": "restart",
    }
    for prefix in ("counters", "calendar_overrides"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    data.update(fields)
    return data


def assert_saved(response: Any) -> None:
    assert response.status_code == 302, response.content.decode()[:3000]


def test_agency_and_membership_pages_render(admin_client, city: City, make_user):
    officer = make_user("officer")
    membership = grant(officer, city.ward_1a, Role.RECEPTION)
    Counter.objects.create(agency=city.ward_1a, number=1)
    for url in (
        "/admin/agencies/agency/",
        "/admin/agencies/agency/add/",
        f"/admin/agencies/agency/{city.ward_1a.pk}/change/",
        "/admin/agencies/membership/",
        f"/admin/agencies/membership/?role=reception&agency__id__exact={city.ward_1a.pk}",
        "/admin/agencies/membership/add/",
        f"/admin/agencies/membership/{membership.pk}/change/",
        f"/admin/auth/user/{officer.pk}/change/",
        "/admin/autocomplete/?app_label=agencies&model_name=membership"
        "&field_name=agency&term=Phường",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url


def test_agency_page_shows_the_tree_path_and_level(admin_client, city: City):
    page = admin_client.get(f"/admin/agencies/agency/{city.ward_1a.pk}/change/")
    html = page.content.decode()
    assert city.ward_1a.path in html
    assert "Quầy tiếp nhận" in html or "quầy tiếp nhận" in html


def test_an_agency_added_with_a_parent_gets_its_path(admin_client, city: City):
    response = admin_client.post(
        "/admin/agencies/agency/add/",
        agency_form(
            parent=city.district_2.pk,
            **{
                "counters-TOTAL_FORMS": "1",
                "counters-0-number": "1",
                "counters-0-name": "Quầy hộ tịch",
                "counters-0-is_active": "on",
            },
        ),
    )
    assert_saved(response)
    ward = Agency.objects.get(code="000.05.05.H99")
    assert ward.path == f"{city.district_2.path}{ward.pk}/"
    assert ward.counters.get().name == "Quầy hộ tịch"


def test_moving_a_district_in_the_admin_moves_its_wards(admin_client, city: City):
    d1 = city.district_1
    response = admin_client.post(
        f"/admin/agencies/agency/{d1.pk}/change/",
        agency_form(code=d1.code, name=d1.name, level="district", parent=""),
    )
    assert_saved(response)
    city.ward_1a.refresh_from_db()
    assert city.ward_1a.path == f"/{d1.pk}/{city.ward_1a.pk}/"


def test_a_parent_below_the_agency_is_a_form_error_not_a_500(admin_client, city: City):
    d1 = city.district_1
    response = admin_client.post(
        f"/admin/agencies/agency/{d1.pk}/change/",
        agency_form(
            code=d1.code, name=d1.name, level="district", parent=city.ward_1a.pk
        ),
    )
    assert response.status_code == 200
    assert "cấp dưới" in response.content.decode()
    d1.refresh_from_db()
    assert d1.parent_id == city.province.pk


def test_bad_input_is_a_form_error_not_a_500(admin_client, city: City):
    response = admin_client.post(
        "/admin/agencies/agency/add/",
        agency_form(
            code="H12-15",
            working_hours="08:00-12:00, 11:00-17:00",
            leader_phones="{not json",
            **{
                "counters-TOTAL_FORMS": "2",
                "counters-0-number": "1",
                "counters-1-number": "1",
            },
        ),
    )
    assert response.status_code == 200
    assert "QCVN 102:2016" in response.content.decode()
    assert not Agency.objects.filter(name="UBND phường Mới").exists()


def test_a_membership_is_added_with_fields(admin_client, city: City, make_user):
    specialist = make_user("specialist")
    civil = Field.objects.create(code="HT", name="Hộ tịch")
    data = {
        "user": specialist.pk,
        "agency": city.ward_1a.pk,
        "role": "specialist",
        "fields": [civil.pk],
        "is_active": "on",
    }
    assert_saved(admin_client.post("/admin/agencies/membership/add/", data))
    membership = Membership.objects.get()
    assert list(membership.fields.all()) == [civil]
    duplicate = admin_client.post("/admin/agencies/membership/add/", data)
    assert duplicate.status_code == 200  # the unique constraint, as a form error
    assert Membership.objects.count() == 1


def test_a_persons_roles_are_edited_on_their_account(
    admin_client, city: City, make_user
):
    person = make_user("person", first_name="An", last_name="Nguyễn")
    existing = grant(person, city.ward_1a, Role.RECEPTION)
    page = admin_client.get(f"/admin/auth/user/{person.pk}/change/")
    assert "memberships-TOTAL_FORMS" in page.content.decode()
    data = {
        "username": "person",
        "first_name": "An",
        "last_name": "Nguyễn",
        "email": "",
        "is_active": "on",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": existing.pk,
        "memberships-0-user": person.pk,
        "memberships-0-agency": city.ward_1a.pk,
        "memberships-0-role": "reception",
        "memberships-0-is_active": "on",
        "memberships-1-user": person.pk,
        "memberships-1-agency": city.district_1.pk,
        "memberships-1-role": "monitor",
        "memberships-1-covers_subtree": "on",
        "memberships-1-is_active": "on",
    }
    response = admin_client.post(f"/admin/auth/user/{person.pk}/change/", data)
    assert_saved(response)
    assert set(person.memberships.values_list("agency_id", "role")) == {
        (city.ward_1a.pk, "reception"),
        (city.district_1.pk, "monitor"),
    }
    # The same role twice in one agency: a form error, not a 500.
    data |= {"memberships-1-agency": city.ward_1a.pk, "memberships-1-role": "reception"}
    data["memberships-INITIAL_FORMS"] = "1"
    response = admin_client.post(f"/admin/auth/user/{person.pk}/change/", data)
    assert response.status_code == 200


def test_a_counter_number_taken_in_the_agency_is_a_form_error(admin_client, city: City):
    ward = city.ward_1a
    Counter.objects.create(agency=ward, number=1)
    existing = Counter.objects.get()
    response = admin_client.post(
        f"/admin/agencies/agency/{ward.pk}/change/",
        agency_form(
            code=ward.code,
            name=ward.name,
            parent=city.district_1.pk,
            **{
                "counters-TOTAL_FORMS": "2",
                "counters-INITIAL_FORMS": "1",
                "counters-0-id": existing.pk,
                "counters-0-agency": ward.pk,
                "counters-0-number": "1",
                "counters-1-agency": ward.pk,
                "counters-1-number": "1",
            },
        ),
    )
    assert response.status_code == 200
    assert Counter.objects.count() == 1
