"""Every back-office URL refuses anonymous users, officers of another ward and
the wrong roles, and opens for the right role (ARCHITECTURE principle 7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from motcua.backoffice import urls as backoffice_urls
from motcua.dossiers import services

from .conftest import activate_totp, client_for, password_only_client
from .test_sent_messages import message as outbox_message

pytestmark = pytest.mark.django_db


def _names() -> set[str]:
    names = set()
    for pattern in backoffice_urls.urlpatterns:
        assert isinstance(pattern, URLPattern | URLResolver)
        if isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


# name → (method, extra kwargs, right role attribute on World, wrong role)
# "code" is filled with a real dossier of ward A; ward B's officer gets 404 on
# anything naming that dossier and 403 on pages of a role they lack.
SPECS: dict[str, tuple[str, dict[str, Any], str, str]] = {
    "home": ("get", {}, "specialist", ""),
    "switch_agency": ("post", {}, "specialist", ""),
    "search": ("get", {}, "specialist", ""),
    "desk": ("get", {}, "reception", "specialist"),
    "desk_procedures": ("get", {}, "reception", "specialist"),
    "desk_due": ("get", {}, "reception", "specialist"),
    "desk_applicant": ("post", {}, "reception", "specialist"),
    "desk_done": ("get", {"code": None}, "reception", "specialist"),
    "queue": ("get", {"slug": "don-vi"}, "specialist", ""),
    "dossier": ("get", {"code": None}, "specialist", ""),
    "dossier_action": ("post", {"code": None, "action": "refuse"}, "", ""),
    "dossier_note": ("post", {"code": None}, "specialist", ""),
    "dossier_upload": ("post", {"code": None}, "reception", ""),
    "dossier_file": ("get", {"code": None, "file_id": None}, "specialist", ""),
    "returns": ("get", {}, "reception", "specialist"),
    "record_call": ("post", {"code": None}, "reception", "specialist"),
    "leader": ("get", {}, "leader", "reception"),
    # issue 8: agency administrators only (they sign in with two factors;
    # tests/privacy/test_read_log_page.py opens it as one)
    "read_log": ("get", {}, "", "reception"),
    # issue 11: the agency's outbox (leaders, admins); retry by admins only
    "sent_messages": ("get", {}, "leader", "reception"),
    "retry_message": ("post", {"message_id": None}, "admin", "leader"),
    # issue 13: what the transparency page publishes (administrators, two factors)
    "public_contacts": ("get", {}, "", "reception"),
}
RIGHT_STATUS = {
    "switch_agency": 302,
    "dossier_note": 400,
    "dossier_upload": 400,
    "record_call": 302,
    "search": 200,
    "retry_message": 302,
}


def test_every_backoffice_url_is_in_the_walk():
    assert _names() == set(SPECS)


@pytest.fixture
def target(world: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.dossiers.files import dossier_file_upload

    dossier = services.dossier_receive(world.reception, data=world.input())
    item = dossier_file_upload(
        world.reception,
        dossier,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"),
    )
    message = outbox_message(world.ward)
    return {
        "code": dossier.code,
        "file_id": item.pk,
        "procedure": world.procedure,
        "message_id": message.pk,
    }


def _url(name: str, target: dict[str, Any]) -> str:
    kwargs = dict(SPECS[name][1])
    for key in kwargs:
        if kwargs[key] is None:
            kwargs[key] = target[key]
    url = reverse(f"backoffice:{name}", kwargs=kwargs)
    if name == "desk_due":
        url += f"?thu_tuc={target['procedure'].code}"
    return url


@pytest.mark.parametrize("name", sorted(SPECS))
def test_anonymous_users_are_sent_to_sign_in(name, world, target, client):
    method = SPECS[name][0]
    response = getattr(client, method)(_url(name, target))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_officers_of_another_ward_are_refused(name, world, target):
    method, kwargs, _right, _wrong = SPECS[name]
    response = getattr(client_for(world.other_reception), method)(_url(name, target))
    if "code" in kwargs:
        assert response.status_code == 404, name
    else:  # their own agency's page, or a page of a role they lack
        assert response.status_code in (200, 302, 403), name
        if response.status_code == 200:
            assert world.ward.name not in response.content.decode()


@pytest.mark.parametrize("name", sorted(n for n in SPECS if SPECS[n][3]))
def test_the_wrong_role_is_refused(name, world, target):
    method, _kwargs, _right, wrong = SPECS[name]
    response = getattr(client_for(getattr(world, wrong)), method)(_url(name, target))
    assert response.status_code == 403, name


@pytest.mark.parametrize("name", sorted(n for n in SPECS if SPECS[n][2]))
def test_the_right_role_opens_it(name, world, target):
    method, _kwargs, right, _wrong = SPECS[name]
    response = getattr(client_for(getattr(world, right)), method)(_url(name, target))
    assert response.status_code == RIGHT_STATUS.get(name, 200), name


def test_a_refused_action_by_the_wrong_role_changes_nothing(world, target):
    url = _url("dossier_action", target)
    response = client_for(world.reception).post(url, {"refuse-reason": "x"})
    assert response.status_code == 403
    assert "không có quyền" in response.content.decode()


def test_a_system_admin_needs_two_factor_then_sees_everything(world, target):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="pw-root")
    client = password_only_client(root)
    assert client.get(_url("dossier", target)).status_code == 302
    activate_totp(root)
    assert client.get(_url("dossier", target)).status_code == 302  # code not used
    assert client_for(root).get(_url("dossier", target)).status_code == 200


def test_the_resolver_knows_the_backoffice_namespace():
    assert "backoffice" in get_resolver().namespace_dict
