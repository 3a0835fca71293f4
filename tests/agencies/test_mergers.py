"""Two-tier government (issue 10, item 4), the agency side: levels, names on a
day, mergers as data with their date. The dossiers' side is in
tests/dossiers/test_merger.py."""

from __future__ import annotations

import importlib
from datetime import date, datetime

import pytest
from django.apps import apps

from motcua.agencies.models import Agency, Counter, Membership, Role
from motcua.agencies.selectors import (
    is_former,
    name_on,
    public_agencies,
    successor_on,
)
from motcua.agencies.services import agency_merge, agency_rename
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.deadlines.engine import VN_TZ

from .conftest import City, new_agency

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int):
    return clock.frozen_at(datetime(y, m, d, 9, tzinfo=VN_TZ))


def test_commune_level_units_are_communes_wards_and_special_zones():
    levels = dict(Agency.Level.choices)
    assert levels["commune"] == "Xã"
    assert levels["ward"] == "Phường"
    assert levels["special_zone"] == "Đặc khu"
    assert "trước 01/07/2025" in levels["district"]  # kept for history only


def test_a_rename_from_a_date_keeps_the_old_name_before_it(city: City):
    ward = city.ward_1a
    with at(2025, 7, 10):
        agency_rename(ward, "UBND phường Hòa Cường", on=date(2025, 7, 1))
    ward.refresh_from_db()
    assert ward.name == "UBND phường Hòa Cường"
    assert name_on(ward, date(2025, 6, 30)) == "Phường 1A"
    assert name_on(ward, date(2025, 7, 1)) == "UBND phường Hòa Cường"
    assert name_on(ward, date(2026, 1, 1)) == "UBND phường Hòa Cường"


def test_two_renames_give_each_period_its_name(city: City):
    ward = city.ward_1a
    with at(2026, 1, 1):
        agency_rename(ward, "Tên thứ hai", on=date(2025, 1, 1))
        agency_rename(ward, "Tên thứ ba", on=date(2025, 9, 1))
    assert name_on(ward, date(2024, 12, 31)) == "Phường 1A"
    assert name_on(ward, date(2025, 8, 31)) == "Tên thứ hai"
    assert name_on(ward, date(2025, 9, 1)) == "Tên thứ ba"


def test_a_rename_is_refused_in_the_future_out_of_order_or_unchanged(city: City):
    ward = city.ward_1a
    with at(2025, 7, 1):
        with pytest.raises(DomainError) as future:
            agency_rename(ward, "Tên mới", on=date(2025, 7, 2))
        assert future.value.code == "agency.rename_in_future"
        agency_rename(ward, "Tên mới", on=date(2025, 7, 1))
        with pytest.raises(DomainError) as order:
            agency_rename(ward, "Tên khác", on=date(2025, 6, 1))
        assert order.value.code == "agency.rename_order"
    with at(2025, 8, 1), pytest.raises(DomainError) as same:
        agency_rename(ward, "Tên mới", on=date(2025, 8, 1))
    assert same.value.code == "agency.same_name"


def test_a_merger_is_data_with_its_date(city: City):
    successor = new_agency(city.province, level=Agency.Level.WARD, name="Phường mới")
    with at(2025, 7, 1):
        record = agency_merge(
            [city.ward_1a, city.ward_1b], successor, on=date(2025, 7, 1)
        )
    assert [a.pk for a in record.formers] == [city.ward_1a.pk, city.ward_1b.pk]
    for former in (city.ward_1a, city.ward_1b):
        former.refresh_from_db()
        assert former.merged_into == successor
        assert former.merged_on == date(2025, 7, 1)
        assert not is_former(former, date(2025, 6, 30))
        assert is_former(former, date(2025, 7, 1))
        assert successor_on(former, date(2025, 6, 30)) is None
        assert successor_on(former, date(2025, 7, 1)) == successor
    assert list(successor.predecessors.order_by("pk")) == [city.ward_1a, city.ward_1b]


def test_a_successor_merged_later_is_followed(city: City):
    first = new_agency(city.province, level=Agency.Level.WARD, name="Phường A")
    second = new_agency(city.province, level=Agency.Level.WARD, name="Phường B")
    with at(2026, 1, 1):
        agency_merge([city.ward_1a], first, on=date(2025, 7, 1))
        agency_merge([first], second, on=date(2025, 12, 1))
    ward = Agency.objects.get(pk=city.ward_1a.pk)
    assert successor_on(ward, date(2025, 8, 1)) == first
    assert successor_on(ward, date(2025, 12, 1)) == second
    with at(2026, 1, 1), pytest.raises(DomainError) as refused:
        agency_merge([city.ward_2], first, on=date(2026, 1, 1))
    assert refused.value.code == "agency.successor_merged"


