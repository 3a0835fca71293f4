"""The public catalogue pages (/thu-tuc/): browse by agency and field, search
with the words people use, the procedure page with everything a citizen needs,
blank forms, and bad input answered in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from motcua.agencies.models import Agency
from motcua.agencies.services import agency_create
from motcua.catalog import services
from motcua.catalog.models import Component, Procedure, ProcedureVersion
from motcua.core import clock

pytestmark = pytest.mark.django_db
BIRTH, DEATH, MEDIATION = "1.001193", "1.000656", "1.013967"


@dataclass
class Catalogue:
    ward: Agency
    other: Agency


def build_catalogue() -> Catalogue:
    """The reference catalogue offered by a ward (with its address and hours)
    and, for a few procedures, by a second ward."""
    ward = agency_create(
        code="000.01.01.H12",
        name="UBND phường Hòa Cường",
        level="commune",
        address="135 Núi Thành, Hải Châu, Đà Nẵng",
        hotline="0236 3600 001",
        working_hours="07:30-11:30, 13:30-17:00",
    )
    other = agency_create(
        code="000.02.01.H12", name="UBND phường Hòa Hiệp Bắc", level="commune"
    )
    services.load_reference_catalogue(agencies=[ward])
    Procedure.objects.get(code=BIRTH).agencies.add(other)
    return Catalogue(ward, other)


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return build_catalogue()


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_the_catalogue_lists_every_procedure_in_force_with_pages(client, catalogue):
    html = page(client, "/thu-tuc/")
    assert "<h1>Thủ tục hành chính</h1>" in html
    assert "Tất cả thủ tục" in html and "(23)" in html
    assert html.count('class="procedure-item"') == 20
    assert 'id="page-next"' in html
    second = page(client, "/thu-tuc/?page=2")
    assert second.count('class="procedure-item"') == 3
    assert 'id="page-previous"' in second


def test_search_with_and_without_accents_gives_the_same_first_answer(client, catalogue):
    for q in ("lam giay khai sinh cho con", "làm giấy khai sinh cho con"):
        html = page(client, f"/thu-tuc/?q={q}")
        first = html.index('class="procedure-item"')
        assert f'href="/thu-tuc/{BIRTH}/"' in html[first : first + 300]
        assert "Tìm thấy" in html


def test_search_keeps_the_words_in_the_box(client, catalogue):
    html = page(client, "/thu-tuc/?q=b%C3%A1o+t%E1%BB%AD")
    assert 'value="báo tử"' in html
    assert f'href="/thu-tuc/{DEATH}/"' in html


def test_nothing_found_says_what_to_try(client, catalogue):
    html = page(client, "/thu-tuc/?q=xyzzy")
    assert 'id="no-results"' in html and "Không tìm thấy thủ tục phù hợp." in html


def test_browse_by_field_and_by_agency(client, catalogue):
    html = page(client, "/thu-tuc/?field=DD")
    assert html.count('class="procedure-item"') == 3
    assert 'aria-current="true"' in html
    fields = html[html.index('class="field-links"') :]
    # Vietnamese order: Đất đai with the D, before Hộ tịch
    assert (
        fields.index("Chứng thực") < fields.index("Đất đai") < fields.index("Hộ tịch")
    )
    only_other = page(client, f"/thu-tuc/?agency={catalogue.other.code}")
    assert only_other.count('class="procedure-item"') == 1
    assert 'id="agency-card"' in only_other and "UBND phường Hòa Hiệp Bắc" in only_other
    assert f"/thu-tuc/co-quan/{catalogue.other.code}/ma-qr.pdf" in only_other
    ward = page(client, f"/thu-tuc/?agency={catalogue.ward.code}")
    assert "135 Núi Thành" in ward and "07:30-11:30, 13:30-17:00" in ward


def test_unknown_filters_are_a_vietnamese_400_and_list_nothing(client, catalogue):
    html = page(client, "/thu-tuc/?field=XX&agency=nope", status=400)
    assert 'id="form-errors"' in html
    assert "Không có lĩnh vực này trong danh mục." in html
    assert "Không có cơ quan này trong danh mục." in html
    assert 'class="procedure-item"' not in html


def test_a_nul_or_an_overlong_query_is_a_400_not_a_500(client, catalogue):
    assert client.get("/thu-tuc/?q=so%00do").status_code == 400
    assert client.get("/thu-tuc/?q=" + "a" * 300).status_code == 400
    assert client.get("/thu-tuc/?page=abc").status_code == 200
    assert client.get("/thu-tuc/?page=999").status_code == 200


def test_the_procedure_page_has_everything_to_prepare_the_dossier(client, catalogue):
    html = page(client, f"/thu-tuc/{BIRTH}/")
    assert '<h1 id="procedure-name">Đăng ký khai sinh</h1>' in html
    assert "Còn gọi là: làm giấy khai sinh, giấy khai sinh" in html
    for part in (
        "Hồ sơ cần chuẩn bị",
        "Tờ khai đăng ký khai sinh",
        "Trình tự thực hiện",
        "Tiếp nhận hồ sơ",
        "Kết quả nhận được",
        "Căn cứ pháp lý",
        "Luật Hộ tịch số 60/2014/QH13",
        "Thời hạn (trực tiếp)",
        "Thời hạn (trực tuyến)",
        "Trong ngày",
        "Miễn lệ phí nếu đăng ký đúng hạn",
        "Toàn trình",
    ):
        assert part in html, part
    assert "UBND phường Hòa Cường" in html and "135 Núi Thành" in html
    assert "07:30-11:30, 13:30-17:00" in html and "0236 3600 001" in html
    assert "UBND phường Hòa Hiệp Bắc" in html
    online = reverse("online:submit", args=[BIRTH])
    assert f'id="submit-online" href="{online}"' in html
    assert f'href="/thu-tuc/{BIRTH}/ma-qr.pdf"' in html


def test_the_page_shows_the_version_in_force_today(client, catalogue):
    # mediation: 45 calendar days until 01/08/2024, 30 since
    with clock.frozen_at(clock.now().replace(year=2024, month=7, day=1)):
        before = page(client, f"/thu-tuc/{MEDIATION}/")
    with clock.frozen_at(clock.now().replace(year=2025, month=7, day=1)):
        after = page(client, f"/thu-tuc/{MEDIATION}/")
    assert "45 ngày" in before and "30 ngày" in after


def test_information_only_procedures_offer_no_online_button(client, catalogue):
    html = page(client, f"/thu-tuc/{MEDIATION}/")
    assert 'id="submit-online"' not in html
    assert "chưa nộp trực tuyến được" in html
    assert "Thời hạn (trực tuyến)" not in html


def test_an_unknown_or_retired_procedure_is_a_vietnamese_404(client, catalogue):
    html = page(client, "/thu-tuc/9.999999/", status=404)
    assert "Không có thủ tục đang áp dụng nào mang mã «9.999999»." in html
    Procedure.objects.filter(code=DEATH).update(is_active=False)
    page(client, f"/thu-tuc/{DEATH}/", status=404)
    page(client, "/thu-tuc/" + "x" * 500 + "/", status=404)


def test_a_blank_form_is_downloadable_where_the_catalogue_has_one(client, catalogue):
    version = ProcedureVersion.objects.filter(procedure__code=BIRTH).order_by(
        "-effective_from"
    )[0]
    component = version.components.order_by("position")[0]
    component.blank_form.save("to-khai-khai-sinh.pdf", ContentFile(b"%PDF-1.4 blank"))
    html = page(client, f"/thu-tuc/{BIRTH}/")
    url = f"/thu-tuc/{BIRTH}/mau/{component.pk}/"
    assert f'href="{url}"' in html and "Tải mẫu để trống" in html
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 blank"
    assert "attachment" in response["Content-Disposition"]
    # a component of another procedure, or without a form: 404
    other = Component.objects.exclude(version=version).first()
    page(client, f"/thu-tuc/{BIRTH}/mau/{other.pk}/", status=404)
    plain = version.components.order_by("position")[1]
    page(client, f"/thu-tuc/{BIRTH}/mau/{plain.pk}/", status=404)
    gone = page(client, "/thu-tuc/9.999999/mau/1/", status=404)
    assert "Không có thủ tục đang áp dụng nào mang mã «9.999999»." in gone
    component.blank_form.delete()


def test_the_pages_take_few_queries_whatever_the_catalogue(
    client, catalogue, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        client.get("/thu-tuc/?q=khai+sinh")
    with django_assert_max_num_queries(12):
        client.get(f"/thu-tuc/{BIRTH}/")


def test_the_pages_are_public_cacheable_and_never_post(client, catalogue):
    response = client.get("/thu-tuc/")
    assert "no-store" not in response.get("Cache-Control", "")
    assert client.post("/thu-tuc/").status_code == 405
    assert client.post(f"/thu-tuc/{BIRTH}/").status_code == 405


def test_a_corrected_version_keeps_the_blank_forms_of_its_components(catalogue):
    from motcua.catalog.services import ComponentData, VersionData

    version = ProcedureVersion.objects.filter(procedure__code=BIRTH).order_by(
        "-effective_from"
    )[0]
    first = version.components.order_by("position")[0]
    first.blank_form.save("to-khai.pdf", ContentFile(b"%PDF-1.4 blank"))
    services.procedure_version_update(
        version,
        VersionData(
            name=version.name,
            effective_from=version.effective_from,
            time_unit=version.time_unit,
            components=[
                ComponentData("Giấy chứng sinh", "original"),
                ComponentData(first.name, "original"),
            ],
        ),
    )
    kept = version.components.get(name=first.name)
    assert kept.position == 2 and kept.blank_form.name == first.blank_form.name
    assert not version.components.get(name="Giấy chứng sinh").blank_form
    kept.blank_form.delete()


def test_a_blank_form_of_another_type_is_refused(catalogue):
    from django.core.exceptions import ValidationError

    component = Component.objects.first()
    component.blank_form.name = "catalog/forms/mau.exe"
    with pytest.raises(ValidationError):
        component.full_clean()


def test_an_agency_has_an_address_of_its_own_in_the_catalogue(client, catalogue):
    response = client.get(f"/thu-tuc/co-quan/{catalogue.ward.code}/")
    assert response.status_code == 302
    assert response["Location"] == f"/thu-tuc/?agency={catalogue.ward.code}"
    html = page(client, "/thu-tuc/co-quan/000.99.99.H99/", status=404)
    assert "Không có cơ quan nào mang mã này trong danh mục thủ tục." in html
