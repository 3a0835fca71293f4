from __future__ import annotations

from datetime import date

from django.urls import reverse

from motcua.catalog.models import ProcedureVersion


def _form(procedure_pk, **overrides):
    data = {
        "procedure": procedure_pk,
        "effective_from": "01/07/2025",
        "effective_to": "",
        "name": "Đăng ký khai sinh (mới)",
        "level": "commune",
        "time_value": "1",
        "time_unit": "working_days",
        "channel_times": "{}",
        "fee_text": "",
        "fee_amount": "0",
        "result_documents": "[]",
        "legal_basis": "",
        "online_level": "full",
        "aliases": "[]",
        "decision": "",
        "components-TOTAL_FORMS": "0",
        "components-INITIAL_FORMS": "0",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-0-position": "1",
        "steps-0-name": "Tiếp nhận",
        "steps-0-role": "reception",
        "steps-0-budget_hours": "2",
        "steps-1-position": "2",
        "steps-1-name": "Xử lý",
        "steps-1-role": "specialist",
        "steps-1-budget_hours": "6",
    }
    data.update(overrides)
    return data


def test_admin_pages_open(admin_client, make_version):
    version = make_version()
    for url in [
        reverse("admin:catalog_field_changelist"),
        reverse("admin:catalog_procedure_changelist") + "?q=khai sinh",
        reverse("admin:catalog_procedure_change", args=[version.procedure.pk]),
        reverse("admin:catalog_procedureversion_changelist") + "?q=Khai Sinh",
        reverse("admin:catalog_procedureversion_change", args=[version.pk]),
        reverse("admin:catalog_procedureversion_add"),
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_admin_adds_a_version_numbered_and_closing_the_previous(
    admin_client, make_version
):
    first = make_version()
    url = reverse("admin:catalog_procedureversion_add")
    response = admin_client.post(url, _form(first.procedure.pk))
    assert response.status_code == 302, response.context["errors"]
    second = ProcedureVersion.objects.get(number=2)
    first.refresh_from_db()
    assert first.effective_to == date(2025, 7, 1)
    assert "dang ky khai sinh moi" in second.search_text
    assert second.steps.count() == 2


def test_admin_budget_over_the_legal_time_is_a_form_error(admin_client, make_version):
    first = make_version()
    url = reverse("admin:catalog_procedureversion_add")
    response = admin_client.post(
        url, _form(first.procedure.pk, **{"steps-1-budget_hours": "7"})
    )
    assert response.status_code == 200
    assert "vượt thời hạn giải quyết" in response.content.decode()
    assert ProcedureVersion.objects.count() == 1


def test_admin_overlapping_version_is_a_form_error(admin_client, make_version):
    first = make_version()
    url = reverse("admin:catalog_procedureversion_add")
    response = admin_client.post(
        url, _form(first.procedure.pk, effective_from="01/01/2025")
    )
    assert response.status_code == 200
    assert "trùng với phiên bản 1" in response.content.decode()


def test_admin_renaming_a_field_refreshes_search_text(admin_client, make_version):
    version = make_version()
    url = reverse("admin:catalog_field_change", args=[version.procedure.field.pk])
    response = admin_client.post(url, {"code": "HT", "name": "Tư pháp hộ tịch"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.search_text.endswith("tu phap ho tich")
