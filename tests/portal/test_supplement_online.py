"""A supplement request answered online (issue 12 item 4): the dossier's own
citizen account, signed in, sees exactly what is missing, uploads it (type by
content, size checked) with a note, and the dossier is resubmitted under the
agency's supplement policy — in one transaction. Anyone else (another
citizen, a visitor) is asked to sign in, sees nothing of the dossier, and
changes nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers import permissions, services
from motcua.dossiers.models import Dossier, DossierFile, Event
from motcua.dossiers.workflow import Action, Status
from motcua.portal.qr import token_for
from tests.citizens.factories import citizen_client, link_dossier, make_citizen
from tests.dossiers.builders import World, build_world, vn

pytestmark = pytest.mark.django_db

MON = vn(2025, 6, 2, 9)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ITEMS = ["Bản sao giấy khai sinh", "Giấy xác nhận thông tin cư trú"]
REASON = "Bản sao giấy khai sinh bị mờ"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


def waiting(world: World, citizen: Any, *, received: bool = True) -> Dossier:
    """Submitted online by ``citizen``; received and asked to supplement by the
    specialist (or asked at the desk before reception)."""
    with world.at(MON):
        dossier = services.dossier_submit_online(
            citizen.user, world.input(channel="online")
        )
        link_dossier(citizen, dossier)
        if received:
            dossier = services.dossier_receive(world.reception, dossier)
            dossier = services.dossier_assign(
                world.leader, dossier, assignee=world.specialist
            )
    asker = world.specialist if received else world.reception
    with world.at(MON + timedelta(hours=1)):
        return services.dossier_request_supplement(
            asker, dossier, reason=REASON, items=ITEMS if received else ()
        )


def url(dossier: Dossier) -> str:
    return f"/tra-cuu/bo-sung/{token_for(dossier)}/"


def answer(client: Client, dossier: Dossier, **files: Any) -> Any:
    data = {"note": "Gửi lại bản rõ nét", **files}
    return client.post(url(dossier), data)


def files() -> dict[str, Any]:
    return {
        "item_0": SimpleUploadedFile("khai-sinh.pdf", PDF, "application/pdf"),
        "item_1": SimpleUploadedFile("cu-tru.png", PNG, "image/png"),
    }


def unchanged(dossier: Dossier, media: Path, events: int) -> None:
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_SUPPLEMENT
    assert not DossierFile.objects.filter(dossier=dossier).exists()
    assert Event.objects.filter(dossier=dossier).count() == events
    assert stored(media) == []


def test_the_one_rule_lets_the_applicant_attach_papers_while_asked_for_them(media):
    """The rule the upload relies on (``permissions.refusal`` for
    ``ATTACH_FILE``, via ``dossiers.files``): the applicant attaches papers
    to their own dossier while it waits for a supplement; nobody else's."""
    world = build_world()
    owner, stranger = make_citizen(), make_citizen()
    dossier = waiting(world, owner)
    assert permissions.refusal(owner.user, dossier, Action.ATTACH_FILE) is None
    refused = permissions.refusal(stranger.user, dossier, Action.ATTACH_FILE)
    assert refused is not None and refused.status == 403


def test_the_applicant_sees_what_is_missing_and_answers_online(media):
    world = build_world(policy="restart")
    citizen = make_citizen()
    dossier = waiting(world, citizen)
    client = citizen_client(citizen)
    page = client.get(url(dossier))
    html = page.content.decode()
    assert page.status_code == 200
    assert REASON in html and all(item in html for item in ITEMS)
    assert 'enctype="multipart/form-data"' in html
    with world.at(vn(2025, 6, 3, 9)):
        response = answer(client, dossier, **files())
    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/qr/{token_for(dossier)}/"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING  # back to where it paused
    assert dossier.clock_started_at == vn(2025, 6, 3, 9)  # restarted
    uploaded = list(DossierFile.objects.filter(dossier=dossier).order_by("id"))
    assert [f.original_name for f in uploaded] == [
        "Bản sao giấy khai sinh – khai-sinh.pdf",
        "Giấy xác nhận thông tin cư trú – cu-tru.png",
    ]
    assert {f.kind for f in uploaded} == {DossierFile.Kind.SCAN}
    assert {f.uploaded_by_id for f in uploaded} == {citizen.user.pk}
    assert [p.read_bytes() for p in stored(media)] in ([PDF, PNG], [PNG, PDF])
    resubmit = dossier.events.get(action=Action.RESUBMIT)
    assert resubmit.actor_id == citizen.user.pk
    assert resubmit.reason == "Gửi lại bản rõ nét"
    assert resubmit.payload["policy"] == "restart"
    followed = client.get(response["Location"]).content.decode()
    assert "Đã gửi 2 tệp bổ sung" in followed


def test_under_the_shift_policy_the_due_date_moves_by_the_wait(media):
    world = build_world(policy="shift")
    citizen = make_citizen()
    dossier = waiting(world, citizen)
    due_before = dossier.due_at
    with world.at(vn(2025, 6, 3, 9)):
        answer(citizen_client(citizen), dossier, **files())
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.events.get(action=Action.RESUBMIT).payload["policy"] == "shift"
    assert dossier.due_at > due_before
    assert dossier.clock_started_at == MON  # not restarted


