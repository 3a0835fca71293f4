"""The monitor (Giám sát) reads only: every URL of the back office, slips,
signing, reports, evaluation and API that accepts a POST refuses a monitor who
can see the dossier (403), and nothing in the database changes. The walk reads
the URL configuration, so a new POST view is tried without editing this file.

Not walked here: the admin site and the token endpoint (their own walk), the
public portal, sign-in pages and the language switch (no staff data). The agency
switcher (which of their own agencies the pages show, kept in the session) and
the user's own API keys are the back-office POSTs a monitor may use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from motcua.agencies.models import Membership, Role
from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.dossiers.builders import World, make_user

from .conftest import client_for

pytestmark = pytest.mark.django_db

WALKED = ("/can-bo/", "/bao-cao/", "/danh-gia/", "/api/v1/")
NOT_WALKED = ("/api/v1/auth/", "/api/v1/calendar/")
# Not data of the agency: which agency the page shows (the session), and the
# user's own API keys (like their own password, see the security walk).
SESSION_ONLY = {
    "backoffice:switch_agency",
    "security:api_keys",
    "security:revoke_api_key",
}
# Machine endpoints that take their own token, not a person's session: refused
# as unauthenticated (401) or off (404) whoever is signed in.
GATEWAY_ONLY = {
    "notification-receipts",
    # another one-stop system's signed requests (docs/exchange.md)
    "exchange_api:transfers",
    "exchange_api:updates",
    "exchange_api:cancel",
}


def _patterns(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _patterns(entry, route, f"{namespace}{ns}:" if ns else namespace)
        elif entry.name:
            yield "/" + route, f"{namespace}{entry.name}", entry


def walked_names() -> list[str]:
    names = []
    for route, name, _entry in _patterns(get_resolver()):
        if route.startswith(WALKED) and not route.startswith(NOT_WALKED):
            names.append(name)
    return sorted(set(names))


@pytest.fixture
def monitor(world: World) -> Any:
    """A district monitor covering its subtree: sees every ward dossier."""
    user = make_user("giam-sat", world.district, Role.MONITOR)
    Membership.objects.filter(user=user).update(covers_subtree=True)
    return user


@pytest.fixture
def objects(world: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.dossiers.files import dossier_file_upload
    from motcua.signing.models import DutyRota, LeaderCertificate, TrustedRoot

    dossier = services.dossier_receive(world.reception, data=world.input())
    item = dossier_file_upload(
        world.reception,
        dossier,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"),
    )
    duty = DutyRota.objects.create(
        agency=world.ward, leader=world.leader, date=dt.date(2025, 6, 2),
        session=DutyRota.Session.choices[0][0], updated_by=world.leader,
        updated_at=clock.now(),
    )  # fmt: skip
    now = clock.now()
    certificate = LeaderCertificate.objects.create(
        user=world.leader, agency=world.ward, p12_sealed=b"-", subject_cn="Lãnh đạo",
        issuer="CA thử", serial_number="1", not_before=now, not_after=now,
        fingerprint="0" * 64, uploaded_by=world.leader, uploaded_at=now,
    )  # fmt: skip
    root = TrustedRoot.objects.create(
        name="Gốc thử", pem="-", fingerprint="1" * 64, uploaded_by=world.leader,
        uploaded_at=now,
    )  # fmt: skip
    from tests.feedback.builders import submit

    feedback = submit(world.district)  # of the monitor's own agency: it may read
    return {
        **{
            f"feedback_staff:{name}": feedback.pk
            for name in ("detail", "assign", "answer", "publish", "unpublish")
        },
        "evaluation:followup": None,  # no follow-up in this walk: 404 refuses
        "code": dossier.code,
        "file_id": item.pk,
        "dossier_id": dossier.pk,
        "pk": duty.pk,
        "signing:certificate_deactivate": certificate.pk,
        "signing:trusted_root_delete": root.pk,
        "slug": "don-vi",
        "kind": "receipt",
        "transfer_id": "00000000-0000-4000-8000-000000000000",  # none: 401 first
    }


def _urls(name: str, entry: URLPattern, objects: dict[str, Any]) -> list[str]:
    from motcua.backoffice.actions import SPECS as ACTIONS

    converters = getattr(entry.pattern, "converters", {})
    kwargs = {key: objects.get(name, objects.get(key)) for key in converters}
    if "action" in kwargs:
        return [reverse(name, kwargs={**kwargs, "action": a}) for a in ACTIONS]
    for key, value in kwargs.items():
        if value is None:  # an object this walk does not build (another app's)
            UNKNOWN_OBJECT.add(name)
            kwargs[key] = 999_999 if converters[key].regex == "[0-9]+" else "x"
    return [reverse(name, kwargs=kwargs)]


# URLs naming an object the walk does not create: 404 is a refusal too.
UNKNOWN_OBJECT: set[str] = set()


def _snapshot() -> dict[str, Any]:
    counts: dict[str, Any] = {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.label.startswith(("sessions.", "privacy."))
    }
    counts["dossiers"] = list(
        Dossier.objects.order_by("pk").values_list("pk", "status", "lock_version")
    )
    return counts


# A form payload plausible for any of our forms, so that a refusal is a refusal
# of the role and not of the data.
FORM = {
    "text": "Ghi chú của giám sát", "note": "gọi rồi", "reason": "Lý do",
    "indicator": "5", "points": "2", "date": "02/06/2025", "session": "morning",
    "expected_version": "1",
}  # fmt: skip


def test_the_walk_covers_the_back_office_signing_reports_evaluation_and_api():
    names = walked_names()
    expected = {
        "backoffice:dossier_note",
        "backoffice:dossier_action",
        "signing:duty",
        "evaluation:circular01",
        "reports:bieu06",
    }
    assert expected <= set(names)


def test_a_monitor_can_post_nothing_anywhere(world, monitor, objects):
    client = client_for(monitor)
    patterns = {name: entry for _r, name, entry in _patterns(get_resolver())}
    before = _snapshot()
    refused, wrong = [], []
    for name in walked_names():
        if name in SESSION_ONLY:
            continue
        for url in _urls(name, patterns[name], objects):
            if url.startswith("/api/"):
                response = client.post(url, FORM, content_type="application/json")
            else:
                response = client.post(url, FORM)
            if response.status_code == 405:  # not a POST URL
                continue
            refusals = (403, 404) if name in UNKNOWN_OBJECT else (403,)
            if name in GATEWAY_ONLY:
                refusals = (401, 404)
            if response.status_code not in refusals:
                wrong.append((url, response.status_code))
            refused.append(url)
            assert _snapshot() == before, url
    assert wrong == [], "\n".join(f"{u} {c}" for u, c in wrong)
    assert len(refused) >= 10, refused


def test_the_monitor_sees_the_dossier_page_without_the_note_form(
    world, monitor, objects
):
    response = client_for(monitor).get(
        reverse("backoffice:dossier", kwargs={"code": objects["code"]})
    )
    assert response.status_code == 200
    assert 'id="note-form"' not in response.content.decode()


def test_a_refused_note_says_why_in_vietnamese_and_writes_nothing(
    world, monitor, objects
):
    from motcua.backoffice.models import Note

    url = reverse("backoffice:dossier_note", kwargs={"code": objects["code"]})
    response = client_for(monitor).post(url, {"text": "không được ghi"})
    assert response.status_code == 403
    assert "chỉ được xem" in response.content.decode()
    assert not Note.objects.exists()
    assert client_for(world.specialist).post(url, {"text": "ghi"}).status_code == 302
    assert Note.objects.count() == 1
