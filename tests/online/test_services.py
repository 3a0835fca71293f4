"""Online submission end to end at the service level: a birth registration
with its files becomes one dossier waiting at the desk, tied to the citizen."""

from __future__ import annotations

import pytest

from motcua.citizens.models import CitizenDossier
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.workflow import Status
from motcua.online import services
from motcua.online.models import Draft, DraftFile, OnlineSubmission

from .builders import BIRTH_ANSWERS, MON, build_online, mother_citizen, pdf


@pytest.fixture
def online(db: None):
    return build_online()


def _draft(online, citizen):
    draft = services.draft_start(citizen.user, online.version, citizen=citizen)
    return services.draft_save(
        draft,
        services.DraftInput(
            agency=online.world.ward,
            applicant=draft.applicant,
            answers=BIRTH_ANSWERS,
            notify_channels=["email"],
        ),
        add={online.birth_certificate.pk: [pdf()]},
    )


def test_a_birth_registration_submitted_online_waits_at_the_desk(online) -> None:
    citizen = mother_citizen()
    with online.world.at(MON):
        draft = _draft(online, citizen)
        dossier, replayed = services.draft_submit(citizen.user, draft, "k-1")
    assert not replayed
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.SUBMITTED
    assert dossier.channel == "online"
    assert dossier.applicant.name == "Trần Thị Bình"
    assert dossier.applicant.id_number == "048190001234"
    link = CitizenDossier.objects.get(dossier=dossier)
    assert link.citizen == citizen and link.via == "online"
    stored = DossierFile.objects.get(dossier=dossier)
    assert stored.component.template_id == online.birth_certificate.pk
    assert (
        OnlineSubmission.objects.get(dossier=dossier).answers["child"]["sex"] == "nam"
    )
    assert not Draft.objects.filter(pk=draft.pk, dossier__isnull=True).exists()
    assert not DraftFile.objects.exists()


def test_a_result_by_post_needs_an_address(online) -> None:
    citizen = mother_citizen()
    with online.world.at(MON):
        draft = _draft(online, citizen)
        draft.return_method = "post"
        draft.applicant = {**draft.applicant, "address": ""}
        found = services.problems(draft, MON.date())
    assert found == {"applicant.address": "Cần địa chỉ để nhận kết quả qua bưu chính."}
