"""Sign-in, two-factor authentication required for administrators, the home
page by role, the agency switcher and the leader board."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.agencies.models import Membership, Role
from motcua.core import clock

from .conftest import activate_totp, client_for, password_only_client

pytestmark = pytest.mark.django_db
HOME = "/can-bo/"


def test_the_sign_in_page_is_in_vietnamese(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "Đăng nhập cho cán bộ" in html and 'id="login-submit"' in html


def test_staff_sign_in_with_username_and_land_on_the_backoffice(world, client):
    r = client.post(
        reverse("account_login"),
        {
            "login": world.reception.username,
            "password": f"pw-{world.reception.username}",
        },
    )
    assert r.status_code == 302 and r["Location"] == HOME
    html = client.get(HOME).content.decode()
    assert 'id="card-desk"' in html and 'id="global-search"' in html
    assert 'id="user-menu-logout"' in html


def test_an_agency_admin_without_totp_is_sent_to_set_it_up(world):
    client = password_only_client(world.admin)
    r = client.get(HOME)
    assert r.status_code == 302 and r["Location"] == reverse("mfa_activate_totp")
    activate_totp(world.admin)
    # The app is set up, but this session never used it: asked for a code.
    r = client.get(HOME)
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("mfa_reauthenticate"))
    html = client_for(world.admin).get(HOME).content.decode()
    assert 'id="card-admin"' in html


def test_after_signing_in_an_admin_lands_on_the_vietnamese_totp_setup(world, client):
    name = world.admin.username
    client.post(reverse("account_login"), {"login": name, "password": f"pw-{name}"})
    r = client.get(HOME, follow=True)
    # Just signed in: the first app is set up without typing the password again.
    assert [url for url, _ in r.redirect_chain] == [reverse("mfa_activate_totp")]
    html = r.content.decode()
    assert "Bật ứng dụng xác thực" in html and 'id="totp-qr"' in html


def test_setting_up_the_first_app_long_after_signing_in_asks_the_password(
    world, client
):
    name = world.admin.username
    client.post(reverse("account_login"), {"login": name, "password": f"pw-{name}"})
    session = client.session
    records = session["account_authentication_methods"]
    records[-1]["at"] -= 3600  # signed in an hour ago
    session["account_authentication_methods"] = records
    session.save()
    r = client.get(HOME, follow=True)
    assert r.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert "Xác nhận truy cập" in r.content.decode()
    r = client.post(r.redirect_chain[-1][0], {"password": f"pw-{name}"}, follow=True)
    html = r.content.decode()
    assert "Bật ứng dụng xác thực" in html and 'id="totp-qr"' in html


def test_removing_an_app_still_asks_for_the_password_again(world):
    signed_in = client_for(world.admin)  # sets up the app, signs in with a code
    r = signed_in.get(reverse("mfa_deactivate_totp"))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("account_reauthenticate"))


def test_other_staff_may_use_totp_but_need_not(world):
    assert client_for(world.specialist).get(HOME).status_code == 200
    assert client_for(world.specialist).get(reverse("mfa_index")).status_code == 200


def test_a_user_without_a_role_is_refused(world):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("nobody", password="x")
    r = client_for(nobody).get(HOME)
    assert r.status_code == 403


def test_the_home_cards_follow_the_roles(world):
    leader = client_for(world.leader).get(HOME).content.decode()
    assert 'id="card-leader"' in leader and 'id="card-desk"' not in leader
    specialist = client_for(world.specialist).get(HOME).content.decode()
    assert 'id="card-mine"' in specialist and 'id="card-leader"' not in specialist


def test_the_agency_switcher_remembers_the_choice(world):
    Membership.objects.create(
        user=world.reception, agency=world.other_ward, role=Role.RECEPTION
    )
    client = client_for(world.reception)
    html = client.get(HOME).content.decode()
    assert 'id="agency-select"' in html
    r = client.post(
        reverse("backoffice:switch_agency"),
        {"agency": world.other_ward.pk, "next": "/can-bo/quay/"},
    )
    assert r["Location"] == "/can-bo/quay/"
    assert client.get(HOME).context["desk"].agency == world.other_ward
    refused = client.post(
        reverse("backoffice:switch_agency"), {"agency": world.city.pk}
    )
    assert refused.status_code == 302
    assert client.get(HOME).context["desk"].agency == world.other_ward


def test_the_leader_board_counts_today_and_lists_what_waits_for_me(world):
    dossier = world.processing(clock.now())
    from motcua.dossiers import services

    with world.at(clock.now()):
        services.dossier_submit(world.specialist, dossier)
    page = client_for(world.leader).get("/can-bo/lanh-dao/")
    assert page.status_code == 200
    assert page.context["board"]["totals"]["received"] == 1
    assert [d.code for d, _b in page.context["waiting"]] == [dossier.code]
