"""The e-form answers as received, for the back-office dossier page, and the
admin's check of an e-form schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template

from motcua.online import eform, services
from motcua.online.admin import EFormSchemaForm
from motcua.online.models import EFormSchema

from .builders import (
    BIRTH_ANSWERS,
    MARITAL,
    MON,
    build_online,
    ensure_eforms,
    mother_citizen,
    pdf,
)


@pytest.fixture
def online(db: None) -> Any:
    return build_online()


def test_the_answers_read_as_received(online: Any) -> None:
    citizen = mother_citizen()
    with online.world.at(MON):
        draft = services.draft_start(citizen.user, online.version, citizen=citizen)
        draft = services.draft_save(
            draft,
            services.DraftInput(
                agency=online.world.ward,
                applicant=draft.applicant,
                answers=BIRTH_ANSWERS,
                return_method="desk",
            ),
            add={online.birth_certificate.pk: [pdf()]},
        )
        dossier, _ = services.draft_submit(citizen.user, draft, "k")
    # a later edit of the schema changes nothing already received
    schema = EFormSchema.objects.get(procedure_code=online.code)
    schema.schema["sections"][0]["title"] = "Đã sửa sau"
    schema.save()
    html = Template("{% load online %}{% online_answers dossier %}").render(
        Context({"dossier": dossier})
    )
    assert "Người được khai sinh" in html and "Đã sửa sau" not in html
    assert "20/05/2025" in html and "Nam" in html
    assert "Nhận tại bộ phận một cửa" in html


def test_nothing_for_a_dossier_received_at_the_desk(online: Any) -> None:
    dossier = online.world.receive(MON)
    html = Template("{% load online %}{% online_answers dossier %}").render(
        Context({"dossier": dossier})
    )
    assert html.strip() == ""


def test_both_seeded_schemas_are_valid(db: None) -> None:
    ensure_eforms()
    for code in (online_code for online_code in ("1.001193", MARITAL)):
        schema = EFormSchema.objects.get(procedure_code=code, version=None)
        assert eform.check_schema(schema.schema) == []


def test_the_admin_refuses_a_broken_schema(db: None) -> None:
    form = EFormSchemaForm(
        data={
            "procedure_code": "1.000001",
            "title": "Tờ khai thử",
            "legal_basis": "Thông tư thử",
            "schema": '{"sections": [{"key": "a", "title": "A", "fields": '
            '[{"key": "x", "label": "X", "type": "number"}]}]}',
        }
    )
    assert not form.is_valid()
    assert "«type» phải là một trong" in str(form.errors["schema"])


def test_the_admin_refuses_a_second_general_schema(db: None) -> None:
    ensure_eforms()
    form = EFormSchemaForm(
        data={
            "procedure_code": "1.001193",
            "title": "Tờ khai khác",
            "legal_basis": "—",
            "schema": '{"sections": [{"key": "a", "title": "A", "fields": '
            '[{"key": "x", "label": "X", "type": "text"}]}]}',
        }
    )
    assert not form.is_valid()
    assert "đã có tờ khai dùng chung" in str(form.errors)
