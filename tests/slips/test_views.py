"""Staff pages for slips: only staff who see the dossier's agency
(ARCHITECTURE principle 7); a refused request is a page with a Vietnamese
message, never a 500."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from motcua.agencies.models import Membership, Role
from tests.dossiers.builders import World, make_user

from . import scenarios as s
from .pdfs import qr_codes, text

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def monitor_of(world: World) -> Any:
    user = make_user(f"gs-{world.district.code}", world.district, Role.MONITOR)
    Membership.objects.filter(user=user).update(covers_subtree=True)
    return user


def slip_url(code: str, kind: str) -> str:
    return f"/can-bo/phieu/{code}/{kind}.pdf"


def test_reception_officer_gets_the_receipt_inline_with_the_tracking_qr():
    world = s.world_with("2018")
    dossier = s.received(world)
    response = client_for(world.reception).get(slip_url(dossier.code, "receipt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "no-store" in response["Cache-Control"]
    assert dossier.code in text(response.content)
    [link] = qr_codes(response.content)
    assert link.startswith("http://testserver/tra-cuu/qr/")
    # the applicant scans it: the tracking page opens with no factor
    tracked = Client().get(urlsplit(link).path)
    html = tracked.content.decode()
    assert tracked.status_code == 200 and "no-store" in tracked["Cache-Control"]
    assert dossier.code in html and "N. V. A." in html and "Bước tiếp theo" in html
    assert "Nguyễn Văn An" not in html and "048090001234" not in html
    # a copy with one character changed opens nothing
    forged = link[:-2] + ("A" if link[-2] != "A" else "B") + "/"
    assert Client().get(urlsplit(forged).path).status_code == 404


def test_anonymous_is_sent_to_login():
    world = s.world_with("2018")
    dossier = s.received(world)
    response = Client().get(slip_url(dossier.code, "receipt"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    register = Client().get("/can-bo/phieu/so-theo-doi/", {"agency": world.ward.code})
    assert register.status_code == 302


def test_another_wards_officer_sees_nothing():
    world = s.world_with("2018")
    dossier = s.received(world)
    client = client_for(world.other_reception)
    assert client.get(slip_url(dossier.code, "receipt")).status_code == 404
    response = client.get(
        "/can-bo/phieu/so-theo-doi/",
        {"agency": world.ward.code, "from": "2025-06-01", "to": "2025-06-30"},
    )
    assert response.status_code == 404


def test_a_district_specialist_without_monitor_role_sees_nothing_of_the_ward():
    world = s.world_with("2018")
    dossier = s.received(world)
    response = client_for(world.district_specialist).get(
        slip_url(dossier.code, "receipt")
    )
    assert response.status_code == 404


def test_a_monitor_covering_the_district_reads_slips_and_register():
    world = s.world_with("2018")
    dossier = s.received(world)
    client = client_for(monitor_of(world))
    assert client.get(slip_url(dossier.code, "control")).status_code == 200
    response = client.get(
        "/can-bo/phieu/so-theo-doi/",
        {
            "agency": world.ward.code,
            "from": "2025-06-01",
            "to": "2025-06-30",
            "format": "xlsx",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content[:2] == b"PK"


def test_register_pdf_for_the_wards_staff():
    world = s.world_with("2018")
    dossier = s.received(world)
    response = client_for(world.reception).get(
        "/can-bo/phieu/so-theo-doi/",
        {"agency": world.ward.code, "from": "2025-06-01", "to": "2025-06-30"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert dossier.code in text(response.content)


def test_a_slip_that_does_not_apply_is_a_400_page_with_the_reason():
    world = s.world_with("2018")
    dossier = s.received(world)
    response = client_for(world.reception).get(slip_url(dossier.code, "apology"))
    assert response.status_code == 400
    assert "chưa được gia hạn" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2025-13-01", "to": "2025-06-30"},
        {"from": "01/06/2025", "to": "2025-06-30"},
        {"to": "2025-06-30"},
        {"from": "2025-06-30", "to": "2025-06-01"},
        {"from": "2020-01-01", "to": "2025-06-01"},
        {"from": "2025-06-01", "to": "2025-06-30", "format": "docx"},
        # (a NUL is refused before any view: tests/security/test_hardening.py)
        {"from": "'; DROP TABLE dossiers_dossier; --", "to": "∞"},
    ],
)
def test_bad_register_parameters_are_a_400_page_in_vietnamese(params: dict):
    world = s.world_with("2018")
    response = client_for(world.reception).get(
        "/can-bo/phieu/so-theo-doi/", {"agency": world.ward.code, **params}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Không in được phiếu" in body


@pytest.mark.parametrize(
    "path",
    [
        "/can-bo/phieu/KHONG-CO/receipt.pdf",
        "/can-bo/phieu/{code}/nothing.pdf",
        "/can-bo/phieu/{code}/register.pdf",
        "/can-bo/phieu/" + "9" * 500 + "/receipt.pdf",
        "/can-bo/phieu/h%E1%BB%93-s%C6%A1/receipt.pdf",
        "/can-bo/phieu/%27%3B%20DROP/receipt.pdf",
        "/can-bo/phieu/so-theo-doi/?agency=" + "x" * 300,
    ],
)
def test_junk_is_a_404_page_never_a_500(path: str):
    world = s.world_with("2018")
    dossier = s.received(world)
    response = client_for(world.reception).get(path.format(code=dossier.code))
    assert response.status_code == 404
