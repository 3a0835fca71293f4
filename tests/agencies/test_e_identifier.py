"""The agency's electronic identifier (mã định danh điện tử, QĐ 20/2020/QĐ-TTg):
optional, left-to-right dot-separated groups starting with the level-1 code
MX1X2, at most 35 characters, unique; shown and edited in the admin. And the
supplement policy's label cites no decree (issue 10)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from motcua.agencies.models import Agency
from motcua.agencies.services import agency_create
from motcua.core.errors import DomainError
from motcua.deadlines.engine import SupplementPolicy

from .conftest import City
from .test_admin import agency_form, assert_saved

pytestmark = pytest.mark.django_db


def _agency(**fields) -> Agency:
    values = {"code": "000.00.15.H12", "name": "UBND phường A", "level": "ward"}
    values.update(fields)
    return Agency(**values)


@pytest.mark.parametrize("value", ["", "H48", "H48.15", "G01.100.05.A1", "H01.999"])
def test_a_valid_e_identifier_or_none_is_accepted(value):
    _agency(e_identifier=value).full_clean()


@pytest.mark.parametrize(
    "value",
    [
        "h48.15",  # lower case
        "000.00.15.H12",  # the QCVN 102 code, right to left
        "48.15",  # no level-1 letter
        "H4.15",  # level-1 code is one letter and two digits
        "H48.15.",  # empty group
        "H48-15",  # groups are separated by dots
        "H48." + "1" * 33,  # 36 characters
    ],
)
def test_a_malformed_e_identifier_is_refused_in_vietnamese(value):
    with pytest.raises(ValidationError) as error:
        _agency(e_identifier=value).full_clean()
    assert "e_identifier" in error.value.message_dict
    assert any(
        "Quyết định 20/2020/QĐ-TTg" in m or "35" in m
        for m in error.value.message_dict["e_identifier"]
    )


def test_the_service_refuses_a_bad_or_taken_identifier_with_a_stable_code():
    agency_create(
        code="000.00.01.H12",
        name="UBND phường A",
        level="ward",
        e_identifier="H48.15.01",
    )
    with pytest.raises(DomainError) as bad:
        agency_create(
            code="000.00.02.H12", name="UBND phường B", level="ward", e_identifier="h48"
        )
    assert bad.value.code == "agency.invalid"
    assert "Quyết định 20/2020/QĐ-TTg" in bad.value.message
    with pytest.raises(DomainError) as taken:
        agency_create(
            code="000.00.03.H12",
            name="UBND phường C",
            level="ward",
            e_identifier="H48.15.01",
        )
    assert "đã được gán cho một cơ quan khác" in taken.value.message
    # several agencies without an identifier are fine
    agency_create(code="000.00.04.H12", name="UBND phường D", level="ward")
    agency_create(code="000.00.05.H12", name="UBND phường E", level="ward")


def test_the_admin_shows_and_saves_the_e_identifier(admin_client, city: City):
    page = admin_client.get(f"/admin/agencies/agency/{city.ward_1a.pk}/change/")
    assert "Mã định danh điện tử" in page.content.decode()
    listing = admin_client.get("/admin/agencies/agency/")
    assert "mã định danh điện tử" in listing.content.decode().lower()
    assert_saved(
        admin_client.post(
            "/admin/agencies/agency/add/", agency_form(e_identifier="H48.16.02")
        )
    )
    assert Agency.objects.get(code="000.05.05.H99").e_identifier == "H48.16.02"


def test_the_admin_refuses_a_bad_e_identifier_as_a_form_error(admin_client):
    response = admin_client.post(
        "/admin/agencies/agency/add/", agency_form(e_identifier="000.05.05.H99")
    )
    assert response.status_code == 200
    assert "Quyết định 20/2020/QĐ-TTg" in response.content.decode()
    assert not Agency.objects.filter(code="000.05.05.H99").exists()


def test_the_supplement_policy_label_cites_no_decree():
    labels = dict(Agency._meta.get_field("supplement_policy").choices)
    restart = str(labels[SupplementPolicy.RESTART.value])
    assert restart == "Tính lại thời hạn từ đầu"
    assert not any("61/2018" in str(label) for label in labels.values())
