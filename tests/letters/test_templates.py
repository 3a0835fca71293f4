"""Letter templates: placeholders checked, one template in force per day,
issued only with an approved result, filled with what the dossier holds and
printed as a PDF signed with the leader's name in Vietnamese order."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.core.errors import DomainError
from motcua.letters.models import LetterTemplate
from motcua.letters.placeholders import fill, unknown_placeholders
from motcua.letters.selectors import letter_for
from motcua.letters.services import build_letter, render_letter_pdf

from .helpers import (
    approved,
    letter_template,
    name_leader,
    pdf_text,
    refused,
    returned,
)

pytestmark = pytest.mark.django_db


def test_the_three_procedures_have_a_seeded_letter():
    seeded = {t.procedure_code: t for t in LetterTemplate.objects.filter(valid_to=None)}
    assert seeded["1.001193"].kind == "congratulation"
    assert seeded["1.000894"].kind == "congratulation"
    death = seeded["1.000656"]
    assert death.kind == "condolence"
    assert "tổ chức tang lễ văn minh, tiết kiệm" in death.body
    assert "chưa đối chiếu" in death.body
    for template in seeded.values():
        template.full_clean()  # the seeded texts pass their own validation


def test_an_unknown_placeholder_is_refused_in_vietnamese(world):
    with pytest.raises(ValidationError) as caught:
        letter_template(world, body="Kính gửi {ten_vo}, chúc mừng {nguoi_nop}.")
    message = str(caught.value)
    assert "«ten_vo»" in message and "Chỉ dùng được" in message
    assert unknown_placeholders("Chúc {nguoi_nop} }") == ["}"]
    assert unknown_placeholders("{nguoi_nop} {ngay}") == []
    assert not LetterTemplate.objects.filter(procedure_code=world.procedure.code)


def test_fill_replaces_only_known_names():
    assert fill("Chào {nguoi_nop}!", {"nguoi_nop": "An"}) == "Chào An!"


def test_overlapping_periods_are_refused_and_the_one_in_force_is_used(world):
    first = letter_template(world, valid_to=date(2026, 3, 9), title="CŨ")
    with pytest.raises(ValidationError):
        letter_template(world, valid_from=date(2026, 3, 1), title="TRÙNG")
    letter_template(world, valid_from=date(2026, 3, 10), title="MỚI")
    dossier = approved(world)  # result on 10/03/2026
    assert letter_for(dossier).title == "MỚI"
    first.valid_to = date(2026, 3, 10)
    with pytest.raises(ValidationError):
        first.full_clean()


def test_no_letter_before_the_period_or_for_another_procedure(world):
    letter_template(world, valid_from=date(2026, 4, 1))
    assert letter_for(approved(world)) is None
    LetterTemplate.objects.all().delete()
    letter_template(world, procedure_code="1.999999")
    assert letter_for(approved(world)) is None


def test_no_letter_with_a_refusal(world):
    letter_template(world)
    dossier = refused(world)
    assert dossier.outcome == "refused"
    assert letter_for(dossier) is None
    with pytest.raises(DomainError) as caught:
        build_letter(dossier)
    assert caught.value.code == "letters.not_applicable"


def test_no_letter_while_the_dossier_is_in_progress(world):
    letter_template(world)
    assert letter_for(world.processing(approved(world).received_at)) is None


def test_the_letter_is_filled_with_the_dossier_and_the_leader_in_vn_order(world):
    letter_template(world)
    name_leader(world)
    dossier = returned(world)
    letter = build_letter(dossier)
    assert letter.signer_name == "Trần Thị Thu"
    assert letter.paragraphs == [
        "Kính gửi Nguyễn Văn An,",
        "UBND phường Hòa Cường Nam chúc mừng gia đình ngày 10/03/2026.",
        f"Hồ sơ {dossier.code}.",
    ]
    text = pdf_text(render_letter_pdf(dossier))
    assert "THƯ CHÚC MỪNG" in text
    assert "Trần Thị Thu" in text and "Thu Trần Thị" not in text
    assert "Kính gửi Nguyễn Văn An" in text
    assert "Chủ tịch".upper() in text.upper()


def test_the_child_name_comes_from_the_birth_eform_or_reads_chau(world):
    from motcua.online.models import OnlineSubmission

    letter_template(world, body="Chúc mừng gia đình có thêm {ten_tre}.")
    dossier = approved(world)
    assert build_letter(dossier).paragraphs == ["Chúc mừng gia đình có thêm cháu."]
    OnlineSubmission.objects.create(
        dossier=dossier,
        return_method="online",
        answers={"child": {"full_name": "Nguyễn  Minh Khang"}},
        sha256="0" * 64,
        created_at=dossier.received_at,
    )
    dossier.refresh_from_db()
    assert build_letter(dossier).paragraphs == [
        "Chúc mừng gia đình có thêm Nguyễn Minh Khang."
    ]
