"""Applicant data belongs to the dossier and its agency (ARCHITECTURE principle 7),
read from the attacker's side: a reception officer of ward B who types the name
and ID number of a ward-A citizen learns nothing of ward A and changes nothing
there; the history notices an edited applicant; the desk validates once."""

from __future__ import annotations

import inspect
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from motcua.core.errors import Conflict, DomainError
from motcua.dossiers import services
from motcua.dossiers.history import event_hash, verify_all, verify_dossier
from motcua.dossiers.models import Applicant, Dossier, Event
from motcua.dossiers.services import ApplicantInput
from motcua.dossiers.workflow import Action, Status
from motcua.slips.register import register_rows

from .builders import World, build_world, make_user, vn

pytestmark = pytest.mark.django_db
MON = vn(2025, 6, 2)
TUE = vn(2025, 6, 3, 10)
API = "/api/v1/dossiers/"
DESK = "/can-bo/quay/"
CITIZEN = ApplicantInput(
    name="Nguyễn Văn An",
    id_number="048090001234",
    birth_date=date(1990, 1, 2),
    phone="0905123456",
    email="an@example.vn",
    address="12 Lê Duẩn, Hòa Cường Nam",
)
A_FIELDS = ("name", "id_kind", "id_number", "birth_date", "phone", "email", "address")


def returned_in_ward_a(world: World) -> Dossier:
    """Ward A's dossier of the citizen, settled and handed over."""
    dossier = world.receive(MON, applicant=CITIZEN)
    with world.at(MON + timedelta(hours=1)):
        dossier = services.dossier_finish(world.reception, dossier)
        return services.dossier_return_result(world.reception, dossier)


def snapshot_of(dossier: Dossier) -> dict[str, Any]:
    dossier.refresh_from_db()
    applicant = Applicant.objects.get(pk=dossier.applicant_id)
    return {
        "applicant_id": applicant.pk,
        **{name: getattr(applicant, name) for name in A_FIELDS},
        "returned_to_name": dossier.returned_to_name,
        "lock_version": dossier.lock_version,
        "events": dossier.events.count(),
    }


def api_client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def track_with(code: str, digits: str) -> Any:
    from motcua.portal.tracking import track

    if "address" in inspect.signature(track).parameters:
        return track(code, digits, address="203.0.113.9")
    return track(code, digits)  # pragma: no cover - older signature


