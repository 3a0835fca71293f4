"""The leader approves and signs in one go; any failure leaves nothing."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from motcua.core.errors import DomainError
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import DossierFile, Event
from motcua.dossiers.workflow import Status
from motcua.signing.models import Signature
from motcua.signing.services import (
    approve_and_sign,
    certificate_upload,
    verify_file,
)
from tests.dossiers.builders import vn

pytestmark = pytest.mark.django_db
MON = vn(2025, 6, 2)


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file())


def test_the_leader_approves_and_signs_the_result(
    world, awaiting_approval, certificate, trusted
):
    dossier, draft = awaiting_approval
    with world.at(vn(2025, 6, 3, 14)):
        signed = approve_and_sign(
            world.leader, dossier, result_file=draft, note="Đồng ý"
        )
    assert signed.kind == DossierFile.Kind.RESULT
    assert signed.original_name == "quyet-dinh-da-ky.pdf"
    assert signed.content_type == "application/pdf"
    assert len(signed.sha256) == 64 and signed.sha256 != draft.sha256
    dossier.refresh_from_db()
    assert dossier.signed_by == world.leader
    assert dossier.signed_at == vn(2025, 6, 3, 14)
    approve = Event.objects.get(dossier=dossier, action="approve")
    assert approve.reason == "Đồng ý" and approve.actor == world.leader
    record = Signature.objects.get(file=signed)
    assert (record.source, record.certificate, record.signer) == (
        draft,
        certificate,
        world.leader,
    )
    report = verify_file(signed)
    assert report.signed and report.intact and report.valid, report.problems
    assert report.signer_name == "Trần Thị Bình"
    assert report.signing_time == vn(2025, 6, 3, 14)


def _nothing_happened(dossier, media, files_before, events_before):
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.signed_by is None
    assert Event.objects.filter(dossier=dossier).count() == events_before
    assert DossierFile.objects.filter(dossier=dossier).count() == 1
    assert not Signature.objects.exists()
    assert stored_files(media) == files_before


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("wrong_password", "signing.bad_password"),
        ("no_certificate", "signing.no_certificate"),
        ("not_pdf", "signing.not_pdf"),
        ("other_dossier_file", "signing.not_a_result"),
        ("not_a_leader", "auth.forbidden"),
        ("not_awaiting_approval", "dossier.not_awaiting_approval"),
        ("file_missing", "signing.file_missing"),
    ],
)
def test_a_failure_leaves_nothing(
    world, awaiting_approval, certificate, media, leader_p12, setup, code
):
    dossier, draft = awaiting_approval
    actor, password, result_file = world.leader, None, draft
    if setup == "wrong_password":
        password = "sai-mat-khau"
    elif setup == "no_certificate":
        certificate.is_active = False
        certificate.save()
    elif setup == "not_pdf":
        draft.file.save("x.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 40))
    elif setup == "other_dossier_file":
        other = world.receive(MON)
        result_file = DossierFile(dossier=other, kind=DossierFile.Kind.RESULT)
    elif setup == "file_missing":
        draft.file.storage.delete(draft.file.name)
    elif setup == "not_a_leader":
        actor = world.specialist
    elif setup == "not_awaiting_approval":
        with world.at(vn(2025, 6, 3, 11)):
            dossier = dossiers.dossier_send_back(
                world.leader, dossier, reason="Bổ sung căn cứ"
            )
    files_before = stored_files(media)
    events_before = Event.objects.filter(dossier=dossier).count()
    with world.at(vn(2025, 6, 3, 14)), pytest.raises(DomainError) as err:
        approve_and_sign(actor, dossier, result_file=result_file, password=password)
    assert err.value.code == code
    _nothing_happened(dossier, media, files_before, events_before)


def test_a_failure_after_signing_removes_the_stored_copy(
    world, awaiting_approval, certificate, media, monkeypatch
):
    dossier, draft = awaiting_approval
    files_before = stored_files(media)
    events_before = Event.objects.filter(dossier=dossier).count()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Signature.objects, "create", broken)
    with world.at(vn(2025, 6, 3, 14)), pytest.raises(RuntimeError):
        approve_and_sign(world.leader, dossier, result_file=draft)
    _nothing_happened(dossier, media, files_before, events_before)


def test_a_password_asked_each_time_is_given_at_signing(
    world, awaiting_approval, leader_p12, trusted
):
    certificate_upload(
        world.admin,
        user=world.leader,
        agency=world.ward,
        p12_bytes=leader_p12.p12,
        password=leader_p12.password,
        ask_password_each_time=True,
    )
    dossier, draft = awaiting_approval
    with world.at(vn(2025, 6, 3, 14)):
        with pytest.raises(DomainError) as err:
            approve_and_sign(world.leader, dossier, result_file=draft)
        assert err.value.code == "signing.password_required"
        signed = approve_and_sign(
            world.leader, dossier, result_file=draft, password=leader_p12.password
        )
    assert verify_file(signed).valid
