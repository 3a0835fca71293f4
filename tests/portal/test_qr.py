"""The QR code of a slip opens the dossier's tracking page with no second
factor: the slip is the proof. Its token is signed (id and code), carries no
personal data, and a forged, moved or revoked token opens nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from motcua.portal.qr import code_from_qr_url, qr_path, qr_url, token_for
from motcua.portal.tracking import NOT_FOUND, TRACK_CODE
from motcua.security import throttle
from tests.slips import scenarios as s

from .helpers import body, check, new_address

pytestmark = pytest.mark.django_db


def opened(path: str):
    return Client().get(path)


def test_the_qr_link_shows_the_public_status_with_no_factor():
    world = s.world_with("2018")
    dossier = world.processing(s.MON)
    response = opened(qr_path(dossier))
    html = response.content.decode()
    assert response.status_code == 200
    for expected in ("Đang xử lý", dossier.code, "N. V. A.", "Thụ lý, thẩm định"):
        assert expected in html, expected
    for personal in ("Nguyễn Văn An", "048090001234", "0905123456"):
        assert personal not in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"  # the token stays on this site


def test_the_token_holds_no_personal_data_and_is_short_enough_for_a_small_qr():
    world = s.world_with("2018")
    dossier = s.received(world)
    token = token_for(dossier)
    assert qr_path(dossier) == f"/tra-cuu/qr/{token}/"
    for secret in ("Nguyễn", "Nguyen", "048090001234", "0905123456", dossier.code):
        assert secret not in token
    assert len(qr_url("https://motcua.danang.gov.vn", dossier)) < 100


def tampered(token: str) -> list[str]:
    dossier_id, sig = token.split(".")
    flip = "A" if sig[5] != "A" else "B"
    return [
        f"{dossier_id}.{sig[:5]}{flip}{sig[6:]}",  # one character changed
        f"{int(dossier_id) + 1}.{sig}",  # another dossier's id
        f"{dossier_id}.{sig[:-1]}",  # cut short
        f"{dossier_id}.{sig}x",
        f"0{dossier_id}.{sig}",
        dossier_id,
        sig,
        f"{dossier_id}.{'A' * 43}",
    ]


def test_a_tampered_or_moved_token_opens_nothing():
    world = s.world_with("2018")
    dossier = s.received(world)
    s.received(world)  # the next id exists too
    token = token_for(dossier)
    for forged in tampered(token):
        response = opened(f"/tra-cuu/qr/{forged}/")
        assert response.status_code == 404, forged
        html = response.content.decode()
        assert NOT_FOUND in html and dossier.code not in html, forged
        assert "no-store" in response["Cache-Control"]
    assert opened(qr_path(dossier)).status_code == 200


def test_an_unknown_token_answers_like_a_failed_typed_look_up():
    world = s.world_with("2018")
    dossier = s.received(world)
    path = f"/tra-cuu/qr/{tampered(token_for(dossier))[0]}/"
    forged = opened(path)
    typed = check("", "0000")  # an empty code: a form error, 400
    unknown = check("X", "0000", new_address())
    assert forged.status_code == unknown.status_code == 404 != typed.status_code
    # the same page but for the language chooser's way back and the typed code
    assert body(forged).replace(path, "/tra-cuu/") == body(unknown).replace(
        ' value="X"', ""
    )


def test_changing_the_revision_setting_revokes_every_printed_qr_code():
    world = s.world_with("2018")
    dossier = s.received(world)
    printed = qr_path(dossier)
    with override_settings(MOTCUA_TRACKING_QR_REVISION="2026-12"):
        assert opened(printed).status_code == 404
        reprinted = qr_path(dossier)
        assert reprinted != printed and opened(reprinted).status_code == 200


def test_a_new_secret_key_keeps_old_slips_working_while_the_old_one_is_a_fallback():
    world = s.world_with("2018")
    dossier = s.received(world)
    printed = qr_path(dossier)
    old = settings.SECRET_KEY
    with override_settings(
        SECRET_KEY="a-new-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[old]
    ):
        assert opened(printed).status_code == 200
    with override_settings(SECRET_KEY="a-new-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[]):
        assert opened(printed).status_code == 404


def test_opening_the_qr_link_forgets_a_strangers_typed_guesses():
    world = s.world_with("2018")
    dossier = s.received(world)
    for n in range(TRACK_CODE.free):
        check(dossier.code, f"{n + 4000:04d}", new_address())
    assert throttle.failures(TRACK_CODE, dossier.code) == TRACK_CODE.free
    assert opened(qr_path(dossier)).status_code == 200  # never throttled
    assert throttle.failures(TRACK_CODE, dossier.code) == 0


def test_the_desk_scanner_can_read_the_code_behind_a_qr_link():
    world = s.world_with("2018")
    dossier = s.received(world)
    url = qr_url("http://motcua.example.vn", dossier)
    assert code_from_qr_url(url) == dossier.code
    assert code_from_qr_url(f"  {url}\n") == dossier.code
    assert code_from_qr_url(url.replace("/qr/", "/qr/9")) is None
    assert code_from_qr_url(f"http://x/tra-cuu/{dossier.code}") is None
    assert code_from_qr_url(dossier.code) is None
