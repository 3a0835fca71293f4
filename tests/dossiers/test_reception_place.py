"""Nơi tiếp nhận, recorded apart from the competent agency (issue 10, Decree
118/2025: a centre receives regardless of administrative boundary within the
province): set by the reception service from the desk used, checked (same
province, procedure offered, a role in both agencies), printed on slip 01 when
it differs; the code stays the competent agency's."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from motcua.agencies.models import Agency, Counter, Role
from motcua.agencies.services import agency_create, agency_rename
from motcua.core.errors import Conflict, DomainError
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import transfer
from motcua.slips.services import render_slip
from tests.slips.pdfs import text

from .builders import World, build_world, make_user, vn

pytestmark = pytest.mark.django_db
BASE = "https://motcua.example.vn/"
SEPTEMBER = vn(2025, 9, 16)


def _centre_desk(world: World) -> Counter:
    """The other ward's centre, whose desk receives for the ward."""
    return Counter.objects.create(agency=world.other_ward, number=1)


def _officer_of_both(world: World) -> object:
    user = make_user(f"tn{world.ward.pk}", world.other_ward, Role.RECEPTION)
    user.memberships.create(agency=world.ward, role=Role.RECEPTION)
    return user


def _receipt(dossier: Dossier) -> str:
    fresh = Dossier.objects.get(pk=dossier.pk)
    return text(render_slip(fresh, "receipt", base_url=BASE))


def test_a_dossier_received_at_its_own_agency_records_it_and_prints_no_place():
    world = build_world()
    dossier = world.receive(SEPTEMBER)
    assert dossier.received_by_agency_id == world.ward.pk
    assert "Nơi tiếp nhận" not in _receipt(dossier)


def test_a_centre_receives_for_another_agency_of_the_province_and_prints_it():
    world = build_world()
    desk = _centre_desk(world)
    dossier = world.receive(SEPTEMBER, actor=_officer_of_both(world), counter=desk)
    assert dossier.agency_id == world.ward.pk  # the competent agency settles it
    assert dossier.received_by_agency_id == world.other_ward.pk
    assert dossier.code.startswith(f"{world.ward.code}-250916-")  # its code
    printed = _receipt(dossier)
    assert (
        "Nơi tiếp nhận: Trung tâm Phục vụ hành chính công – UBND phường Hòa Hiệp Bắc"
        in printed
    )


def test_an_online_submission_is_received_where_its_agency_is():
    world = build_world()
    with world.at(SEPTEMBER):
        submitted = services.dossier_submit_online(None, world.input(channel="online"))
        received = services.dossier_receive(world.reception, submitted)
    assert received.received_by_agency_id == world.ward.pk


def test_a_desk_officer_without_a_role_in_the_competent_agency_is_refused():
    world = build_world()
    desk = _centre_desk(world)
    with pytest.raises(DomainError) as error:
        world.receive(SEPTEMBER, actor=world.other_reception, counter=desk)
    assert error.value.code == "auth.forbidden" and error.value.status == 403
    assert not Dossier.objects.exists()


def test_an_officer_of_the_competent_agency_needs_a_role_at_the_desk_too():
    world = build_world()
    desk = _centre_desk(world)
    with pytest.raises(DomainError) as error:
        world.receive(SEPTEMBER, actor=world.reception, counter=desk)
    assert error.value.code == "auth.forbidden"
    assert not Dossier.objects.exists()


def test_a_centre_of_another_province_may_not_receive():
    world = build_world()
    province = agency_create(
        code=f"000.00.99.{world.ward.pk % 1000:03d}",
        name="UBND tỉnh khác",
        level=Agency.Level.PROVINCE,
    )
    far = agency_create(
        code=f"000.99.01.{world.ward.pk % 1000:03d}",
        name="UBND xã Xa",
        level=Agency.Level.COMMUNE,
        parent=province,
    )
    world.procedure.agencies.add(far)
    desk = Counter.objects.create(agency=far, number=1)
    officer = make_user(f"xa{world.ward.pk}", far, Role.RECEPTION)
    officer.memberships.create(agency=world.ward, role=Role.RECEPTION)
    with pytest.raises(DomainError) as error:
        world.receive(SEPTEMBER, actor=officer, counter=desk)
    assert error.value.code == "dossier.reception_outside_province"
    assert "cùng tỉnh, thành phố" in error.value.message


def test_only_for_procedures_the_competent_agency_offers():
    world = build_world()
    world.procedure.agencies.set([world.other_ward])
    desk = _centre_desk(world)
    with pytest.raises(DomainError) as error:
        world.receive(SEPTEMBER, actor=_officer_of_both(world), counter=desk)
    assert error.value.code == "dossier.procedure_not_offered"


def test_a_former_centre_receives_nothing():
    world = build_world()
    officer = _officer_of_both(world)
    successor = agency_create(
        code=f"000.03.01.{world.ward.pk % 1000:03d}",
        name="UBND phường Hải Vân",
        level=Agency.Level.WARD,
        parent=world.city,
    )
    with world.at(vn(2025, 9, 1)):
        transfer.agencies_merge(
            None, [world.other_ward], successor, on=vn(2025, 9, 1).date()
        )
    desk = Counter.objects.create(agency=world.other_ward, number=9)  # left behind
    with pytest.raises(Conflict) as error:
        world.receive(SEPTEMBER, actor=officer, counter=desk)
    assert error.value.code == "agency.merged"


def test_the_receipt_keeps_the_place_as_named_on_the_reception_day():
    world = build_world()
    desk = _centre_desk(world)
    dossier = world.receive(SEPTEMBER, actor=_officer_of_both(world), counter=desk)
    first = _receipt(dossier)
    with world.at(vn(2025, 10, 1)):
        agency_rename(world.other_ward, "UBND phường Hải Vân", on=date(2025, 10, 1))
    assert _receipt(dossier) == first


def test_the_api_detail_names_the_receiving_centre():
    world = build_world()
    officer = _officer_of_both(world)
    dossier = world.receive(SEPTEMBER, actor=officer, counter=_centre_desk(world))
    client = APIClient()
    client.force_authenticate(officer)
    with world.at(SEPTEMBER):
        data = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert data["received_by_agency"] == {
        "code": world.other_ward.code,
        "name": world.other_ward.name,
    }
    assert data["agency"]["code"] == world.ward.code


def test_the_receiving_centre_is_covered_by_the_history():
    """A centre receiving for another agency is in each event's snapshot: a
    quiet edit of the place breaks the history; a dossier received at its own
    agency keeps snapshots without it."""
    from motcua.dossiers.history import snapshot, verify_dossier

    world = build_world()
    own = world.receive(SEPTEMBER)
    assert "received_by_agency_id" not in snapshot(own)
    dossier = world.receive(
        SEPTEMBER, actor=_officer_of_both(world), counter=_centre_desk(world)
    )
    last = dossier.events.order_by("-seq").first()
    assert last.payload["snapshot"]["received_by_agency_id"] == world.other_ward.pk
    assert verify_dossier(Dossier.objects.get(pk=dossier.pk)) == []
    Dossier.objects.filter(pk=dossier.pk).update(received_by_agency=world.ward)
    problems = verify_dossier(Dossier.objects.get(pk=dossier.pk))
    assert [p.message for p in problems] == [
        "dữ liệu hồ sơ khác với lịch sử (ngày, trạng thái đã bị sửa)"
    ]
