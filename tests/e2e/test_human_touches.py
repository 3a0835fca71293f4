"""The human touches at the return desk (issue 13 item 5): an officer returns
a birth registration at the applicant's home — who went, when, where, who
received it, why, and the signed receipt — then prints the congratulation
letter signed with the leader's name; axe-core finds no serious or critical
violation on the return desk and the dossier page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import check_accessibility, login, pdf_text, shot, squeeze

pytestmark = [pytest.mark.e2e, pytest.mark.urls("tests.letters.urls")]


def _ready(world: Any) -> Any:
    from motcua.core import clock
    from motcua.dossiers import services

    now = clock.now()
    dossier = world.processing(now)
    with world.at(now):
        dossier = services.dossier_submit(world.specialist, dossier)
        dossier = services.dossier_approve(world.leader, dossier)
        return services.dossier_finish(world.reception, dossier)


def test_a_home_return_and_the_congratulation_letter(
    world: Any, page: Any, scan_pdf: Any
) -> None:
    from motcua.core import clock
    from motcua.core.dates import local
    from motcua.dossiers.models import Dossier, HomeVisit
    from motcua.letters.models import LetterTemplate

    LetterTemplate.objects.create(
        procedure_code=world.procedure.code,
        kind=LetterTemplate.Kind.CONGRATULATION,
        valid_from=date(2020, 1, 1),
        title="THƯ CHÚC MỪNG",
        body="Kính gửi gia đình {nguoi_nop},\n\n{co_quan} chúc mừng gia đình "
        "đã đăng ký khai sinh cho {ten_tre}.",
        signer_title="Chủ tịch Ủy ban nhân dân",
    )
    dossier = _ready(world)
    login(page, world.reception)
    page.goto(f"/can-bo/tra-ket-qua/?ma={dossier.code}")
    page.locator("#home-return > summary").click()
    expect(page.locator("#form-home-return")).to_be_visible()
    problems = check_accessibility(page, "human-touches-return-desk")
    assert not problems, problems

    visited = local(clock.now() - timedelta(minutes=40))
    page.fill("#id_tai-nha-visited_at", visited.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_tai-nha-address", "Tổ 5, đường Lê Lợi")
    page.fill("#id_tai-nha-received_by_name", "Nguyễn Văn An")
    page.select_option("#id_tai-nha-reason", "war_invalid")
    page.set_input_files("#id_tai-nha-receipt", str(scan_pdf))
    shot(page, "human-touches-home-return")
    page.click("#submit-home-return")
    expect(page.locator("#letter-link")).to_be_visible()

    saved = Dossier.objects.get(pk=dossier.pk)
    assert saved.status == "returned" and saved.return_method == "home"
    visit = HomeVisit.objects.get(dossier=saved)
    assert list(visit.officers.all()) == [world.reception]
    assert (
        visit.reason == "war_invalid"
        and visit.receipt.content_type == "application/pdf"
    )

    letter = pdf_text(page, page.locator("#letter-link").get_attribute("href"))
    assert squeeze("THƯ CHÚC MỪNG") in letter
    assert squeeze("Trần Thị Bình") in letter  # the leader who signed, family first
    assert squeeze("Kính gửi gia đình Nguyễn Văn An") in letter

    page.goto(f"/can-bo/ho-so/{dossier.code}/")
    expect(page.locator("#home-visit")).to_contain_text("Thương binh")
    expect(page.locator("#home-visit")).to_contain_text("Lê Thị Hoa")
    shot(page, "human-touches-dossier")
    problems = check_accessibility(page, "human-touches-dossier")
    assert not problems, problems
