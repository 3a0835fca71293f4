"""The provider configured by settings (environment variables) instead of a
Social application: the same button and the same end-to-end sign-in."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client, override_settings

from motcua.citizens.models import Citizen
from tests.citizens.oidc import vneid_sign_in

pytestmark = pytest.mark.django_db


def test_an_app_from_settings_signs_citizens_in(idp):
    app = {
        "provider_id": "vneid",
        "name": "VNeID",
        "client_id": idp.provider.client_id,
        "secret": idp.provider.client_secret,
        "settings": {"server_url": idp.url, "oauth_pkce_enabled": True},
    }
    providers = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [app]}}
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers):
        page = Client().get("/cong-dan/dang-nhap/")
        assert 'action="/accounts/oidc/vneid/login/"' in page.content.decode()
        # the page lets the browser go on to the provider (CSP form-action)
        assert idp.url in page["Content-Security-Policy"]
        vneid_sign_in(Client(), idp, person="demo-cuong")
    assert Citizen.objects.get().identity_number == "079201004567"


def test_without_a_provider_the_page_offers_the_code_only():
    page = Client().get("/cong-dan/dang-nhap/").content.decode()
    assert 'id="no-provider"' in page and 'id="address-form"' in page


def test_the_environment_variables_declare_the_app():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "MOTCUA_OIDC_SERVER_URL": "https://idp.example.gov.vn",
        "MOTCUA_OIDC_CLIENT_ID": "motcua",
        "MOTCUA_OIDC_CLIENT_SECRET": "bi-mat",
        "MOTCUA_OIDC_CLAIM_IDENTITY_NUMBER": "so_dinh_danh",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "a = s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'][0]; "
        "print(a['provider_id'], a['client_id'], a['settings']['server_url'], "
        "s.MOTCUA_OIDC_CLAIMS['identity_number'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["vneid", "motcua", "https://idp.example.gov.vn", "so_dinh_danh"]
