"""The admin page "Nhập từ CSDL quốc gia": upload → preview → confirm."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.models import Procedure, ProcedureVersion

DATA = Path(__file__).parent / "data"
URL = "admin:catalog_procedure_national_import"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, name="national_sample.json", content=None, **extra):
    content = content if content is not None else (DATA / name).read_bytes()
    return client.post(
        reverse(URL), {"file": SimpleUploadedFile(name, content), **extra}
    )


def hidden(response) -> dict[str, str]:
    html = response.content.decode()
    found = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html)
    return {name: value for name, value in found if name != "csrfmiddlewaretoken"}


def test_the_procedure_list_links_to_the_import(admin_client):
    page = admin_client.get(reverse("admin:catalog_procedure_changelist"))
    assert reverse(URL) in page.content.decode()
    assert admin_client.get(reverse(URL)).status_code == 200


def test_upload_previews_then_confirmation_applies(admin_client, field):
    preview = upload(admin_client, "national_sample.xlsx")
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "Thủ tục mới (5)" in text and "1.004873" in text
    assert not Procedure.objects.exists()

    confirm = hidden(preview)
    assert set(confirm) == {"sha256", "suffix", "effective", "digest"}
    done = admin_client.post(reverse(URL), {**confirm, "apply": "1"})
    assert done.status_code == 302
    assert Procedure.objects.count() == 5
    again = upload(admin_client, "national_sample.xlsx")
    assert "Không đổi (5)" in again.content.decode()


def test_the_preview_shows_each_changed_field(admin_client, make_version):
    make_version(code="1.001193", effective_from=date(2016, 1, 1))
    text = upload(admin_client).content.decode()
    assert "phiên bản mới từ 04/09/2020, kết thúc phiên bản 1" in text
    assert "Thời hạn giải quyết" in text and "3 ngày làm việc" in text


def test_a_chosen_date_is_carried_to_the_confirmation(admin_client, field):
    preview = upload(admin_client, effective="01/01/2021")
    confirm = hidden(preview)
    assert confirm["effective"] == "2021-01-01"
    admin_client.post(reverse(URL), {**confirm, "apply": "1"})
    starts = set(ProcedureVersion.objects.values_list("effective_from", flat=True))
    assert starts == {date(2021, 1, 1)}


def test_a_file_changed_after_the_preview_is_refused(admin_client, field, tmp_path):
    confirm = hidden(upload(admin_client))
    stored = tmp_path / "catalog" / "national" / f"{confirm['sha256']}.json"
    stored.write_bytes(stored.read_bytes().replace(b"khai sinh", b"khai sinh (sua)"))
    refused = admin_client.post(reverse(URL), {**confirm, "apply": "1"})
    assert refused.status_code == 409
    assert "Tệp đã thay đổi so với lúc xem trước" in refused.content.decode()
    assert not Procedure.objects.exists()


def test_a_forged_confirmation_is_refused(admin_client, field):
    refused = admin_client.post(
        reverse(URL),
        {"sha256": "0" * 64, "suffix": ".json", "digest": "0" * 64, "apply": "1"},
    )
    assert refused.status_code == 409
    assert "Không còn tệp đã xem trước" in refused.content.decode()


def test_errors_are_listed_with_their_place_and_no_confirmation(admin_client, field):
    content = (
        (DATA / "national_sample.json")
        .read_bytes()
        .replace(b'"2020-09-04"', b'"04/13/2020"', 1)
    )
    page = upload(admin_client, content=content).content.decode()
    assert "national.no_effective_date" in page and "mục 1 (1.001193" in page
    assert 'name="apply"' not in page


def test_a_wrong_file_type_is_a_form_error(admin_client):
    page = upload(admin_client, name="catalogue.csv", content=b"a;b").content.decode()
    assert "Chỉ nhận tệp .json hoặc .xlsx." in page


def test_staff_without_catalogue_rights_may_not_import(client, db):
    user = get_user_model().objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(URL)).status_code == 403


def test_files_of_previews_never_confirmed_go_after_a_day(admin_client, tmp_path):
    from datetime import timedelta

    from motcua.core import clock

    upload(admin_client)
    kept = tmp_path / "catalog" / "national"
    assert len(list(kept.iterdir())) == 1
    with clock.frozen_at(clock.now() + timedelta(days=2)):
        upload(admin_client, "national_sample.xlsx")
    assert [p.suffix for p in kept.iterdir()] == [".xlsx"]


def test_staff_with_the_catalogue_rights_may_import(client, db):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["change_procedure", "add_procedureversion"]
        )
    )
    client.force_login(user)
    assert client.get(reverse(URL)).status_code == 200
