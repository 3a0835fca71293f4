"""The agency tree: paths set on creation and kept right when a subtree moves."""

from __future__ import annotations

import pytest

from motcua.agencies.models import Agency
from motcua.agencies.selectors import subtree
from motcua.agencies.services import (
    agency_create,
    agency_rebuild_paths,
    agency_save,
)
from motcua.core.errors import DomainError

from .conftest import City, new_agency

pytestmark = pytest.mark.django_db


def path_of(agency: Agency) -> str:
    return Agency.objects.get(pk=agency.pk).path


def test_a_root_agency_path_is_its_own_id():
    root = new_agency(level=Agency.Level.PROVINCE)
    assert root.path == f"/{root.pk}/" == path_of(root)


def test_a_child_path_extends_its_parents(city: City):
    p, d, w = city.province, city.district_1, city.ward_1a
    assert path_of(w) == f"/{p.pk}/{d.pk}/{w.pk}/"


def test_a_deep_tree_keeps_every_ancestor_in_the_path():
    chain = [new_agency()]
    for _ in range(7):
        chain.append(new_agency(chain[-1]))
    expected = "/" + "".join(f"{a.pk}/" for a in chain)
    assert path_of(chain[-1]) == expected
    assert set(subtree(chain[3])) == set(chain[3:])


def test_moving_a_district_moves_its_wards(city: City):
    city.district_1.parent = city.district_2
    agency_save(city.district_1)
    d2, d1 = city.district_2, city.district_1
    base = f"/{city.province.pk}/{d2.pk}/{d1.pk}/"
    assert path_of(d1) == base
    assert path_of(city.ward_1a) == f"{base}{city.ward_1a.pk}/"
    assert path_of(city.ward_1b) == f"{base}{city.ward_1b.pk}/"
    assert path_of(city.ward_2) == f"/{city.province.pk}/{d2.pk}/{city.ward_2.pk}/"
    assert set(subtree(d2)) == {d2, d1, city.ward_1a, city.ward_1b, city.ward_2}


def test_a_subtree_move_is_a_fixed_number_of_queries(
    city: City, django_assert_max_num_queries
):
    for _ in range(30):
        new_agency(city.ward_1a)
    city.district_1.parent = None
    with django_assert_max_num_queries(12):
        agency_save(city.district_1)
    assert subtree(city.district_1).count() == 33
    assert all(
        a.path.startswith(f"/{city.district_1.pk}/") for a in subtree(city.district_1)
    )


def test_a_district_cannot_move_under_its_own_ward(city: City):
    city.district_1.parent = city.ward_1a
    with pytest.raises(DomainError) as error:
        agency_save(city.district_1)
    assert error.value.code == "agency.cycle"
    assert Agency.objects.get(pk=city.district_1.pk).parent_id == city.province.pk
    assert path_of(city.ward_1a).startswith(f"/{city.province.pk}/")


def test_an_agency_cannot_be_its_own_parent(city: City):
    city.ward_2.parent = city.ward_2
    with pytest.raises(DomainError, match="cấp dưới"):
        agency_save(city.ward_2)


def test_an_invalid_agency_is_a_domain_error_with_a_vietnamese_message():
    with pytest.raises(DomainError) as error:
        agency_create(code="H12-15", name="Sai mã", level=Agency.Level.COMMUNE)
    assert error.value.code == "agency.invalid"
    assert "QCVN 102:2016" in error.value.message
    assert not Agency.objects.exists()


def test_agencies_saved_without_the_service_get_paths_when_rebuilt():
    root = Agency.objects.create(code="000.00.01.H98", name="Gốc", level="province")
    child = Agency.objects.create(
        code="000.00.02.H98", name="Con", level="district", parent=root
    )
    assert agency_rebuild_paths() == 2
    assert path_of(child) == f"/{root.pk}/{child.pk}/"
    assert agency_rebuild_paths() == 0


def test_saving_a_legacy_agency_sets_the_paths_below_it():
    root = Agency.objects.create(code="000.00.01.H98", name="Gốc", level="province")
    child = Agency.objects.create(
        code="000.00.02.H98", name="Con", level="district", parent=root
    )
    agency_save(root)
    assert path_of(child) == f"/{root.pk}/{child.pk}/"


def test_the_demo_city_is_a_tree_with_paths():
    from django.core.management import call_command

    call_command("load_demo", "--no-dossiers", stdout=None)
    ward = Agency.objects.get(code="000.01.01.H17")  # a former ward (history)
    district = Agency.objects.get(code="000.00.01.H17")
    city = Agency.objects.get(code="000.00.00.H17")
    assert ward.path == f"/{city.pk}/{district.pk}/{ward.pk}/"
    assert set(subtree(district)) == {district, *district.children.all()}
    assert ward in set(subtree(district)) and len(subtree(district)) == 5
    today = Agency.objects.get(code="000.10.00.H17")  # phường Hòa Cường
    assert today.path == f"/{city.pk}/{today.pk}/"
    Agency.objects.update(path="")  # a database loaded before paths were kept
    call_command("load_demo", "--no-dossiers", stdout=None)
    assert Agency.objects.get(pk=ward.pk).path == ward.path