def test_before_reception_the_answer_goes_back_to_the_desk(media):
    world = build_world()
    citizen = make_citizen()
    dossier = waiting(world, citizen, received=False)
    other = SimpleUploadedFile("chung-sinh.pdf", PDF, "application/pdf")
    with world.at(MON + timedelta(hours=2)):
        response = answer(citizen_client(citizen), dossier, other=other)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert DossierFile.objects.get(dossier=dossier).original_name == "chung-sinh.pdf"


def test_another_citizen_sees_nothing_and_changes_nothing(media):
    world = build_world()
    owner, stranger = make_citizen(), make_citizen(full_name="Trần Văn Bảo")
    dossier = waiting(world, owner)
    events = dossier.events.count()
    client = citizen_client(stranger)
    page = client.get(url(dossier))
    html = page.content.decode()
    assert page.status_code == 403
    assert "không phải tài khoản đã nộp hồ sơ này" in html
    assert REASON not in html and ITEMS[0] not in html and dossier.code not in html
    with world.at(vn(2025, 6, 3, 9)):
        refused = answer(client, dossier, **files())
    assert refused.status_code == 403
    unchanged(dossier, media, events)


def test_a_visitor_is_asked_to_sign_in_and_changes_nothing(media):
    world = build_world()
    dossier = waiting(world, make_citizen())
    events = dossier.events.count()
    page = Client().get(url(dossier))
    html = page.content.decode()
    assert page.status_code == 200
    assert "/cong-dan/dang-nhap/?next=" in html
    assert REASON not in html and ITEMS[0] not in html and dossier.code not in html
    with world.at(vn(2025, 6, 3, 9)):
        refused = answer(Client(), dossier, **files())
    assert refused.status_code == 403
    unchanged(dossier, media, events)


def test_a_staff_account_is_not_the_applicant(media):
    world = build_world()
    dossier = waiting(world, make_citizen())
    events = dossier.events.count()
    client = Client()
    client.force_login(world.reception)
    with world.at(vn(2025, 6, 3, 9)):
        refused = answer(client, dossier, **files())
    assert refused.status_code == 403
    unchanged(dossier, media, events)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("gia.pdf", b"not a pdf at all", "application/pdf"),
            "Chỉ nhận tệp PDF, JPEG hoặc PNG",
        ),
        (SimpleUploadedFile("rong.pdf", b"", "application/pdf"), ""),
    ],
    ids=["renamed-text", "empty"],
)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_kept(
    media, upload, message
):
    world = build_world()
    citizen = make_citizen()
    dossier = waiting(world, citizen)
    events = dossier.events.count()
    good = SimpleUploadedFile("khai-sinh.pdf", PDF, "application/pdf")
    with world.at(vn(2025, 6, 3, 9)):
        response = answer(citizen_client(citizen), dossier, item_0=good, item_1=upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    unchanged(dossier, media, events)  # the good file was not kept either


def test_a_file_over_the_limit_is_refused(media, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024
    world = build_world()
    citizen = make_citizen()
    dossier = waiting(world, citizen)
    events = dossier.events.count()
    big = SimpleUploadedFile("to.pdf", PDF + b"0" * 2048, "application/pdf")
    with world.at(vn(2025, 6, 3, 9)):
        response = answer(citizen_client(citizen), dossier, item_0=big)
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    unchanged(dossier, media, events)


def test_no_file_is_refused(media):
    world = build_world()
    citizen = make_citizen()
    dossier = waiting(world, citizen)
    events = dossier.events.count()
    response = answer(citizen_client(citizen), dossier)
    assert response.status_code == 400
    assert "Cần chọn ít nhất một tệp" in response.content.decode()
    unchanged(dossier, media, events)


def test_a_second_answer_changes_nothing_more(media):
    world = build_world()
    citizen = make_citizen()
    dossier = waiting(world, citizen)
    client = citizen_client(citizen)
    with world.at(vn(2025, 6, 3, 9)):
        assert answer(client, dossier, **files()).status_code == 302
        again = answer(client, dossier, **files())
    assert again.status_code == 409
    assert DossierFile.objects.filter(dossier=dossier).count() == 2
    assert len(stored(media)) == 2


def test_the_applicant_with_nothing_to_supplement_is_told_so(media):
    world = build_world()
    citizen = make_citizen()
    dossier = waiting(world, citizen)
    with world.at(vn(2025, 6, 3, 9)):
        services.dossier_resubmit(world.reception, dossier)  # brought to the desk
    client = citizen_client(citizen)
    page = client.get(url(dossier))
    assert page.status_code == 200
    assert "Hồ sơ hiện không chờ bổ sung" in page.content.decode()
    assert 'id="supplement-form"' not in page.content.decode()
    refused = answer(client, dossier, **files())
    assert refused.status_code == 409
    assert not DossierFile.objects.filter(dossier=dossier).exists()


def test_an_unknown_token_is_not_found(media):
    assert Client().get("/tra-cuu/bo-sung/1.forged/").status_code == 404
    assert Client().get("/tra-cuu/ket-qua/1.forged/1/").status_code == 404
