"""Return «Tại nhà» (issue 13): the visit record (officers, time, address,
receiver, reason, signed receipt checked by content) is written with the
return_result action or nothing is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierFile, Event, HomeVisit
from motcua.dossiers.services.results import HomeVisitInput
from tests.backoffice.conftest import client_for
from tests.dossiers.builders import World, build_world, make_user, vn

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% bien nhan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AT = vn(2026, 3, 10, 9)
RETURNS = "/can-bo/tra-ket-qua/"


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def ready(world: World) -> Dossier:
    dossier = world.processing(AT)
    with world.at(AT):
        return services.dossier_finish(world.specialist, dossier)


def visit(world: World, **overrides: Any) -> HomeVisitInput:
    values: dict[str, Any] = {
        "officer_ids": [world.reception.pk, world.specialist.pk],
        "visited_at": vn(2026, 3, 10, 15, 30),
        "address": "12 Lê Lợi, tổ 5",
        "received_by_name": "Nguyễn Văn An",
        "reason": HomeVisit.Reason.WAR_INVALID,
        "receipt": SimpleUploadedFile("bien-nhan.pdf", PDF, "application/pdf"),
    }
    values.update(overrides)
    return HomeVisitInput(**values)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def test_the_visit_record_is_written_with_the_action(world, media):
    dossier = ready(world)
    with world.at(vn(2026, 3, 10, 16)):
        dossier = services.dossier_return_result(
            world.reception, dossier, method="home", home_visit=visit(world)
        )
    assert dossier.status == "returned" and dossier.return_method == "home"
    row = HomeVisit.objects.get(dossier=dossier)
    assert set(row.officers.all()) == {world.reception, world.specialist}
    assert row.address == "12 Lê Lợi, tổ 5" and row.recorded_by == world.reception
    assert row.receipt.content_type == "application/pdf"
    assert row.receipt.file.read() == PDF
    event = Event.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event.action == "return_result"
    payload = event.payload["home_visit"]
    assert payload["officers"] == sorted([world.reception.pk, world.specialist.pk])
    assert payload["reason"] == "war_invalid"
    assert payload["receipt_file"] == row.receipt.pk
    assert "12 Lê Lợi" not in str(event.payload)  # the address stays on the row
    assert dossier.returned_to_is_applicant is True
    assert Dossier.ReturnMethod(dossier.return_method).label == "Tại nhà"


def test_a_renamed_file_is_refused_and_nothing_changes(world, media):
    dossier = ready(world)
    events = dossier.events.count()
    fake = SimpleUploadedFile(
        "bien-nhan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"
    )
    with world.at(vn(2026, 3, 10, 16)), pytest.raises(DomainError) as caught:
        services.dossier_return_result(
            world.reception,
            dossier,
            method="home",
            home_visit=visit(world, receipt=fake),
        )
    assert caught.value.code == "file.invalid_type"
    assert "PDF, JPEG hoặc PNG" in caught.value.message
    dossier.refresh_from_db()
    assert dossier.status == "result_ready" and dossier.events.count() == events
    assert not HomeVisit.objects.exists() and not DossierFile.objects.exists()
    assert stored_files(media) == []


def test_a_failure_after_the_file_is_stored_removes_it(world, media, monkeypatch):
    from motcua.dossiers.services import _common

    dossier = ready(world)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("mất kết nối cơ sở dữ liệu")

    monkeypatch.setattr(_common, "append_event", broken)
    with world.at(vn(2026, 3, 10, 16)), pytest.raises(RuntimeError):
        services.dossier_return_result(
            world.reception, dossier, method="home", home_visit=visit(world)
        )
    assert not HomeVisit.objects.exists() and stored_files(media) == []
    assert Dossier.objects.get().status == "result_ready"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"officer_ids": []}, "dossier.home_visit_officers"),
        ({"address": "  "}, "dossier.home_visit_address"),
        ({"received_by_name": ""}, "dossier.receiver_required"),
        ({"reason": "vui"}, "dossier.home_visit_reason"),
        ({"reason": "other", "reason_note": ""}, "dossier.home_visit_reason"),
        ({"visited_at": vn(2026, 3, 11, 9)}, "dossier.home_visit_time"),
        ({"receipt": None}, "dossier.home_visit_receipt"),
    ],
)
def test_an_incomplete_record_is_refused(world, overrides, code):
    dossier = ready(world)
    with world.at(vn(2026, 3, 10, 16)), pytest.raises(DomainError) as caught:
        services.dossier_return_result(
            world.reception,
            dossier,
            method="home",
            home_visit=visit(world, **overrides),
        )
    assert caught.value.code == code
    assert Dossier.objects.get().status == "result_ready"


def test_an_officer_of_another_agency_cannot_be_named(world):
    dossier = ready(world)
    stranger = make_user("ngoai", world.other_ward, "reception")
    with world.at(vn(2026, 3, 10, 16)), pytest.raises(DomainError) as caught:
        services.dossier_return_result(
            world.reception,
            dossier,
            method="home",
            home_visit=visit(world, officer_ids=[stranger.pk]),
        )
    assert caught.value.code == "dossier.home_visit_officers"


def test_home_without_a_record_and_a_record_without_home_are_refused(world):
    dossier = ready(world)
    with world.at(vn(2026, 3, 10, 16)):
        with pytest.raises(DomainError) as caught:
            services.dossier_return_result(world.reception, dossier, method="home")
        assert caught.value.code == "dossier.home_visit_required"
        with pytest.raises(DomainError) as caught:
            services.dossier_return_result(
                world.reception, dossier, method="desk", home_visit=visit(world)
            )
        assert caught.value.code == "dossier.home_visit_unexpected"


def test_the_return_desk_records_a_home_return(world):
    dossier = ready(world)
    desk = client_for(world.reception)
    page = desk.get(RETURNS, {"ma": dossier.code}).content.decode()
    assert 'id="form-home-return"' in page and 'enctype="multipart/form-data"' in page
    data = {
        "ma": dossier.code,
        "expected_version": Dossier.objects.get().lock_version,
        "tai-nha-officers": [world.reception.pk],
        "tai-nha-visited_at": "2026-03-10T15:30",
        "tai-nha-address": "12 Lê Lợi",
        "tai-nha-received_by_name": "Nguyễn Thị Hoa",
        "tai-nha-reason": "elderly_alone",
        "tai-nha-reason_note": "",
    }
    with world.at(vn(2026, 3, 10, 16)):
        bad = desk.post(
            RETURNS,
            {**data, "tai-nha-receipt": SimpleUploadedFile("a.pdf", b"GIF89a....")},
        )
        assert bad.status_code == 400
        assert "PDF, JPEG hoặc PNG" in bad.content.decode()
        assert Dossier.objects.get().status == "result_ready"
        r = desk.post(
            RETURNS,
            {
                **data,
                "tai-nha-receipt": SimpleUploadedFile(
                    "bn.png", b"\x89PNG\r\n\x1a\n123"
                ),
            },
        )
    assert r.status_code == 302
    dossier = Dossier.objects.get()
    assert (
        dossier.return_method == "home" and dossier.returned_to_name == "Nguyễn Thị Hoa"
    )
    assert dossier.returned_to_is_applicant is False
    page = desk.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert 'id="home-visit"' in page and "Người cao tuổi neo đơn" in page


def test_a_desk_of_another_agency_cannot_post_a_home_return(world):
    dossier = ready(world)
    r = client_for(world.other_reception).post(RETURNS, {"ma": dossier.code})
    assert r.status_code in (403, 404)
    assert Dossier.objects.get().status == "result_ready"


def test_the_receipt_slip_prints_tai_nha(world):
    from motcua.slips.content import collect_at

    dossier = ready(world)
    with world.at(vn(2026, 3, 10, 16)):
        dossier = services.dossier_return_result(
            world.reception, dossier, method="home", home_visit=visit(world)
        )
    assert collect_at(dossier) == "Tại nhà"