# ------------------------------------------------------------- the attack
def test_ward_b_typing_a_ward_a_citizens_id_gets_nothing_of_ward_a_back():
    world = build_world()
    ward_a = returned_in_ward_a(world)
    before = snapshot_of(ward_a)
    with world.at(TUE):
        response = api_client(world.other_reception).post(
            API,
            {
                "agency": world.other_ward.code,
                "procedure": world.procedure.code,
                "channel": "direct",
                "applicant": {
                    "name": "Nguyễn Văn An",
                    "id_number": "048090001234",
                    "phone": "0999888777",
                },
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    answer = response.json()["applicant"]
    # Only what ward B typed: no birth date, e-mail or address of ward A.
    assert answer["phone"] == "0999888777"
    assert answer["birth_date"] is None
    assert answer["email"] == answer["address"] == ""
    assert "0905123456" not in response.content.decode()
    assert "Lê Duẩn" not in response.content.decode()
    # Nothing of ward A changed: its row, its history, its register, tracking.
    assert snapshot_of(ward_a) == before
    [row] = list(register_rows(world.ward, MON.date(), TUE.date()))
    assert row.contact == "12 Lê Duẩn, Hòa Cường Nam, 0905123456"
    assert track_with(ward_a.code, "8777") is None  # the attacker's digits
    assert track_with(ward_a.code, "3456") is not None  # the citizen's own
    assert verify_all() == (2, [])


def test_each_reception_keeps_its_own_applicant_row_of_its_agency():
    world = build_world()
    first = world.receive(MON, applicant=CITIZEN)
    again = world.receive(
        TUE,
        applicant=ApplicantInput(name="Nguyễn Văn An", id_number="048090001234"),
    )
    elsewhere = world.receive(
        TUE,
        actor=world.other_reception,
        agency=world.other_ward,
        applicant=ApplicantInput(name="Nguyễn Văn An", id_number="048090001234"),
    )
    rows = [Applicant.objects.get(pk=d.applicant_id) for d in (first, again, elsewhere)]
    assert len({r.pk for r in rows}) == 3
    assert [r.agency_id for r in rows] == [world.ward.pk] * 2 + [world.other_ward.pk]
    assert rows[0].phone == "0905123456"  # as received, not overwritten
    assert rows[1].phone == "" and rows[1].birth_date is None


# ---------------------------------------------------------------- history
def test_verify_history_reports_an_edited_applicant():
    world = build_world()
    dossier = returned_in_ward_a(world)
    assert verify_dossier(dossier) == []
    Applicant.objects.filter(pk=dossier.applicant_id).update(phone="0999888777")
    dossier = Dossier.objects.select_related("applicant").get(pk=dossier.pk)
    problems = verify_dossier(dossier)
    assert [p.message for p in problems] == ["thông tin người nộp hồ sơ đã bị sửa"]


def test_verify_history_reports_an_edited_receiver_of_the_result():
    world = build_world()
    dossier = returned_in_ward_a(world)
    Dossier.objects.filter(pk=dossier.pk).update(returned_to_name="Người khác")
    dossier = Dossier.objects.select_related("applicant").get(pk=dossier.pk)
    assert [p.message for p in verify_dossier(dossier)] == [
        "thông tin người nộp hồ sơ đã bị sửa"
    ]


# ------------------------------------------------------------- validation
def receive(world: World, applicant: ApplicantInput) -> Dossier:
    return world.receive(MON, applicant=applicant)


@pytest.mark.parametrize(
    ("given", "kind", "stored"),
    [
        (dict(id_number="048090001234"), "cccd", "048090001234"),
        (dict(id_number="048 090 001 234"), "cccd", "048090001234"),
        (dict(id_number="201234567", id_kind="cmnd"), "cmnd", "201234567"),
        (dict(id_number="b1234567", id_kind="passport"), "passport", "B1234567"),
        (dict(id_number="C12345AB9", id_kind="passport"), "passport", "C12345AB9"),
        (dict(id_number="GPLX-0123/ĐN", id_kind="other"), "other", "GPLX-0123/ĐN"),
        (
            dict(id_number="0401234567-001", kind="organisation"),
            "tax_code",
            "0401234567-001",
        ),
    ],
)
def test_an_id_number_matching_its_document_type_is_accepted(given, kind, stored):
    world = build_world()
    dossier = receive(world, ApplicantInput(name="Nguyễn Văn An", **given))
    assert (dossier.applicant.id_kind, dossier.applicant.id_number) == (kind, stored)


@pytest.mark.parametrize(
    ("given", "code"),
    [
        (dict(id_number="ABCDEFGH"), "applicant.invalid_id_number"),
        (dict(id_number="04809000123"), "applicant.invalid_id_number"),  # 11 digits
        (dict(id_number="1234567890", id_kind="cmnd"), "applicant.invalid_id_number"),
        (dict(id_number="12-34", id_kind="passport"), "applicant.invalid_id_number"),
        (
            dict(id_number="040123456", kind="organisation"),
            "applicant.invalid_id_number",
        ),
        (dict(id_number="048090001234", id_kind="vneid"), "applicant.invalid_id_kind"),
        (
            dict(id_number="048090001234", birth_date=date(2099, 1, 1)),
            "applicant.birth_date_in_future",
        ),
        (
            dict(id_number="048090001234", birth_date=date(1899, 12, 31)),
            "applicant.birth_date_too_early",
        ),
        ({}, "applicant.contact_required"),
    ],
)
def test_a_bad_applicant_is_refused_with_its_code_and_nothing_is_written(given, code):
    world = build_world()
    with pytest.raises(DomainError) as error:
        receive(world, ApplicantInput(name="Nguyễn Văn An", **given))
    assert error.value.code == code
    assert any(ord(c) > 127 for c in error.value.message)  # Vietnamese
    assert not Dossier.objects.exists()
    assert not Applicant.objects.exists()


def test_abcdefgh_is_refused_with_a_clear_vietnamese_message():
    world = build_world()
    with pytest.raises(DomainError) as error:
        receive(world, ApplicantInput(name="Nguyễn Văn An", id_number="ABCDEFGH"))
    assert error.value.message == (
        "Số giấy tờ «ABCDEFGH» không hợp lệ: cần số định danh cá nhân (căn cước) "
        "gồm đúng 12 chữ số."
    )


def test_a_name_only_applicant_needs_a_recorded_reason():
    world = build_world()
    reason = "Người nộp là người già neo đơn, không có giấy tờ và điện thoại"
    dossier = receive(
        world, ApplicantInput(name="Nguyễn Văn An", no_contact_reason=reason)
    )
    assert dossier.applicant.no_contact_reason == reason
    assert verify_dossier(dossier) == []  # and the reason is under the hash


def test_the_api_refuses_a_name_only_applicant_with_a_stable_code():
    world = build_world()
    with world.at(MON):
        response = api_client(world.reception).post(
            API,
            {
                "agency": world.ward.code,
                "procedure": world.procedure.code,
                "channel": "direct",
                "applicant": {"name": "Nguyễn Văn An"},
            },
            format="json",
        )
    assert response.status_code == 400
    assert response.json()["code"] == "applicant.contact_required"
    assert not Dossier.objects.exists()


def test_a_historical_import_keeps_an_older_id_format_as_other():
    world = build_world()
    with services.trusted_replay():
        legacy = receive(world, ApplicantInput(name="Lê Thị Cúc", id_number="HC-12"))
        nothing = receive(world, ApplicantInput(name="Lê Thị Cúc"))
        old_card = receive(world, ApplicantInput(name="Lê Thị Cúc", id_number="2012"))
    assert (legacy.applicant.id_kind, legacy.applicant.id_number) == ("other", "HC-12")
    assert nothing.applicant.no_contact_reason  # the fact is recorded
    assert old_card.applicant.id_kind == "other"


# ----------------------------------------------------------- anonymisation
def test_anonymising_a_returned_dossier_keeps_the_figures_and_the_chain():
    world = build_world()
    dossier = returned_in_ward_a(world)
    figures = ("status", "received_at", "due_at", "finished_at", "returned_at")
    before = {name: getattr(dossier, name) for name in figures}
    before |= {"timing": dossier.timing, "outcome": dossier.outcome}
    with world.at(TUE):
        done = services.dossier_anonymise_applicant(
            dossier, reason="Hết thời hạn lưu trữ dữ liệu cá nhân"
        )
    done = Dossier.objects.select_related("applicant").get(pk=done.pk)
    a = done.applicant
    assert a.name == "Đã ẩn danh"
    assert (a.id_number, a.phone, a.email, a.address, a.birth_date) == (
        "",
        "",
        "",
        "",
        None,
    )
    assert done.returned_to_name == done.returned_to_id_number == ""
    assert "nguyen" not in done.search_text and done.code.lower() in done.search_text
    assert {name: getattr(done, name) for name in figures} | {
        "timing": done.timing,
        "outcome": done.outcome,
    } == before
    last = done.events.order_by("-seq").first()
    assert last.action == Action.ANONYMISE and last.actor_id is None
    assert verify_all() == (1, [])
    with world.at(TUE):  # the purge may run again: nothing more happens
        services.dossier_anonymise_applicant(done, reason="Chạy lại")
    assert done.events.count() == last.seq


def test_only_a_closed_dossier_is_anonymised_and_a_refusal_changes_nothing():
    world = build_world()
    dossier = world.processing(MON)
    before = snapshot_of(dossier)
    with world.at(TUE), pytest.raises(Conflict) as error:
        services.dossier_anonymise_applicant(dossier, reason="Hết hạn")
    assert error.value.code == "dossier.invalid_transition"
    assert snapshot_of(dossier) == before


def test_an_officer_without_the_admin_role_cannot_anonymise():
    world = build_world()
    dossier = returned_in_ward_a(world)
    with world.at(TUE), pytest.raises(DomainError) as error:
        services.dossier_anonymise_applicant(
            dossier, actor=world.reception, reason="Hết hạn"
        )
    assert error.value.code == "auth.forbidden"
    with world.at(TUE):
        services.dossier_anonymise_applicant(
            dossier, actor=world.admin, reason="Hết hạn"
        )
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RETURNED


# ------------------------------------------------------------- desk look-up
def desk_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_desk_look_up_is_a_post_in_the_officers_agency_only(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    world.receive(MON, applicant=CITIZEN)
    url = reverse("backoffice:desk_applicant")
    typed = {"id_number": "048090001234"}

    mine = desk_client(world.reception).post(url, typed).json()
    assert mine["found"] and mine["phone"] == "0905123456"
    theirs = desk_client(world.other_reception).post(url, typed)
    assert theirs.json() == {"found": False}
    assert desk_client(world.reception).get(url, typed).status_code == 405

    page = desk_client(world.reception).get(
        DESK, {"thu_tuc": world.procedure.code, **typed}
    )
    assert "Nguyễn Văn An" not in page.content.decode()  # GET prefills nothing
    assert Applicant.objects.count() == 1  # look-ups write no applicant

    from motcua.privacy.models import ReadLog

    assert ReadLog.objects.filter(what="applicant_lookup").count() == 1


def test_the_desk_page_look_up_without_scripts_prefills_only_from_this_agency(
    settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    world.receive(MON, applicant=CITIZEN)
    typed = {
        "procedure": world.procedure.code,
        "lookup": "1",
        "id_number": "048090001234",
        "name": "Nguyễn Văn An",
        "phone": "0911222333",
    }
    mine = desk_client(world.reception).post(DESK, typed).content.decode()
    assert 'value="12 Lê Duẩn, Hòa Cường Nam"' in mine
    theirs = desk_client(world.other_reception).post(DESK, typed).content.decode()
    assert "Lê Duẩn" not in theirs and "0905123456" not in theirs
    assert 'value="0911222333"' in theirs  # what the officer typed is kept
    assert Dossier.objects.count() == 1


def test_the_desk_shows_the_services_refusal_beside_the_id_number(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    response = desk_client(world.reception).post(
        DESK,
        {
            "procedure": world.procedure.code,
            "desk_token": "t-abc",
            "name": "Nguyễn Văn An",
            "kind": "person",
            "id_number": "ABCDEFGH",
            "outcome": "receive",
        },
    )
    assert response.status_code == 400
    assert "gồm đúng 12 chữ số" in response.content.decode()
    assert response.context["form"].errors["id_number"]
    assert not Dossier.objects.exists()


def test_reading_ward_a_as_a_specialist_does_not_open_it_at_ward_bs_desk():
    world = build_world()
    world.receive(MON, applicant=CITIZEN)
    both = make_user("tiepnhan.hai_noi", world.other_ward, "reception")
    make_user_role(both, world.ward, "specialist")
    response = desk_client(both).post(
        reverse("backoffice:desk_applicant"), {"id_number": "048090001234"}
    )
    assert "0905123456" not in response.content.decode()
    assert response.status_code == 403 or response.json() == {"found": False}


def make_user_role(user: Any, agency: Any, role: str) -> None:
    from motcua.agencies.models import Membership

    Membership.objects.create(user=user, agency=agency, role=role)


# ---------------------------------------------------------------- migration
OLD = [("dossiers", "0004_applicant_per_dossier_fields")]


def _as_before_the_migration(apps: Any, a: Dossier, b: Dossier) -> None:
    """Make ``b`` share ``a``'s applicant row, as the old ``_applicant`` did,
    and strip the applicant fingerprint from both histories (rehashed)."""
    OldApplicant = apps.get_model("dossiers", "Applicant")
    OldDossier = apps.get_model("dossiers", "Dossier")
    OldEvent = apps.get_model("dossiers", "Event")
    shared = OldDossier.objects.get(pk=a.pk).applicant_id
    own = OldDossier.objects.get(pk=b.pk).applicant_id
    OldDossier.objects.filter(pk=b.pk).update(applicant_id=shared)
    OldApplicant.objects.filter(pk=own).delete()
    OldApplicant.objects.update(agency=None, id_kind="", fingerprint_salt="")
    for dossier in (a, b):
        prev = "0" * 64
        for event in OldEvent.objects.filter(dossier_id=dossier.pk).order_by("seq"):
            event.payload["snapshot"].pop("applicant")
            event.prev_hash = prev
            event.hash = prev = event_hash(event, dossier.code)
            event.save()


@pytest.mark.django_db(transaction=True)
def test_the_migration_splits_a_shared_row_without_losing_data_and_seals():
    world = build_world()
    a = returned_in_ward_a(world)
    b = world.receive(
        TUE, actor=world.other_reception, agency=world.other_ward, applicant=CITIZEN
    )
    executor = MigrationExecutor(connection)
    executor.migrate(OLD)
    apps = executor.loader.project_state(OLD).apps
    _as_before_the_migration(apps, a, b)
    assert apps.get_model("dossiers", "Applicant").objects.count() == 1
    # A date edited behind the history's back before the migration.
    apps.get_model("dossiers", "Dossier").objects.filter(pk=b.pk).update(
        due_at=b.due_at + timedelta(days=3)
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    a = Dossier.objects.select_related("applicant").get(pk=a.pk)
    b = Dossier.objects.select_related("applicant").get(pk=b.pk)
    assert a.applicant_id != b.applicant_id
    assert Applicant.objects.count() == 2
    for dossier, agency in ((a, world.ward), (b, world.other_ward)):
        applicant = dossier.applicant
        assert applicant.agency_id == agency.pk
        assert {name: getattr(applicant, name) for name in A_FIELDS} == {
            name: getattr(CITIZEN, name) for name in A_FIELDS if name != "id_kind"
        } | {"id_kind": "cccd"}
        assert dossier.events.order_by("-seq").first().action == Action.SEAL
    assert verify_dossier(a) == []
    # The seal does not whitewash an edit made before it.
    assert [p.message for p in verify_dossier(b)] == [
        "dữ liệu hồ sơ khác với lịch sử (ngày, trạng thái đã bị sửa)"
    ]
    # From now on the applicant is covered.
    Applicant.objects.filter(pk=a.applicant_id).update(name="Người khác")
    a = Dossier.objects.select_related("applicant").get(pk=a.pk)
    assert [p.message for p in verify_dossier(a)] == [
        "thông tin người nộp hồ sơ đã bị sửa"
    ]
    assert Event.objects.filter(action=Action.SEAL).count() == 2
