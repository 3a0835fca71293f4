"""The citizen's pages: the form prefilled from the account, a draft saved and
private, wrong files refused with nothing saved, review, one dossier per
submission, and the tracking page at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.citizens.models import CitizenDossier
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.workflow import Status
from motcua.online.models import Draft, DraftFile, OnlineSubmission
from tests.citizens.factories import citizen_client, make_citizen

from .builders import BIRTH_ANSWERS, MON, build_online, fake_pdf, mother_citizen, pdf


@pytest.fixture
def online(db: None) -> Any:
    return build_online()


def _post_data(online: Any, action: str = "review", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": str(online.world.ward.pk),
        "a_phone": "0905123456",
        "a_email": "binh@example.vn",
        "a_address": "12 Lê Lợi, phường Hòa Cường Nam",
        "return_method": "online",
        "notify_channels": ["email"],
        "action": action,
    }
    for section, values in BIRTH_ANSWERS.items():
        for field, value in values.items():
            data[f"ef__{section}__{field}"] = value
    data.update(extra)
    return data


def _start(client: Client, online: Any, **extra: Any) -> Any:
    return client.post(f"/nop-ho-so/{online.code}/", _post_data(online, **extra))


def test_the_form_is_prefilled_from_the_account(online: Any) -> None:
    client = citizen_client(mother_citizen())
    with online.world.at(MON):
        page = client.get(f"/nop-ho-so/{online.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Trần Thị Bình"' in html
    assert 'value="048190001234"' in html
    assert 'value="12/05/1990"' in html
    assert 'value="0905123456"' in html
    assert 'value="binh@example.vn"' in html
    assert 'value="12 Lê Lợi, phường Hòa Cường Nam"' in html
    assert "Người được khai sinh" in html and "Mẹ" in html
    assert f'name="file_{online.birth_certificate.pk}"' in html
    # the e-form stands for the declaration: no upload asked for it
    assert f'name="file_{online.declaration.pk}"' not in html


def test_anonymous_visitors_and_staff_are_sent_to_the_citizen_sign_in(
    online: Any,
) -> None:
    page = Client().get(f"/nop-ho-so/{online.code}/")
    assert page.status_code == 302 and "/cong-dan/" in page["Location"]
    staff = Client()
    staff.force_login(online.world.reception)
    assert staff.get(f"/nop-ho-so/{online.code}/").status_code == 302


def test_a_birth_registration_goes_from_the_form_to_the_tracking_page(
    online: Any,
) -> None:
    citizen = mother_citizen()
    client = citizen_client(citizen)
    with online.world.at(MON):
        saved = _start(client, online, **{f"file_{online.birth_certificate.pk}": pdf()})
        draft = Draft.objects.get(owner=citizen.user)
        assert saved.status_code == 302
        assert saved["Location"] == f"/nop-ho-so/ban-nhap/{draft.pk}/xem-lai/"
        review = client.get(saved["Location"])
        assert review.status_code == 200
        html = review.content.decode()
        assert "Nguyễn Minh Khang" in html and "20/05/2025" in html
        assert "giay-chung-sinh.pdf" in html
        key = review.context["key"]
        sent = client.post(f"/nop-ho-so/ban-nhap/{draft.pk}/nop/", {"key": key})
        again = client.post(f"/nop-ho-so/ban-nhap/{draft.pk}/nop/", {"key": key})
    dossier = Dossier.objects.get()
    assert sent.status_code == 302 and sent["Location"].startswith("/tra-cuu/qr/")
    assert again["Location"] == sent["Location"]
    assert dossier.status == Status.SUBMITTED and dossier.channel == "online"
    assert dossier.agency == online.world.ward
    assert dossier.applicant.name == "Trần Thị Bình"
    assert dossier.applicant.email == "binh@example.vn"
    assert dossier.applicant.notify_channels == "email"
    names = set(dossier.components.values_list("name", flat=True))
    assert names == {
        online.declaration.name,
        online.birth_certificate.name,
        online.identity_paper.name,
    }
    received = dossier.components.get(template=online.birth_certificate)
    assert DossierFile.objects.get(dossier=dossier).component == received
    answers = OnlineSubmission.objects.get(dossier=dossier)
    assert answers.answers["mother"]["id_number"] == "048190001234"
    assert answers.return_method == "online"
    link = CitizenDossier.objects.get(dossier=dossier)
    assert link.citizen == citizen and link.via == CitizenDossier.Via.ONLINE
    tracking = client.get(sent["Location"])
    assert tracking.status_code == 200 and dossier.code in tracking.content.decode()
    assert "Đã gửi hồ sơ đến UBND phường Hòa Cường Nam" in tracking.content.decode()


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_saved(
    online: Any,
) -> None:
    citizen = mother_citizen()
    client = citizen_client(citizen)
    with online.world.at(MON):
        page = _start(
            client, online, **{f"file_{online.birth_certificate.pk}": fake_pdf()}
        )
    assert page.status_code == 400
    html = page.content.decode()
    assert "chỉ nhận tệp PDF, JPEG hoặc PNG" in html
    assert 'id="form-errors"' in html
    assert not Draft.objects.exists() and not DraftFile.objects.exists()


def test_the_review_sends_back_what_is_missing(online: Any) -> None:
    client = citizen_client(mother_citizen())
    with online.world.at(MON):
        saved = _start(client, online, ef__child__full_name="")
        page = client.get(saved["Location"])
    html = page.content.decode()
    assert "Cần nhập «Họ, chữ đệm, tên»" in html
    assert "Cần tải lên «Giấy chứng sinh hoặc văn bản thay thế»" in html
    assert 'id="submit-dossier"' not in html


def test_a_draft_is_seen_and_changed_by_its_citizen_only(online: Any) -> None:
    owner = mother_citizen()
    client = citizen_client(owner)
    with online.world.at(MON):
        _start(client, online, action="save")
    draft = Draft.objects.get()
    other = citizen_client(make_citizen(full_name="Lê Văn Khác"))
    officer = Client()
    officer.force_login(online.world.reception)
    for path in ("", "xem-lai/", "xoa/"):
        assert other.get(f"/nop-ho-so/ban-nhap/{draft.pk}/{path}").status_code == 404
    assert (
        other.post(f"/nop-ho-so/ban-nhap/{draft.pk}/nop/", {"key": "x"}).status_code
        == 404
    )
    assert other.post(f"/nop-ho-so/ban-nhap/{draft.pk}/xoa/").status_code == 404
    assert "Đăng ký khai sinh" not in other.get("/nop-ho-so/ban-nhap/").content.decode()
    # staff are not citizens: the citizen pages send them to the citizen sign-in
    assert officer.get(f"/nop-ho-so/ban-nhap/{draft.pk}/").status_code == 302
    assert officer.get(f"/nop-ho-so/ho-tro/ban-nhap/{draft.pk}/").status_code == 404
    assert Draft.objects.filter(pk=draft.pk).exists()
    assert client.get(f"/nop-ho-so/ban-nhap/{draft.pk}/").status_code == 200
    assert client.post(f"/nop-ho-so/ban-nhap/{draft.pk}/xoa/").status_code == 302
    assert not Draft.objects.exists()


def test_a_saved_draft_keeps_its_file_until_it_is_removed(online: Any) -> None:
    client = citizen_client(mother_citizen())
    with online.world.at(MON):
        _start(
            client,
            online,
            action="save",
            **{f"file_{online.birth_certificate.pk}": pdf()},
        )
        draft = Draft.objects.get()
        item = DraftFile.objects.get(draft=draft)
        page = client.get(f"/nop-ho-so/ban-nhap/{draft.pk}/")
        assert "giay-chung-sinh.pdf" in page.content.decode()
        client.post(
            f"/nop-ho-so/ban-nhap/{draft.pk}/",
            _post_data(online, action="save", remove=[str(item.pk)]),
        )
    assert not DraftFile.objects.exists()


def test_a_procedure_offered_for_information_only_has_no_online_form(
    online: Any,
) -> None:
    online.version.online_level = "none"
    online.version.save(update_fields=["online_level"])
    client = citizen_client(mother_citizen())
    page = client.get(f"/nop-ho-so/{online.code}/")
    assert page.status_code == 400
    assert "chưa được cung cấp trực tuyến" in page.content.decode()


def test_an_unknown_procedure_is_404(online: Any) -> None:
    client = citizen_client(mother_citizen())
    assert client.get("/nop-ho-so/9.999999/").status_code == 404


def test_the_pages_are_never_stored(online: Any) -> None:
    client = citizen_client(mother_citizen())
    page = client.get(f"/nop-ho-so/{online.code}/")
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]


def test_a_new_form_points_to_the_draft_already_saved(online: Any) -> None:
    client = citizen_client(mother_citizen())
    with online.world.at(MON):
        _start(client, online, action="save")
        page = client.get(f"/nop-ho-so/{online.code}/")
    draft = Draft.objects.get()
    assert f"/nop-ho-so/ban-nhap/{draft.pk}/" in page.content.decode()


def test_a_file_too_large_is_refused_and_nothing_is_saved(
    online: Any, settings: Any
) -> None:
    settings.MOTCUA_MAX_UPLOAD_BYTES = 20
    client = citizen_client(mother_citizen())
    with online.world.at(MON):
        page = _start(client, online, **{f"file_{online.birth_certificate.pk}": pdf()})
    assert page.status_code == 400
    assert "Tệp quá lớn" in page.content.decode()
    assert not Draft.objects.exists() and not DraftFile.objects.exists()
