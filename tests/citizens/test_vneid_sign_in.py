"""Sign-in with the VNeID-style OpenID Connect provider, end to end through
allauth against the test provider on 127.0.0.1 (discovery, PKCE, the token
endpoint, an RS256 ID token, userinfo)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.agencies.models import Membership, Role
from motcua.citizens.models import Citizen
from tests.citizens.factories import make_citizen
from tests.citizens.oidc import consent, register_app, start, vneid_sign_in
from tests.dossiers.builders import build_world

pytestmark = pytest.mark.django_db


def _citizen(sub: str = "demo-an") -> Citizen:
    account = SocialAccount.objects.get(uid=sub)
    return Citizen.objects.get(user=account.user)


def test_the_sign_in_page_offers_vneid_and_the_code(oidc_app):
    page = Client().get("/cong-dan/dang-nhap/").content.decode()
    assert "Đăng nhập bằng tài khoản định danh điện tử VNeID" in page
    assert 'action="/accounts/oidc/vneid/login/"' in page
    assert 'id="address-form"' in page


def test_first_sign_in_creates_the_citizen_from_the_claims(oidc_app, idp):
    client = Client()
    response = vneid_sign_in(client, idp, next_path="/cong-dan/tai-khoan/")
    assert response.status_code == 302
    assert response["Location"] == "/cong-dan/tai-khoan/"
    citizen = _citizen()
    assert citizen.verified_by == Citizen.VerifiedBy.VNEID
    assert citizen.identity_number == "001090012345"
    assert citizen.full_name == "Nguyễn Văn An"
    assert citizen.birth_date == dt.date(1990, 5, 12)
    assert citizen.phone == "0905123456"
    user = citizen.user
    assert not user.has_usable_password()
    assert not (user.is_staff or user.is_superuser)
    assert user.email == ""
    page = client.get("/cong-dan/tai-khoan/").content.decode()
    assert "001090012345" in page and "12/05/1990" in page
    assert "Xin chào Nguyễn Văn An, bạn đã đăng nhập." in page
    assert user.username not in page
    me = client.get("/api/v1/citizen/me/").json()
    assert me["identity_number"] == "001090012345"


def test_the_provider_saw_pkce_and_the_state(oidc_app, idp):
    params = start(Client())
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"] and params["state"]
    assert params["redirect_uri"].endswith("/accounts/oidc/vneid/login/callback/")


def test_a_forged_state_signs_nobody_in(oidc_app, idp):
    client = Client()
    back = consent(idp, {**start(client), "state": "forged"}, "demo-an")
    parts = urlsplit(back)
    client.get(parts.path, dict(parse_qsl(parts.query)))
    assert not Citizen.objects.exists()
    assert "_auth_user_id" not in client.session


def test_changes_at_the_provider_update_the_citizen_at_next_sign_in(oidc_app, idp):
    vneid_sign_in(Client(), idp)
    idp.provider.update_person(
        "demo-an", name="Nguyễn Văn Ân", phone_number="0911000111"
    )
    vneid_sign_in(Client(), idp)
    citizen = _citizen()
    assert citizen.full_name == "Nguyễn Văn Ân"
    assert citizen.phone == "0911000111"
    assert Citizen.objects.count() == 1


def test_a_different_identity_number_for_the_same_account_is_refused(oidc_app, idp):
    vneid_sign_in(Client(), idp)
    idp.provider.update_person("demo-an", identity_number="001090099999")
    client = Client()
    response = vneid_sign_in(client, idp)
    assert response.status_code == 302
    assert response["Location"] == "/cong-dan/dang-nhap/"
    page = client.get("/cong-dan/dang-nhap/").content.decode()
    assert "khác với số đã gắn với tài khoản này" in page
    assert _citizen().identity_number == "001090012345"
    assert "_auth_user_id" not in client.session


def test_a_missing_identity_number_is_refused(db, idp):
    register_app(idp, claims={"identity_number": "so_dinh_danh"})
    client = Client()
    vneid_sign_in(client, idp)
    assert not Citizen.objects.exists()
    assert not get_user_model().objects.filter(username__startswith="vneid-").exists()


def test_the_claim_name_is_configurable(db, idp):
    idp.provider.identity_claim = "so_dinh_danh"
    register_app(idp, claims={"identity_number": "so_dinh_danh"})
    vneid_sign_in(Client(), idp, person="demo-binh")
    citizen = _citizen("demo-binh")
    assert citizen.identity_number == "048185000123"
    assert citizen.email == "binh@example.vn"


def test_a_staff_account_is_never_reached_even_when_linked(oidc_app, idp):
    """An administrator linked the provider account to an officer by hand:
    the citizen path refuses it, signs nobody in and changes nothing."""
    world = build_world()
    officer = world.reception
    SocialAccount.objects.create(user=officer, provider="vneid", uid="demo-an")
    client = Client()
    response = vneid_sign_in(client, idp)
    assert response["Location"] == "/cong-dan/dang-nhap/"
    assert "_auth_user_id" not in client.session
    assert not Citizen.objects.filter(user=officer).exists()


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser", "role"])
def test_a_citizen_who_became_staff_cannot_use_the_citizen_path(oidc_app, idp, flag):
    vneid_sign_in(Client(), idp)
    user = _citizen().user
    if flag == "role":
        Membership.objects.create(
            user=user, agency=build_world().ward, role=Role.RECEPTION
        )
    else:
        setattr(user, flag, True)
        user.save()
    client = Client()
    vneid_sign_in(client, idp)
    assert "_auth_user_id" not in client.session


def test_a_staff_member_cannot_connect_the_provider_to_their_account(oidc_app, idp):
    world = build_world()
    client = Client()
    client.force_login(world.reception)
    # allauth's "connect" process, as /accounts/3rdparty/ would start it
    response = client.post("/accounts/oidc/vneid/login/", {"process": "connect"})
    assert response.status_code == 302
    params = dict(parse_qsl(urlsplit(response["Location"]).query))
    back = urlsplit(consent(idp, params, "demo-an"))
    answer = client.get(back.path, dict(parse_qsl(back.query)))
    assert answer["Location"] == "/cong-dan/dang-nhap/"
    assert not SocialAccount.objects.filter(user=world.reception).exists()
    assert not Citizen.objects.filter(user=world.reception).exists()


def test_the_same_person_with_a_new_provider_account_keeps_one_citizen(oidc_app, idp):
    existing = make_citizen(identity="001090012345")
    vneid_sign_in(Client(), idp)
    assert Citizen.objects.count() == 1
    assert SocialAccount.objects.get(uid="demo-an").user == existing.user


def test_staff_sign_up_stays_closed(oidc_app):
    response = Client().post(
        "/accounts/signup/",
        {
            "username": "ke-la",
            "password1": "mat-khau-rat-dai-1",
            "password2": "mat-khau-rat-dai-1",
        },
    )
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert not get_user_model().objects.exists()


def test_cancelling_at_the_provider_comes_back_to_the_sign_in_page(oidc_app, idp):
    client = Client()
    params = start(client)
    from tests.citizens.oidc import _idp_post

    status, back = _idp_post(idp, "/authorize", {**params, "decision": "deny"})
    assert status == 302
    parts = urlsplit(back)
    response = client.get(parts.path, dict(parse_qsl(parts.query)))
    assert response["Location"] == "/cong-dan/dang-nhap/"
    page = client.get("/cong-dan/dang-nhap/").content.decode()
    assert "Bạn đã huỷ đăng nhập bằng tài khoản định danh điện tử." in page
    assert not Citizen.objects.exists()


def test_a_forged_state_is_said_in_vietnamese(oidc_app, idp):
    client = Client()
    back = urlsplit(consent(idp, {**start(client), "state": "forged"}, "demo-an"))
    response = client.get(back.path, dict(parse_qsl(back.query)))
    assert response["Location"] == "/cong-dan/dang-nhap/"
    page = client.get("/cong-dan/dang-nhap/").content.decode()
    assert "Chưa đăng nhập được bằng tài khoản định danh điện tử" in page


def test_the_provider_login_page_on_get_asks_to_confirm(oidc_app):
    response = Client().get("/accounts/oidc/vneid/login/")
    assert response.status_code == 200
    assert "<form" in response.content.decode()
