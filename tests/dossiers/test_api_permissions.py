"""Every agency sees only its own (ARCHITECTURE principle 7), through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from motcua.agencies.models import Membership, Role
from motcua.dossiers import services
from motcua.dossiers.files import dossier_file_upload
from tests.security.helpers import issue_token

from .builders import World, build_world, make_user, vn
from .test_api import URL, act, assert_error, client_for, post

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def two_wards(world: World) -> tuple[str, str]:
    """A dossier in each ward, each with a scan attached."""
    mine = world.receive(MON)
    theirs = world.receive(MON, actor=world.other_reception, agency=world.other_ward)
    for dossier, desk in ((mine, world.reception), (theirs, world.other_reception)):
        upload = SimpleUploadedFile("scan.pdf", PDF, "application/pdf")
        dossier_file_upload(desk, dossier, upload=upload)
    return mine.code, theirs.code


def monitor_of(world: World) -> Any:
    user = make_user(f"gs-{world.district.code}", world.district, Role.MONITOR)
    Membership.objects.filter(user=user).update(covers_subtree=True)
    return user


def listed(user: Any, **params: Any) -> list[str]:
    with_clock = client_for(user).get(URL, params)
    assert with_clock.status_code == 200, with_clock.content
    return [row["code"] for row in with_clock.json()["results"]]


def test_an_officer_of_ward_a_can_neither_see_nor_touch_ward_b():
    world = build_world()
    mine, theirs = two_wards(world)
    client = client_for(world.reception)
    assert listed(world.reception) == [mine]
    assert listed(world.reception, agency=world.other_ward.code) == []
    assert listed(world.reception, q=theirs) == []
    assert_error(client.get(f"{URL}{theirs}/"), 404, "dossier.not_found")
    refused = act(world, world.reception, theirs, "refuse", reason="x")
    assert_error(refused, 404, "dossier.not_found")
    upload = SimpleUploadedFile("a.pdf", PDF, "application/pdf")
    response = client.post(
        f"{URL}{theirs}/files/", {"file": upload}, format="multipart"
    )
    assert_error(response, 404, "dossier.not_found")
    file_id = _first_file_id(theirs)
    assert_error(client.get(f"{URL}{theirs}/files/{file_id}/"), 404)
    # …and the same answers for a code that does not exist at all.
    assert_error(client.get(f"{URL}{theirs}X/"), 404, "dossier.not_found")


def _first_file_id(code: str) -> int:
    from motcua.dossiers.models import DossierFile

    return DossierFile.objects.filter(dossier__code=code).values_list("pk", flat=True)[
        0
    ]


def test_a_file_of_my_dossier_is_not_reachable_through_another_dossier():
    world = build_world()
    mine, theirs = two_wards(world)
    response = client_for(world.reception).get(
        f"{URL}{mine}/files/{_first_file_id(theirs)}/"
    )
    assert_error(response, 404, "file.not_found")


def test_a_district_monitor_sees_both_wards_but_cannot_act():
    world = build_world()
    mine, theirs = two_wards(world)
    monitor = monitor_of(world)
    assert sorted(listed(monitor)) == sorted([mine, theirs])
    detail = client_for(monitor).get(f"{URL}{theirs}/")
    assert detail.status_code == 200
    assert detail.json()["allowed_actions"] == []
    file_id = _first_file_id(theirs)
    download = client_for(monitor).get(f"{URL}{theirs}/files/{file_id}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    for action, data in [("finish", {}), ("refuse", {"reason": "x"})]:
        assert_error(act(world, monitor, mine, action, **data), 403, "auth.forbidden")
    upload = SimpleUploadedFile("a.pdf", PDF, "application/pdf")
    response = client_for(monitor).post(
        f"{URL}{mine}/files/", {"file": upload}, format="multipart"
    )
    assert_error(response, 403, "auth.forbidden")


def test_a_monitor_without_subtree_sees_only_the_district_itself():
    world = build_world()
    two_wards(world)
    user = make_user("gs-only", world.district, Role.MONITOR)
    assert listed(user) == []


def test_a_district_specialist_sees_a_ward_dossier_once_a_district_step_opens():
    world = build_world(liên_thông=True)
    dossier = world.processing(MON)
    assert listed(world.district_specialist) == []
    assert_error(
        client_for(world.district_specialist).get(f"{URL}{dossier.code}/"), 404
    )
    with world.at(MON):
        services.dossier_forward(world.specialist, dossier)
    assert listed(world.district_specialist) == [dossier.code]
    detail = client_for(world.district_specialist).get(f"{URL}{dossier.code}/")
    assert detail.status_code == 200
    assert "forward" in detail.json()["allowed_actions"]
    forwarded = act(world, world.district_specialist, dossier.code, "forward")
    assert forwarded.status_code == 200, forwarded.content
    # still visible after its step is done: the district took part in it
    assert listed(world.district_specialist) == [dossier.code]
    # but the district cannot act for the ward
    refused = act(world, world.district_specialist, dossier.code, "finish")
    assert_error(refused, 403, "auth.forbidden")


def test_a_consulted_agency_sees_the_dossier_and_may_answer():
    world = build_world()
    dossier = world.processing(MON)
    with world.at(MON):
        services.dossier_consult(
            world.specialist, dossier, agency=world.district, question="Cư trú?"
        )
    detail = client_for(world.district_specialist).get(f"{URL}{dossier.code}/")
    assert detail.status_code == 200
    assert detail.json()["allowed_actions"] == ["answer_consult"]


def test_a_ward_b_desk_cannot_receive_into_ward_a():
    world = build_world()
    with world.at(MON):
        response = post(
            client_for(world.other_reception),
            URL,
            {
                "agency": world.ward.code,
                "procedure": world.procedure.code,
                "channel": "direct",
                "applicant": {"name": "Lê Văn C"},
            },
        )
    assert_error(response, 403, "auth.forbidden")


def test_a_user_without_roles_sees_nothing_and_a_superuser_sees_everything():
    world = build_world()
    mine, theirs = two_wards(world)
    nobody = make_user("khach")
    assert listed(nobody) == []
    assert_error(client_for(nobody).get(f"{URL}{mine}/"), 404)
    root = make_user("root")
    root.is_superuser = True
    root.save()
    assert sorted(listed(root)) == sorted([mine, theirs])


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("post", ""),
        ("get", "{code}/"),
        ("post", "{code}/finish/"),
        ("post", "{code}/files/"),
        ("get", "{code}/files/1/"),
        ("post", "{code}/teleport/"),
    ],
)
def test_anonymous_callers_get_a_json_401(method, path):
    world = build_world()
    code = world.receive(MON).code
    response = getattr(APIClient(), method)(URL + path.format(code=code))
    assert_error(response, 401, "auth.required")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bearer_token_authenticates_and_a_wrong_one_is_401():
    world = build_world()
    mine, _ = two_wards(world)
    key = issue_token(world.reception)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.get(URL)
    assert response.status_code == 200, response.content
    assert [row["code"] for row in response.json()["results"]] == [mine]
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert_error(client.get(URL), 401, "auth.failed")
