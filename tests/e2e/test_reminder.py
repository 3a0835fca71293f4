"""A leader's reminder reaches the officer (issue 11: "khâu nào chậm, lãnh đạo
sẽ nhắc nhở"): the leader sends it from the dossier page, it is in the history,
the officer sees it on their home page and gets it by e-mail through the outbox
and the real worker."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from motcua.dossiers.workflow import Action
from motcua.notifications import worker

from .helpers import login, open_action

pytestmark = pytest.mark.e2e
NOTE = "Hồ sơ sắp đến hạn, đề nghị hoàn thành thẩm định trong sáng nay."


def test_a_leaders_reminder_reaches_the_officer(world, new_page, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _seed_texts()  # a flush by an earlier transactional test empties them
    world.specialist.email = "chuyenvien@phuong.example.vn"
    world.specialist.save()
    from django.utils import timezone

    dossier = world.processing(timezone.now())

    leader = new_page()
    login(leader, world.leader)
    leader.goto(f"/can-bo/ho-so/{dossier.code}/")
    open_action(leader, "remind")
    leader.fill("#id_remind-note", NOTE)
    leader.click("#submit-remind")
    expect(leader.locator("main")).to_contain_text(NOTE)  # in the history
    assert dossier.events.filter(action=Action.REMIND, reason=NOTE).exists()

    officer = new_page()
    login(officer, world.specialist)
    officer.goto("/can-bo/")
    expect(officer.locator("#reminders")).to_contain_text(NOTE)
    expect(officer.locator("#reminders")).to_contain_text(dossier.code)

    worker.run_once()
    (sent,) = [m for m in mail.outbox if m.subject.startswith("Lãnh đạo nhắc nhở")]
    assert sent.to == ["chuyenvien@phuong.example.vn"]
    assert NOTE in sent.body and dossier.code in sent.subject


def _seed_texts() -> None:
    import importlib

    from django.apps import apps

    for name in ("0002_seed_templates", "0003_reminder_template"):
        importlib.import_module(f"motcua.notifications.migrations.{name}").seed(
            apps, None
        )
