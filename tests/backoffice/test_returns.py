"""The return desk: find by code or QR, record who collected it, and phone the
applicants whose results are ready early."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.backoffice.models import CallRecord
from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.models import Dossier

from .conftest import client_for

pytestmark = pytest.mark.django_db
RETURNS = "/can-bo/tra-ket-qua/"


def ready(world):
    dossier = world.processing(clock.now())
    with world.at(clock.now()):
        return services.dossier_finish(world.specialist, dossier)


def test_an_early_result_is_listed_with_the_phone_and_the_call_is_recorded(world):
    dossier = ready(world)
    desk = client_for(world.reception)
    html = desk.get(RETURNS).content.decode()
    assert dossier.code in html and "0905123456" in html and "chưa gọi" in html
    r = desk.post(
        reverse("backoffice:record_call", args=[dossier.code]),
        {"note": "Hẹn chiều mai đến nhận"},
    )
    assert r.status_code == 302
    call = CallRecord.objects.get()
    assert call.by == world.reception and call.note == "Hẹn chiều mai đến nhận"
    assert "chưa gọi" not in desk.get(RETURNS).content.decode()
    assert dossier.events.count() == Dossier.objects.get().events.count()


def test_a_scanned_code_opens_the_return_form_and_the_id_check_is_required(world):
    dossier = ready(world)
    desk = client_for(world.reception)
    found = desk.get(RETURNS, {"ma": f"http://x/tra-cuu/{dossier.code}"})
    assert 'id="form-return_result"' in found.content.decode()
    url = reverse("backoffice:dossier_action", args=[dossier.code, "return_result"])
    data = {
        "expected_version": Dossier.objects.get().lock_version,
        "return_result-method": "desk",
        "return_result-is_applicant": "1",
        "next": RETURNS,
    }
    unchecked = desk.post(url, data)
    assert unchecked.status_code == 400
    r = desk.post(url, {**data, "return_result-id_checked": "on"})
    assert r.status_code == 302 and r["Location"] == RETURNS
    assert Dossier.objects.get().status == "returned"


def test_post_hand_over_needs_no_id_check(world):
    dossier = ready(world)
    url = reverse("backoffice:dossier_action", args=[dossier.code, "return_result"])
    r = client_for(world.reception).post(
        url,
        {
            "expected_version": Dossier.objects.get().lock_version,
            "return_result-method": "post",
            "return_result-is_applicant": "1",
        },
    )
    assert r.status_code == 302
    assert Dossier.objects.get().return_method == "post"


def test_an_unknown_code_says_so(world):
    r = client_for(world.reception).get(RETURNS, {"ma": "KHONG-CO"})
    assert r.status_code == 404
    assert "Không tìm thấy hồ sơ" in r.content.decode()


def test_another_ward_cannot_record_a_call(world):
    dossier = ready(world)
    r = client_for(world.other_reception).post(
        reverse("backoffice:record_call", args=[dossier.code])
    )
    assert r.status_code == 404 and not CallRecord.objects.exists()
