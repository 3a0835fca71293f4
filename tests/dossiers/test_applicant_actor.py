"""The applicant acts online on their own dossier (``workflow.APPLICANT``): a
citizen's account submits online and answers a supplement request, on its own
dossier only; every other action, and anyone else's dossier, is refused by the
one rule (``permissions.refusal``) the buttons and the services share."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.citizens.models import Citizen, CitizenDossier
from motcua.core.errors import DomainError
from motcua.dossiers import permissions, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Action, Status

from .builders import World, build_world, make_user, vn

MON = vn(2025, 6, 2, 9)


def _citizen(username: str, **flags: Any) -> Any:
    user = make_user(username)
    for name, value in flags.items():
        setattr(user, name, value)
    user.save()
    Citizen.objects.create(
        user=user, verified_by=Citizen.VerifiedBy.VNEID, identity_number="048090001234"
    )
    return user


def _online(world: World, citizen: Any) -> Dossier:
    dossier = services.dossier_submit_online(citizen, world.input(channel="online"))
    CitizenDossier.objects.create(citizen=citizen.citizen, dossier=dossier)
    return dossier


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def test_a_citizen_submits_online_and_is_the_events_actor(world: World) -> None:
    citizen = _citizen("cd-an")
    with world.at(MON):
        dossier = _online(world, citizen)
    assert dossier.status == Status.SUBMITTED
    assert dossier.events.get().actor_id == citizen.pk


def test_the_applicant_answers_a_supplement_request_on_their_own_dossier_only(
    world: World,
) -> None:
    owner, stranger = _citizen("cd-owner"), _citizen("cd-stranger")
    with world.at(MON):
        dossier = _online(world, owner)
        dossier = services.dossier_request_supplement(
            world.reception, dossier, reason="Thiếu bản sao giấy chứng sinh"
        )
        loaded = Dossier.objects.get(pk=dossier.pk)
        assert permissions.allowed_actions(owner, loaded) == [Action.RESUBMIT]
        assert permissions.allowed_actions(stranger, loaded) == []
        with pytest.raises(DomainError) as refused:
            services.dossier_resubmit(stranger, dossier)
        assert refused.value.status == 403
        dossier.refresh_from_db()
        assert dossier.status == Status.WAITING_SUPPLEMENT
        dossier = services.dossier_resubmit(owner, dossier, note="Đã bổ sung")
    assert dossier.status == Status.SUBMITTED


def test_the_applicant_takes_no_officers_action(world: World) -> None:
    owner = _citizen("cd-self")
    with world.at(MON):
        dossier = _online(world, owner)
        for act in (
            lambda: services.dossier_receive(owner, dossier),
            lambda: services.dossier_refuse(owner, dossier, reason="Không đủ"),
            lambda: services.dossier_withdraw(owner, dossier),
        ):
            with pytest.raises(DomainError) as refused:
                act()
            assert refused.value.status == 403
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_a_staff_account_is_never_a_citizen(world: World) -> None:
    staff_like = _citizen("cd-staff", is_staff=True)
    assert not permissions.is_citizen(staff_like)
    with world.at(MON), pytest.raises(DomainError) as refused:
        services.dossier_submit_online(staff_like, world.input(channel="online"))
    assert refused.value.status == 403
    assert not Dossier.objects.exists()


def test_the_applicant_attaches_files_only_while_the_dossier_waits_for_them(
    world: World,
) -> None:
    owner = _citizen("cd-files")
    with world.at(MON):
        dossier = _online(world, owner)
        assert permissions.refusal(owner, dossier, Action.ATTACH_FILE) is None
        dossier = services.dossier_request_supplement(
            world.reception, dossier, reason="Thiếu bản sao giấy chứng sinh"
        )
        assert permissions.refusal(owner, dossier, Action.ATTACH_FILE) is None
        dossier = services.dossier_resubmit(owner, dossier)
        dossier = services.dossier_receive(world.reception, dossier)
        refused = permissions.refusal(owner, dossier, Action.ATTACH_FILE)
        assert refused is not None and refused.status == 409


def test_the_applicant_sends_scans_never_a_result(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.dossiers.files import dossier_file_upload

    owner = _citizen("cd-result")
    with world.at(MON):
        dossier = _online(world, owner)
        pdf = SimpleUploadedFile("kq.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")
        with pytest.raises(DomainError) as refused:
            dossier_file_upload(owner, dossier, upload=pdf, kind="result")
        assert refused.value.code == "file.invalid_kind"
        assert not dossier.files.exists()
        pdf.seek(0)
        dossier_file_upload(owner, dossier, upload=pdf)
    assert dossier.files.get().kind == "scan"
