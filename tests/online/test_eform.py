"""The e-form's answers: required fields, conditions, formats, prefill — on
the seeded marriage-status certification and birth registration forms."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.online import eform
from motcua.online.models import EFormSchema

from .builders import ensure_eforms

TODAY = date(2025, 6, 2)


@pytest.fixture
def marital(db: None) -> dict:
    ensure_eforms()
    return EFormSchema.objects.get(procedure_code="1.004873").schema


@pytest.fixture
def birth(db: None) -> dict:
    ensure_eforms()
    return EFormSchema.objects.get(procedure_code="1.001193").schema


def _person() -> dict:
    return {
        "full_name": "Lê Văn Nam",
        "birth_date": "1995-01-02",
        "sex": "nam",
        "nationality": "Việt Nam",
        "id_number": "048095001111",
        "residence": "5 Hùng Vương",
    }


def test_marrying_someone_named_needs_their_details(marital: dict) -> None:
    answers = {
        "person": _person(),
        "status": {"marital_status": "never_married"},
        "purpose": {"purpose": "marriage", "partner_name": "Trần Thị Hoa"},
    }
    _, errors = eform.check_answers(marital, answers, TODAY)
    assert set(errors) == {
        "purpose.partner_birth_date",
        "purpose.partner_nationality",
        "purpose.partner_id_number",
        "purpose.partner_residence",
        "purpose.marriage_place",
    }


def test_another_purpose_needs_only_that_purpose(marital: dict) -> None:
    answers = {
        "person": _person(),
        "status": {"marital_status": "divorced"},
        "purpose": {"purpose": "other", "other_purpose": "Bổ sung hồ sơ vay vốn"},
    }
    clean, errors = eform.check_answers(marital, answers, TODAY)
    assert errors == {}
    assert clean["purpose"] == {
        "purpose": "other",
        "other_purpose": "Bổ sung hồ sơ vay vốn",
    }


def test_formats_are_checked(marital: dict) -> None:
    person = {**_person(), "birth_date": "2030-01-01", "id_number": "12345"}
    answers = {
        "person": {**person, "sex": "khac"},
        "status": {"marital_status": "never_married"},
        "purpose": {"purpose": "other", "other_purpose": "x"},
    }
    _, errors = eform.check_answers(marital, answers, TODAY)
    assert errors["person.birth_date"] == "Ngày không được sau hôm nay."
    assert "12 chữ số" in errors["person.id_number"]
    assert errors["person.sex"] == "Lựa chọn không hợp lệ."


def test_the_father_is_optional_but_complete_when_named(birth: dict) -> None:
    _, errors = eform.check_answers(birth, {}, TODAY)
    assert "father.full_name" not in errors and "child.full_name" in errors
    _, errors = eform.check_answers(
        birth, {"father": {"full_name": "Nguyễn Văn Cường"}}, TODAY
    )
    assert {"father.birth_date", "father.id_number", "father.residence"} <= set(errors)


def test_prefill_takes_the_account_details(marital: dict) -> None:
    found = eform.prefill(
        marital,
        {"full_name": "Lê Văn Nam", "identity_number": "048095001111", "phone": "09"},
    )
    assert found == {"person": {"full_name": "Lê Văn Nam", "id_number": "048095001111"}}


def test_a_draft_keeps_only_the_schemas_fields(birth: dict) -> None:
    tidy = eform.tidy_answers(
        birth, {"child": {"full_name": "  Khang ", "hacker": "x"}, "other": {"a": 1}}
    )
    assert tidy == {"child": {"full_name": "Khang"}}


def test_schema_checks_name_the_problems() -> None:
    problems = eform.check_schema(
        {
            "sections": [
                {
                    "key": "a",
                    "title": "A",
                    "fields": [
                        {"key": "x", "label": "X", "type": "choice", "choices": []},
                        {"key": "x", "label": "", "type": "text", "prefill": "pin"},
                        {
                            "key": "y",
                            "label": "Y",
                            "type": "text",
                            "required_when": {"field": "nope"},
                        },
                    ],
                }
            ]
        }
    )
    text = " ".join(problems)
    assert "«choices»" in text and "trùng «key» x" in text
    assert "thiếu «label»" in text and "«prefill»" in text
    assert "«required_when»" in text