def test_desks_move_and_roles_are_held_in_the_successor_too(city: City, make_user):
    successor = new_agency(city.province, level=Agency.Level.WARD, name="Phường mới")
    Counter.objects.create(agency=successor, number=1)
    Counter.objects.create(agency=city.ward_1a, number=1)
    Counter.objects.create(agency=city.ward_1a, number=5, name="Quầy đất đai")
    officer = make_user("an")
    Membership.objects.create(user=officer, agency=city.ward_1a, role=Role.RECEPTION)
    Membership.objects.create(user=officer, agency=successor, role=Role.RECEPTION)
    Membership.objects.create(user=officer, agency=city.ward_1a, role=Role.LEADER)
    with at(2025, 7, 1):
        record = agency_merge([city.ward_1a], successor, on=date(2025, 7, 1))
    assert record.counters == 2 and record.memberships == 1
    desks = {c.number: c.name for c in successor.counters.all()}
    assert desks == {1: "", 2: "Quầy 1 (Phường 1A)", 5: "Quầy đất đai"}
    assert set(
        Membership.objects.filter(user=officer, agency=successor).values_list(
            "role", flat=True
        )
    ) == {Role.RECEPTION, Role.LEADER}
    # the former ward's roles stay, for its finished dossiers
    assert Membership.objects.filter(user=officer, agency=city.ward_1a).count() == 2


def test_former_agencies_are_not_published_from_their_merger_date(city: City):
    successor = new_agency(city.province, level=Agency.Level.WARD, name="Phường mới")
    with at(2025, 7, 1):
        agency_merge([city.ward_1a], successor, on=date(2025, 7, 1))
        assert city.ward_1a not in public_agencies()
        assert successor in public_agencies()


def test_the_migration_makes_wards_of_communes_named_phuong(city: City):
    migration = importlib.import_module(
        "motcua.agencies.migrations.0005_two_tier_levels_mergers_renames"
    )
    xa = new_agency(city.district_1, name="UBND xã Hòa Bắc")
    zone = new_agency(city.province, name="UBND đặc khu Hoàng Sa")
    migration.split_communes(apps, None)
    levels = dict(Agency.objects.values_list("name", "level"))
    assert levels["Phường 1A"] == "ward"
    assert levels[xa.name] == "commune"
    assert levels[zone.name] == "special_zone"
    migration.join_communes(apps, None)
    assert set(
        Agency.objects.exclude(level__in=["province", "district"]).values_list(
            "level", flat=True
        )
    ) == {"commune"}


def test_the_rename_command_records_the_date(city: City, capsys):
    from django.core.management import call_command

    with at(2025, 7, 2):
        call_command(
            "rename_agency", city.ward_1a.code, name="Phường Hòa Cường", on="01/07/2025"
        )
    assert "từ ngày 01/07/2025" in capsys.readouterr().out
    ward = Agency.objects.get(pk=city.ward_1a.pk)
    assert name_on(ward, date(2025, 6, 30)) == "Phường 1A"
    assert name_on(ward, date(2025, 7, 1)) == "Phường Hòa Cường"


def test_the_agency_admin_shows_merger_and_rename_history(admin_client, city: City):
    successor = new_agency(city.province, level=Agency.Level.WARD, name="Phường mới")
    with at(2025, 7, 2):
        agency_rename(city.ward_1b, "Phường 1B mới", on=date(2025, 7, 1))
        agency_merge([city.ward_1a], successor, on=date(2025, 7, 1))
    html = admin_client.get(f"/admin/agencies/agency/{successor.pk}/change/")
    assert "Phường 1A (" in html.content.decode()
    assert "01/07/2025" in html.content.decode()
    renamed = admin_client.get(f"/admin/agencies/agency/{city.ward_1b.pk}/change/")
    text = renamed.content.decode()
    assert "01/07/2025: Phường 1B → Phường 1B mới" in text
    assert "rename_agency" in text


def test_no_new_district_in_the_admin(admin_client, city: City):
    from .test_admin import agency_form

    response = admin_client.post(
        "/admin/agencies/agency/add/", agency_form(level="district")
    )
    assert response.status_code == 200
    assert "không còn cấp huyện" in response.content.decode()
    assert not Agency.objects.filter(code="000.05.05.H99").exists()
    ward = city.ward_1a
    response = admin_client.post(
        f"/admin/agencies/agency/{ward.pk}/change/",
        agency_form(code=ward.code, name=ward.name, level="district", parent=""),
    )
    assert "không còn cấp huyện" in response.content.decode()
