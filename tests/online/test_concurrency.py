"""A double click sends the submission twice at once: one dossier, whether the
two requests carry the same key (a retried request) or two keys (two tabs of
the same draft) — needs PostgreSQL row locks."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.citizens.models import CitizenDossier
from motcua.dossiers.models import Dossier, IdempotentRequest
from motcua.online import services
from tests.citizens.factories import citizen_client
from tests.dossiers.test_concurrency import run_together

from .builders import BIRTH_ANSWERS, MON, build_online, mother_citizen, pdf


def _ready_draft() -> tuple[Any, Any]:
    online = build_online()
    citizen = mother_citizen()
    with online.world.at(MON):
        draft = services.draft_start(citizen.user, online.version, citizen=citizen)
        draft = services.draft_save(
            draft,
            services.DraftInput(
                agency=online.world.ward,
                applicant=draft.applicant,
                answers=BIRTH_ANSWERS,
            ),
            add={online.birth_certificate.pk: [pdf()]},
        )
    return citizen, draft


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("keys", [("same", "same"), ("tab-1", "tab-2")])
def test_two_submissions_at_once_create_one_dossier(keys: tuple[str, str]) -> None:
    citizen, draft = _ready_draft()

    def send(i: int) -> Any:
        return citizen_client(citizen).post(
            f"/nop-ho-so/ban-nhap/{draft.pk}/nop/", {"key": keys[i]}
        )

    responses = run_together(2, send)
    assert [r.status_code for r in responses] == [302, 302], responses
    assert responses[0]["Location"] == responses[1]["Location"]
    assert Dossier.objects.count() == 1
    assert CitizenDossier.objects.count() == 1
    assert Dossier.objects.get().files.count() == 1
    assert IdempotentRequest.objects.count() == len(set(keys))
